#!/usr/bin/env bash
# One run of the ONNX benchmark on a random bert-base (bench/models/bert-base):
#   1. export wall time and peak RSS, each as a whole process: torch.onnx.export vs bertconv export-onnx
#   2. onnxruntime latency (own optimizer, 2 threads), 1x128 and 8x128, of each export
#   3. outputs of the bertconv exports vs the torch export (max abs diff)
# Needs goldens/.venv (torch, transformers) and bench/.venv (bench/setup-onnx.sh); builds bertconv release.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
models=bench/models
torch_py=${TORCH_PYTHON:-goldens/.venv/bin/python}  # torch + transformers (goldens/setup.sh)
ort_py=${ORT_PYTHON:-bench/.venv/bin/python}  # onnxruntime + numpy (bench/setup-onnx.sh)
swift build -c release --product bertconv >/dev/null
bertconv=$(swift build -c release --show-bin-path)/bertconv
export USE_TF=0  # transformers would import TensorFlow (tens of seconds) when goldens/.venv has it
export BENCH_EXTRA_SITE=$("$ort_py" -c "import os, onnx; print(os.path.dirname(os.path.dirname(onnx.__file__)))")
"$torch_py" bench/onnx_make_model.py >/dev/null

timed() {  # timed LABEL COMMAND...: prints "LABEL wall_s peak_rss_mb"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$models/.time" "$@" >/dev/null 2>"$models/.stderr" || { cat "$models/.stderr"; exit 1; }
  read -r wall rss < "$models/.time"
  printf '%-28s %8.2f s %8.0f MB\n' "$label" "$wall" "$((rss / 1024))"
}

echo "== export (whole process) =="
timed "torch.onnx.export" "$torch_py" bench/onnx_torch_export.py "$models/torch.onnx"
timed "bertconv export-onnx" "$bertconv" export-onnx "$models/bert-base" -o "$models/bertconv.onnx" --force --quiet
timed "bertconv export-onnx --ort-ops" "$bertconv" export-onnx "$models/bert-base" -o "$models/bertconv-ort.onnx" --ort-ops --force --quiet
timed "bertconv export-onnx fp16" "$bertconv" export-onnx "$models/bert-base" -o "$models/bertconv-fp16.onnx" --precision fp16 --force --quiet

echo "== onnxruntime latency (ORT_ENABLE_ALL, 2 threads, median of 20) =="
"$ort_py" bench/onnx_ort_latency.py torch="$models/torch.onnx" bertconv="$models/bertconv.onnx" \
  bertconv-ort-ops="$models/bertconv-ort.onnx" bertconv-fp16="$models/bertconv-fp16.onnx"

echo "== outputs vs the torch export =="
"$ort_py" - "$models" <<'PY'
import sys
import numpy as np, onnxruntime as ort
d = sys.argv[1]
rng = np.random.default_rng(1)
ids = rng.integers(1000, 30000, size=(2, 128), dtype=np.int64)
mask = np.ones_like(ids); mask[1, 100:] = 0
feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
ref = ort.InferenceSession(f"{d}/torch.onnx").run(None, feed)
for name in ["bertconv", "bertconv-ort", "bertconv-fp16"]:
    out = ort.InferenceSession(f"{d}/{name}.onnx").run(None, feed)
    print(f"{name:14} last_hidden_state max abs {np.abs(out[0][mask == 1] - ref[0][mask == 1]).max():.2e}"
          f"  pooler_output max abs {np.abs(out[1] - ref[1]).max():.2e}")
PY
