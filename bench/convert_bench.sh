#!/usr/bin/env bash
# One bert-base conversion benchmark: bertconv against Hugging Face, in one run. Makes the model if
# absent, times both with /usr/bin/time, then bench/compare.py checks the outputs match bit for bit
# and prints the README table. Called by bench/flax.sh and bench/keras.sh.
#   convert_bench.sh NAME WEIGHTS_FILE HF_KIND MAKE_SCRIPT MODEL_LABEL HF_LABEL
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1 weights=$2 kind=$3 make=$4 label=$5 hf_label=$6
PY=${PYTHON:-goldens/.venv/bin/python}
MODEL=bench/models/bert-base-$name
OUT=bench/out/$name
mkdir -p "$OUT"
[ -f "$MODEL/$weights" ] || "$PY" "$make" "$MODEL"
swift build -c release --product bertconv >&2
rm -rf "$OUT/bertconv" "$OUT/hf"
cat "$MODEL/$weights" > /dev/null # both runs start from a warm page cache

/usr/bin/time -f "%e %M" -o "$OUT/bertconv.time" .build/release/bertconv convert "$MODEL" -o "$OUT/bertconv" --quiet
/usr/bin/time -f "%e %M" -o "$OUT/hf.time" "$PY" bench/hf_convert.py "$kind" "$MODEL" "$OUT/hf" > "$OUT/hf.seconds" 2> "$OUT/hf.log"

"$PY" bench/compare.py "$MODEL/$weights" "$OUT" "$label" "$hf_label"
