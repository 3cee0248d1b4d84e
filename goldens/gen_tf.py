"""Stage 2 (TensorFlow): tfh5/ (Keras HDF5 via transformers), tf2/ object checkpoint, tf1/
Google-BERT-style name-based checkpoints, tfh5-sharded variant. Reads the stage-1 hf/ dirs."""
from __future__ import annotations

import json
import os
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("USE_FLAX", "0")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import tensorflow as tf
import transformers
from safetensors.numpy import load_file

import common
from common import FIXTURES, FIXTURE_SPECS, OUTPUT_FIELDS, VARIANTS

PRODUCER = f"transformers {transformers.__version__}, tensorflow {tf.__version__}"
TF1_FIXTURES = ("pretraining", "seq-cls", "qa")


def copy_tok(src, dst) -> None:
    for f in ("vocab.txt", "tokenizer_config.json"):
        shutil.copy(src / f, dst / f)


def run_tf(model, inputs: dict) -> dict[str, np.ndarray]:
    kw = {"use_cache": False} if getattr(model.config, "is_decoder", False) else {}
    out = model({k: tf.constant(v) for k, v in inputs.items()}, training=False, **kw)
    return {k: np.asarray(v, dtype=np.float32) for k, v in out.items()
            if k in OUTPUT_FIELDS and v is not None}


def tfh5_fixture(name: str) -> None:
    _, tf_cls, _, _, _, kwargs = FIXTURE_SPECS[name]
    d = FIXTURES / name
    out = common.fresh_dir(d / "tfh5")
    model = getattr(transformers, tf_cls).from_pretrained(d / "hf", from_pt=True, **kwargs)
    inputs = common.inputs_for(name)
    outputs = run_tf(model, inputs)
    model.save_pretrained(out)
    copy_tok(d / "hf", out)
    common.write_goldens(d / "goldens-tf.safetensors", inputs, outputs, tf_cls, PRODUCER)
    print(f"[tf] {name:20s} {tf_cls:34s} {sorted(outputs)}")
    if name == "base":
        tf2 = common.fresh_dir(d / "tf2")
        tf.train.Checkpoint(model=model).write(str(tf2 / "model.ckpt"))
        shutil.copy(d / "hf" / "config.json", tf2 / "config.json")
        copy_tok(d / "hf", tf2)
        sharded = common.fresh_dir(VARIANTS / "tfh5-sharded")
        model.save_pretrained(sharded, max_shard_size="50KB")
        copy_tok(d / "hf", sharded)
        shutil.copy(d / "goldens-tf.safetensors", sharded / "goldens-tf.safetensors")
        print(f"[tf] variants/tfh5-sharded: {sorted(p.name for p in sharded.iterdir())}")


# ---------------------------------------------------------------- Google BERT TF1 checkpoints

def google_name(hf_name: str) -> tuple[str, bool]:
    """HF PyTorch name -> (Google TF1 variable name, transpose?)."""
    n = hf_name
    if n == "cls.predictions.bias":
        return "cls/predictions/output_bias", False
    if n.startswith("cls.seq_relationship."):
        return "cls/seq_relationship/" + ("output_weights" if n.endswith("weight") else "output_bias"), False
    if n.startswith("classifier."):
        return ("output_weights" if n.endswith("weight") else "output_bias"), False
    if n.startswith("qa_outputs."):
        return "cls/squad/" + ("output_weights" if n.endswith("weight") else "output_bias"), False
    n = n.replace("encoder.layer.", "encoder.layer_")
    if n.startswith("bert.embeddings.") and n.endswith("_embeddings.weight"):
        return n[: -len(".weight")].replace(".", "/"), False
    if ".LayerNorm." in n:
        return n.replace(".weight", ".gamma").replace(".bias", ".beta").replace(".", "/"), False
    if n.endswith(".weight"):
        return n[: -len(".weight")].replace(".", "/") + "/kernel", True
    if n.endswith(".bias"):
        return n.replace(".", "/"), False
    raise ValueError(hf_name)


def google_vars(name: str) -> dict[str, np.ndarray]:
    sd = load_file(str(FIXTURES / name / "hf" / "model.safetensors"))
    out = {}
    for k, v in sd.items():
        g, t = google_name(k)
        out[g] = np.ascontiguousarray(v.T if t else v)
    return out


def bert_config_json(name: str) -> dict:
    cfg = json.loads((FIXTURES / name / "hf" / "config.json").read_text())
    keys = ("attention_probs_dropout_prob", "hidden_act", "hidden_dropout_prob", "hidden_size",
            "initializer_range", "intermediate_size", "max_position_embeddings",
            "num_attention_heads", "num_hidden_layers", "type_vocab_size", "vocab_size")
    return {k: cfg[k] for k in keys}


def save_tf1(variables: dict[str, np.ndarray], prefix, shards: int = 1) -> None:
    """Write a name-based (tf.compat.v1.train.Saver, V2 format) checkpoint with exactly these names."""
    graph = tf.Graph()
    with graph.as_default():
        tf_vars = {}
        for i, (k, v) in enumerate(sorted(variables.items())):
            with tf.device(f"/cpu:{i % shards}"):
                tf_vars[k] = tf.compat.v1.Variable(v, name=k.replace("/", "__"), dtype=tf.as_dtype(v.dtype))
        saver = tf.compat.v1.train.Saver(var_list=tf_vars, sharded=shards > 1, write_version=tf.compat.v1.train.SaverDef.V2)
        config = tf.compat.v1.ConfigProto(device_count={"CPU": shards})
        with tf.compat.v1.Session(graph=graph, config=config) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            saver.save(sess, str(prefix), write_meta_graph=False, write_state=False)


def with_adam(variables: dict[str, np.ndarray], rng: np.random.Generator, skip_prefixes=()) -> dict:
    """Add AdamWeightDecayOptimizer slots (<name>/adam_m, <name>/adam_v) and global_step, like a
    run_classifier.py / run_squad.py output dir. Variables that got no gradient have no slots."""
    out = dict(variables)
    for k, v in variables.items():
        if k.startswith(skip_prefixes):
            continue
        out[k + "/adam_m"] = (1e-3 * rng.standard_normal(v.shape)).astype(np.float32)
        out[k + "/adam_v"] = (1e-6 * np.abs(rng.standard_normal(v.shape))).astype(np.float32)
    out["global_step"] = np.asarray(1234, dtype=np.int64)
    return out


def tf1_fixture(name: str) -> None:
    d = FIXTURES / name
    out = common.fresh_dir(d / "tf1")
    variables = google_vars(name)
    rng = np.random.default_rng(4242 + len(name))
    if name == "seq-cls":
        variables = with_adam(variables, rng)
    elif name == "qa":
        # run_squad.py builds modeling.BertModel, which always creates the pooler; SQuAD never
        # uses it, so it is in the checkpoint (random here, absent from HF) and has no Adam slots.
        h = variables["bert/embeddings/word_embeddings"].shape[1]
        variables["bert/pooler/dense/kernel"] = (0.1 * rng.standard_normal((h, h))).astype(np.float32)
        variables["bert/pooler/dense/bias"] = (0.1 * rng.standard_normal(h)).astype(np.float32)
        variables = with_adam(variables, rng, skip_prefixes=("bert/pooler/",))
    save_tf1(variables, out / "model.ckpt")
    (out / "bert_config.json").write_text(json.dumps(bert_config_json(name), indent=2) + "\n")
    shutil.copy(d / "hf" / "vocab.txt", out / "vocab.txt")
    reader = tf.train.load_checkpoint(str(out / "model.ckpt"))
    names = sorted(reader.get_variable_to_shape_map())
    assert set(names) == set(variables), set(names) ^ set(variables)
    for n in names:  # values round-trip bit for bit (and so match hf/model.safetensors)
        assert np.array_equal(reader.get_tensor(n), variables[n]), n
    print(f"[tf1] {name:19s} {len(names)} variables, files {sorted(p.name for p in out.iterdir())}")
    if name == "pretraining":
        sh = common.fresh_dir(d / "tf1-sharded")
        save_tf1(google_vars(name), sh / "model.ckpt", shards=2)
        (sh / "bert_config.json").write_text(json.dumps(bert_config_json(name), indent=2) + "\n")
        shutil.copy(d / "hf" / "vocab.txt", sh / "vocab.txt")
        got = dict(tf.train.list_variables(str(sh / "model.ckpt")))
        assert set(got) == set(google_vars(name))
        print(f"[tf1] pretraining/tf1-sharded files {sorted(p.name for p in sh.iterdir())}")


def main(names: list[str]) -> None:
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    for name in names or list(FIXTURE_SPECS):
        tfh5_fixture(name)
        if name in TF1_FIXTURES:
            tf1_fixture(name)


if __name__ == "__main__":
    main(sys.argv[1:])
