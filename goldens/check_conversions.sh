#!/usr/bin/env bash
# Interop check: converts every fixture in every source format with bertconv and proves with
# transformers (goldens venv) that each output loads with no missing/unexpected keys and holds the
# same tensors as the PyTorch fixture. Usage: goldens/check_conversions.sh [BERTCONV]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/.build/debug/bertconv}
py=$root/goldens/.venv/bin/python
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
check() {  # source reference
  local name; name=$(echo "$1" | tr '/' '_')
  if ! "$bin" convert "$root/goldens/fixtures/$1" -o "$out/$name" -q --force; then fail=1; return; fi
  "$py" "$root/goldens/check_hf_load.py" "$out/$name" --reference "$root/goldens/fixtures/$2" | tail -1 || fail=1
}
for f in base base-nopool pretraining masked-lm causal-lm next-sentence seq-cls seq-cls-regression token-cls qa multiple-choice; do
  for fmt in hf tfh5 flax; do check "$f/$fmt" "$f/hf"; done
done
for f in pretraining seq-cls qa; do check "$f/tf1" "$f/hf"; done
check pretraining/tf1-sharded pretraining/hf
check base/tf2 base/hf
for v in st-noprefix st-sharded st-f16; do check "variants/$v" "variants/$v"; done
check variants/st-legacy pretraining/hf
check variants/tfh5-sharded base/hf
check variants/flax-sharded base/hf
exit $fail
