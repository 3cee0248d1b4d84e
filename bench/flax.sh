#!/usr/bin/env bash
# bert-base flax_model.msgpack -> safetensors: bertconv against Hugging Face, in one run.
# Prints wall time and peak RSS of both, and checks that both outputs hold the same tensors bit for bit.
# Usage: bench/flax.sh   (PYTHON defaults to the goldens venv, which has transformers, torch, jax, flax)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-goldens/.venv/bin/python}
MODEL=bench/models/bert-base-flax
OUT=bench/out/flax
mkdir -p "$OUT"
[ -f "$MODEL/flax_model.msgpack" ] || "$PY" bench/flax_make_model.py "$MODEL"
swift build -c release --product bertconv >&2
rm -rf "$OUT/bertconv" "$OUT/hf"
cat "$MODEL/flax_model.msgpack" > /dev/null # both runs start from a warm page cache

/usr/bin/time -f "%e %M %U %S" -o "$OUT/bertconv.time" .build/release/bertconv convert "$MODEL" -o "$OUT/bertconv" --quiet
/usr/bin/time -f "%e %M %U %S" -o "$OUT/hf.time" "$PY" bench/flax_hf_convert.py "$MODEL" "$OUT/hf" > "$OUT/hf.seconds" 2> "$OUT/hf.log"

"$PY" - "$MODEL" "$OUT" <<'PYEOF'
import os, sys
from safetensors.numpy import load_file
model, out = sys.argv[1], sys.argv[2]
ours = load_file(f"{out}/bertconv/model.safetensors")
theirs = load_file(f"{out}/hf/model.safetensors")
common = sorted(set(ours) & set(theirs))
differ = [k for k in common if ours[k].tobytes() != theirs[k].tobytes()]
assert not differ, f"tensors differ: {differ[:5]}"
only = sorted(set(ours) ^ set(theirs))
model_bytes = os.path.getsize(f"{model}/flax_model.msgpack")
b_wall, b_rss, b_user, b_sys = open(f"{out}/bertconv.time").read().split()[-4:]
h_wall, h_rss, h_user, h_sys = open(f"{out}/hf.time").read().split()[-4:]
h_steps, h_steps_cpu = map(float, open(f"{out}/hf.seconds").read().split())
b_wall, b_rss, h_wall, h_rss = float(b_wall), int(b_rss) * 1024, float(h_wall), int(h_rss) * 1024
b_cpu = float(b_user) + float(b_sys)
print(f"model: {model_bytes / 1e6:.0f} MB flax_model.msgpack (bert-base, FlaxBertForPreTraining)")
print(f"{len(common)} tensors identical bit for bit; only in one output: {only}")
print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
print("| | wall time | CPU time | peak RSS |")
print("|---|---|---|---|")
print(f"| bertconv convert (whole process, incl. sha256 of input and output, fsync) | {b_wall:.2f} s | {b_cpu:.2f} s | {b_rss / 1e6:.0f} MB ({b_rss / model_bytes:.2f}x model) |")
print(f"| HF load_flax_checkpoint_in_pytorch_model + save_pretrained (the two steps; process {h_wall:.1f} s) | {h_steps:.2f} s | {h_steps_cpu:.2f} s | {h_rss / 1e6:.0f} MB |")
print(f"speed-up: wall {h_steps / b_wall:.1f}x, CPU {h_steps_cpu / b_cpu:.1f}x (against the two HF steps alone); RSS {h_rss / b_rss:.1f}x smaller")
PYEOF
