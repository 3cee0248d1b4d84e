#!/usr/bin/env bash
# bert-base tf_model.h5 -> safetensors: bertconv against Hugging Face, in one run.
# Prints wall time and peak RSS of both, and checks that both outputs hold the same tensors bit for bit.
# Usage: bench/keras.sh   (PYTHON defaults to the goldens venv, which has transformers, torch, tensorflow)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-goldens/.venv/bin/python}
MODEL=bench/models/bert-base-tfh5
OUT=bench/out/keras
mkdir -p "$OUT"
[ -f "$MODEL/tf_model.h5" ] || "$PY" bench/keras_make_model.py "$MODEL"
swift build -c release --product bertconv >&2
rm -rf "$OUT/bertconv" "$OUT/hf"
cat "$MODEL/tf_model.h5" > /dev/null # both runs start from a warm page cache

/usr/bin/time -f "%e %M" -o "$OUT/bertconv.time" .build/release/bertconv convert "$MODEL" -o "$OUT/bertconv" --quiet
/usr/bin/time -f "%e %M" -o "$OUT/hf.time" "$PY" bench/keras_hf_convert.py "$MODEL" "$OUT/hf" > "$OUT/hf.seconds" 2> "$OUT/hf.log"

"$PY" bench/compare.py "$MODEL/tf_model.h5" "$OUT" "tf_model.h5 (bert-base, TFBertForPreTraining)" \
  "load_tf2_checkpoint_in_pytorch_model + save_pretrained"
