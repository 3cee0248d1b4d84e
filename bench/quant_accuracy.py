#!/usr/bin/env python3
"""all-MiniLM-L6-v2 int8 accuracy, one command: bertconv int8 vs onnxruntime quantize_dynamic.

    bench/quant_setup.sh   # bench/.venv: onnx + onnxruntime over the goldens venv
    swift build -c release --product bertconv && swift build -c release --product quant-bench   # one --product per call: SwiftPM builds only the last
    bench/.venv/bin/python bench/quant_accuracy.py

Sentences: 600 distinct sentences (5-40 words) cut from the docstrings of Python's standard
library, a fixed, varied English corpus that ships with the interpreter (no download); tokenized
with the model's own Hugging Face tokenizer (padding to the longest, max 128 tokens) into
bench/models/minilm-sentences.safetensors in the goldens contract (inputs.* I64), because
bertconv's tokenizer is not on main yet. The same file is bertconv's --calibrate input.
Metric (the issue's): cosine between L2-normalized mean-pooled embeddings of each variant and of
the PyTorch fp32 model, mean and min over the sentences.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("USE_TF", "0")
os.environ.setdefault("USE_FLAX", "0")

import numpy as np  # noqa: E402
from runner_bench import minilm_dir  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODELS = HERE / "models"
RELEASE = ROOT / ".build" / "release"
COUNT = 600


def sentences() -> list[str]:
    import importlib
    import pkgutil
    seen, out = set(), []
    names = sorted(m.name for m in pkgutil.iter_modules() if not m.name.startswith("_"))
    stdlib = set(sys.stdlib_module_names)
    for name in names:
        if name not in stdlib or name in {"antigravity", "this", "idlelib", "turtledemo", "tkinter"}:
            continue
        try:
            module = importlib.import_module(name)
        except Exception:
            continue
        docs = [module.__doc__ or ""] + [getattr(v, "__doc__", "") or "" for k, v in sorted(vars(module).items())
                                          if not k.startswith("_") and callable(v)]
        for doc in docs:
            if not isinstance(doc, str):
                continue
            for s in re.split(r"(?<=[.!?])\s+", " ".join(doc.split())):
                words = s.split()
                if 5 <= len(words) <= 40 and s[0].isupper() and s.endswith(".") and ">>>" not in s and s not in seen:
                    seen.add(s)
                    out.append(s)
    rng = np.random.default_rng(0)
    return [out[i] for i in sorted(rng.choice(len(out), size=COUNT, replace=False))]


def write_inputs(path: Path, texts: list[str]) -> dict[str, np.ndarray]:
    from safetensors.numpy import save_file
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(str(minilm_dir()))
    enc = tok(texts, padding="longest", truncation=True, max_length=128, return_tensors="np")
    arrays = {f"inputs.{k}": enc[k].astype(np.int64) for k in ["input_ids", "attention_mask", "token_type_ids"]}
    save_file(arrays, str(path), metadata={"format": "bertconv-goldens", "version": "1", "head": "BertModel",
                                            "producer": "bench/quant_accuracy.py (inputs only)"})
    return {k.split(".")[1]: v for k, v in arrays.items()}


def pooled(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    m = mask[..., None].astype(np.float64)
    e = (hidden.astype(np.float64) * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    return e / np.linalg.norm(e, axis=1, keepdims=True)


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(1)


def torch_variants(inputs) -> tuple[np.ndarray, np.ndarray]:
    import torch
    from transformers import AutoModel
    torch.set_num_threads(2)
    model = AutoModel.from_pretrained(str(minilm_dir()), dtype=torch.float32).eval()
    t = {k: torch.from_numpy(v) for k, v in inputs.items()}
    with torch.no_grad():
        fp32 = model(**t).last_hidden_state.numpy()
        dyn = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        q = dyn(**t).last_hidden_state.numpy()
    return fp32, q


def onnx_variants(inputs) -> dict[str, np.ndarray]:
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel
    fp32_path = MODELS / "all-MiniLM-L6-v2.onnx"
    if not fp32_path.exists():
        model = AutoModel.from_pretrained(str(minilm_dir()), dtype=torch.float32).eval()
        ids = torch.ones(1, 16, dtype=torch.long)
        with torch.no_grad():
            torch.onnx.export(
                model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(fp32_path), dynamo=False,
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state", "pooler_output"], opset_version=17,
                dynamic_axes={k: {0: "batch", 1: "seq"} for k in ["input_ids", "attention_mask", "token_type_ids"]})
    out = {}
    for per_channel in (True, False):
        path = MODELS / f"all-MiniLM-L6-v2.int8{'-pc' if per_channel else ''}.onnx"
        if not path.exists():
            quantize_dynamic(str(fp32_path), str(path), per_channel=per_channel, weight_type=QuantType.QInt8)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 2
        session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        out["per-channel" if per_channel else "per-tensor"] = session.run(["last_hidden_state"], inputs)[0]
    return out


def bertconv_int8(inputs_path: Path) -> np.ndarray:
    from safetensors.numpy import load_file
    out_dir = MODELS / "all-MiniLM-L6-v2.bertconv-int8"
    report = MODELS / "all-MiniLM-L6-v2.bertconv-int8.report.json"
    subprocess.run([str(RELEASE / "bertconv"), "quantize", str(minilm_dir()), "-o", str(out_dir), "--int8", "--force",
                    "--calibrate", str(inputs_path), "--threads", "2", "--report", str(report)], check=True)
    states = MODELS / "minilm-bertconv-int8.states.safetensors"
    if states.exists():
        states.unlink()
    subprocess.run([str(RELEASE / "quant-bench"), str(out_dir), str(inputs_path), "int8", "2", "1", str(states)],
                   check=True, stdout=subprocess.DEVNULL)
    return load_file(str(states))["last_hidden_state"]


def main() -> int:
    MODELS.mkdir(parents=True, exist_ok=True)
    inputs_path = MODELS / "minilm-sentences.safetensors"
    inputs = write_inputs(inputs_path, sentences())
    mask = inputs["attention_mask"]
    fp32, torch_int8 = torch_variants(inputs)
    reference = pooled(fp32, mask)
    rows = [("bertconv int8 (per-channel, per-token, int8 embeddings)", bertconv_int8(inputs_path))]
    rows += [(f"onnxruntime quantize_dynamic {k}", v) for k, v in onnx_variants(inputs).items()]
    rows.append(("PyTorch quantize_dynamic", torch_int8))
    print(f"all-MiniLM-L6-v2, {len(mask)} sentences, cosine of normalized mean-pooled embeddings vs PyTorch fp32")
    print(f"{'variant':58} {'mean':>8} {'min':>8}")
    results = {}
    for name, hidden in rows:
        c = cosines(pooled(hidden, mask), reference)
        results[name] = (float(c.mean()), float(c.min()))
        print(f"{name:58} {c.mean():8.5f} {c.min():8.5f}")
    json.dump(results, open(MODELS / "quant_accuracy.json", "w"), indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
