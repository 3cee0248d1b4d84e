#!/usr/bin/env bash
# One run of the ONNX benchmark on a random bert-base (bench/models/bert-base):
#   1. export wall time and peak RSS, each as a whole process: torch.onnx.export vs bertconv export-onnx
#   2. onnxruntime latency (own optimizer, 2 threads), 1x128 and 8x128, of each export, fp32 and
#      int8 (bertconv --precision int8 vs onnxruntime's quantize_dynamic of the torch export)
#   3. outputs of the bertconv exports vs the torch export (max abs diff; cosine for int8)
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

timed() {  # timed LABEL OUT COMMAND...: removes OUT first (deleting a stale output is not export work), prints "LABEL wall_s peak_rss_mb"
  local label=$1; rm -f "$2" "$2.data"; shift 2
  /usr/bin/time -f "%e %M" -o "$models/.time" "$@" >/dev/null 2>"$models/.stderr" || { cat "$models/.stderr"; exit 1; }
  read -r wall rss < "$models/.time"
  printf '%-28s %8.2f s %8.0f MB\n' "$label" "$wall" "$((rss / 1024))"
}

echo "== load: $(uptime) =="
echo "== export (whole process) =="
timed "torch.onnx.export" "$models/torch.onnx" "$torch_py" bench/onnx_torch_export.py "$models/torch.onnx"
timed "bertconv export-onnx" "$models/bertconv.onnx" "$bertconv" export-onnx "$models/bert-base" -o "$models/bertconv.onnx" --force --quiet
timed "bertconv export-onnx --ort-ops" "$models/bertconv-ort.onnx" "$bertconv" export-onnx "$models/bert-base" -o "$models/bertconv-ort.onnx" --ort-ops --force --quiet
timed "bertconv export-onnx fp16" "$models/bertconv-fp16.onnx" "$bertconv" export-onnx "$models/bert-base" -o "$models/bertconv-fp16.onnx" --precision fp16 --force --quiet
timed "bertconv export-onnx int8" "$models/bertconv-int8.onnx" "$bertconv" export-onnx "$models/bert-base" -o "$models/bertconv-int8.onnx" --precision int8 --force --quiet
timed "ort quantize_dynamic (torch)" "$models/torch-int8.onnx" "$ort_py" -c \
  "import sys; from onnxruntime.quantization import quantize_dynamic, QuantType; quantize_dynamic(sys.argv[1], sys.argv[2], weight_type=QuantType.QInt8)" \
  "$models/torch.onnx" "$models/torch-int8.onnx"

echo "== onnxruntime latency (ORT_ENABLE_ALL, 2 threads, median of 20) =="
"$ort_py" bench/onnx_ort_latency.py torch="$models/torch.onnx" bertconv="$models/bertconv.onnx" \
  bertconv-ort-ops="$models/bertconv-ort.onnx" bertconv-fp16="$models/bertconv-fp16.onnx" \
  bertconv-int8="$models/bertconv-int8.onnx" torch-quantize_dynamic="$models/torch-int8.onnx"

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
def cosine(a, b):
    a, b = a.reshape(-1, a.shape[-1]).astype(np.float64), b.reshape(-1, b.shape[-1]).astype(np.float64)
    return ((a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))).min()
for name in ["bertconv", "bertconv-ort", "bertconv-fp16", "bertconv-int8", "torch-int8"]:
    out = ort.InferenceSession(f"{d}/{name}.onnx").run(None, feed)
    print(f"{name:14} last_hidden_state max abs {np.abs(out[0][mask == 1] - ref[0][mask == 1]).max():.2e}"
          f" min cos {cosine(out[0][mask == 1], ref[0][mask == 1]):.6f}"
          f"  pooler_output max abs {np.abs(out[1] - ref[1]).max():.2e}")
PY
echo "== load: $(uptime) =="
