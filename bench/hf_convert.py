"""The Hugging Face path bertconv is compared with: a built BertForPreTraining, then HF's Flax or TF
weight loader + save_pretrained (transformers 4.57's from_flax=True / from_tf=True fail with torch
2.13's meta-device loading). Prints the seconds those two steps take.

    hf_convert.py flax|tf SRC OUT"""
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from transformers import BertConfig, BertForPreTraining

kind, src, out = sys.argv[1:4]
if kind == "flax":
    from transformers.modeling_flax_pytorch_utils import load_flax_checkpoint_in_pytorch_model as load
    weights = "flax_model.msgpack"
else:
    from transformers.modeling_tf_pytorch_utils import load_tf2_checkpoint_in_pytorch_model as load
    weights = "tf_model.h5"
model = BertForPreTraining(BertConfig.from_pretrained(src))
start = time.perf_counter()
load(model, f"{src}/{weights}")
model.save_pretrained(out)
print(f"{time.perf_counter() - start:.2f}")
