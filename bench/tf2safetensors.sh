#!/usr/bin/env bash
# Benchmarks `bertconv tf2safetensors` against Hugging Face's own path (load_tf_weights_in_bert +
# save_pretrained) and against `cp` of the data shard, on bert-base and bert-large-sized Google
# TF1 checkpoints, in one run: wall time and peak RSS (GNU time's "Maximum resident set size").
#
#   bench/tf2safetensors.sh    (PYTHON=... to use another goldens venv; models are written on first use into bench/models/)
#
# Needs the goldens venv (TensorFlow, torch, transformers) and a release build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py="${PYTHON:-$root/goldens/.venv/bin/python}"  # the goldens venv (TensorFlow, torch, transformers)
bin="$root/.build/release/bertconv"
out="$root/bench/out"
[ -x "$bin" ] || (cd "$root" && swift build -c release --product bertconv)
mkdir -p "$out"

# measure LABEL COMMAND...: one line "LABEL wall_s peak_rss_MB"
measure() {
  local label=$1; shift
  local log="$out/$label.time"
  /usr/bin/time -f "%e %M" -o "$log" "$@" > /dev/null
  read -r wall rss < "$log"
  printf "%-28s %8.2f s %9.1f MB\n" "$label" "$wall" "$(echo "$rss / 1024" | bc -l)"
}

for model in bert-base bert-large; do
  ckpt="$root/bench/models/$model-tf1"
  [ -f "$ckpt/bert_model.ckpt.index" ] || "$py" "$root/bench/tf2safetensors_models.py" "$model"
  shard=$(ls "$ckpt"/bert_model.ckpt.data-*)
  bytes=$(stat -c %s "$shard")
  echo "== $model: data shard $(echo "$bytes / 1048576" | bc) MiB (0.5x = $(echo "$bytes / 2097152" | bc) MiB)"
  cat "$shard" > /dev/null  # same warm page cache for every contender
  rm -rf "$out/$model-"*
  measure "$model cp" cp "$shard" "$out/$model-cp"
  measure "$model cp+sync" sh -c "cp '$shard' '$out/$model-cpsync' && sync '$out/$model-cpsync'"
  measure "$model bertconv" "$bin" tf2safetensors "$ckpt" -o "$out/$model-bertconv" --quiet
  measure "$model hf" "$py" "$root/bench/tf2safetensors_hf.py" "$ckpt" "$out/$model-hf"
  "$py" - "$out/$model-bertconv/model.safetensors" "$out/$model-hf/model.safetensors" <<'PY'
import sys
from safetensors.numpy import load_file
a, b = load_file(sys.argv[1]), load_file(sys.argv[2])
same = [k for k in b if k in a and a[k].tobytes() == b[k].tobytes()]
print(f"   tensors bit-identical to HF's output: {len(same)}/{len(b)} (HF keys), bertconv has {len(a)}")
PY
done
