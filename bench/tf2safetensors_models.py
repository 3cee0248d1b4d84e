"""Writes bert-base- and bert-large-sized Google BERT TF1 checkpoints (random weights, the
variable names of google-research/bert `modeling.py` + `run_pretraining.py`) into bench/models/,
for bench/tf2safetensors.sh. Uses TensorFlow's own SaveV2 kernel, tensor by tensor in eager mode.

    goldens/.venv/bin/python bench/tf2safetensors_models.py [bert-base|bert-large ...]
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import tensorflow as tf

MODELS = Path(__file__).resolve().parent / "models"
SIZES = {
    "bert-base": dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072),
    "bert-large": dict(hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, intermediate_size=4096),
}
VOCAB = 30522


def variables(cfg: dict) -> dict[str, list[int]]:
    h, i = cfg["hidden_size"], cfg["intermediate_size"]
    shapes = {
        "bert/embeddings/word_embeddings": [VOCAB, h],
        "bert/embeddings/position_embeddings": [512, h],
        "bert/embeddings/token_type_embeddings": [2, h],
        "bert/embeddings/LayerNorm/gamma": [h], "bert/embeddings/LayerNorm/beta": [h],
        "bert/pooler/dense/kernel": [h, h], "bert/pooler/dense/bias": [h],
        "cls/predictions/transform/dense/kernel": [h, h], "cls/predictions/transform/dense/bias": [h],
        "cls/predictions/transform/LayerNorm/gamma": [h], "cls/predictions/transform/LayerNorm/beta": [h],
        "cls/predictions/output_bias": [VOCAB],
        "cls/seq_relationship/output_weights": [2, h], "cls/seq_relationship/output_bias": [2],
    }
    for n in range(cfg["num_hidden_layers"]):
        p = f"bert/encoder/layer_{n}/"
        for name, shape in [("attention/self/query", [h, h]), ("attention/self/key", [h, h]),
                            ("attention/self/value", [h, h]), ("attention/output/dense", [h, h]),
                            ("intermediate/dense", [h, i]), ("output/dense", [i, h])]:
            shapes[p + name + "/kernel"] = shape
            shapes[p + name + "/bias"] = [shape[1]]
        for ln in ("attention/output/LayerNorm", "output/LayerNorm"):
            shapes[p + ln + "/gamma"] = [h]
            shapes[p + ln + "/beta"] = [h]
    return shapes


def write(name: str) -> None:
    cfg = SIZES[name]
    out = MODELS / f"{name}-tf1"
    out.mkdir(parents=True, exist_ok=True)
    shapes = variables(cfg)
    names = sorted(shapes)
    tf.random.set_seed(1234)
    tensors = [tf.random.normal(shapes[n], stddev=0.02) for n in names]
    tf.raw_ops.SaveV2(prefix=str(out / "bert_model.ckpt"), tensor_names=names,
                      shape_and_slices=[""] * len(names), tensors=tensors)
    config = dict(cfg, vocab_size=VOCAB, hidden_act="gelu", hidden_dropout_prob=0.1,
                  attention_probs_dropout_prob=0.1, max_position_embeddings=512, type_vocab_size=2,
                  initializer_range=0.02)
    (out / "bert_config.json").write_text(json.dumps(config, indent=2) + "\n")
    specials = ["[PAD]"] + [f"[unused{k}]" for k in range(99)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    (out / "vocab.txt").write_text("\n".join(specials + [f"tok{k}" for k in range(VOCAB - len(specials))]) + "\n")
    size = sum(p.stat().st_size for p in out.glob("bert_model.ckpt.data-*"))
    print(f"{out}: {len(names)} variables, {size} data bytes")


if __name__ == "__main__":
    for model in sys.argv[1:] or list(SIZES):
        write(model)
