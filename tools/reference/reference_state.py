"""State-dict helpers the references share: dropping derived buffers, and the seeded
"randomized" init every fixture uses (the shared manifest's `conventions.init_randomized`)."""
from __future__ import annotations

import math
from collections import OrderedDict
from typing import Dict, Sequence

import torch
import torch.nn as nn


def strip_derived(sd: Dict[str, torch.Tensor], suffixes: Sequence[str]) -> "OrderedDict[str, torch.Tensor]":
    """The state dict without the buffers named by `suffixes` (those the model derives itself)."""
    return OrderedDict((k, v) for k, v in sd.items() if not k.endswith(tuple(suffixes)))


@torch.no_grad()
def randomize_(model: nn.Module, seed: int) -> None:
    """named_modules() order, each module's own parameters in registration order, one N draw each:
    LayerNorm.weight = 1+0.2N; bias, q_bias, v_bias = 0.1N; relative_position_bias_table = N (V1);
    absolute_pos_embed = 0.5N; logit_scale = log(10)+0.5N and then 5.0 (> ln 100) for head 0 of
    block 0 of every stage (V2); other weights N/sqrt(fan_in), fan_in = numel/shape[0]."""
    g = torch.Generator().manual_seed(seed)
    for name, mod in model.named_modules():
        for pname, p in mod.named_parameters(recurse=False):
            n = torch.randn(p.shape, generator=g, dtype=torch.float32)
            if isinstance(mod, nn.LayerNorm) and pname == "weight":
                v = 1.0 + 0.2 * n
            elif pname in ("bias", "q_bias", "v_bias"):
                v = 0.1 * n
            elif pname == "relative_position_bias_table":
                v = n
            elif pname == "absolute_pos_embed":
                v = 0.5 * n
            elif pname == "logit_scale":
                v = math.log(10.0) + 0.5 * n
                if name.endswith("blocks.0.attn"):
                    v[0] = 5.0
            else:
                v = n / math.sqrt(p.numel() // p.shape[0])
            p.copy_(v.to(p.dtype))
