#!/usr/bin/env bash
# bert-base flax_model.msgpack -> safetensors: bertconv against Hugging Face, in one run.
# Prints wall time and peak RSS of both, and checks that both outputs hold the same tensors bit for bit.
# Usage: bench/flax.sh   (PYTHON defaults to the goldens venv, which has transformers, torch, jax, flax)
exec "$(dirname "$0")/convert_bench.sh" flax flax_model.msgpack flax bench/flax_make_model.py \
  "flax_model.msgpack (bert-base, FlaxBertForPreTraining)" "load_flax_checkpoint_in_pytorch_model + save_pretrained"
