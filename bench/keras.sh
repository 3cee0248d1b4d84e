#!/usr/bin/env bash
# bert-base tf_model.h5 -> safetensors: bertconv against Hugging Face, in one run.
# Prints wall time and peak RSS of both, and checks that both outputs hold the same tensors bit for bit.
# Usage: bench/keras.sh   (PYTHON defaults to the goldens venv, which has transformers, torch, tensorflow)
exec "$(dirname "$0")/convert_bench.sh" tfh5 tf_model.h5 tf bench/keras_make_model.py \
  "tf_model.h5 (bert-base, TFBertForPreTraining)" "load_tf2_checkpoint_in_pytorch_model + save_pretrained"
