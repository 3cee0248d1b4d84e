#!/usr/bin/env python3
"""int8 latency, one command, one run: bertconv's fp32 and int8 runners vs onnxruntime fp32, its own
quantize_dynamic int8 (per-channel) and PyTorch dynamic int8; bert-base (random) and
all-MiniLM-L6-v2 at 1x128 and 8x128, 2 threads; median/min latency, peak RSS, model bytes, and
bertconv's quantization wall time.

    bench/quant_setup.sh && swift build -c release --product bertconv && swift build -c release --product quant-bench
    bench/.venv/bin/python bench/quant_bench.py

Every (engine, model, shape) runs in its own process, so each peak RSS is that engine's alone.
Models go to bench/models/ (git-ignored); runner_bench.py builds bert-base and the fp32 ONNX files.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from runner_bench import MODELS, SHAPES, build_models, inputs, timed

HERE = Path(__file__).resolve().parent
RELEASE = HERE.parent / ".build" / "release"
ENGINES = ["bertconv fp32", "bertconv int8", "onnxruntime fp32", "onnxruntime int8", "pytorch int8"]


def inputs_file(name: str, batch: int, seq: int, vocab: int) -> Path:
    import numpy as np
    from safetensors.numpy import save_file
    path = MODELS / f"{name}-{batch}x{seq}.inputs.safetensors"
    ids, mask, types = inputs(batch, seq, vocab)
    save_file({"inputs.input_ids": ids, "inputs.attention_mask": mask, "inputs.token_type_ids": types.astype(np.int64)},
              str(path), metadata={"format": "bertconv-goldens", "version": "1", "head": "BertModel"})
    return path


def prepare(name: str, path: Path) -> dict:
    """bertconv int8 dir (timed), onnxruntime per-channel int8; returns paths and bytes."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    int8_dir = MODELS / f"{name}.bertconv-int8"
    start = time.perf_counter()
    subprocess.run([str(RELEASE / "bertconv"), "quantize", str(path), "-o", str(int8_dir), "--int8", "--force",
                    "--threads", "2", "--quiet"], check=True)
    quantize_s = time.perf_counter() - start
    ort_int8 = MODELS / f"{name}.int8-pc.onnx"
    if not ort_int8.exists():
        quantize_dynamic(str(MODELS / f"{name}.onnx"), str(ort_int8), per_channel=True, weight_type=QuantType.QInt8)
    return {"int8_dir": int8_dir, "ort_int8": ort_int8, "quantize_s": quantize_s,
            "bytes": {"fp32": (path / "model.safetensors").stat().st_size,
                      "bertconv int8": (int8_dir / "model.safetensors").stat().st_size,
                      "onnxruntime int8": ort_int8.stat().st_size}}


def worker(engine: str, model: str, onnx: str, batch: int, seq: int, threads: int, repeat: int) -> dict:
    vocab = json.loads((Path(model) / "config.json").read_text())["vocab_size"]
    ids, mask, types = inputs(batch, seq, vocab)
    if engine.startswith("onnxruntime"):
        import onnxruntime as ort
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(onnx, options, providers=["CPUExecutionProvider"])
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        run = lambda: session.run(None, feed)
    else:
        import torch
        import transformers
        torch.set_num_threads(threads)
        net = transformers.BertModel.from_pretrained(model).eval()
        net = torch.ao.quantization.quantize_dynamic(net, {torch.nn.Linear}, dtype=torch.qint8)
        t = [torch.from_numpy(x) for x in (ids, mask, types)]

        def run():
            with torch.inference_mode():
                net(input_ids=t[0], attention_mask=t[1], token_type_ids=t[2])
    median, best = timed(run, 3, repeat)
    return {"median_ms": median, "min_ms": best, "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec from the parent process."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(engine: str, name: str, path: Path, prepared: dict, batch: int, seq: int, args) -> dict:
    repeat = args.repeat if batch == 1 else max(3, args.repeat // 2)
    if engine.startswith("bertconv"):
        mode = engine.split()[1]
        model = prepared["int8_dir"] if mode == "int8" else path
        vocab = json.loads((path / "config.json").read_text())["vocab_size"]
        command = [str(RELEASE / "quant-bench"), str(model), str(inputs_file(name, batch, seq, vocab)), mode,
                   str(args.threads), str(repeat)]
    else:
        onnx = prepared["ort_int8"] if engine == "onnxruntime int8" else MODELS / f"{name}.onnx"
        command = [sys.executable, __file__, "--worker", engine, "--model", str(path), "--onnx", str(onnx),
                   "--batch", str(batch), "--seq", str(seq), "--threads", str(args.threads), "--repeat", str(repeat)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker")
    parser.add_argument("--model")
    parser.add_argument("--onnx")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--models", default="bert-base,all-MiniLM-L6-v2")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.model, args.onnx, args.batch, args.seq, args.threads, args.repeat)))
        return
    models = build_models()
    print(f"threads={args.threads}")
    print(f"{'model':18} {'shape':7} {'engine':18} {'median ms':>10} {'min ms':>8} {'peak RSS MB':>12} "
          f"{'vs bertconv fp32':>17} {'vs ort int8':>12}")
    for name in args.models.split(","):
        path = models[name]
        prepared = prepare(name, path)
        for batch, seq in SHAPES:
            results = {engine: measure(engine, name, path, prepared, batch, seq, args) for engine in ENGINES}
            fp32, ort8 = results["bertconv fp32"]["median_ms"], results["onnxruntime int8"]["median_ms"]
            for engine, r in results.items():
                print(f"{name:18} {batch}x{seq:<5} {engine:18} {r['median_ms']:10.1f} {r['min_ms']:8.1f} "
                      f"{r['peak_rss_mb']:12.0f} {r['median_ms'] / fp32:16.2f}x {r['median_ms'] / ort8:11.2f}x")
        b = prepared["bytes"]
        print(f"{name}: model bytes fp32 {b['fp32']}, bertconv int8 {b['bertconv int8']} "
              f"({b['bertconv int8'] / b['fp32']:.3f}x), onnxruntime int8 {b['onnxruntime int8']}; "
              f"bertconv quantize wall time {prepared['quantize_s']:.1f} s")


if __name__ == "__main__":
    main()
