"""Check that Hugging Face transformers loads a (converted) safetensors directory cleanly.

    goldens/.venv/bin/python goldens/check_hf_load.py OUT_DIR [--reference DIR] [--class NAME]

Loads OUT_DIR with the class named in config.json `architectures` (or --class) via
`from_pretrained(..., output_loading_info=True, dtype="auto")` and fails if missing_keys,
unexpected_keys or mismatched_keys is non-empty (a size mismatch that transformers raises on counts
as a mismatch). A BertModel directory without pooler tensors is loaded with add_pooling_layer=False.
With --reference DIR, the reference is loaded the same way and every state-dict tensor must be
bit-identical (same names, dtype, shape and bytes).

Prints one summary line. Exit: 0 ok, 1 check failed, 2 unusable input.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("USE_TF", "0")
os.environ.setdefault("USE_FLAX", "0")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def file_tensor_names(d: Path) -> set[str]:
    from safetensors import safe_open
    idx = d / "model.safetensors.index.json"
    files = sorted(set(json.loads(idx.read_text())["weight_map"].values())) if idx.exists() else ["model.safetensors"]
    names: set[str] = set()
    for f in files:
        with safe_open(str(d / f), "pt") as fh:
            names.update(fh.keys())
    return names


def load(d: Path, cls_name: str | None):
    import transformers
    cfg = json.loads((d / "config.json").read_text())
    name = cls_name or (cfg.get("architectures") or [None])[0]
    if not name or not hasattr(transformers, name):
        raise ValueError(f"{d}/config.json: no usable architectures entry ({name!r}); pass --class")
    kwargs = {}
    if name == "BertModel" and not any("pooler." in n for n in file_tensor_names(d)):
        kwargs["add_pooling_layer"] = False
    model, info = getattr(transformers, name).from_pretrained(
        d, output_loading_info=True, dtype="auto", **kwargs)
    return name, model.eval(), info


def bits_equal(a, b) -> bool:
    import torch
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    return torch.equal(a.contiguous().view(torch.uint8), b.contiguous().view(torch.uint8))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--reference", type=Path)
    ap.add_argument("--class", dest="cls", help="transformers class (default: config.json architectures[0])")
    args = ap.parse_args(argv)
    try:
        name, model, info = load(args.out_dir, args.cls)
    except Exception as e:  # transformers raises on size mismatches and unreadable files
        print(f"check_hf_load: FAIL {args.out_dir}: load error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        return 2 if isinstance(e, (OSError, ValueError, json.JSONDecodeError)) and "size mismatch" not in str(e) else 1
    problems = []
    for key in ("missing_keys", "unexpected_keys", "mismatched_keys"):
        v = info.get(key) or []
        if v:
            problems.append(f"{len(v)} {key.replace('_', ' ')} ({', '.join(map(str, list(v)[:3]))}{', ...' if len(v) > 3 else ''})")
    sd = model.state_dict()
    ref_note = ""
    if args.reference:
        try:
            _, ref, _ = load(args.reference, args.cls or name)
        except Exception as e:
            print(f"check_hf_load: FAIL {args.reference}: reference load error: {type(e).__name__}: {e}")
            return 2
        rsd = ref.state_dict()
        only_out, only_ref = sorted(set(sd) - set(rsd)), sorted(set(rsd) - set(sd))
        if only_out or only_ref:
            problems.append(f"state-dict names differ (only in out: {only_out[:3]}, only in reference: {only_ref[:3]})")
        common = sorted(set(sd) & set(rsd))
        diff = [k for k in common if not bits_equal(sd[k], rsd[k])]
        if diff:
            d0 = diff[0]
            problems.append(f"{len(diff)} tensor(s) not bit-identical (first: {d0} {sd[d0].dtype}{list(sd[d0].shape)} "
                            f"vs {rsd[d0].dtype}{list(rsd[d0].shape)})")
        ref_note = f"; reference {len(common) - len(diff)}/{len(rsd)} bit-identical"
    status = "FAIL" if problems else "OK"
    detail = "; ".join(problems) if problems else "0 missing, 0 unexpected, 0 mismatched"
    print(f"check_hf_load: {status} {args.out_dir} as {name}: {len(sd)} tensors; {detail}{ref_note}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
