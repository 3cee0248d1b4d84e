#!/usr/bin/env bash
# Creates bench/.venv with only onnx, onnxruntime and numpy (bench/requirements-onnx.txt); idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$here/.venv/bin/python" ] || python3 -m venv "$here/.venv"
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements-onnx.txt"
