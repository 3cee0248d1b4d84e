"""Writes a randomly initialised bert-base TFBertForPreTraining (HF layout: tf_model.h5 +
config.json) to the directory given, for bench/keras.sh. Seeded, so every run writes the same weights."""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("USE_TORCH", "0")

import tensorflow as tf
from transformers import BertConfig, TFBertForPreTraining

out = sys.argv[1]
tf.keras.utils.set_random_seed(0)
model = TFBertForPreTraining(BertConfig())
model(model.dummy_inputs)
model.save_pretrained(out)
print(f"wrote {out}")
