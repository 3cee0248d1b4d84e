#!/usr/bin/env python3
"""Writes the hostile model files under files/ and expected.json (exit code + message per file).

Each attack is as small as possible and stands for one way a stranger's model file could try to
crash, hang, exhaust memory or escape its folder. bertconvTests/AttackTests replays every entry
through `bertconv convert` and checks the exit code, the one-line message, and that nothing was
written. Standard library only:  python3 Tests/Attacks/make_attacks.py
"""
import json
import os
import shutil
import struct

ROOT = os.path.dirname(os.path.abspath(__file__))
FILES = os.path.join(ROOT, "files")
expected = []


def safetensors(header, data=b"", declared=None):
    raw = json.dumps(header).encode() if not isinstance(header, bytes) else header
    return struct.pack("<Q", len(raw) if declared is None else declared) + raw + data


def attack(name, content, message, why, exit_code=2, target=None):
    path = os.path.join(FILES, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(content)
    expected.append({"path": target or name, "exit": exit_code, "message": message, "why": why})


def main():
    shutil.rmtree(FILES, ignore_errors=True)
    attack("header-past-eof.safetensors", safetensors({}, declared=1 << 20),
           "truncated: needs 1048576 bytes, only 2 remaining in file", "header length over the file size")
    attack("header-over-cap.safetensors", safetensors({}, declared=1 << 62),
           "exceeds the limit of 100000000", "header length that would allocate 4 EiB")
    attack("shape-2e62.safetensors",
           safetensors({"w": {"dtype": "F32", "shape": [1 << 62, 4], "data_offsets": [0, 4]}}, b"\0" * 4),
           "tensor 'w': invalid shape [4611686018427387904, 4]", "a 2^62 shape whose byte size overflows")
    attack("overlap.safetensors",
           safetensors({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                        "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}, b"\0" * 12),
           "tensor 'b' at offset", "overlapping tensor data")
    attack("duplicate.safetensors",
           safetensors(b'{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},'
                       b'"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', b"\0" * 4),
           "tensor 'w' at offset", "duplicate names (JSON parsers keep the last silently)")
    attack("deep-json.safetensors", safetensors(b"[" * 100000 + b"]" * 100000),
           "nesting deeper than 128", "JSON nested 10^5 deep (recursion bomb)")
    attack("traversal/model.safetensors.index.json",
           json.dumps({"weight_map": {"w": "../../outside.safetensors"}}).encode(),
           "name '../../outside.safetensors' leaves the model's folder", "shard name with ..", target="traversal")
    attack("absolute/model.safetensors.index.json",
           json.dumps({"weight_map": {"w": "/etc/passwd"}}).encode(),
           "name '/etc/passwd' leaves the model's folder", "absolute shard path", target="absolute")
    attack("pickle/pytorch_model.bin", b"\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.",
           "a Python pickle; bertconv never unpickles", "a pickle that would run `id`", target="pickle")
    attack("not-a-model.txt", b"hello", "no reader recognizes this path", "not a model at all")
    with open(os.path.join(ROOT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
