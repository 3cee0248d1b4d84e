"""Shared pieces of the goldens generator: fixture specs, vocab, inputs, goldens-file I/O.

Imports only numpy/safetensors so that every stage (torch, TF, Flax) can use it.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from safetensors import safe_open

ROOT = Path(__file__).resolve().parent
FIXTURES = ROOT / "fixtures"
VARIANTS = FIXTURES / "variants"

# Output fields kept in goldens files (HF ModelOutput field names).
OUTPUT_FIELDS = (
    "last_hidden_state", "pooler_output", "logits", "prediction_logits",
    "seq_relationship_logits", "start_logits", "end_logits",
)

TINY_CONFIG = dict(
    vocab_size=128, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
    intermediate_size=37, max_position_embeddings=40, type_vocab_size=2,
    hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1, pad_token_id=0,
)

# name -> (PyTorch class, TF class or None, Flax class or None, seed, config overrides, model kwargs)
# hidden_act covers gelu, gelu_new, relu, silu; token-cls uses layer_norm_eps 1e-5.
FIXTURE_SPECS = {
    "base": ("BertModel", "TFBertModel", "FlaxBertModel", 101,
             dict(hidden_act="gelu"), {}),
    "base-nopool": ("BertModel", "TFBertModel", "FlaxBertModel", 102,
                    dict(hidden_act="gelu_new"), dict(add_pooling_layer=False)),
    "pretraining": ("BertForPreTraining", "TFBertForPreTraining", "FlaxBertForPreTraining", 103,
                    dict(hidden_act="gelu"), {}),
    "masked-lm": ("BertForMaskedLM", "TFBertForMaskedLM", "FlaxBertForMaskedLM", 104,
                  dict(hidden_act="gelu_new"), {}),
    "causal-lm": ("BertLMHeadModel", "TFBertLMHeadModel", "FlaxBertForCausalLM", 105,
                  dict(hidden_act="silu", is_decoder=True), {}),
    "next-sentence": ("BertForNextSentencePrediction", "TFBertForNextSentencePrediction",
                      "FlaxBertForNextSentencePrediction", 106, dict(hidden_act="relu"), {}),
    "seq-cls": ("BertForSequenceClassification", "TFBertForSequenceClassification",
                "FlaxBertForSequenceClassification", 107,
                dict(hidden_act="gelu", num_labels=3,
                     id2label={0: "negative", 1: "neutral", 2: "positive"},
                     label2id={"negative": 0, "neutral": 1, "positive": 2}), {}),
    "seq-cls-regression": ("BertForSequenceClassification", "TFBertForSequenceClassification",
                           "FlaxBertForSequenceClassification", 108,
                           dict(hidden_act="silu", num_labels=1, problem_type="regression"), {}),
    "token-cls": ("BertForTokenClassification", "TFBertForTokenClassification",
                  "FlaxBertForTokenClassification", 109,
                  dict(hidden_act="relu", layer_norm_eps=1e-5, num_labels=5,
                       id2label={0: "O", 1: "B-PER", 2: "I-PER", 3: "B-LOC", 4: "I-LOC"},
                       label2id={"O": 0, "B-PER": 1, "I-PER": 2, "B-LOC": 3, "I-LOC": 4}), {}),
    "qa": ("BertForQuestionAnswering", "TFBertForQuestionAnswering",
           "FlaxBertForQuestionAnswering", 110, dict(hidden_act="relu"), {}),
    "multiple-choice": ("BertForMultipleChoice", "TFBertForMultipleChoice",
                        "FlaxBertForMultipleChoice", 111, dict(hidden_act="gelu"), {}),
}

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PAD_ID, UNK_ID, CLS_ID, SEP_ID, MASK_ID = range(5)
FIRST_WORD_ID = 5


def tiny_vocab() -> list[str]:
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    digits = [str(d) for d in range(10)]
    punct = [".", ",", "!", "?", "'", "-"]
    pieces = ["##" + c for c in letters] + ["##ing", "##ed", "##er", "##ly", "##es"]
    words = ["the", "of", "and", "to", "in", "is", "it", "that", "was", "for", "on", "are",
             "with", "as", "he", "be", "at", "by", "this", "not", "but", "from", "or", "have",
             "an", "they", "you", "we", "all", "she", "her", "his", "cat", "dog", "run",
             "play", "good", "bad", "new", "old", "day", "hello", "world", "bert", "model",
             "token", "face", "tensor", "swift", "fast"]
    vocab = SPECIALS + letters + digits + punct + pieces + words
    assert len(vocab) == len(set(vocab)), "duplicate vocab entry"
    assert len(vocab) == 128, len(vocab)
    return vocab


TOKENIZER_CONFIG = {
    "do_lower_case": True,
    "do_basic_tokenize": True,
    "tokenize_chinese_chars": True,
    "strip_accents": None,
    "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]",
    "cls_token": "[CLS]", "mask_token": "[MASK]",
    "model_max_length": 40,
    "tokenizer_class": "BertTokenizer",
}


def write_tokenizer_files(d: Path) -> None:
    d.mkdir(parents=True, exist_ok=True)
    (d / "vocab.txt").write_text("\n".join(tiny_vocab()) + "\n")
    (d / "tokenizer_config.json").write_text(json.dumps(TOKENIZER_CONFIG, indent=2) + "\n")


def _row(rng: np.random.Generator, seq: int, real: int) -> tuple[list[int], list[int], list[int]]:
    """[CLS] a.. [SEP] b.. [SEP] [PAD].., segment A type 0, segment B type 1, pads type 0."""
    assert real >= 4
    len_a = max(1, (real - 3) // 2)
    len_b = real - 3 - len_a
    words = rng.integers(FIRST_WORD_ID, 128, size=real - 3).tolist()
    ids = [CLS_ID] + words[:len_a] + [SEP_ID] + words[len_a:] + [SEP_ID]
    types = [0] * (len_a + 2) + [1] * (len_b + 1)
    assert len(ids) == real == len(types)
    pad = seq - real
    return ids + [PAD_ID] * pad, [1] * real + [0] * pad, types + [0] * pad


def make_inputs(multiple_choice: bool = False) -> dict[str, np.ndarray]:
    """Deterministic inputs. Standard: batch 3, seq 12, real lengths 12, 8, 5.
    Multiple choice: batch 2, 3 choices, seq 10, real lengths [[10, 7, 4], [6, 10, 8]]."""
    rng = np.random.default_rng(20240601 + (7 if multiple_choice else 0))
    if multiple_choice:
        seq, lengths = 10, [[10, 7, 4], [6, 10, 8]]
    else:
        seq, lengths = 12, [[12, 8, 5]]
    ids, mask, types = [], [], []
    for group in lengths:
        gi, gm, gt = [], [], []
        for real in group:
            a, b, c = _row(rng, seq, real)
            gi.append(a); gm.append(b); gt.append(c)
        ids.append(gi); mask.append(gm); types.append(gt)
    out = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
    out = {k: np.asarray(v, dtype=np.int64) for k, v in out.items()}
    if not multiple_choice:
        out = {k: v[0] for k, v in out.items()}
    return out


def inputs_for(name: str) -> dict[str, np.ndarray]:
    return make_inputs(multiple_choice=(name == "multiple-choice"))


def write_goldens(path: Path, inputs: dict, outputs: dict, head: str, producer: str,
                  extra_meta: dict | None = None) -> None:
    tensors = {}
    for k in ("input_ids", "attention_mask", "token_type_ids"):
        tensors[f"inputs.{k}"] = np.ascontiguousarray(np.asarray(inputs[k], dtype=np.int64))
    for k, v in outputs.items():
        assert k in OUTPUT_FIELDS, k
        tensors[f"outputs.{k}"] = np.ascontiguousarray(np.asarray(v, dtype=np.float32))
    meta = {"format": "bertconv-goldens", "version": "1", "head": head, "producer": producer}
    if extra_meta:
        meta.update(extra_meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_safetensors_deterministic(tensors, path, meta)


_ST_DTYPES = {np.dtype(np.int64): "I64", np.dtype(np.float32): "F32"}


def save_safetensors_deterministic(tensors: dict[str, np.ndarray], path: Path, meta: dict) -> None:
    """safetensors writer with a byte-stable header (the Rust writer orders __metadata__ keys by
    HashMap iteration, i.e. randomly). Header: JSON, __metadata__ first, then tensors sorted by
    name, data in the same order, header padded with spaces to a multiple of 8 bytes."""
    header: dict = {"__metadata__": dict(sorted(meta.items()))}
    blobs, offset = [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name])
        raw = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": _ST_DTYPES[a.dtype], "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(len(h).to_bytes(8, "little"))
        f.write(h)
        for raw in blobs:
            f.write(raw)


def read_goldens(path: Path) -> tuple[dict, dict]:
    with safe_open(str(path), "np") as f:
        meta = f.metadata()
    return load_file(str(path)), meta


def fresh_dir(d: Path) -> Path:
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    return d
