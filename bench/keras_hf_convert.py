"""The Hugging Face path bertconv is compared with: a built BertForPreTraining, then
load_tf2_checkpoint_in_pytorch_model + save_pretrained (transformers 4.57's from_tf=True fails with
torch 2.13's meta-device loading). Prints the seconds those two steps take."""
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from transformers import BertConfig, BertForPreTraining
from transformers.modeling_tf_pytorch_utils import load_tf2_checkpoint_in_pytorch_model

src, out = sys.argv[1], sys.argv[2]
model = BertForPreTraining(BertConfig.from_pretrained(src))
start = time.perf_counter()
load_tf2_checkpoint_in_pytorch_model(model, f"{src}/tf_model.h5")
model.save_pretrained(out)
print(f"{time.perf_counter() - start:.2f}")
