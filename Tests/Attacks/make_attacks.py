#!/usr/bin/env python3
"""Writes the hostile model files under files/ and expected.json (exit code + message per file).

Each attack is as small as possible and stands for one way a stranger's model file could try to
crash, hang, exhaust memory or escape its folder. bertconvTests/AttackTests replays every entry
through `bertconv convert` and checks the exit code, the one-line message, and that nothing was
written. Standard library, plus h5py for the two HDF5 attacks (the goldens venv has it):
    goldens/.venv/bin/python Tests/Attacks/make_attacks.py
"""
import io
import json
import os
import shutil
import struct
import zipfile

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


def varint(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, payload):
    """A protobuf length-delimited field (wire type 2)."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def number(field_number, value):
    """A protobuf varint field (wire type 0)."""
    return varint(field_number << 3) + varint(value)


def onnx_model(graph):
    return number(1, 8) + field(8, number(2, 17)) + field(7, graph)


def onnx_external_initializer(location):
    entry = field(1, b"location") + field(2, location.encode())
    tensor = number(1, 2) + number(2, 1) + field(8, b"w") + field(13, entry) + number(14, 1)
    return onnx_model(field(2, b"g") + field(5, tensor))


def zip_archive(members, compression=zipfile.ZIP_STORED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members:
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), content, compression)
    return buffer.getvalue()


def hdf5_attack(name, build, message, why):
    """An HDF5 file written by h5py; `build(file, folder)` adds the hostile object."""
    import h5py
    path = os.path.join(FILES, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with h5py.File(path, "w", libver="earliest") as f:
        f.attrs["layer_names"] = [b"bert"]
        build(f, os.path.dirname(path))
    expected.append({"path": os.path.dirname(name), "exit": 2, "message": message, "why": why})


def h5py_external_link(filename, path):
    import h5py
    return h5py.ExternalLink(filename, path)


def external_storage(f, folder):
    with open(os.path.join(folder, "raw.bin"), "wb") as raw:
        raw.write(bytes(8))
    group = f.create_group("bert")
    group.attrs["weight_names"] = [b"w:0"]
    group.create_dataset("w:0", shape=(2,), dtype="<f4", external=[("raw.bin", 0, 8)])


KERAS_CONFIG = json.dumps({"class_name": "BertBackbone", "config": {}}).encode()


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
    attack("keras-index-traversal/tf_model.h5.index.json",
           json.dumps({"metadata": {}, "weight_map": {"bert/w:0": "../../outside.h5"}}).encode(),
           "name '../../outside.h5' leaves the model's folder", "Keras shard name with ..", target="keras-index-traversal")
    attack("flax-index-traversal/flax_model.msgpack.index.json",
           json.dumps({"metadata": {}, "weight_map": {"bert/w": "/etc/passwd"}}).encode(),
           "name '/etc/passwd' leaves the model's folder", "absolute Flax shard path", target="flax-index-traversal")
    attack("onnx-location-traversal.onnx", onnx_external_initializer("../../etc/passwd"),
           "name '../../etc/passwd' leaves the model's folder", "ONNX external-data location with ..")
    attack("onnx-absolute-location.onnx", onnx_external_initializer("/etc/passwd"),
           "name '/etc/passwd' leaves the model's folder", "absolute ONNX external-data location")
    attack("onnx-length-past-end.onnx", number(1, 8) + varint(7 << 3 | 2) + varint(1 << 20) + b"\x0a\x01g",
           "truncated: needs 1048576 bytes, only 3 remaining in file", "a protobuf field length past the end of the file")
    attack("keras-zip-traversal.keras",
           zip_archive([("config.json", KERAS_CONFIG), ("../model.weights.h5", b"\x89HDF")]),
           "name '../model.weights.h5' leaves the model's folder", ".keras member named outside the archive")
    attack("keras-zip-bomb.keras",
           zip_archive([("config.json", KERAS_CONFIG), ("model.weights.h5", bytes(16 << 20))], zipfile.ZIP_DEFLATED),
           "(zip bomb)", ".keras zip bomb (16 MiB of zeros in 16 KiB)")
    attack("deep-msgpack/flax_model.msgpack", b"\x81\xa1a" * 1000000 + b"\xc0",
           "maps nested deeper than 64 levels", "msgpack nested 10^6 deep", target="deep-msgpack")
    hdf5_attack("hdf5-external-link/tf_model.h5",
                lambda f, folder: f.__setitem__("bert", h5py_external_link("/etc/other.h5", "/bert")),
                "'bert' is an external link; links are never followed", "HDF5 external link")
    hdf5_attack("hdf5-external-storage/tf_model.h5", external_storage,
                "dataset stored in external files, which are never read", "HDF5 dataset stored in an external raw file")
    with open(os.path.join(ROOT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
