"""Writes a randomly initialised bert-base FlaxBertForPreTraining (HF layout: flax_model.msgpack +
config.json) to the directory given, for bench/flax.sh. Seeded, so every run writes the same bytes."""
import os
import sys

os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("USE_TF", "0")

from transformers import BertConfig, FlaxBertForPreTraining

out = sys.argv[1]
model = FlaxBertForPreTraining(BertConfig(), seed=0)
model.save_pretrained(out)
print(f"wrote {out}")
