"""The forward pass the three references (Swin V1, Swin V2, CrossFormer) share, written once:
patch embedding (+ absolute position embedding where the model has one), stages of blocks each
followed by its optional downsample, the final LayerNorm, mean pooling over tokens and the head.
Every intermediate is recorded under the names the fixtures use (embed, stage{i}_block{j},
stage{i}_out, norm_out, pooled, logits).
"""
from __future__ import annotations

from collections import OrderedDict

import torch
import torch.nn as nn


class HierarchicalForward:
    """Mixin for an nn.Module with patch_embed, layers (each with .blocks and .downsample), norm,
    head and num_classes (ape / absolute_pos_embed optional). Adds no parameters, so the module's
    state_dict order is its own."""

    def build_body(self, patch_embed: nn.Module, embed_dim: int, n_stages: int, make_stage, ln_eps: float) -> None:
        """Registers, in the official order: patch_embed, absolute_pos_embed (when self.ape), the
        stages make_stage(i, dim, input_resolution) returns (each with output_resolution()), the
        final norm over num_features and the head (self.num_classes > 0, else Identity)."""
        self.patch_embed = patch_embed
        if self.ape:
            self.absolute_pos_embed = nn.Parameter(torch.zeros(1, patch_embed.num_patches, embed_dim))
        self.layers = nn.ModuleList()
        res = patch_embed.patches_resolution
        for i in range(n_stages):
            layer = make_stage(i, int(embed_dim * 2 ** i), res)
            self.layers.append(layer)
            res = layer.output_resolution()
        self.num_features = int(embed_dim * 2 ** (n_stages - 1))
        self.norm = nn.LayerNorm(self.num_features, eps=ln_eps)
        self.head = nn.Linear(self.num_features, self.num_classes) if self.num_classes > 0 else nn.Identity()

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


@torch.no_grad()
def torchvision_intermediates(tv, x: torch.Tensor, n_stages: int) -> "OrderedDict[str, torch.Tensor]":
    """The same taps as forward_intermediates from a torchvision Swin (V1 or V2): features.0 is the
    patch embedding, features.2i+1 stage i, features.2i+2 its merge; NHWC maps become B,L,C."""
    out: "OrderedDict[str, torch.Tensor]" = OrderedDict()

    def tok(t):
        return t.reshape(t.shape[0], -1, t.shape[-1])

    h = tv.features[0](x)
    out["embed"] = tok(h)
    for i in range(n_stages):
        for j, blk in enumerate(tv.features[2 * i + 1]):
            h = blk(h)
            out[f"stage{i}_block{j}"] = tok(h)
        if i < n_stages - 1:
            h = tv.features[2 * i + 2](h)
        out[f"stage{i}_out"] = tok(h)
    h = tv.norm(h)
    out["norm_out"] = tok(h)
    pooled = tv.flatten(tv.avgpool(tv.permute(h)))
    out["pooled"] = pooled
    out["logits"] = tv.head(pooled)
    return out
