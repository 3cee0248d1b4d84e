"""The Hugging Face path bertconv is compared with: a built BertForPreTraining, then
load_flax_checkpoint_in_pytorch_model + save_pretrained (transformers 4.57's from_flax=True fails with
torch 2.13's meta-device loading). Prints the wall and CPU seconds those two steps take."""
import sys
import time

from transformers import BertConfig, BertForPreTraining
from transformers.modeling_flax_pytorch_utils import load_flax_checkpoint_in_pytorch_model

src, out = sys.argv[1], sys.argv[2]
model = BertForPreTraining(BertConfig.from_pretrained(src))
start, cpu = time.perf_counter(), time.process_time()
load_flax_checkpoint_in_pytorch_model(model, f"{src}/flax_model.msgpack")
model.save_pretrained(out)
print(f"{time.perf_counter() - start:.2f} {time.process_time() - cpu:.2f}")
