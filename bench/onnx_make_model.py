#!/usr/bin/env python3
"""Writes a randomly initialized bert-base-uncased-sized BertModel (seed 0) to bench/models/bert-base/
as Hugging Face safetensors + config.json. Runs in goldens/.venv (torch + transformers); no hub access."""
from pathlib import Path

import torch
from transformers import BertConfig, BertModel

out = Path(__file__).resolve().parent / "models" / "bert-base"
if not (out / "model.safetensors").exists():
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                        intermediate_size=3072, max_position_embeddings=512, type_vocab_size=2)
    BertModel(config).eval().save_pretrained(out, safe_serialization=True)
print(out)
