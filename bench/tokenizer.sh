#!/usr/bin/env bash
# Tokenizer benchmark: builds bertconv in release mode, then times it against HF's BertTokenizer
# and BertTokenizerFast on goldens/tokenizer/corpus.jsonl (see bench/tokenizer.py).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product bertconv
exec "${PYTHON:-goldens/.venv/bin/python}" bench/tokenizer.py .build/release/bertconv "$@"
