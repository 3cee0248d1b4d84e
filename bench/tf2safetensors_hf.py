"""The Hugging Face path bertconv's TF conversion is measured against: build BertForPreTraining from
bert_config.json, `load_tf_weights_in_bert` from the TF1 checkpoint, `save_pretrained` (safetensors).

    goldens/.venv/bin/python bench/tf2safetensors_hf.py CHECKPOINT_DIR OUT_DIR
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from transformers import BertConfig, BertForPreTraining, load_tf_weights_in_bert

checkpoint, out = sys.argv[1], sys.argv[2]
config = BertConfig.from_json_file(os.path.join(checkpoint, "bert_config.json"))
model = BertForPreTraining(config)
load_tf_weights_in_bert(model, config, os.path.join(checkpoint, "bert_model.ckpt"))
model.save_pretrained(out)
