"""Write the torchvision Swin V2 fixtures under fixtures/ (run from anywhere):

    /usr/bin/python3 tools/reference/make_torchvision_v2_fixtures.py [--out fixtures] [--search-seeds N]

torchvision 0.14's own Swin V2 (`SwinTransformer(..., block=SwinTransformerBlockV2,
downsample_layer=PatchMergingV2)`, the blocks of `swin_v2_t/s/b`) is the reference here, not our
official-semantics reference: torchvision never shrinks the window, pads every stage to window
multiples and zeroes the shift per axis only where the window covers the padded axis, and keeps one
3C `qkv.bias` whose key third it zeroes at run time. One small randomized model (patch 4, window 8
like swin_v2_t, embed 8, four stages) is run at torchvision's own 256x256 and at 192x320, where
the last stage (6x10, padded to 8x16) keeps window 8 and shifts along W only (the official rule
would shrink the window to 6):

* `v2_torchvision_256_w8/`: `torchvision.pth` (the torchvision state dict, torch.save, what a user has),
  `weights.safetensors` (the same weights under official names, config in the metadata, no derived
  buffers), `config.json` (with `"window_rule": "torchvision"`), `input.npy` (1,3,256,256) and
  outputs from torchvision itself in float32 (NAME.npy) and float64 (NAME_f64.npy): the blocks and
  outputs of the last two stages, norm_out, pooled, logits (earlier stages are left out to keep the
  fixture small; they agree with the official rule at these sizes anyway);
* `v2_torchvision_192x320_w8/`: the same weights (an identical weights.safetensors blob) at 192x320.

Weights: torchvision's own init after torch.manual_seed(seed), then `randomize_tv_` redraws what
that init leaves equal (LayerNorm weights 1 + 0.2N, every bias 0.02N, the whole 3C qkv.bias
including the key third torchvision ignores, logit scales ln 10 + 0.3N with head 0 of each stage's
first block at 5.0, past the ln 100 clamp), so a mapping that swaps norms or biases, or keeps the
key third, fails. swin_v2_reference.randomize_'s stronger draw is too ill-conditioned for eight V2
blocks in float32 (gaps of 1e-3 to float64). The seed is the first whose float32/float64 gap stays
within 3e-5 at both sizes (see make_family_fixtures.py on why V2's float32 needs that). Entries are
merged into fixtures/manifest.json.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import shutil
import sys
from collections import OrderedDict

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import swin_v2_reference as V2  # noqa: E402
from fixture_manifest import merge_into_manifest, record_outputs  # noqa: E402
from safetensors_io import load_safetensors, save_safetensors  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
INPUT_SEED = 1234
MAX_F32_GAP = 3e-5

CONFIG = dict(img_size=256, patch_size=4, in_chans=3, num_classes=10, embed_dim=8, depths=[2, 2, 2, 2],
              num_heads=[1, 1, 2, 2], window_size=8, mlp_ratio=2.0, qkv_bias=True, ape=False, patch_norm=True,
              pretrained_window_sizes=[0, 0, 0, 0])
# (fixture name, input H, W, what it exercises)
CASES = [
    ("v2_torchvision_256_w8", 256, 256,
     "torchvision Swin V2 at its own 256x256 (window 8 as swin_v2_t): 64x64, 32x32, 16x16 (shift 4), 8x8 = window "
     "(no shift); read from torchvision.pth (one 3C qkv.bias, flattened relative_position_index)"),
    ("v2_torchvision_192x320_w8", 192, 320,
     "torchvision Swin V2 at 192x320: 12x20 padded to 16x24 (shift 4 both axes), then 6x10 padded to 8x16 with "
     "window 8 kept and shift 4 along W only (the official rule would use window 6, no shift)"),
]
RECORDED = ("stage2_block0", "stage2_block1", "stage2_out", "stage3_block0", "stage3_block1", "stage3_out",
            "norm_out", "pooled", "logits")


def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@torch.no_grad()
def randomize_tv_(tv, seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    for name, p in tv.named_parameters():
        n = torch.randn(p.shape, generator=g, dtype=torch.float32)
        if name.endswith("logit_scale"):
            v = torch.log(torch.tensor(10.0)) + 0.3 * n
            if name.split(".")[2] == "0":  # features.{2i+1}.0.attn.logit_scale: the stage's first block
                v.view(-1)[0] = 5.0
            p.copy_(v)
        elif name.endswith("bias"):
            p.copy_(0.02 * n)
        elif p.dim() == 1:  # LayerNorm weights
            p.copy_(1.0 + 0.2 * n)


def models(seed: int):
    torch.manual_seed(seed)
    tv = V2.build_torchvision(CONFIG)
    randomize_tv_(tv, seed)
    ours = V2.SwinTransformerV2(**CONFIG).eval()
    ours.load_state_dict(V2.torchvision_to_official(tv.state_dict()), strict=True)
    return ours, tv


@torch.no_grad()
def run(tv, x: torch.Tensor):
    out32 = V2.torchvision_intermediates(tv, x, len(CONFIG["depths"]))
    out64 = V2.torchvision_intermediates(copy.deepcopy(tv).double(), x.double(), len(CONFIG["depths"]))
    return out32, out64


def inputs():
    return {name: torch.randn(1, 3, h, w, generator=torch.Generator().manual_seed(INPUT_SEED)) for name, h, w, _ in CASES}


def gap(out32, out64) -> float:
    return max(float((out32[k].double() - out64[k]).abs().max()) for k in RECORDED)


@torch.no_grad()
def write_case(name: str, h: int, w: int, description: str, ours, tv, x, seed: int, out_root: str, with_pth: bool):
    d = os.path.join(out_root, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    config = dict(CONFIG, img_size=h if h == w else [h, w], window_rule="torchvision")
    weights_config = dict(CONFIG, window_rule="torchvision")  # one blob for both cases: img_size 256
    sd = V2.strip_derived(ours.state_dict())
    save_safetensors(sd, os.path.join(d, "weights.safetensors"), {"config": json.dumps(weights_config), "family": "swin_v2"})
    if with_pth:
        torch.save(tv.state_dict(), os.path.join(d, "torchvision.pth"))
        # What a torchvision user has maps back to the official names exactly (the key third dropped).
        back = V2.torchvision_to_official(torch.load(os.path.join(d, "torchvision.pth")))
        assert set(back) == set(sd) and all(torch.equal(back[k], sd[k]) for k in sd)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(dict(config, family="swin_v2"), f, indent=1)
        f.write("\n")
    np.save(os.path.join(d, "input.npy"), x.numpy())
    out32, out64 = run(tv, x)
    outputs = record_outputs(d, name, out32, out64, RECORDED)
    loaded, _ = load_safetensors(os.path.join(d, "weights.safetensors"))
    assert all(torch.equal(loaded[k], sd[k]) for k in sd)
    files = sorted(os.listdir(d))
    return OrderedDict(
        name=name, dir=name, family="swin_v2", description=description, config=config,
        reference="torchvision 0.14 SwinTransformer(block=SwinTransformerBlockV2, downsample_layer=PatchMergingV2), "
                  "stochastic_depth_prob 0, eval",
        num_params=int(sum(p.numel() for p in tv.parameters())),
        weights=OrderedDict(file=f"{name}/weights.safetensors", sha256=sha256(os.path.join(d, "weights.safetensors"))),
        torchvision_checkpoint=OrderedDict(file=f"{name}/torchvision.pth") if with_pth else None,
        init=OrderedDict(kind="randomized", seed=seed, rule="torchvision init after torch.manual_seed(seed), then randomize_tv_"),
        input=OrderedDict(file=f"{name}/input.npy", shape=list(x.shape), dtype="float32", layout="NCHW", seed=INPUT_SEED,
                          generator="torch.randn(shape, generator=torch.Generator().manual_seed(seed))"),
        outputs=outputs,
        max_abs_diff_f32_vs_f64=max(o["max_abs_diff_f32_vs_f64"] for o in outputs.values()),
        bytes_total=sum(os.path.getsize(os.path.join(d, f)) for f in files),
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(REPO, "fixtures"))
    ap.add_argument("--search-seeds", type=int, default=40, help="randomize seeds tried for a float32 gap <= 3e-5")
    args = ap.parse_args()
    torch.set_num_threads(2)
    xs = inputs()
    chosen = None
    for seed in range(1, args.search_seeds + 1):
        ours, tv = models(seed)
        gaps = {name: gap(*run(tv, xs[name])) for name, _, _, _ in CASES}
        print(f"seed {seed}: float32 vs float64 " + " ".join(f"{n}={g:.2e}" for n, g in gaps.items()))
        if max(gaps.values()) <= MAX_F32_GAP:
            chosen = (seed, ours, tv)
            break
    assert chosen is not None, "no seed keeps float32 within 3e-5 of float64"
    seed, ours, tv = chosen
    entries = [write_case(name, h, w, desc, ours, tv, xs[name], seed, args.out, with_pth=i == 0)
               for i, (name, h, w, desc) in enumerate(CASES)]
    for e in entries:
        print(f"{e['name']:28s} params={e['num_params']} bytes={e['bytes_total']} max|f32-f64|={e['max_abs_diff_f32_vs_f64']:.2e}")
    path = merge_into_manifest(args.out, entries)
    print(f"updated {path}")


if __name__ == "__main__":
    main()
