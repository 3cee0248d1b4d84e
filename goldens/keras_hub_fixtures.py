"""KerasHub fixtures: a tiny random BertBackbone and BertTextClassifier saved as Keras 3
`.weights.h5` (with the serialized config beside it) and `.keras` archives, with goldens computed
by KerasHub itself, into fixtures/keras-hub/{backbone,classifier}/.

Runs in its own venv (keras-hub would move the shared venv's tensorflow; see
requirements-kerashub.txt):
    KERAS_BACKEND=jax goldens/.venv-kerashub/bin/python goldens/keras_hub_fixtures.py
"""
from __future__ import annotations

import json
import os
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
import keras_hub
import numpy as np

import common
from common import FIXTURES

OUT = FIXTURES / "keras-hub"
PRODUCER = f"keras-hub {keras_hub.__version__}, keras {keras.__version__}, {keras.backend.backend()}"
BACKBONE = dict(vocabulary_size=128, num_layers=2, num_heads=4, hidden_dim=32, intermediate_dim=37,
                max_sequence_length=40, num_segments=2, dropout=0.1)
NUM_CLASSES = 3


def perturb(model: keras.Model, seed: int) -> None:
    """Moves every weight off its initializer (LayerNorm gamma != 1, beta and biases != 0)."""
    rng = np.random.default_rng(seed)
    for w in model.weights:
        value = np.asarray(w.numpy())
        w.assign(value + rng.normal(0.0, 0.05, value.shape).astype(value.dtype))


def keras_inputs(inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The goldens contract's HF inputs under KerasHub's names."""
    return {"token_ids": inputs["input_ids"].astype("int32"),
            "segment_ids": inputs["token_type_ids"].astype("int32"),
            "padding_mask": inputs["attention_mask"].astype("int32")}


def save(model: keras.Model, name: str, inputs: dict, outputs: dict, head: str) -> None:
    d = common.fresh_dir(OUT / name)
    model.save(d / "model.keras")
    model.save_weights(d / "model.weights.h5")
    config = keras.saving.serialize_keras_object(model)
    (d / "config.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    outputs = {k: np.asarray(v, dtype=np.float32) for k, v in outputs.items()}
    common.write_goldens(d / "goldens-keras-hub.safetensors", inputs, outputs, head, PRODUCER)
    print(f"[keras-hub] {name:10s} {head:30s} {sorted(outputs)}")


def deflated(src, dst) -> None:
    """The same archive with every member deflated (Keras stores them; `zip -r` deflates)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)),
                          zin.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)


def main() -> None:
    keras.utils.set_random_seed(121)
    inputs = common.make_inputs()
    backbone = keras_hub.models.BertBackbone(**BACKBONE)
    perturb(backbone, 121)
    out = backbone(keras_inputs(inputs), training=False)
    save(backbone, "backbone", inputs,
         {"last_hidden_state": out["sequence_output"], "pooler_output": out["pooled_output"]}, "BertModel")
    deflated(OUT / "backbone" / "model.keras", OUT / "backbone" / "model-deflated.keras")

    keras.utils.set_random_seed(122)
    classifier = keras_hub.models.BertTextClassifier(
        backbone=keras_hub.models.BertBackbone(**BACKBONE), num_classes=NUM_CLASSES, preprocessor=None)
    perturb(classifier, 122)
    logits = classifier(keras_inputs(inputs), training=False)
    save(classifier, "classifier", inputs, {"logits": logits}, "BertForSequenceClassification")


if __name__ == "__main__":
    main()
