#!/usr/bin/env bash
# Creates goldens/.venv-ct: compressed-tensors (+ accelerate, which transformers' quantizer needs)
# in their own venv over the goldens venv's packages (read through a .pth file, never modified).
# `pip install --dry-run` showed both only add packages (pydantic, loguru, ...), but the brief
# keeps them out of the goldens venv.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
goldens_venv="$root/goldens/.venv"
[ -x "$goldens_venv/bin/python" ] || { echo "bench/quant_ct_setup.sh: set up goldens/.venv first" >&2; exit 2; }
python="$(readlink -f "$goldens_venv/bin/python")"
[ -d "$root/goldens/.venv-ct" ] || "$python" -m venv "$root/goldens/.venv-ct"
site="$("$root/goldens/.venv-ct/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
"$goldens_venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' > "$site/goldens-venv.pth"
"$root/goldens/.venv-ct/bin/pip" install -q compressed-tensors==0.20.0 accelerate==1.15.0
