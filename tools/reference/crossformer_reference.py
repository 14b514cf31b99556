"""CrossFormer (Wang et al., 2021) in PyTorch, written for this project from the paper, the seed
document on CrossFormer and the numerics in /work/shared/reference/README.md. No code was copied.

Module and parameter names are the official ones (`patch_embed.projs.{k}`, `layers.i.blocks.j.attn.pos.
{pos_proj,pos1,pos2,pos3}`, `layers.i.downsample.reductions.{k}`, ...), so an official state_dict
loads with a strict key check (the official model registers no persistent buffers). The model:

* cross-scale embedding layers (CEL): several convolutions with the same stride and kernels of
  different sizes, padding (k - stride) / 2, outputs concatenated on channels (kernel k of n gets
  dim / 2^(k+1) channels, the last one dim / 2^(n-1)). Patch embed: stride patch_size[0], then an
  optional LayerNorm; each merge: LayerNorm(C) first, then convolutions with stride 2 to 2C;
* blocks alternate short distance attention (SDA: G x G adjacent tokens) and long distance
  attention (LDA: the map is cut into regions of G*I x G*I tokens and group (i, j) of a region
  holds its tokens (i + I*y, j + I*x), y, x < G — the layout of the official code at its head);
  when min(H, W) <= G the block uses SDA with G = min(H, W);
* sizes that do not divide (G for SDA, G*I for LDA) are zero-padded at the bottom/right after norm1,
  and padded keys get -1e6 added to their scores (padded queries are computed, then cropped);
* dynamic position bias (DPB): an MLP over the relative coordinates (dy, dx) of the group shape
  Gh x Gw: Linear(2, d), then three times LayerNorm, ReLU, Linear (d, d, d -> heads), d = dim // 16;
  bias = mlp[index], index = (dy + Gh - 1)(2 Gw - 1) + (dx + Gw - 1);
* q scaled by head_dim^-0.5 (or qk_scale); pre-norm blocks; head = LayerNorm, token mean, Linear.

Extension beyond the official code: a merge of an odd-sized map takes what the stride-2
convolutions give (floor(H/2)); the official PatchMerging asserts even sizes.

Run this file to validate against the shared official fixture.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from hierarchical_forward import HierarchicalForward
from official_validation import compare_with_official, max_diff as _maxdiff, official_fixtures
# The shared `conventions.init_randomized` rule; CrossFormer has only Linear / Conv / LayerNorm
# parameters, so only its LayerNorm-weight, bias and fan-in branches apply.
from reference_state import randomize_  # noqa: F401  (CF.randomize_ for the fixture generators)

LN_EPS = 1e-5
KEY_MASK_VALUE = -1e6


def per_stage(value, n: int, name: str) -> list:
    if isinstance(value, (list, tuple)):
        assert len(value) == n, f"{name}: expected {n} values, got {value}"
        return list(value)
    return [value] * n


def cel_dims(total: int, n: int) -> List[int]:
    """Channels of each kernel of a cross-scale embedding layer producing `total` channels."""
    return [total // 2 ** (k + 1) if k < n - 1 else total // 2 ** k for k in range(n)]


def relative_coords(gh: int, gw: int) -> torch.Tensor:
    """((2Gh-1)(2Gw-1), 2) float: every (dy, dx), dy outer."""
    dy, dx = torch.meshgrid(torch.arange(1 - gh, gh), torch.arange(1 - gw, gw), indexing="ij")
    return torch.stack([dy.reshape(-1), dx.reshape(-1)], dim=1).float()


def relative_index(gh: int, gw: int) -> torch.Tensor:
    ys, xs = torch.meshgrid(torch.arange(gh), torch.arange(gw), indexing="ij")
    ys, xs = ys.reshape(-1), xs.reshape(-1)
    return (ys[:, None] - ys[None, :] + gh - 1) * (2 * gw - 1) + (xs[:, None] - xs[None, :] + gw - 1)


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


def _norm_relu_linear(d_in: int, d_out: int) -> nn.Sequential:
    return nn.Sequential(nn.LayerNorm(d_in, eps=LN_EPS), nn.ReLU(inplace=True), nn.Linear(d_in, d_out))


class DynamicPosBias(nn.Module):
    def __init__(self, pos_dim: int, num_heads: int):
        super().__init__()
        self.pos_dim = pos_dim
        self.num_heads = num_heads
        self.pos_proj = nn.Linear(2, pos_dim)
        self.pos1 = _norm_relu_linear(pos_dim, pos_dim)
        self.pos2 = _norm_relu_linear(pos_dim, pos_dim)
        self.pos3 = _norm_relu_linear(pos_dim, num_heads)

    def forward(self, coords: torch.Tensor) -> torch.Tensor:
        return self.pos3(self.pos2(self.pos1(self.pos_proj(coords))))


class Attention(nn.Module):
    def __init__(self, dim: int, num_heads: int, qkv_bias: bool, qk_scale: Optional[float]):
        super().__init__()
        self.dim = dim
        self.num_heads = num_heads
        self.scale = qk_scale if qk_scale is not None else (dim // num_heads) ** -0.5
        self.pos = DynamicPosBias(dim // 16, num_heads)
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def position_bias(self, gh: int, gw: int, dtype) -> torch.Tensor:
        N = gh * gw
        table = self.pos(relative_coords(gh, gw).to(dtype))
        return table[relative_index(gh, gw).reshape(-1)].view(N, N, self.num_heads).permute(2, 0, 1)

    def forward(self, x: torch.Tensor, gh: int, gw: int, mask: Optional[torch.Tensor]) -> torch.Tensor:
        B_, N, C = x.shape
        nH = self.num_heads
        qkv = self.qkv(x).reshape(B_, N, 3, nH, C // nH).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] * self.scale, qkv[1], qkv[2]
        attn = q @ k.transpose(-2, -1) + self.position_bias(gh, gw, x.dtype).unsqueeze(0)
        if mask is not None:
            nG = mask.shape[0]
            attn = (attn.view(B_ // nG, nG, nH, N, N) + mask.unsqueeze(1).unsqueeze(0)).view(B_, nH, N, N)
        attn = attn.softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(B_, N, C))


def resolve_grouping(H: int, W: int, group_size: int, interval: int, lsda: int) -> dict:
    """How a block groups an H x W map: kind, group shape, padded size."""
    if min(H, W) <= group_size:
        lsda, group_size = 0, min(H, W)
    div = group_size * interval if lsda else group_size
    Hp, Wp = -(-H // div) * div, -(-W // div) * div
    gh = gw = group_size
    n_groups = (Hp // group_size) * (Wp // group_size)
    return dict(kind="LDA" if lsda else "SDA", lsda_flag=lsda, group_size=group_size, interval=interval,
                group_shape=[gh, gw], padded_resolution=[Hp, Wp], num_groups=n_groups)


def group_tokens(x: torch.Tensor, g: dict) -> torch.Tensor:
    """(B, Hp, Wp, C) -> (B * nG, Gh * Gw, C), groups of one image consecutive."""
    B, Hp, Wp, C = x.shape
    gh, gw = g["group_shape"]
    if g["kind"] == "SDA":
        x = x.reshape(B, Hp // gh, gh, Wp // gw, gw, C).permute(0, 1, 3, 2, 4, 5)
    else:
        I = g["interval"]
        x = x.reshape(B, Hp // (gh * I), gh, I, Wp // (gw * I), gw, I, C).permute(0, 1, 4, 3, 6, 2, 5, 7)
    return x.reshape(-1, gh * gw, C)


def ungroup_tokens(x: torch.Tensor, g: dict, B: int) -> torch.Tensor:
    Hp, Wp = g["padded_resolution"]
    gh, gw = g["group_shape"]
    C = x.shape[-1]
    if g["kind"] == "SDA":
        x = x.reshape(B, Hp // gh, Wp // gw, gh, gw, C).permute(0, 1, 3, 2, 4, 5)
    else:
        I = g["interval"]
        x = x.reshape(B, Hp // (gh * I), Wp // (gw * I), I, I, gh, gw, C).permute(0, 1, 5, 3, 2, 6, 4, 7)
    return x.reshape(B, Hp, Wp, C)


def padded_key_mask(H: int, W: int, g: dict, dtype=torch.float32) -> Optional[torch.Tensor]:
    """(nG, N, N): -1e6 on the columns of padded keys, or None without padding."""
    Hp, Wp = g["padded_resolution"]
    if (Hp, Wp) == (H, W):
        return None
    pad = torch.zeros(1, Hp, Wp, 1, dtype=dtype)
    pad[:, H:, :, :] = 1
    pad[:, :, W:, :] = 1
    per_group = group_tokens(pad, g).squeeze(-1)  # nG, N
    N = per_group.shape[1]
    return (per_group[:, None, :] > 0).to(dtype).expand(-1, N, -1) * KEY_MASK_VALUE


class CrossFormerBlock(nn.Module):
    def __init__(self, dim: int, input_resolution: Tuple[int, int], num_heads: int, group_size: int,
                 interval: int, lsda_flag: int, mlp_ratio: float, qkv_bias: bool, qk_scale: Optional[float]):
        super().__init__()
        self.dim = dim
        self.input_resolution = tuple(input_resolution)
        self.num_heads = num_heads
        self.grouping = resolve_grouping(*self.input_resolution, group_size, interval, lsda_flag)
        self.norm1 = nn.LayerNorm(dim, eps=LN_EPS)
        self.attn = Attention(dim, num_heads, qkv_bias, qk_scale)
        self.norm2 = nn.LayerNorm(dim, eps=LN_EPS)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        H, W = self.input_resolution
        B, L, C = x.shape
        assert L == H * W
        g = self.grouping
        Hp, Wp = g["padded_resolution"]
        shortcut = x
        x = self.norm1(x).view(B, H, W, C)
        if (Hp, Wp) != (H, W):
            x = F.pad(x, (0, 0, 0, Wp - W, 0, Hp - H))
        y = self.attn(group_tokens(x, g), *g["group_shape"], padded_key_mask(H, W, g, x.dtype))
        y = ungroup_tokens(y, g, B)[:, :H, :W, :].reshape(B, H * W, C)
        x = shortcut + y
        return x + self.mlp(self.norm2(x))


def conv_out(size: int, kernel: int, stride: int) -> int:
    return (size + 2 * ((kernel - stride) // 2) - kernel) // stride + 1


class PatchMerging(nn.Module):
    """Cross-scale merge: LayerNorm(C), then stride-2 convolutions of several kernels to 2C."""

    def __init__(self, input_resolution: Tuple[int, int], dim: int, kernels: Sequence[int]):
        super().__init__()
        self.input_resolution = tuple(input_resolution)
        self.dim = dim
        self.kernels = list(kernels)
        self.reductions = nn.ModuleList()  # registered before norm, as in the official module
        self.norm = nn.LayerNorm(dim, eps=LN_EPS)
        for k, out in zip(self.kernels, cel_dims(2 * dim, len(self.kernels))):
            self.reductions.append(nn.Conv2d(dim, out, kernel_size=k, stride=2, padding=(k - 2) // 2))

    def output_resolution(self) -> Tuple[int, int]:
        H, W = self.input_resolution
        return conv_out(H, self.kernels[0], 2), conv_out(W, self.kernels[0], 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        H, W = self.input_resolution
        B, L, C = x.shape
        x = self.norm(x).view(B, H, W, C).permute(0, 3, 1, 2)
        return torch.cat([r(x).flatten(2).transpose(1, 2) for r in self.reductions], dim=2)


class PatchEmbed(nn.Module):
    def __init__(self, patch_size: Sequence[int], in_chans: int, embed_dim: int, patch_norm: bool):
        super().__init__()
        self.patch_size = list(patch_size)
        stride = self.patch_size[0]
        self.projs = nn.ModuleList()
        for k, out in zip(self.patch_size, cel_dims(embed_dim, len(self.patch_size))):
            self.projs.append(nn.Conv2d(in_chans, out, kernel_size=k, stride=stride, padding=(k - stride) // 2))
        self.norm = nn.LayerNorm(embed_dim, eps=LN_EPS) if patch_norm else None

    def output_resolution(self, H: int, W: int) -> Tuple[int, int]:
        s = self.patch_size[0]
        return conv_out(H, s, s), conv_out(W, s, s)

    def forward(self, x):
        x = torch.cat([p(x).flatten(2).transpose(1, 2) for p in self.projs], dim=2)
        return self.norm(x) if self.norm is not None else x


class Stage(nn.Module):
    def __init__(self, dim, input_resolution, depth, num_heads, group_size, interval, mlp_ratio, qkv_bias,
                 qk_scale, merge_kernels):
        super().__init__()
        self.dim = dim
        self.input_resolution = tuple(input_resolution)
        self.blocks = nn.ModuleList([
            CrossFormerBlock(dim, input_resolution, num_heads, group_size, interval, j % 2, mlp_ratio, qkv_bias, qk_scale)
            for j in range(depth)])
        self.downsample = PatchMerging(input_resolution, dim, merge_kernels) if merge_kernels else None

    def output_resolution(self):
        return self.downsample.output_resolution() if self.downsample is not None else self.input_resolution


class CrossFormer(HierarchicalForward, nn.Module):
    def __init__(self, img_size=224, patch_size=(4, 8, 16, 32), in_chans=3, num_classes=1000, embed_dim=64,
                 depths=(1, 1, 8, 6), num_heads=(2, 4, 8, 16), group_size=(7, 7, 7, 7), crs_interval=(8, 4, 2, 1),
                 mlp_ratio=4.0, qkv_bias=True, qk_scale=None, patch_norm=True,
                 merge_size=((2, 4), (2, 4), (2, 4))):
        super().__init__()
        n = len(depths)
        groups = per_stage(group_size, n, "group_size")
        intervals = per_stage(crs_interval, n, "crs_interval")
        ratios = [float(r) for r in per_stage(mlp_ratio, n, "mlp_ratio")]
        merges = [list(m) for m in merge_size]
        assert len(merges) == n - 1
        H, W = (img_size, img_size) if isinstance(img_size, int) else tuple(img_size)
        self.config = dict(img_size=img_size, patch_size=list(patch_size), in_chans=in_chans, num_classes=num_classes,
                           embed_dim=embed_dim, depths=list(depths), num_heads=list(num_heads), group_size=groups,
                           crs_interval=intervals, mlp_ratio=ratios, qkv_bias=bool(qkv_bias), qk_scale=qk_scale,
                           patch_norm=bool(patch_norm), merge_size=merges)
        self.num_classes = num_classes
        self.num_features = int(embed_dim * 2 ** (n - 1))
        self.patch_embed = PatchEmbed(patch_size, in_chans, embed_dim, patch_norm)
        self.layers = nn.ModuleList()
        res = self.patch_embed.output_resolution(H, W)
        for i in range(n):
            layer = Stage(int(embed_dim * 2 ** i), res, depths[i], num_heads[i], groups[i], intervals[i], ratios[i],
                          qkv_bias, qk_scale, merges[i] if i < n - 1 else None)
            self.layers.append(layer)
            res = layer.output_resolution()
        self.norm = nn.LayerNorm(self.num_features, eps=LN_EPS)
        self.head = nn.Linear(self.num_features, num_classes) if num_classes > 0 else nn.Identity()

    def resolved_blocks(self) -> List[dict]:
        rows = []
        for i, layer in enumerate(self.layers):
            for j, blk in enumerate(layer.blocks):
                g = blk.grouping
                rows.append(dict(stage=i, block=j, dim=blk.dim, input_resolution=list(blk.input_resolution),
                                 num_heads=blk.num_heads, **g,
                                 key_mask_shape=None if g["padded_resolution"] == list(blk.input_resolution)
                                 else [g["num_groups"], g["group_shape"][0] * g["group_shape"][1],
                                       g["group_shape"][0] * g["group_shape"][1]]))
            if layer.downsample is not None:
                d = layer.downsample
                rows.append(dict(stage=i, downsample="PatchMerging", kernels=d.kernels,
                                 input_resolution=list(d.input_resolution),
                                 output_resolution=list(d.output_resolution()), dim=d.dim))
        return rows


@torch.no_grad()
def validate_official(shared_dir: str) -> Dict[str, Dict[str, float]]:
    results: Dict[str, Dict[str, float]] = {}
    for fx, d, ckpt in official_fixtures(shared_dir, "crossformer"):
        model = CrossFormer(**fx["config"]).eval()
        model.load_state_dict(ckpt, strict=True)
        assert list(model.state_dict().keys()) == list(ckpt.keys()), "official key order differs"
        for row in fx["resolved_blocks"]:
            if "block" in row:
                g = model.layers[row["stage"]].blocks[row["block"]].grouping
                assert (g["lsda_flag"], g["group_size"], g["interval"]) == (row["lsda_flag"], row["group_size"], row["interval"]), row
        res = compare_with_official(model, d)
        res["num_params_matches"] = float(sum(p.numel() for p in model.parameters()) == fx["num_params"])
        results[fx["name"]] = res
    return results


@torch.no_grad()
def self_checks() -> Dict[str, float]:
    """Properties the official fixture cannot show (it divides evenly): padded keys never matter,
    LDA groups hold tokens I apart, and a padded block equals the same block on a map cropped out
    of a larger one only through the attention's keys."""
    torch.manual_seed(0)
    res: Dict[str, float] = {}
    # LDA grouping: regions of G*I x G*I; token (y, x) of region r lands in group (r, y % I, x % I) at (y // I, x // I)
    H, W, G, I = 6, 12, 3, 2
    g = resolve_grouping(H, W, G, I, 1)
    x = torch.arange(H * W, dtype=torch.float32).view(1, H, W, 1)
    grouped = group_tokens(x, g).view(-1, G * G)
    expect = torch.zeros_like(grouped)
    for y in range(H):
        for xx in range(W):
            region = (y // (G * I)) * (W // (G * I)) + xx // (G * I)
            ry, rx = y % (G * I), xx % (G * I)
            expect[(region * I + ry % I) * I + rx % I, (ry // I) * G + rx // I] = y * W + xx
    res["lda_layout"] = float((grouped - expect).abs().max())
    res["ungroup_roundtrip"] = float((ungroup_tokens(group_tokens(x, g), g, 1) - x).abs().max())
    # padded keys: changing what sits in the padding changes nothing
    blk = CrossFormerBlock(32, (5, 7), 2, 4, 2, 1, 4.0, True, None).eval()
    randomize_(blk, 3)
    t = torch.randn(2, 35, 32)
    a = blk(t)
    orig = F.pad
    try:
        F.pad = lambda inp, pad, mode="constant", value=0.0: orig(inp, pad, mode, 7.0)  # noqa: E731
        b = blk(t)
    finally:
        F.pad = orig
    res["padding_value_irrelevant"] = _maxdiff(a, b)
    return res


def main():
    import argparse
    import json
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="/work/shared/reference")
    args = ap.parse_args()
    torch.set_num_threads(2)
    report = {"official": validate_official(args.shared), "self_checks": self_checks()}
    for name, r in report["official"].items():
        print(f"{name:34s} max|ours-official| = {max(v for k, v in r.items() if k != 'num_params_matches'):.3g}  "
              + " ".join(f"{k}={v:.2g}" for k, v in r.items()))
    print("self checks:", json.dumps(report["self_checks"]))


if __name__ == "__main__":
    main()
