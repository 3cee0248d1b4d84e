#!/usr/bin/env python3
"""Interop check of bertconv's ONNX exports: every fixture is exported with the bertconv binary in
each variant, checked with onnx.checker.check_model(full_check=True), run with onnxruntime and
compared with its goldens file; --ort-ops exports are compared with the plain ones, and each fp32
export is converted back to safetensors and compared tensor for tensor with the source.

Needs only onnx, onnxruntime and numpy (venv: bench/setup-onnx.sh). Exit 0 all pass, 1 a check failed.

    bench/.venv/bin/python goldens/onnx_check.py [--bertconv .build/debug/bertconv] [--fixture qa] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "goldens" / "fixtures"
HEADS = ["base", "base-nopool", "pretraining", "masked-lm", "causal-lm", "next-sentence", "seq-cls",
         "seq-cls-regression", "token-cls", "qa", "multiple-choice"]
PER_TOKEN = {"last_hidden_state", "prediction_logits", "start_logits", "end_logits"}
PER_TOKEN_LOGITS = {"masked-lm", "causal-lm", "token-cls"}  # heads whose "logits" are per token
LOGITS = {"logits", "prediction_logits", "seq_relationship_logits", "start_logits", "end_logits"}

# name -> (export-onnx arguments, profile); profiles follow DESIGN.md's verification table.
VARIANTS = {
    "fp32": ([], "fp32"),
    "opset20": (["--opset", "20"], "fp32"),
    "opset21-external": (["--opset", "21", "--external-data"], "fp32"),
    "ort-ops": (["--ort-ops"], "fp32"),
    "fp16": (["--precision", "fp16"], "fp16"),
    "ort-ops-fp16": (["--ort-ops", "--precision", "fp16"], "fp16"),
    "int8": (["--precision", "int8"], "int8"),
    "ort-ops-int8": (["--ort-ops", "--precision", "int8"], "int8"),
    "opset21-int8": (["--opset", "21", "--precision", "int8"], "int8"),
}
# (abs, rel, mean row cosine, top-1 agreement, min row cosine); int8 has no element test.
PROFILES = {"fp32": (1e-4, 1e-4, None, None, None), "fp16": (1e-2, 1e-2, 0.9999, 0.999, None),
            "int8": (None, None, 0.99, 0.99, 0.95)}
DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": np.uint16, "I64": np.int64, "I32": np.int32, "I8": np.int8}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Reads a safetensors file with numpy only (safetensors itself is not installed here)."""
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = np.frombuffer(data[base + begin:base + end], dtype=DTYPES[info["dtype"]])
        tensors[name] = raw.reshape(info["shape"])
    return tensors


def row_cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a2, b2 = a.reshape(-1, a.shape[-1]).astype(np.float64), b.reshape(-1, b.shape[-1]).astype(np.float64)
    norms = np.linalg.norm(a2, axis=1) * np.linalg.norm(b2, axis=1)
    return np.where(norms == 0, 1.0, (a2 * b2).sum(axis=1) / np.maximum(norms, 1e-30))


def per_token(name: str, fixture: str) -> bool:
    """Whether HF's output `name` has one entry per token (as `bertconv verify` decides)."""
    return name in PER_TOKEN or (name == "logits" and fixture in PER_TOKEN_LOGITS)


def compare(name: str, got: np.ndarray, want: np.ndarray, mask: np.ndarray | None, profile: str) -> tuple[bool, str]:
    """DESIGN.md's element test (plus row cosine and top-1 for fp16 and int8); per-token outputs
    at real-token positions (`mask`), like `bertconv verify`."""
    if got.shape != want.shape:
        return False, f"shape {got.shape} != {want.shape}"
    if mask is not None:
        keep = mask.reshape(mask.shape[0], -1).astype(bool)
        got, want = got[keep], want[keep]
    absolute, relative, min_cosine, min_top1, min_row_cosine = PROFILES[profile]
    diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
    ok = absolute is None or bool(np.all(diff <= absolute + relative * np.abs(want)))
    note = f"max abs {diff.max():.2e}"
    if min_cosine is not None and want.ndim >= 1 and want.shape[-1] > 1:
        cosines = row_cosines(got, want)
        cos = cosines.mean()
        ok = ok and cos >= min_cosine and (min_row_cosine is None or cosines.min() >= min_row_cosine)
        note += f", mean cos {cos:.6f}, min {cosines.min():.4f}"
        if name in LOGITS:
            top1 = float((got.argmax(-1) == want.argmax(-1)).mean())
            ok = ok and top1 >= min_top1
            note += f", top-1 {top1:.3f}"
    return ok, note


def run_model(path: Path, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, inputs)))


def export(bertconv: str, fixture: str, variant: str, out: Path) -> Path:
    target = out / f"{fixture}-{variant}.onnx"
    args = [bertconv, "export-onnx", str(FIXTURES / fixture / "hf"), "-o", str(target), "--quiet", "--force"]
    subprocess.run(args + VARIANTS[variant][0], check=True)
    return target


def round_trip(bertconv: str, fixture: str, model: Path, out: Path) -> tuple[bool, str]:
    """export → ONNX reader → safetensors must hold the source's tensors, bit for bit."""
    target = out / f"{fixture}-roundtrip"
    subprocess.run([bertconv, "convert", str(model), "-o", str(target), "--quiet", "--force"], check=True)
    source = read_safetensors(FIXTURES / fixture / "hf" / "model.safetensors")
    back = read_safetensors(target / "model.safetensors")
    # The source may carry tied copies and buffers the canonical graph drops (manifest: skipped).
    missing = [n for n in back if n not in source]
    differing = [n for n in back if n in source and not (back[n].dtype == source[n].dtype
                                                          and np.array_equal(back[n].view(np.uint8), source[n].view(np.uint8)))]
    ok = not missing and not differing and len(back) > 0
    return ok, f"{len(back)} tensors identical" if ok else f"missing {missing[:3]} differing {differing[:3]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bertconv", default=str(ROOT / ".build" / "debug" / "bertconv"))
    parser.add_argument("--fixture", action="append", choices=HEADS)
    parser.add_argument("--variant", action="append", choices=list(VARIANTS))
    parser.add_argument("--keep", help="write exports here instead of a temporary directory")
    args = parser.parse_args()
    out = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bertconv-onnx-check-"))
    out.mkdir(parents=True, exist_ok=True)
    passed = failed = 0
    try:
        for fixture in args.fixture or HEADS:
            goldens = read_safetensors(FIXTURES / fixture / "goldens.safetensors")
            inputs = {k.removeprefix("inputs."): v for k, v in goldens.items() if k.startswith("inputs.")}
            plain: dict[str, np.ndarray] = {}
            for variant in args.variant or list(VARIANTS):
                model = export(args.bertconv, fixture, variant, out)
                checks: list[tuple[str, bool, str]] = []
                try:
                    onnx.checker.check_model(str(model), full_check=True)
                    checks.append(("checker", True, "full_check"))
                except Exception as error:  # noqa: BLE001 - reported as a failed check
                    checks.append(("checker", False, str(error).splitlines()[0]))
                outputs = run_model(model, inputs)
                for name, want in ((k.removeprefix("outputs."), v) for k, v in goldens.items() if k.startswith("outputs.")):
                    got = outputs.get(name)
                    mask = inputs["attention_mask"] if per_token(name, fixture) else None
                    ok, note = (False, "missing output") if got is None else compare(
                        name, got, want, mask, VARIANTS[variant][1])
                    checks.append((name, ok, note))
                if variant == "fp32":
                    plain = outputs
                    checks.append(("round trip", *round_trip(args.bertconv, fixture, model, out)))
                elif variant == "ort-ops" and plain:
                    for name, got in outputs.items():
                        mask = inputs["attention_mask"] if per_token(name, fixture) else None
                        ok, note = compare(name, got, plain[name], mask, "fp32")
                        checks.append((f"{name} vs plain", ok, note))
                for check, ok, note in checks:
                    passed, failed = passed + ok, failed + (not ok)
                    print(f"{'ok  ' if ok else 'FAIL'} {fixture:20} {variant:17} {check:32} {note}")
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
