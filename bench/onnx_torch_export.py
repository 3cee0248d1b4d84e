#!/usr/bin/env python3
"""torch.onnx.export of bench/models/bert-base (TorchScript exporter, opset 17, dynamic batch and
sequence axes) to OUT.onnx: the peer bench/onnx_bench.sh times as a whole process. goldens/.venv;
the `onnx` package torch needs for this comes from BENCH_EXTRA_SITE (bench/.venv's site-packages),
appended last so nothing goldens/.venv has is shadowed."""
import os
import sys
from pathlib import Path

if os.environ.get("BENCH_EXTRA_SITE"):
    sys.path.append(os.environ["BENCH_EXTRA_SITE"])

import torch
from transformers import BertModel

source = Path(__file__).resolve().parent / "models" / "bert-base"
model = BertModel.from_pretrained(source).eval()
ids = torch.ones(1, 128, dtype=torch.long)
axes = {0: "batch", 1: "sequence"}
with torch.no_grad():
    torch.onnx.export(
        model, (ids, ids, torch.zeros_like(ids)), sys.argv[1], dynamo=False, opset_version=17,
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state", "pooler_output"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                      "last_hidden_state": axes, "pooler_output": {0: "batch"}})
