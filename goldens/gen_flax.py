"""Stage 3 (Flax/JAX): flax/ msgpack per fixture + goldens-flax, flax-bf16 and flax-sharded variants."""
from __future__ import annotations

import os
import shutil
import sys

os.environ.setdefault("USE_TF", "0")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import flax
import jax
import numpy as np
import transformers

import common
from common import FIXTURES, FIXTURE_SPECS, OUTPUT_FIELDS, VARIANTS

PRODUCER = f"transformers {transformers.__version__}, jax {jax.__version__}, flax {flax.__version__}"


def copy_tok(src, dst) -> None:
    for f in ("vocab.txt", "tokenizer_config.json"):
        shutil.copy(src / f, dst / f)


def run_flax(model, inputs: dict) -> dict[str, np.ndarray]:
    out = model(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"],
                token_type_ids=inputs["token_type_ids"], train=False)
    return {k: np.asarray(v, dtype=np.float32) for k, v in out.items()
            if k in OUTPUT_FIELDS and v is not None}


def flax_fixture(name: str) -> None:
    _, _, fx_cls, _, _, kwargs = FIXTURE_SPECS[name]
    d = FIXTURES / name
    out = common.fresh_dir(d / "flax")
    cls = getattr(transformers, fx_cls)
    model = cls.from_pretrained(d / "hf", from_pt=True, **kwargs)
    inputs = common.inputs_for(name)
    outputs = run_flax(model, inputs)
    model.save_pretrained(out)
    copy_tok(d / "hf", out)
    common.write_goldens(d / "goldens-flax.safetensors", inputs, outputs, fx_cls, PRODUCER)
    print(f"[flax] {name:20s} {fx_cls:36s} {sorted(outputs)}")
    if name == "base":
        sharded = common.fresh_dir(VARIANTS / "flax-sharded")
        model.save_pretrained(sharded, max_shard_size="50KB")
        copy_tok(d / "hf", sharded)
        shutil.copy(d / "goldens-flax.safetensors", sharded / "goldens-flax.safetensors")
        print(f"[flax] variants/flax-sharded: {sorted(p.name for p in sharded.iterdir())}")
        bf = common.fresh_dir(VARIANTS / "flax-bf16")
        model.params = model.to_bf16(model.params)
        model.save_pretrained(bf)
        copy_tok(d / "hf", bf)
        reloaded = cls.from_pretrained(bf, **kwargs)
        leaf = jax.tree_util.tree_leaves(reloaded.params)[0]
        assert leaf.dtype == jax.numpy.bfloat16, leaf.dtype
        bf_out = run_flax(reloaded, inputs)
        common.write_goldens(bf / "goldens-flax.safetensors", inputs, bf_out, fx_cls,
                             PRODUCER + " (bf16 params, fp32 activations)")
        print(f"[flax] variants/flax-bf16: {sorted(p.name for p in bf.iterdir())}")


def main(names: list[str]) -> None:
    for name in names or list(FIXTURE_SPECS):
        flax_fixture(name)


if __name__ == "__main__":
    main(sys.argv[1:])
