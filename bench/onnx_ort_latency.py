#!/usr/bin/env python3
"""onnxruntime latency of ONNX BERT models, measured in one run: each model in its own session
(ORT_ENABLE_ALL graph optimizations, i.e. onnxruntime's own optimizer, 2 intra-op threads), the
models interleaved round by round so background load hits them alike; prints median ms per
(model, batch×sequence) as JSON lines. bench/.venv (onnxruntime + numpy only).

    onnx_ort_latency.py NAME=MODEL.onnx [...] [--rounds 20] [--threads 2]
"""
import argparse
import json
import statistics
import time

import numpy as np
import onnxruntime as ort

parser = argparse.ArgumentParser()
parser.add_argument("models", nargs="+", help="NAME=PATH")
parser.add_argument("--rounds", type=int, default=20)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--shapes", default="1x128,8x128")
args = parser.parse_args()

sessions = {}
for item in args.models:
    name, path = item.split("=", 1)
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    sessions[name] = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])

rng = np.random.default_rng(0)
feeds = {}
for shape in args.shapes.split(","):
    batch, sequence = map(int, shape.split("x"))
    feeds[shape] = {
        "input_ids": rng.integers(1000, 30000, size=(batch, sequence), dtype=np.int64),
        "attention_mask": np.ones((batch, sequence), dtype=np.int64),
        "token_type_ids": np.zeros((batch, sequence), dtype=np.int64),
    }

times = {(name, shape): [] for name in sessions for shape in feeds}
for name, session in sessions.items():  # warm-up
    for feed in feeds.values():
        session.run(None, feed)
for _ in range(args.rounds):
    for shape, feed in feeds.items():
        for name, session in sessions.items():
            start = time.perf_counter()
            session.run(None, feed)
            times[(name, shape)].append((time.perf_counter() - start) * 1000)

for (name, shape), samples in times.items():
    print(json.dumps({"model": name, "shape": shape, "median_ms": round(statistics.median(samples), 2),
                      "min_ms": round(min(samples), 2), "rounds": len(samples)}))
