#!/usr/bin/env bash
# bert-base flax_model.msgpack -> safetensors: bertconv against Hugging Face, in one run.
# Prints wall time and peak RSS of both, and checks that both outputs hold the same tensors bit for bit.
# Usage: bench/flax.sh   (PYTHON defaults to the goldens venv, which has transformers, torch, jax, flax)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-goldens/.venv/bin/python}
MODEL=bench/models/bert-base-flax
OUT=bench/out/flax
mkdir -p "$OUT"
[ -f "$MODEL/flax_model.msgpack" ] || "$PY" bench/flax_make_model.py "$MODEL"
swift build -c release --product bertconv >&2
rm -rf "$OUT/bertconv" "$OUT/hf"
cat "$MODEL/flax_model.msgpack" > /dev/null # both runs start from a warm page cache

/usr/bin/time -f "%e %M" -o "$OUT/bertconv.time" .build/release/bertconv convert "$MODEL" -o "$OUT/bertconv" --quiet
/usr/bin/time -f "%e %M" -o "$OUT/hf.time" "$PY" bench/flax_hf_convert.py "$MODEL" "$OUT/hf" > "$OUT/hf.seconds" 2> "$OUT/hf.log"

"$PY" bench/compare.py "$MODEL/flax_model.msgpack" "$OUT" "flax_model.msgpack (bert-base, FlaxBertForPreTraining)" \
  "load_flax_checkpoint_in_pytorch_model + save_pretrained"
