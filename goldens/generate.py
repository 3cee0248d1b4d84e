"""Regenerate everything under goldens/fixtures/ (deterministic seeds), then sanity-check it.

    goldens/.venv/bin/python goldens/generate.py            # all stages
    goldens/.venv/bin/python goldens/generate.py pt tf      # chosen stages, in the given order

Stages (each runs in its own interpreter so torch-only stages skip TF/JAX imports):
  pt        gen_pt.py        tiny random HF fixtures, hf/ + goldens.safetensors (every head)
  tf        gen_tf.py        tfh5/ + goldens-tf, tf1/ (Google names), tf1-sharded, tf2/, tfh5-sharded
  flax      gen_flax.py      flax/ + goldens-flax, flax-bf16, flax-sharded
  variants  gen_variants.py  st-noprefix, st-legacy, st-sharded, st-f16 and minilm/ (real model)
  check     check_fixtures.py  metadata/shape checks, TF/Flax/variants vs PyTorch max diffs
Later stages read the hf/ dirs written by `pt`, so run `pt` first on a clean tree.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAGES = {
    "pt": ("gen_pt.py", {"USE_TF": "0", "USE_FLAX": "0"}),
    "tf": ("gen_tf.py", {"USE_FLAX": "0", "TF_CPP_MIN_LOG_LEVEL": "2"}),
    "flax": ("gen_flax.py", {"USE_TF": "0", "JAX_PLATFORMS": "cpu"}),
    "variants": ("gen_variants.py", {"USE_TF": "0", "USE_FLAX": "0"}),
    "check": ("check_fixtures.py", {}),
}


def main(argv: list[str]) -> int:
    stages = argv or list(STAGES)
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        print(f"generate.py: unknown stage(s) {unknown}; known: {list(STAGES)}", file=sys.stderr)
        return 2
    for s in stages:
        script, extra = STAGES[s]
        env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
                   TRANSFORMERS_VERBOSITY="error", PYTHONHASHSEED="0", **extra)
        print(f"== stage {s}: {script}", flush=True)
        rc = subprocess.call([sys.executable, str(HERE / script)], cwd=HERE, env=env)
        if rc != 0:
            print(f"generate.py: stage {s} failed (exit {rc})", file=sys.stderr)
            return rc
    if "check" in stages:
        subprocess.call(["du", "-sh", str(HERE / "fixtures")])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
