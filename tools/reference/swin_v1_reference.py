"""Swin Transformer V1 in PyTorch, written for this project from the published semantics.

Module and parameter names are the official Microsoft ones, so an official
`state_dict` (minus the derived buffers `relative_position_index` and
`attn_mask`) loads with a strict key check. Differences from the official code:

* derived buffers are not part of the state dict: the relative position index is
  a non-persistent buffer and the shifted-window mask is built in `forward` from
  the (padded) feature size; `official_state_dict()` adds both back in the
  official order, for writing official-format checkpoints;
* sizes that are not a multiple of the window (when the stage is larger than the
  window) are handled like torchvision: zero-pad bottom/right after norm1, shift
  and mask on the padded size, crop after the reverse shift; PatchMerging zero-pads
  odd H/W at bottom/right. The official code asserts instead;
* `forward_intermediates()` returns every tensor the fixtures record.

Run this file to validate against the shared official fixtures and torchvision.
"""
from __future__ import annotations

import math
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

import reference_state
from hierarchical_forward import HierarchicalForward, torchvision_intermediates
from official_validation import max_diff as _maxdiff, validate_swin_family

MASK_VALUE = -100.0
LN_EPS = 1e-5


def to_2tuple(v: Union[int, Sequence[int]]) -> Tuple[int, int]:
    if isinstance(v, (list, tuple)):
        assert len(v) == 2
        return int(v[0]), int(v[1])
    return int(v), int(v)


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def relative_position_index(wh: int, ww: int) -> torch.Tensor:
    """(N, N) int64 with index = (dy + wh-1)*(2ww-1) + (dx + ww-1), dy = y_query - y_key."""
    ys, xs = torch.meshgrid(torch.arange(wh), torch.arange(ww), indexing="ij")
    ys, xs = ys.reshape(-1), xs.reshape(-1)
    dy = ys[:, None] - ys[None, :]
    dx = xs[:, None] - xs[None, :]
    return (dy + wh - 1) * (2 * ww - 1) + (dx + ww - 1)


def window_partition(x: torch.Tensor, ws: int) -> torch.Tensor:
    """(B, H, W, C) -> (B*nW, ws*ws, C), windows in row-major window order."""
    B, H, W, C = x.shape
    x = x.view(B, H // ws, ws, W // ws, ws, C).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(B * (H // ws) * (W // ws), ws * ws, C)


def window_reverse(windows: torch.Tensor, ws: int, H: int, W: int) -> torch.Tensor:
    """(B*nW, ws*ws, C) -> (B, H, W, C)."""
    C = windows.shape[-1]
    B = windows.shape[0] // ((H // ws) * (W // ws))
    x = windows.view(B, H // ws, W // ws, ws, ws, C).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(B, H, W, C)


def shifted_window_mask(Hp: int, Wp: int, ws: int, shift: int,
                        dtype: torch.dtype = torch.float32,
                        device: Optional[torch.device] = None) -> torch.Tensor:
    """(nW, N, N): 0 where query and key come from the same region, -100 otherwise."""
    region = torch.zeros(1, Hp, Wp, 1, dtype=dtype, device=device)
    slices = ((0, -ws), (-ws, -shift), (-shift, None))
    label = 0
    for h0, h1 in slices:
        for w0, w1 in slices:
            region[:, h0:h1, w0:w1, :] = label
            label += 1
    r = window_partition(region, ws).squeeze(-1)  # nW, N
    diff = r[:, None, :] - r[:, :, None]
    return torch.where(diff != 0, torch.full_like(diff, MASK_VALUE), torch.zeros_like(diff))


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()  # exact erf form
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class WindowAttention(nn.Module):
    def __init__(self, dim: int, window_size: int, num_heads: int,
                 qkv_bias: bool = True, qk_scale: Optional[float] = None):
        super().__init__()
        self.dim = dim
        self.window_size = window_size
        self.num_heads = num_heads
        head_dim = dim // num_heads
        self.scale = qk_scale if qk_scale is not None else head_dim ** -0.5
        # parameter registration order follows the official module (table, qkv, proj)
        self.relative_position_bias_table = nn.Parameter(
            torch.zeros((2 * window_size - 1) * (2 * window_size - 1), num_heads))
        self.register_buffer("relative_position_index",
                             relative_position_index(window_size, window_size), persistent=False)
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def relative_position_bias(self) -> torch.Tensor:
        N = self.window_size * self.window_size
        idx = self.relative_position_index.reshape(-1)
        return self.relative_position_bias_table[idx].view(N, N, self.num_heads).permute(2, 0, 1)

    def forward(self, x: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        B_, N, C = x.shape
        nH = self.num_heads
        qkv = self.qkv(x).reshape(B_, N, 3, nH, C // nH).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        q = q * self.scale
        attn = q @ k.transpose(-2, -1)
        attn = attn + self.relative_position_bias().unsqueeze(0)
        if mask is not None:
            nW = mask.shape[0]
            attn = attn.view(B_ // nW, nW, nH, N, N) + mask.unsqueeze(1).unsqueeze(0)
            attn = attn.view(B_, nH, N, N)
        attn = attn.softmax(dim=-1)
        x = (attn @ v).transpose(1, 2).reshape(B_, N, C)
        return self.proj(x)


class SwinTransformerBlock(nn.Module):
    def __init__(self, dim: int, input_resolution: Tuple[int, int], num_heads: int,
                 window_size: int = 7, shift_size: int = 0, mlp_ratio: float = 4.0,
                 qkv_bias: bool = True, qk_scale: Optional[float] = None):
        super().__init__()
        self.dim = dim
        self.input_resolution = tuple(input_resolution)
        self.num_heads = num_heads
        self.mlp_ratio = mlp_ratio
        if min(self.input_resolution) <= window_size:
            # official rule: the window shrinks to the stage, no shift (sets the table size too)
            window_size = min(self.input_resolution)
            shift_size = 0
        assert 0 <= shift_size < window_size
        self.window_size = window_size
        self.shift_size = shift_size
        self.norm1 = nn.LayerNorm(dim, eps=LN_EPS)
        self.attn = WindowAttention(dim, window_size, num_heads, qkv_bias, qk_scale)
        self.norm2 = nn.LayerNorm(dim, eps=LN_EPS)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def padded_resolution(self) -> Tuple[int, int]:
        H, W = self.input_resolution
        ws = self.window_size
        return ceil_div(H, ws) * ws, ceil_div(W, ws) * ws

    def official_attn_mask(self) -> Optional[torch.Tensor]:
        """The `attn_mask` buffer the official code registers (None when not shifted)."""
        if self.shift_size == 0:
            return None
        Hp, Wp = self.padded_resolution()
        return shifted_window_mask(Hp, Wp, self.window_size, self.shift_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        H, W = self.input_resolution
        B, L, C = x.shape
        assert L == H * W, f"expected {H}x{W}={H * W} tokens, got {L}"
        ws, s = self.window_size, self.shift_size
        shortcut = x
        x = self.norm1(x).view(B, H, W, C)
        pad_b = (ws - H % ws) % ws
        pad_r = (ws - W % ws) % ws
        if pad_b or pad_r:
            # torchvision semantics: zeros after norm1; padded tokens stay unmasked keys
            x = F.pad(x, (0, 0, 0, pad_r, 0, pad_b))
        Hp, Wp = H + pad_b, W + pad_r
        mask = None
        if s > 0:
            x = torch.roll(x, shifts=(-s, -s), dims=(1, 2))
            mask = shifted_window_mask(Hp, Wp, ws, s, dtype=x.dtype, device=x.device)
        windows = window_partition(x, ws)
        windows = self.attn(windows, mask)
        x = window_reverse(windows, ws, Hp, Wp)
        if s > 0:
            x = torch.roll(x, shifts=(s, s), dims=(1, 2))
        x = x[:, :H, :W, :].reshape(B, H * W, C)
        x = shortcut + x
        return x + self.mlp(self.norm2(x))


class PatchMerging(nn.Module):
    def __init__(self, input_resolution: Tuple[int, int], dim: int):
        super().__init__()
        self.input_resolution = tuple(input_resolution)
        self.dim = dim
        # official registration order: reduction, then norm
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)
        self.norm = nn.LayerNorm(4 * dim, eps=LN_EPS)

    def output_resolution(self) -> Tuple[int, int]:
        H, W = self.input_resolution
        return ceil_div(H, 2), ceil_div(W, 2)

    def merge_neighbours(self, x: torch.Tensor) -> torch.Tensor:
        """(B, H*W, C) -> (B, ceil(H/2)*ceil(W/2), 4C): each 2x2 neighbourhood's tokens side by side
        (odd sides zero-padded bottom/right first)."""
        H, W = self.input_resolution
        B, L, C = x.shape
        assert L == H * W
        x = x.view(B, H, W, C)
        if H % 2 or W % 2:
            x = F.pad(x, (0, 0, 0, W % 2, 0, H % 2))
        x = torch.cat([x[:, 0::2, 0::2], x[:, 1::2, 0::2], x[:, 0::2, 1::2], x[:, 1::2, 1::2]], -1)
        return x.reshape(B, -1, 4 * C)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.reduction(self.norm(self.merge_neighbours(x)))


class BasicLayer(nn.Module):
    def __init__(self, dim: int, input_resolution: Tuple[int, int], depth: int, num_heads: int,
                 window_size: int, mlp_ratio: float, qkv_bias: bool, qk_scale: Optional[float],
                 downsample: bool):
        super().__init__()
        self.dim = dim
        self.input_resolution = tuple(input_resolution)
        self.blocks = nn.ModuleList([
            SwinTransformerBlock(dim, input_resolution, num_heads, window_size,
                                 0 if j % 2 == 0 else window_size // 2,
                                 mlp_ratio, qkv_bias, qk_scale)
            for j in range(depth)])
        self.downsample = PatchMerging(input_resolution, dim) if downsample else None

    def output_resolution(self) -> Tuple[int, int]:
        return self.downsample.output_resolution() if self.downsample is not None else self.input_resolution


class PatchEmbed(nn.Module):
    def __init__(self, img_size, patch_size, in_chans: int, embed_dim: int, patch_norm: bool):
        super().__init__()
        self.img_size = to_2tuple(img_size)
        self.patch_size = to_2tuple(patch_size)
        self.patches_resolution = (self.img_size[0] // self.patch_size[0],
                                   self.img_size[1] // self.patch_size[1])
        self.num_patches = self.patches_resolution[0] * self.patches_resolution[1]
        self.proj = nn.Conv2d(in_chans, embed_dim, kernel_size=self.patch_size, stride=self.patch_size)
        self.norm = nn.LayerNorm(embed_dim, eps=LN_EPS) if patch_norm else None

    def forward(self, x):
        B, C, H, W = x.shape
        assert (H, W) == self.img_size, f"input {H}x{W} does not match img_size {self.img_size}"
        x = self.proj(x).flatten(2).transpose(1, 2)  # B, L, C with token = h*W + w
        if self.norm is not None:
            x = self.norm(x)
        return x


def window_block_row(stage: int, block: int, blk: nn.Module, attention: dict, tail: Optional[dict] = None) -> dict:
    """A shifted-window block's manifest row (V1 and V2): geometry, then `attention`'s entries, the shift
    mask's shape, then `tail`'s."""
    Hp, Wp = blk.padded_resolution()
    ws = blk.window_size
    return dict(stage=stage, block=block, dim=blk.dim, input_resolution=list(blk.input_resolution),
                num_heads=blk.num_heads, window_size=ws, shift_size=blk.shift_size, padded_resolution=[Hp, Wp],
                num_windows=(Hp // ws) * (Wp // ws), **attention,
                attn_mask_shape=[(Hp // ws) * (Wp // ws), ws * ws, ws * ws] if blk.shift_size else None, **(tail or {}))


class SwinTransformer(HierarchicalForward, nn.Module):
    def __init__(self, img_size=224, patch_size=4, in_chans=3, num_classes=1000,
                 embed_dim=96, depths=(2, 2, 6, 2), num_heads=(3, 6, 12, 24),
                 window_size=7, mlp_ratio=4.0, qkv_bias=True, qk_scale=None,
                 ape=False, patch_norm=True):
        super().__init__()
        self.config = dict(img_size=img_size, patch_size=patch_size, in_chans=in_chans,
                           num_classes=num_classes, embed_dim=embed_dim, depths=list(depths),
                           num_heads=list(num_heads), window_size=window_size,
                           mlp_ratio=float(mlp_ratio), qkv_bias=bool(qkv_bias), qk_scale=qk_scale,
                           ape=bool(ape), patch_norm=bool(patch_norm))
        self.num_classes = num_classes
        self.num_layers = len(depths)
        self.embed_dim = embed_dim
        self.ape = ape
        self.build_body(PatchEmbed(img_size, patch_size, in_chans, embed_dim, patch_norm), embed_dim, self.num_layers,
                        lambda i, dim, res: BasicLayer(dim, res, depths[i], num_heads[i], window_size, mlp_ratio, qkv_bias,
                                                       qk_scale, downsample=i < self.num_layers - 1),
                        LN_EPS)

    def resolved_blocks(self) -> List[dict]:
        """Window/shift each block resolved to, and where padding applies."""
        rows = []
        for i, layer in enumerate(self.layers):
            for j, blk in enumerate(layer.blocks):
                rows.append(window_block_row(
                    i, j, blk, dict(relative_position_bias_table_shape=list(blk.attn.relative_position_bias_table.shape)),
                    dict(qk_scale=blk.attn.scale)))
            if layer.downsample is not None:
                d = layer.downsample
                rows.append(dict(stage=i, downsample="PatchMerging", input_resolution=list(d.input_resolution),
                                 output_resolution=list(d.output_resolution()), dim=d.dim,
                                 padded=bool(d.input_resolution[0] % 2 or d.input_resolution[1] % 2)))
        return rows

    def official_state_dict(self) -> "OrderedDict[str, torch.Tensor]":
        """state_dict with the derived buffers the official code saves, in its order:
        `layers.i.blocks.j.attn_mask` before the block's params (shifted blocks only) and
        `attn.relative_position_index` right after `attn.relative_position_bias_table`."""
        sd = self.state_dict()
        out: "OrderedDict[str, torch.Tensor]" = OrderedDict()
        for k, v in sd.items():
            parts = k.split(".")
            if len(parts) > 5 and parts[0] == "layers" and parts[2] == "blocks" and parts[4] == "norm1" and parts[5] == "weight":
                blk = self.layers[int(parts[1])].blocks[int(parts[3])]
                m = blk.official_attn_mask()
                if m is not None:
                    out[".".join(parts[:4]) + ".attn_mask"] = m.to(v.dtype)
            out[k] = v
            if k.endswith("attn.relative_position_bias_table"):
                blk = self.layers[int(parts[1])].blocks[int(parts[3])]
                out[k[: -len("relative_position_bias_table")] + "relative_position_index"] = \
                    blk.attn.relative_position_index.clone()
        return out


DERIVED_SUFFIXES = ("relative_position_index", "attn_mask")


def strip_derived(sd: Dict[str, torch.Tensor]) -> "OrderedDict[str, torch.Tensor]":
    return reference_state.strip_derived(sd, DERIVED_SUFFIXES)


randomize_ = reference_state.randomize_


# ---------------------------------------------------------------------------------------------
# torchvision name mapping (torchvision.models.swin_transformer.SwinTransformer, V1 block)

def official_to_torchvision(sd: Dict[str, torch.Tensor], depths: Sequence[int]) -> "OrderedDict[str, torch.Tensor]":
    """Official names -> torchvision names (parameters only; derived buffers are ignored)."""
    out: "OrderedDict[str, torch.Tensor]" = OrderedDict()
    for k, v in sd.items():
        if k.endswith(DERIVED_SUFFIXES):
            continue
        p = k.split(".")
        if k.startswith("patch_embed.proj."):
            nk = "features.0.0." + p[-1]
        elif k.startswith("patch_embed.norm."):
            nk = "features.0.2." + p[-1]
        elif p[0] == "layers" and p[2] == "blocks":
            i, j = int(p[1]), int(p[3])
            rest = ".".join(p[4:]).replace("mlp.fc1", "mlp.0").replace("mlp.fc2", "mlp.3")
            nk = f"features.{2 * i + 1}.{j}.{rest}"
        elif p[0] == "layers" and p[2] == "downsample":
            i = int(p[1])
            nk = f"features.{2 * i + 2}." + ".".join(p[3:])
        elif p[0] in ("norm", "head"):
            nk = k
        else:
            raise KeyError(f"no torchvision name for {k}")
        out[nk] = v
    return out


def build_torchvision(config: dict):
    from torchvision.models.swin_transformer import SwinTransformer as TVSwin
    assert config.get("qkv_bias", True) and config.get("patch_norm", True) and not config.get("ape", False)
    assert config.get("qk_scale") is None
    ps = to_2tuple(config["patch_size"])
    ws = config["window_size"]
    nc = config["num_classes"]
    m = TVSwin(patch_size=list(ps), embed_dim=config["embed_dim"], depths=list(config["depths"]),
               num_heads=list(config["num_heads"]), window_size=[ws, ws],
               mlp_ratio=config.get("mlp_ratio", 4.0), stochastic_depth_prob=0.0,
               num_classes=nc if nc > 0 else 1000)
    if nc == 0:
        m.head = nn.Identity()
    return m.eval()


# ---------------------------------------------------------------------------------------------
# validation

def validate_official(shared_dir: str) -> Dict[str, Dict[str, float]]:
    return validate_swin_family(shared_dir, "swin_v1", lambda c: SwinTransformer(**c), strip_derived)


@torch.no_grad()
def validate_torchvision(config: dict, seed: int = 7, input_seed: int = 99, batch: int = 2) -> Dict[str, float]:
    """Randomized official-named model vs torchvision loaded with the mapped weights."""
    model = SwinTransformer(**config).eval()
    randomize_(model, seed)
    tv = build_torchvision(config)
    tv_sd = official_to_torchvision(model.state_dict(), config["depths"])
    missing, unexpected = tv.load_state_dict(tv_sd, strict=False)
    assert not unexpected, unexpected
    assert all(k.endswith("relative_position_index") for k in missing), missing
    H, W = to_2tuple(config["img_size"])
    x = torch.randn(batch, config["in_chans"], H, W, generator=torch.Generator().manual_seed(input_seed))
    res = {}
    for dtype in (torch.float32, torch.float64):
        a = model.to(dtype).forward_intermediates(x.to(dtype))
        b = torchvision_intermediates(tv.to(dtype), x.to(dtype), len(config["depths"]))
        for k in a:
            res[f"{k}{'' if dtype == torch.float32 else '_f64'}"] = _maxdiff(a[k], b[k])
    model.float()
    tv.float()
    return res


SWIN_T_224 = dict(img_size=224, patch_size=4, in_chans=3, num_classes=1000, embed_dim=96, depths=[2, 2, 6, 2],
                  num_heads=[3, 6, 12, 24], window_size=7, mlp_ratio=4.0, qkv_bias=True, qk_scale=None,
                  ape=False, patch_norm=True)


@torch.no_grad()
def validate_swin_t(d: str) -> Dict[str, float]:
    """torchvision swin_t state_dict (from torchvision_swin_t.py) mapped to official names."""
    import os
    import numpy as np
    from checkpoint_schemes import from_scheme
    sd = from_scheme(torch.load(os.path.join(d, "swin_t_torchvision.pth"), map_location="cpu"), SWIN_T_224)
    model = SwinTransformer(**SWIN_T_224).eval()
    model.load_state_dict(sd, strict=True)
    x = torch.from_numpy(np.load(os.path.join(d, "input.npy")))
    res = {"logits": _maxdiff(model(x), torch.from_numpy(np.load(os.path.join(d, "logits.npy"))))}
    model = model.double()
    res["logits_f64"] = _maxdiff(model(x.double()), torch.from_numpy(np.load(os.path.join(d, "logits_f64.npy"))))
    return res


PAD_CONFIG = dict(img_size=48, patch_size=4, in_chans=3, num_classes=10, embed_dim=16, depths=[2, 2],
                  num_heads=[1, 2], window_size=5, mlp_ratio=4.0, qkv_bias=True, qk_scale=None,
                  ape=False, patch_norm=True)


def print_report(report: Dict[str, Dict]) -> None:
    """A validation report (V1 and V2): per official fixture its worst output, per torchvision group its
    worst float32 and float64 differences (num_params excluded), then the whole report as JSON."""
    import json
    for group, rows in report.items():
        if group == "official":
            for name, r in rows.items():
                print(f"{name:34s} max|ours-official| = {max(r.values()):.3g}  " +
                      " ".join(f"{k}={v:.2g}" for k, v in r.items()))
        else:
            f32 = max(v for k, v in rows.items() if not k.endswith("_f64") and k != "num_params")
            f64 = max((v for k, v in rows.items() if k.endswith("_f64")), default=float("nan"))
            print(f"{group:34s} max|ours-torchvision| f32 = {f32:.3g}  f64 = {f64:.3g}")
    print(json.dumps(report, indent=1))


def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="/work/shared/reference",
                    help="directory with the official-code fixtures (manifest.json)")
    ap.add_argument("--torchvision-swin-t", metavar="DIR",
                    help="also compare with the output of torchvision_swin_t.py written to DIR (Swin-T 224)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    report = {"official": validate_official(args.shared),
              "torchvision_pad_48_w5": validate_torchvision(PAD_CONFIG)}
    # also a config where torchvision and official agree without padding (stage == window)
    report["torchvision_t32_w4"] = validate_torchvision(dict(PAD_CONFIG, img_size=32, window_size=4))
    if args.torchvision_swin_t:
        report["torchvision_swin_t_224"] = validate_swin_t(args.torchvision_swin_t)
    print_report(report)


if __name__ == "__main__":
    main()
