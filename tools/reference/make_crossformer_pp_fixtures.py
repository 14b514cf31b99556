"""Write the CrossFormer++ fixtures under fixtures/ by running the official code (run from anywhere):

    /usr/bin/python3 tools/reference/make_crossformer_pp_fixtures.py [--out fixtures] [--only NAME ...]
        [--upstream /work/shared/upstream/cheerss-CrossFormer]

The model is the official `models/crossformer.py` of cheerss/CrossFormer @ 795201075f00 (MIT; a
verbatim copy with its licence in ../shared/upstream/cheerss-CrossFormer/), imported unmodified.
It imports DropPath, to_2tuple and trunc_normal_ from timm, which Debian does not package:
`timm_stand_in/` provides those three names (our code; eval-only behaviour matters here).

One correction is applied from outside, to the official PatchEmbed only: it takes both sides of the
patch grid from img_size[0] (`patches_resolution = [img_size[0] // p, img_size[0] // p]`), so a
non-square model fails its own `assert L == H * W`. After its __init__ we set the grid to
(img_size[0] // p, img_size[1] // p) — identical for square sizes — so non-square fixtures run the
official blocks, masks and merges at the real map size.

Every case is written in the layout of make_family_fixtures.py (weights.safetensors with official
names and the config in its metadata, config.json with "family", input.npy, every intermediate as
float32 NAME.npy and float64 NAME_f64.npy: the same weights and input run in float64), with the
official per-block resolution (SDA/LDA, group size, interval, mask shape) in the manifest entry.
Also writes fixtures/crossformer_group_sizes.json: the official `compute_group_size` for every
group_type on the released configurations and a few small ones.
"""
from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import sys
from collections import OrderedDict

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "timm_stand_in"))
from reference_state import randomize_  # noqa: E402  (the fixtures' randomized-init rule)
from fixture_case import (  # noqa: E402
                          INPUT_GENERATOR, INPUT_SEED, RANDOMIZE_SEED, fresh_dir, generator_args, layout_of, reload_check,
                          save_output, seeded_input, sha256, write_model_files)
from fixture_manifest import merge_into_manifest  # noqa: E402

UPSTREAM_COMMIT = "795201075f0066e78408882617312084e25aef61"
GROUP_TYPES = ["constant", "linear", "linear_div", "alter", "7_14"]


def load_official(upstream: str):
    sys.path.insert(0, upstream)
    import crossformer as official  # noqa: E402

    base_init = official.PatchEmbed.__init__

    def patch_embed_init(self, *args, **kwargs):
        base_init(self, *args, **kwargs)
        h, w = official.to_2tuple(self.img_size)
        p = self.patch_size[0]
        self.patches_resolution = [h // p, w // p]
        self.num_patches = self.patches_resolution[0] * self.patches_resolution[1]

    official.PatchEmbed.__init__ = patch_embed_init
    return official


def ppcfg(**kw):
    base = dict(img_size=32, patch_size=[4, 8], in_chans=3, num_classes=10, embed_dim=16, depths=[2, 2],
                num_heads=[1, 2], group_size=[4, 4], crs_interval=[2, 1], mlp_ratio=[2.0, 2.0], qkv_bias=True,
                qk_scale=None, patch_norm=True, merge_size=[[2, 4]], group_type="constant", use_cpe=False,
                pad_type=0, no_mask=False, adaptive_interval=False, use_acl=False)
    base.update(kw)
    return base


# (name, config, init: "randomized" | "default", description)
CASES = [
    ("cfpp_rand_cpe_acl_rect_40x56",
     ppcfg(img_size=[40, 56], depths=[4, 2], use_cpe=True, use_acl=True), "randomized",
     "CPE (depth-wise conv over the map read as NCHW, one channel per row) instead of the position bias, ACL after "
     "block 2 of stage 0; non-square 10x14 -> 5x7 tokens: SDA pads to 12x16 / 8x8 (masked), LDA with interval 2 pads "
     "to 16x16 = 2x2 regions of 8x8 (groups of 4x4 tokens 2 apart), stage 1 LDA interval 1 in 2x2 regions"),
    ("cfpp_rand_3stage_alter_pad1_adaptive",
     ppcfg(img_size=64, depths=[2, 4, 2], num_heads=[1, 2, 2], group_size=[4, 4, 4], crs_interval=[4, 2, 1],
           mlp_ratio=[2.0, 1.0, 1.0], merge_size=[[2, 4], [2]], group_type="alter", pad_type=1,
           adaptive_interval=True, use_acl=True), "randomized",
     "group_type alter (per-block group sizes from img_size: 4 then 6 in stage 0), pad_type 1 (padding split "
     "top/left and bottom/right, masked on both sides), adaptive_interval (interval ceil(H / G)), ACL after block 2 of "
     "stage 1; 16x16 -> 8x8 -> 4x4 tokens"),
    ("cfpp_default_3stage_7_14_nomask_48",
     ppcfg(img_size=48, depths=[1, 1, 5], num_heads=[1, 1, 2], group_size=[4, 4, 4], crs_interval=[2, 1, 1],
           mlp_ratio=[2.0, 1.0, 1.0], merge_size=[[2], [2, 4]], group_type="7_14", no_mask=True, use_acl=True),
     "default",
     "the official constructor's own init (torch.manual_seed(0)); group_type 7_14 (stage 2's first four blocks "
     "halve G to 2, block 4 keeps 4 = min(H, W) -> SDA), no_mask (padded keys attend as zeros: 12x12 SDA G 4 needs "
     "none, stage 1's 6x6 pads to 8x8), ACL after blocks 2 of stage 2; 12x12 -> 6x6 -> 3x3 tokens"),
    ("cfpp_rand_linear_rect_72x40_pad1",
     ppcfg(img_size=[72, 40], depths=[2, 2], group_size=[4, 4], crs_interval=[2, 1], group_type="linear",
           pad_type=1), "randomized",
     "group_type linear (sizes from the 18-row grid at img_size: 4, 7 in stage 0), pad_type 1, non-square "
     "18x10 -> 9x5 tokens: LDA G 7 interval 2 pads to 28x14 (7 rows above, 6 columns... split both sides)"),
    ("cfpp_rand_linear_div_cpe_nomask_pad",
     ppcfg(img_size=48, depths=[2, 3, 1], num_heads=[1, 2, 2], group_size=[4, 4, 4], crs_interval=[4, 2, 1],
           mlp_ratio=[2.0, 1.0, 1.0], merge_size=[[2], [2]], group_type="linear_div", use_cpe=True, no_mask=True),
     "randomized",
     "group_type linear_div, CPE without position bias, no_mask: padded keys unmasked; 12x12 -> 6x6 -> 3x3 tokens"),
]


class Intermediates:
    """Records the official modules' outputs under the fixtures' names with forward hooks."""

    def __init__(self, model):
        self.model = model
        self.outs = OrderedDict()
        hooks = [(model.patch_embed, "embed")]
        for i, layer in enumerate(model.layers):
            hooks += [(blk, f"stage{i}_block{j}") for j, blk in enumerate(layer.blocks)]
            hooks.append((layer, f"stage{i}_out"))
        hooks.append((model.norm, "norm_out"))
        for mod, name in hooks:
            mod.register_forward_hook(self._hook(name))

    def _hook(self, name):
        def hook(_mod, _inp, out):
            self.outs[name] = out.detach().clone()
        return hook

    @torch.no_grad()
    def run(self, x):
        self.outs.clear()
        pooled = self.model.forward_features(x)
        logits = self.model.head(pooled)
        out = OrderedDict(self.outs)
        out["pooled"] = pooled
        out["logits"] = logits
        return out


def build(official, config, init: str):
    torch.manual_seed(0)
    with contextlib.redirect_stdout(io.StringIO()):  # compute_group_size prints its result
        model = official.CrossFormer(**config, drop_path_rate=0.0).eval()
    if init == "randomized":
        randomize_(model, RANDOMIZE_SEED)
    return model


def resolved_blocks(model) -> list:
    rows = []
    for i, layer in enumerate(model.layers):
        for j, blk in enumerate(layer.blocks):
            mask = blk.attn_mask
            rows.append(OrderedDict(stage=i, block=j, input_resolution=list(blk.input_resolution),
                                    kind="LDA" if blk.lsda_flag else "SDA", group_size=blk.group_size,
                                    interval=blk.interval, mask_shape=None if mask is None else list(mask.shape),
                                    cooling_layer=bool(blk.use_extra_conv)))
    return rows


@torch.no_grad()
def write_case(official, name, config, init, description, out_root) -> dict:
    d = fresh_dir(out_root, name)
    model = build(official, config, init)
    x = seeded_input(config)
    outs32 = Intermediates(model).run(x)
    outs64 = Intermediates(copy.deepcopy(model).double()).run(x.double())
    sd = OrderedDict((k, v) for k, v in model.state_dict().items())
    write_model_files(d, sd, config, "crossformer", x)
    outputs = OrderedDict(
        (k, save_output(d, name, k, t.numpy().astype(np.float32), outs64[k].numpy().astype(np.float64), layout_of(k)))
        for k, t in outs32.items())
    # the written safetensors load strictly into a fresh official model
    reload_diff = reload_check(d, lambda c: build(official, c, "default"), lambda m, x_: Intermediates(m).run(x_), outs32)
    entry = OrderedDict(
        name=name, dir=name, family="crossformer", description=description, config=config,
        source=OrderedDict(code=f"cheerss/CrossFormer models/crossformer.py @ {UPSTREAM_COMMIT}, unmodified",
                           patch="PatchEmbed.patches_resolution set to (img_size[0] // p, img_size[1] // p) after its "
                                 "__init__ (the official line uses img_size[0] twice)"),
        init=OrderedDict(kind=init, randomize_seed=RANDOMIZE_SEED if init == "randomized" else None,
                         rule="conventions.init_randomized" if init == "randomized"
                         else "the official constructor after torch.manual_seed(0)"),
        num_params=int(sum(p.numel() for p in model.parameters())),
        resolved_blocks=resolved_blocks(model),
        weights=OrderedDict(file=f"{name}/weights.safetensors", bytes=os.path.getsize(os.path.join(d, "weights.safetensors")),
                            sha256=sha256(os.path.join(d, "weights.safetensors"))),
        config_file=f"{name}/config.json",
        input=OrderedDict(file=f"{name}/input.npy", shape=list(x.shape), dtype="float32", layout="NCHW", seed=INPUT_SEED,
                          generator=INPUT_GENERATOR),
        outputs=outputs,
        max_abs_diff_f32_vs_f64=max(o["max_abs_diff_f32_vs_f64"] for o in outputs.values()),
        reload_check_max_abs_diff=reload_diff,
    )
    entry["bytes_total"] = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
    return entry


def group_size_table(official) -> list:
    """The official compute_group_size for every group type on the released and a few small configurations."""
    released = [("CrossFormer++-S/B/L", [4, 4, 14, 7], [2, 2, 18, 2]), ("CrossFormer++-H", [4, 4, 14, 7], [6, 6, 18, 2]),
                ("CrossFormer-S", [7, 7, 7, 7], [2, 2, 6, 2]), ("CrossFormer-T", [7, 7, 7, 7], [1, 1, 8, 6])]
    rows = []
    for label, gs, depths in released:
        for img in (224, 384):
            rows.append((label, img, 4, gs, depths))
    for img, patch, gs, depths in [(64, 4, [4, 4, 4], [2, 4, 2]), (48, 4, [4, 4, 4], [1, 1, 5]), (72, 4, [4, 4], [2, 2]),
                                   (48, 4, [4, 4, 4], [2, 3, 1]), (100, 2, [5, 6, 9], [3, 3, 7])]:
        rows.append(("small", img, patch, gs, depths))
    m = official.CrossFormer.__new__(official.CrossFormer)
    out = []
    for label, img, patch, gs, depths in rows:
        res = [img // patch, img // patch]
        for gt in GROUP_TYPES:
            with contextlib.redirect_stdout(io.StringIO()):
                sizes = official.CrossFormer.compute_group_size(m, gs, depths, res, gt)
            out.append(OrderedDict(label=label, img_size=img, patch_size=patch, group_size=gs, depths=depths,
                                   group_type=gt, block_group_sizes=[[int(g) for g in s] for s in sizes]))
    return out


def main():
    args = generator_args(__doc__, upstream="/work/shared/upstream/cheerss-CrossFormer")
    official = load_official(args.upstream)
    entries = []
    for name, config, init, desc in CASES:
        if not args.only or name in args.only:
            e = write_case(official, name, config, init, desc, args.out)
            entries.append(e)
            print(f"{name:44s} params={e['num_params']:7d} bytes={e['bytes_total']:7d} "
                  f"max|f32-f64|={e['max_abs_diff_f32_vs_f64']:.2e}")
    table = os.path.join(args.out, "crossformer_group_sizes.json")
    with open(table, "w") as f:
        json.dump(OrderedDict(source=f"cheerss/CrossFormer models/crossformer.py @ {UPSTREAM_COMMIT}: "
                                     "CrossFormer.compute_group_size(group_size, depths, [img // patch] * 2, group_type)",
                              cases=group_size_table(official)), f, indent=1)
        f.write("\n")
    path = merge_into_manifest(args.out, entries, families={"crossformer_pp": (
        "tools/reference/make_crossformer_pp_fixtures.py: the official cheerss/CrossFormer code run unmodified "
        "(timm's three helpers from tools/reference/timm_stand_in; PatchEmbed's grid set per side for non-square sizes)")})
    print(f"updated {path} and {table}")


if __name__ == "__main__":
    main()
