"""Reports a bench run: checks that bertconv's and Hugging Face's model.safetensors hold the same
tensors bit for bit, and prints wall time and peak RSS of both as a README table.

    compare.py MODEL_FILE OUT MODEL_LABEL HF_LABEL

OUT holds bertconv/ and hf/ outputs, bertconv.time and hf.time (`/usr/bin/time -f "%e %M"`) and
hf.seconds (the HF steps alone, as the HF script prints them)."""
import os
import sys

from safetensors.numpy import load_file

model, out, model_label, hf_label = sys.argv[1:5]
ours = load_file(f"{out}/bertconv/model.safetensors")
theirs = load_file(f"{out}/hf/model.safetensors")
common = sorted(set(ours) & set(theirs))
differ = [k for k in common if ours[k].tobytes() != theirs[k].tobytes()]
assert not differ, f"tensors differ: {differ[:5]}"
only = sorted(set(ours) ^ set(theirs))
model_bytes = os.path.getsize(model)
b_wall, b_rss = open(f"{out}/bertconv.time").read().split()
h_wall, h_rss = open(f"{out}/hf.time").read().split()
h_steps = float(open(f"{out}/hf.seconds").read())
b_wall, b_rss, h_wall, h_rss = float(b_wall), int(b_rss) * 1024, float(h_wall), int(h_rss) * 1024
print(f"model: {model_bytes / 1e6:.0f} MB {model_label}")
print(f"{len(common)} tensors identical bit for bit; only in one output: {only}")
print("| | wall time | peak RSS |")
print("|---|---|---|")
print(f"| bertconv convert | {b_wall:.2f} s | {b_rss / 1e6:.0f} MB ({b_rss / model_bytes:.2f}x model) |")
print(f"| HF {hf_label} | {h_steps:.2f} s (process {h_wall:.1f} s) | {h_rss / 1e6:.0f} MB |")
print(f"speed-up {h_steps / b_wall:.1f}x (against the two HF steps alone), RSS {h_rss / b_rss:.1f}x smaller")
