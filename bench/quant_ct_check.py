#!/usr/bin/env python3
"""Does `transformers` + `compressed-tensors` load a bertconv int8 directory, and does it match?

    bench/quant_setup.sh         # goldens/.venv-ct: compressed-tensors + accelerate over the goldens venv
    goldens/.venv-ct/bin/python bench/quant_ct_check.py INT8_DIR --reference FP32_DIR [--class NAME]

Checks: (1) the model loads with no missing/unexpected keys; (2) every int8 Linear (and the word
embeddings) decompresses to exactly scale · q as stored in the file; (3) outputs on a fixed batch
against the fp32 reference (cosine per row). Exit 0 when (1) and (2) hold, 1 otherwise.
"""
import argparse
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("USE_TF", "0")
os.environ.setdefault("USE_FLAX", "0")

import torch  # noqa: E402
import transformers  # noqa: E402
from safetensors import safe_open  # noqa: E402
from transformers import CompressedTensorsConfig  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("int8_dir")
    parser.add_argument("--reference", required=True)
    parser.add_argument("--class", dest="cls", default=None)
    args = parser.parse_args()
    config = json.load(open(os.path.join(args.int8_dir, "config.json")))
    cls = getattr(transformers, args.cls or config["architectures"][0])
    model, info = cls.from_pretrained(
        args.int8_dir, quantization_config=CompressedTensorsConfig(run_compressed=False),
        dtype=torch.float32, output_loading_info=True)
    reference = cls.from_pretrained(args.reference, dtype=torch.float32)
    problems = [f"{k}: {v}" for k, v in info.items() if v and k != "error_msgs"]
    state = dict(model.named_parameters())
    exact = 0
    with safe_open(os.path.join(args.int8_dir, "model.safetensors"), "pt") as f:
        for name in f.keys():
            if not name.endswith(".weight_scale"):
                continue
            weight = name[: -len("_scale")]
            q, scale = f.get_tensor(weight), f.get_tensor(name)
            expected = q.to(torch.float32) * scale.to(torch.float32)
            loaded = state.get(weight)
            if loaded is None:
                problems.append(f"{weight}: not a parameter of the loaded model")
            elif not torch.equal(loaded.detach().to(torch.float32), expected):
                diff = (loaded.detach() - expected).abs().max().item()
                problems.append(f"{weight}: loaded values differ from scale·q by up to {diff}")
            else:
                exact += 1
    torch.manual_seed(0)
    ids = torch.randint(5, min(model.config.vocab_size, 1000), (4, 16))
    ids[:, 0] = 2
    with torch.no_grad():
        a, b = model(input_ids=ids), reference(input_ids=ids)
    for key in b.keys():
        x, y = a[key].reshape(-1, a[key].shape[-1]), b[key].reshape(-1, b[key].shape[-1])
        cos = torch.nn.functional.cosine_similarity(x, y, dim=-1)
        print(f"{key}: row cosine vs fp32 mean {cos.mean().item():.6f} min {cos.min().item():.6f}")
    print(f"transformers {transformers.__version__}; {exact} int8 tensors decompress exactly to scale·q")
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
