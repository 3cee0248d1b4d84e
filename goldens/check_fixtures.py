"""Sanity-check every goldens file under fixtures/: metadata, dtypes, shapes, and cross-framework
agreement (TF/Flax vs PyTorch, variants vs their source fixture). Exits non-zero on any problem.

Needs only numpy + safetensors: `python check_fixtures.py`.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import common
from common import FIXTURES, FIXTURE_SPECS, VARIANTS

TOL = 1e-4
# variant dir -> (goldens file, reference fixture, abs tolerance)
VARIANT_REFS = {
    "st-noprefix": ("goldens.safetensors", "base", 1e-6),
    "st-legacy": ("goldens.safetensors", "pretraining", 1e-6),
    "st-sharded": ("goldens.safetensors", "base", 1e-6),
    "st-f16": ("goldens.safetensors", "masked-lm", 5e-2),
    "flax-bf16": ("goldens-flax.safetensors", "base", 1e-1),
    "flax-sharded": ("goldens-flax.safetensors", "base", TOL),
    "tfh5-sharded": ("goldens-tf.safetensors", "base", TOL),
}

problems: list[str] = []


def check_file(path: Path, head: str | None, mc: bool) -> dict:
    t, meta = common.read_goldens(path)
    for k, v in (("format", "bertconv-goldens"), ("version", "1")):
        if meta.get(k) != v:
            problems.append(f"{path}: metadata {k}={meta.get(k)!r}")
    if head and meta.get("head") != head:
        problems.append(f"{path}: head {meta.get('head')!r} != {head!r}")
    if not meta.get("producer"):
        problems.append(f"{path}: no producer")
    shape = (2, 3, 10) if mc else None
    for k in ("input_ids", "attention_mask", "token_type_ids"):
        a = t.get(f"inputs.{k}")
        if a is None or a.dtype != np.int64 or (shape and a.shape != shape):
            problems.append(f"{path}: bad inputs.{k}")
    outs = {k[len("outputs."):]: v for k, v in t.items() if k.startswith("outputs.")}
    if not outs:
        problems.append(f"{path}: no outputs")
    for k, v in outs.items():
        if v.dtype != np.float32 or not np.isfinite(v).all():
            problems.append(f"{path}: outputs.{k} dtype/finite")
    return t


def compare(label: str, a: dict, b: dict, tol: float) -> None:
    ka = sorted(k for k in a if k.startswith("outputs."))
    kb = sorted(k for k in b if k.startswith("outputs."))
    if ka != kb:
        problems.append(f"{label}: output sets differ {ka} vs {kb}")
        return
    for k in ("inputs.input_ids", "inputs.attention_mask", "inputs.token_type_ids"):
        if not np.array_equal(a[k], b[k]):
            problems.append(f"{label}: {k} differ")
    diffs = []
    for k in ka:
        if a[k].shape != b[k].shape:
            problems.append(f"{label}: {k} shape {a[k].shape} vs {b[k].shape}")
            continue
        d = float(np.abs(a[k] - b[k]).max())
        diffs.append(f"{k[8:]}={d:.2e}")
        if d > tol:
            problems.append(f"{label}: {k} max diff {d:.3e} > {tol}")
    print(f"  {label:45s} {' '.join(diffs)}")


def main() -> int:
    print("max |diff| vs PyTorch goldens (all positions):")
    for name, (pt, tfc, fxc, *_rest) in FIXTURE_SPECS.items():
        mc = name == "multiple-choice"
        d = FIXTURES / name
        ref = check_file(d / "goldens.safetensors", pt, mc)
        for fname, head, tag in (("goldens-tf.safetensors", tfc, "tf"), ("goldens-flax.safetensors", fxc, "flax")):
            if (d / fname).exists():
                compare(f"{name} [{tag}]", check_file(d / fname, head, mc), ref, TOL)
            else:
                problems.append(f"{d / fname}: missing")
    for v, (fname, src, tol) in VARIANT_REFS.items():
        p = VARIANTS / v / fname
        if not p.exists():
            print(f"  variants/{v}: not present")
            continue
        ref = common.read_goldens(FIXTURES / src / "goldens.safetensors")[0]
        compare(f"variants/{v} vs {src} (tol {tol})", check_file(p, None, False), ref, tol or 0.0)
    mp = FIXTURES / "minilm" / "goldens.safetensors"
    if mp.exists():
        t = check_file(mp, "BertModel", False)
        print(f"  minilm: {({k: v.shape for k, v in t.items()})}")
    for p in problems:
        print("PROBLEM:", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
