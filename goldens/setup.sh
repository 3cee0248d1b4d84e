#!/usr/bin/env bash
# Create goldens/.venv (if missing) and install the pinned goldens stack. Idempotent.
# Usage: goldens/setup.sh            (then: goldens/.venv/bin/python goldens/generate.py)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet -r "$here/requirements.txt"
"$venv/bin/python" -m pip install --quiet --no-deps -r "$here/requirements-nodeps.txt"
"$venv/bin/python" - <<'PY'
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import transformers, torch
from transformers import BertModel, TFBertModel, FlaxBertModel  # noqa: F401
print(f"goldens venv ready: transformers {transformers.__version__}, torch {torch.__version__}")
PY
"$venv/bin/python" "$here/model_path.py" >/dev/null
