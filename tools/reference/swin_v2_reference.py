"""Swin Transformer V2 in PyTorch, written for this project from the paper (Liu et al., CVPR 2022)
and the numerics listed in /work/shared/reference/README.md. No code was copied.

Module and parameter names are the official Microsoft ones (`layers.i.blocks.j.attn.logit_scale`,
`attn.q_bias`, `attn.v_bias`, `attn.cpb_mlp.{0,2}`, `downsample.reduction`, `downsample.norm`...),
so an official `state_dict` minus its derived buffers (`relative_coords_table`,
`relative_position_index`, `attn_mask`) loads with a strict key check. What V2 changes from V1:

* scaled cosine attention: softmax(cos(q, k) * exp(min(logit_scale, ln 100)) + B + mask) v, with
  q and k L2-normalised per head (F.normalize, eps 1e-12); logit_scale is (nH, 1, 1). The clamp bound
  is ln(100) as a float32 tensor, as in the official code, also when the model runs in float64;
* log-spaced continuous position bias: a 2-layer MLP (2 -> 512, ReLU, 512 -> nH, no bias) over
  t' = sign(t) log2(|t| + 1) / log2(8), t = 8 * (dy, dx) / (W - 1), W the block's window or its
  `pretrained_window_size` when > 0; B = 16 * sigmoid(mlp[index]);
* q and v biases only: the qkv bias is cat(q_bias, 0, v_bias);
* post-norm blocks: x = x + norm1(attn(x)); x = x + norm2(mlp(x));
* PatchMerging: Linear(4C -> 2C, no bias) and then LayerNorm(2C).

Like swin_v1_reference.py, sizes that are not a multiple of the window are padded the
torchvision way (zeros at the bottom/right before the shift, unmasked, cropped after) and odd
PatchMerging inputs are zero-padded. A window of 1 has a single relative coordinate (0, 0), which
the official formula turns into 0/0 = NaN; here it is 0.

Run this file to validate against the shared official fixture and torchvision's Swin V2.
"""
from __future__ import annotations

import math
import os
import re
import sys
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

import reference_state
from hierarchical_forward import HierarchicalForward, torchvision_intermediates
from official_validation import max_diff as _maxdiff, validate_swin_family

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import swin_v1_reference as V1  # noqa: E402  (window partition, masks, patch embed, Mlp)

LN_EPS = 1e-5
NORMALIZE_EPS = 1e-12
CPB_HIDDEN = 512
DERIVED_SUFFIXES = ("relative_position_index", "attn_mask", "relative_coords_table")


def log_spaced_coords(window: int, pretrained_window: int) -> torch.Tensor:
    """(1, 2W-1, 2W-1, 2) float32 input of the position MLP: for (dy, dx) in [-(W-1), W-1]^2,
    t = 8 * d / (P - 1) with P the pretrained window when > 0 else W, then sign(t) log2(|t|+1) / 3.
    Computed in float32 step by step, as the official buffer is."""
    d = torch.arange(-(window - 1), window, dtype=torch.float32)
    dy, dx = torch.meshgrid(d, d, indexing="ij")
    t = torch.stack([dy, dx], dim=-1).unsqueeze(0)
    divisor = (pretrained_window if pretrained_window > 0 else window) - 1
    if divisor > 0:
        t = t / divisor
    t = t * 8
    return torch.sign(t) * torch.log2(torch.abs(t) + 1.0) / math.log2(8)


class WindowAttentionV2(nn.Module):
    def __init__(self, dim: int, window_size: int, num_heads: int, qkv_bias: bool, pretrained_window_size: int):
        super().__init__()
        self.dim = dim
        self.window_size = window_size
        self.num_heads = num_heads
        self.pretrained_window_size = pretrained_window_size
        # registration order follows the official module: logit_scale, cpb_mlp, qkv, q/v bias, proj
        self.logit_scale = nn.Parameter(torch.log(10 * torch.ones(num_heads, 1, 1)))
        self.cpb_mlp = nn.Sequential(nn.Linear(2, CPB_HIDDEN, bias=True), nn.ReLU(inplace=True),
                                     nn.Linear(CPB_HIDDEN, num_heads, bias=False))
        self.register_buffer("relative_coords_table", log_spaced_coords(window_size, pretrained_window_size),
                             persistent=False)
        self.register_buffer("relative_position_index", V1.relative_position_index(window_size, window_size),
                             persistent=False)
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        if qkv_bias:
            self.q_bias = nn.Parameter(torch.zeros(dim))
            self.v_bias = nn.Parameter(torch.zeros(dim))
        else:
            self.q_bias = None
            self.v_bias = None
        self.proj = nn.Linear(dim, dim)

    def position_bias(self) -> torch.Tensor:
        """(nH, N, N) = 16 * sigmoid(cpb_mlp(table)[index])."""
        N = self.window_size * self.window_size
        table = self.cpb_mlp(self.relative_coords_table).view(-1, self.num_heads)
        bias = table[self.relative_position_index.reshape(-1)].view(N, N, self.num_heads).permute(2, 0, 1)
        return 16 * torch.sigmoid(bias)

    def head_scales(self) -> torch.Tensor:
        # The official bound is a float32 tensor: log(100) rounded to float32 even in a float64 model.
        return torch.clamp(self.logit_scale, max=torch.log(torch.tensor(100.0))).exp()

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        B_, N, C = x.shape
        nH = self.num_heads
        bias = None
        if self.q_bias is not None:
            bias = torch.cat([self.q_bias, torch.zeros_like(self.q_bias), self.v_bias])
        qkv = F.linear(x, self.qkv.weight, bias).reshape(B_, N, 3, nH, C // nH).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        cos = F.normalize(q, dim=-1, eps=NORMALIZE_EPS) @ F.normalize(k, dim=-1, eps=NORMALIZE_EPS).transpose(-2, -1)
        attn = cos * self.head_scales() + self.position_bias().unsqueeze(0)
        if mask is not None:
            nW = mask.shape[0]
            attn = (attn.view(B_ // nW, nW, nH, N, N) + mask.unsqueeze(1).unsqueeze(0)).view(B_, nH, N, N)
        attn = attn.softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(B_, N, C))


class SwinTransformerBlockV2(nn.Module):
    def __init__(self, dim: int, input_resolution: Tuple[int, int], num_heads: int, window_size: int,
                 shift_size: int, mlp_ratio: float, qkv_bias: bool, pretrained_window_size: int):
        super().__init__()
        self.dim = dim
        self.input_resolution = tuple(input_resolution)
        self.num_heads = num_heads
        if min(self.input_resolution) <= window_size:
            window_size = min(self.input_resolution)
            shift_size = 0
        self.window_size = window_size
        self.shift_size = shift_size
        self.norm1 = nn.LayerNorm(dim, eps=LN_EPS)
        self.attn = WindowAttentionV2(dim, window_size, num_heads, qkv_bias, pretrained_window_size)
        self.norm2 = nn.LayerNorm(dim, eps=LN_EPS)
        self.mlp = V1.Mlp(dim, int(dim * mlp_ratio))

    def padded_resolution(self) -> Tuple[int, int]:
        H, W = self.input_resolution
        ws = self.window_size
        return V1.ceil_div(H, ws) * ws, V1.ceil_div(W, ws) * ws

    def official_attn_mask(self) -> Optional[torch.Tensor]:
        if self.shift_size == 0:
            return None
        Hp, Wp = self.padded_resolution()
        return V1.shifted_window_mask(Hp, Wp, self.window_size, self.shift_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        H, W = self.input_resolution
        B, L, C = x.shape
        assert L == H * W
        ws, s = self.window_size, self.shift_size
        shortcut = x
        x = x.view(B, H, W, C)
        Hp, Wp = self.padded_resolution()
        if (Hp, Wp) != (H, W):
            x = F.pad(x, (0, 0, 0, Wp - W, 0, Hp - H))
        mask = None
        if s > 0:
            x = torch.roll(x, shifts=(-s, -s), dims=(1, 2))
            mask = V1.shifted_window_mask(Hp, Wp, ws, s, dtype=x.dtype, device=x.device)
        x = V1.window_reverse(self.attn(V1.window_partition(x, ws), mask), ws, Hp, Wp)
        if s > 0:
            x = torch.roll(x, shifts=(s, s), dims=(1, 2))
        x = x[:, :H, :W, :].reshape(B, H * W, C)
        x = shortcut + self.norm1(x)
        return x + self.norm2(self.mlp(x))


class PatchMergingV2(V1.PatchMerging):
    """V1's 2x2 merge, then Linear first and LayerNorm over its 2C outputs."""

    def __init__(self, input_resolution: Tuple[int, int], dim: int):
        super().__init__(input_resolution, dim)
        # Replacing the attribute keeps V1's registration order (reduction, then norm).
        self.norm = nn.LayerNorm(2 * dim, eps=LN_EPS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(self.reduction(self.merge_neighbours(x)))


class BasicLayerV2(nn.Module):
    def __init__(self, dim: int, input_resolution: Tuple[int, int], depth: int, num_heads: int, window_size: int,
                 mlp_ratio: float, qkv_bias: bool, downsample: bool, pretrained_window_size: int):
        super().__init__()
        self.dim = dim
        self.input_resolution = tuple(input_resolution)
        self.blocks = nn.ModuleList([
            SwinTransformerBlockV2(dim, input_resolution, num_heads, window_size,
                                   0 if j % 2 == 0 else window_size // 2, mlp_ratio, qkv_bias,
                                   pretrained_window_size)
            for j in range(depth)])
        self.downsample = PatchMergingV2(input_resolution, dim) if downsample else None

    def output_resolution(self) -> Tuple[int, int]:
        return self.downsample.output_resolution() if self.downsample is not None else self.input_resolution


class SwinTransformerV2(HierarchicalForward, nn.Module):
    def __init__(self, img_size=256, patch_size=4, in_chans=3, num_classes=1000, embed_dim=96,
                 depths=(2, 2, 6, 2), num_heads=(3, 6, 12, 24), window_size=8, mlp_ratio=4.0,
                 qkv_bias=True, ape=False, patch_norm=True, pretrained_window_sizes=None):
        super().__init__()
        n = len(depths)
        pws = list(pretrained_window_sizes) if pretrained_window_sizes is not None else [0] * n
        assert len(pws) == n
        self.config = dict(img_size=img_size, patch_size=patch_size, in_chans=in_chans, num_classes=num_classes,
                           embed_dim=embed_dim, depths=list(depths), num_heads=list(num_heads),
                           window_size=window_size, mlp_ratio=float(mlp_ratio), qkv_bias=bool(qkv_bias),
                           ape=bool(ape), patch_norm=bool(patch_norm), pretrained_window_sizes=pws)
        self.num_classes = num_classes
        self.ape = ape
        self.build_body(V1.PatchEmbed(img_size, patch_size, in_chans, embed_dim, patch_norm), embed_dim, n,
                        lambda i, dim, res: BasicLayerV2(dim, res, depths[i], num_heads[i], window_size, mlp_ratio,
                                                         qkv_bias, i < n - 1, pws[i]),
                        LN_EPS)

    def resolved_blocks(self) -> List[dict]:
        rows = []
        for i, layer in enumerate(self.layers):
            for j, blk in enumerate(layer.blocks):
                rows.append(V1.window_block_row(i, j, blk, dict(
                    pretrained_window_size=blk.attn.pretrained_window_size,
                    relative_coords_table_shape=list(blk.attn.relative_coords_table.shape))))
            if layer.downsample is not None:
                d = layer.downsample
                rows.append(dict(stage=i, downsample="PatchMergingV2", input_resolution=list(d.input_resolution),
                                 output_resolution=list(d.output_resolution()), dim=d.dim))
        return rows

    def official_state_dict(self) -> "OrderedDict[str, torch.Tensor]":
        """state_dict plus the derived buffers in the official order: `attn_mask` first in a shifted
        block, `relative_coords_table` and `relative_position_index` after `attn.v_bias` (or after
        `attn.logit_scale` without q/v biases)."""
        out: "OrderedDict[str, torch.Tensor]" = OrderedDict()
        for k, v in self.state_dict().items():
            p = k.split(".")
            in_block = len(p) > 5 and p[0] == "layers" and p[2] == "blocks"
            blk = self.layers[int(p[1])].blocks[int(p[3])] if in_block else None
            if in_block and p[4] == "norm1" and p[5] == "weight":
                m = blk.official_attn_mask()
                if m is not None:
                    out[".".join(p[:4]) + ".attn_mask"] = m.to(v.dtype)
            out[k] = v
            last_param = "v_bias" if blk is not None and blk.attn.v_bias is not None else "logit_scale"
            if in_block and p[4] == "attn" and p[5] == last_param:
                pre = ".".join(p[:5])
                out[pre + ".relative_coords_table"] = blk.attn.relative_coords_table.clone()
                out[pre + ".relative_position_index"] = blk.attn.relative_position_index.clone()
        return out


def strip_derived(sd: Dict[str, torch.Tensor]) -> "OrderedDict[str, torch.Tensor]":
    return reference_state.strip_derived(sd, DERIVED_SUFFIXES)


randomize_ = reference_state.randomize_


# ---------------------------------------------------------------------------------------------
# torchvision (0.14) Swin V2 names: features.0 = patch embed, features.2i+1 = stage i,
# features.2i+2 = PatchMergingV2; qkv.bias is one (3C) vector whose middle third is zeroed at run time

def official_to_torchvision(sd: Dict[str, torch.Tensor]) -> "OrderedDict[str, torch.Tensor]":
    """V1's renaming (V1.official_to_torchvision), except that each block's q_bias and v_bias become
    torchvision's one (3C) qkv.bias with a zero k third."""
    qv = (".attn.q_bias", ".attn.v_bias")
    out = V1.official_to_torchvision(OrderedDict((k, v) for k, v in sd.items() if not k.endswith(DERIVED_SUFFIXES + qv)), [])
    for k, q in sd.items():
        if k.endswith(".attn.q_bias"):
            _, i, _, j = k.split(".")[:4]
            out[f"features.{2 * int(i) + 1}.{j}.attn.qkv.bias"] = torch.cat([q, torch.zeros_like(q), sd[k[:-len("q_bias")] + "v_bias"]])
    return out


def torchvision_to_official(sd: Dict[str, torch.Tensor]) -> "OrderedDict[str, torch.Tensor]":
    """The inverse, for torchvision's own checkpoints: the k third of qkv.bias is dropped (it is
    zeroed before every use)."""
    out: "OrderedDict[str, torch.Tensor]" = OrderedDict()
    for k, v in sd.items():
        if k.endswith(DERIVED_SUFFIXES):
            continue
        p = k.split(".")
        if p[0] == "features" and p[1] == "0":
            out[("patch_embed.proj." if p[2] == "0" else "patch_embed.norm.") + p[-1]] = v
        elif p[0] == "features" and int(p[1]) % 2 == 1:
            i, j = (int(p[1]) - 1) // 2, int(p[2])
            pre = f"layers.{i}.blocks.{j}."
            rest = re.sub(r"^mlp\.0\.", "mlp.fc1.", re.sub(r"^mlp\.3\.", "mlp.fc2.", ".".join(p[3:])))
            if rest == "attn.qkv.bias":
                C = v.shape[0] // 3
                out[pre + "attn.q_bias"] = v[:C].clone()
                out[pre + "attn.v_bias"] = v[2 * C:].clone()
            else:
                out[pre + rest] = v
        elif p[0] == "features":
            out[f"layers.{int(p[1]) // 2 - 1}.downsample." + ".".join(p[2:])] = v
        else:
            out[k] = v
    return out


def build_torchvision(config: dict):
    from torchvision.models.swin_transformer import PatchMergingV2 as TVMerge
    from torchvision.models.swin_transformer import SwinTransformer as TVSwin
    from torchvision.models.swin_transformer import SwinTransformerBlockV2 as TVBlock
    assert config.get("qkv_bias", True) and config.get("patch_norm", True) and not config.get("ape", False)
    assert not any(config.get("pretrained_window_sizes") or [])
    ps = V1.to_2tuple(config["patch_size"])
    ws = config["window_size"]
    nc = config["num_classes"]
    m = TVSwin(patch_size=list(ps), embed_dim=config["embed_dim"], depths=list(config["depths"]),
               num_heads=list(config["num_heads"]), window_size=[ws, ws], mlp_ratio=config.get("mlp_ratio", 4.0),
               stochastic_depth_prob=0.0, num_classes=nc if nc > 0 else 1000, block=TVBlock, downsample_layer=TVMerge)
    if nc == 0:
        m.head = nn.Identity()
    return m.eval()


def torchvision_expected_to_agree(model: SwinTransformerV2) -> bool:
    """torchvision keeps the configured window and zeroes the shift per axis; the official rule
    shrinks the window when min(H, W) <= window. Same outputs when every stage is larger than the
    window on both axes or equal to it on both."""
    ws = model.config["window_size"]
    return all(min(l.input_resolution) > ws or tuple(l.input_resolution) == (ws, ws) for l in model.layers)


# ---------------------------------------------------------------------------------------------
# validation

def validate_official(shared_dir: str) -> Dict[str, Dict[str, float]]:
    return validate_swin_family(shared_dir, "swin_v2", lambda c: SwinTransformerV2(**c), strip_derived)


@torch.no_grad()
def compare_torchvision(model: SwinTransformerV2, x: torch.Tensor) -> Dict[str, float]:
    """Our model vs torchvision with the same weights, float32 and float64. In float64 the clamped
    heads differ by the clamp bound (torchvision: ln 100 in float64; official: in float32)."""
    tv = build_torchvision(model.config)
    missing, unexpected = tv.load_state_dict(official_to_torchvision(model.state_dict()), strict=False)
    assert not unexpected, unexpected
    assert all(k.endswith(("relative_position_index", "relative_coords_table")) for k in missing), missing
    res: Dict[str, float] = {}
    for dt, suffix in ((torch.float32, ""), (torch.float64, "_f64")):
        m = model.to(dt)
        a = m.forward_intermediates(x.to(dt))
        b = torchvision_intermediates(tv.to(dt), x.to(dt), len(model.layers))
        for k in a:
            res[k + suffix] = _maxdiff(a[k], b[k])
    model.float()
    return res


@torch.no_grad()
def validate_torchvision(config: dict, seed: int = 7, input_seed: int = 99, batch: int = 2) -> Dict[str, float]:
    model = SwinTransformerV2(**config).eval()
    randomize_(model, seed)
    H, W = V1.to_2tuple(config["img_size"])
    x = torch.randn(batch, config["in_chans"], H, W, generator=torch.Generator().manual_seed(input_seed))
    return compare_torchvision(model, x)


@torch.no_grad()
def validate_swin_v2_t(seed: int = 0) -> Dict[str, float]:
    """torchvision swin_v2_t(weights=None) 256 with its own init, loaded into our model."""
    from torchvision.models import swin_v2_t
    torch.manual_seed(seed)
    tv = swin_v2_t(weights=None).eval()
    model = SwinTransformerV2(img_size=256, embed_dim=96, depths=[2, 2, 6, 2], num_heads=[3, 6, 12, 24],
                              window_size=8).eval()
    model.load_state_dict(torchvision_to_official(tv.state_dict()), strict=True)
    x = torch.randn(1, 3, 256, 256, generator=torch.Generator().manual_seed(seed))
    return {"logits": _maxdiff(model(x), tv(x)), "num_params": float(sum(p.numel() for p in model.parameters()))}


def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="/work/shared/reference")
    ap.add_argument("--swin-v2-t", action="store_true", help="also compare with torchvision swin_v2_t at 256 (~20 s)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    base = dict(img_size=32, patch_size=4, in_chans=3, num_classes=10, embed_dim=16, depths=[2, 2],
                num_heads=[1, 2], window_size=4, mlp_ratio=4.0, qkv_bias=True, ape=False, patch_norm=True)
    report = {
        "official": validate_official(args.shared),
        "torchvision_t32_w4": validate_torchvision(base),
        "torchvision_4stage_64_w2": validate_torchvision(dict(base, img_size=64, embed_dim=8, depths=[2, 2, 2, 2],
                                                              num_heads=[1, 2, 4, 8], window_size=2)),
        "torchvision_pad_48_w5": validate_torchvision(dict(base, img_size=48, window_size=5)),
        "torchvision_pad_odd_rect_36x52_w4": validate_torchvision(dict(base, img_size=[36, 52], embed_dim=8, num_heads=[2, 4])),
    }
    if args.swin_v2_t:
        report["torchvision_swin_v2_t_256"] = validate_swin_v2_t()
    V1.print_report(report)


if __name__ == "__main__":
    main()
