"""Stage 1 (PyTorch only): tiny random HF fixtures + goldens.safetensors for every head."""
from __future__ import annotations

import os
import sys

os.environ.setdefault("USE_TF", "0")
os.environ.setdefault("USE_FLAX", "0")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import torch
import transformers
from transformers import BertConfig

import common
from common import FIXTURES, FIXTURE_SPECS, OUTPUT_FIELDS

PRODUCER = f"transformers {transformers.__version__}, torch {torch.__version__}"


def build_config(name: str) -> BertConfig:
    cls, _, _, _, overrides, _ = FIXTURE_SPECS[name]
    cfg = BertConfig(**common.TINY_CONFIG, **overrides)
    cfg.architectures = [cls]
    return cfg


def perturb(model: torch.nn.Module, seed: int) -> None:
    """Move every parameter away from its init value, deterministically.

    LayerNorm weights = 1 + 0.1*randn, biases = 0.1*randn, everything else init + 0.1*randn.
    named_parameters() yields tied parameters once, so the tied decoder stays tied.
    """
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=g, dtype=torch.float32)
            if pname.endswith("LayerNorm.weight"):
                p.copy_(1.0 + 0.1 * noise)
            elif pname.endswith("bias"):
                p.copy_(0.1 * noise)
            else:
                p.add_(0.1 * noise)
    model.tie_weights()


def build_model(name: str) -> torch.nn.Module:
    cls_name, _, _, seed, _, kwargs = FIXTURE_SPECS[name]
    cfg = build_config(name)
    torch.manual_seed(seed)
    model = getattr(transformers, cls_name)(cfg, **kwargs)
    perturb(model, seed)
    model.eval()
    emb = model.get_input_embeddings().weight
    out = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
    if out is not None:
        assert out.weight is emb, f"{name}: decoder not tied"
    return model


def run(model: torch.nn.Module, inputs: dict) -> dict[str, np.ndarray]:
    t = {k: torch.from_numpy(v) for k, v in inputs.items()}
    kw = {"use_cache": False} if getattr(model.config, "is_decoder", False) else {}
    with torch.no_grad():
        out = model(**t, return_dict=True, **kw)
    res = {}
    for k, v in out.items():
        if k in OUTPUT_FIELDS and v is not None:
            res[k] = v.detach().cpu().numpy().astype(np.float32)
    return res


def generate_fixture(name: str) -> None:
    cls_name = FIXTURE_SPECS[name][0]
    d = common.fresh_dir(FIXTURES / name)
    hf = d / "hf"
    model = build_model(name)
    model.save_pretrained(hf)
    common.write_tokenizer_files(hf)
    inputs = common.inputs_for(name)
    outputs = run(model, inputs)
    # The goldens must be reproducible from the saved files, bit for bit.
    # (Written from the reloaded model; in-memory and reloaded differ by at most an ulp or so.)
    kwargs = FIXTURE_SPECS[name][5]
    reloaded = getattr(transformers, cls_name).from_pretrained(hf, **kwargs).eval()
    again = run(reloaded, inputs)
    for k in outputs:
        assert np.allclose(outputs[k], again[k], rtol=1e-6, atol=1e-6), f"{name}: reload changed {k}"
    outputs = again
    common.write_goldens(d / "goldens.safetensors", inputs, outputs, cls_name, PRODUCER)
    shapes = {k: (list(v.shape), float(np.abs(v).mean())) for k, v in outputs.items()}
    print(f"[pt] {name:20s} {cls_name:32s} {shapes}")


def main(names: list[str]) -> None:
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)  # bit-stable reductions across machines with different core counts
    for name in names or list(FIXTURE_SPECS):
        generate_fixture(name)


if __name__ == "__main__":
    main(sys.argv[1:])
