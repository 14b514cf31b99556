"""The forward pass the three references (Swin V1, Swin V2, CrossFormer) share, written once:
patch embedding (+ absolute position embedding where the model has one), stages of blocks each
followed by its optional downsample, the final LayerNorm, mean pooling over tokens and the head.
Every intermediate is recorded under the names the fixtures use (embed, stage{i}_block{j},
stage{i}_out, norm_out, pooled, logits).
"""
from __future__ import annotations

from collections import OrderedDict

import torch


class HierarchicalForward:
    """Mixin for an nn.Module with patch_embed, layers (each with .blocks and .downsample), norm,
    head and num_classes (ape / absolute_pos_embed optional). Adds no parameters, so the module's
    state_dict order is its own."""

    def forward_intermediates(self, x: torch.Tensor) -> "OrderedDict[str, torch.Tensor]":
        out: "OrderedDict[str, torch.Tensor]" = OrderedDict()
        x = self.patch_embed(x)
        if getattr(self, "ape", False):
            x = x + self.absolute_pos_embed
        out["embed"] = x
        for i, layer in enumerate(self.layers):
            for j, blk in enumerate(layer.blocks):
                x = blk(x)
                out[f"stage{i}_block{j}"] = x
            if layer.downsample is not None:
                x = layer.downsample(x)
            out[f"stage{i}_out"] = x
        x = self.norm(x)
        out["norm_out"] = x
        x = x.mean(dim=1)
        out["pooled"] = x
        if self.num_classes > 0:
            out["logits"] = self.head(x)
        return out

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_intermediates(x)["pooled"]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.forward_features(x))
