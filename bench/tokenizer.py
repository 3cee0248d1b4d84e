"""Tokens per second of `bertconv tokenize` against HF's BertTokenizer and BertTokenizerFast, one
thread each, on the texts of goldens/tokenizer/corpus.jsonl (texts and pair halves, one per line).

    goldens/.venv/bin/python bench/tokenizer.py .build/release/bertconv [VOCAB_DIR]

bertconv's time is its wall time on the lines minus its wall time on an empty file (process start
and vocabulary load); each figure is the best of three runs. The ids of every line are checked
against BertTokenizer's before timing.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["TOKENIZERS_PARALLELISM"] = "false"  # BertTokenizerFast on one thread, batches included
os.environ["RAYON_NUM_THREADS"] = "1"

from transformers import BertTokenizer, BertTokenizerFast  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3


def corpus_lines() -> list[str]:
    lines = []
    for row in open(ROOT / "goldens/tokenizer/corpus.jsonl", encoding="utf-8"):
        entry = json.loads(row)
        lines += [entry["text"]] + ([entry["pair"]] if "pair" in entry else [])
    return [line.replace("\n", " ") for line in lines]


def best(run) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: list[str]) -> int:
    binary = argv[0]
    vocab = argv[1] if len(argv) > 1 else str(ROOT / "goldens/fixtures/minilm")
    lines = corpus_lines()
    work = Path(tempfile.mkdtemp(prefix="bertconv-bench-"))
    (work / "lines.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (work / "empty.txt").write_text("", encoding="utf-8")

    slow = BertTokenizer.from_pretrained(vocab)
    fast = BertTokenizerFast.from_pretrained(vocab)
    reference = [slow(line)["input_ids"] for line in lines]
    tokens = sum(map(len, reference))

    def bertconv(file: str) -> list[list[int]]:
        out = subprocess.run([binary, "tokenize", "--vocab", vocab, "--lines", str(work / file)],
                             check=True, capture_output=True, text=True).stdout
        return [[int(x) for x in row.split()] for row in out.splitlines()]

    ours = bertconv("lines.txt")
    mismatches = sum(a != b for a, b in zip(ours, reference)) + abs(len(ours) - len(reference))
    startup, _ = best(lambda: bertconv("empty.txt"))
    total, _ = best(lambda: bertconv("lines.txt"))
    results = [
        ("bertconv tokenize (Swift)", total - startup),
        ("HF BertTokenizerFast, batch", best(lambda: fast(lines)["input_ids"])[0]),
        ("HF BertTokenizerFast, per line", best(lambda: [fast(line)["input_ids"] for line in lines])[0]),
        ("HF BertTokenizer (slow, reference)", best(lambda: [slow(line)["input_ids"] for line in lines])[0]),
    ]
    print(f"{len(lines)} lines, {tokens} tokens (BertTokenizer's count); "
          f"bertconv ids differ on {mismatches} lines; bertconv start-up + vocab load {startup * 1000:.0f} ms")
    print(f"{'tokenizer':<36} {'seconds':>8} {'tokens/s':>10}")
    for name, seconds in results:
        print(f"{name:<36} {seconds:>8.3f} {tokens / seconds:>10.0f}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
