"""Write the committed Swin V1 fixtures under fixtures/ (run from anywhere):

    /usr/bin/python3 tools/reference/make_fixtures.py [--out fixtures] [--only NAME ...]
        [--skip-schemes] [--skip-official-copy] [--shared /work/shared/reference]

For every case: weights.safetensors (official names, float32, no derived buffers, config in
the metadata), config.json, input.npy (2,3,H,W), every intermediate as float32 and float64
(*_f64.npy), and an entry in fixtures/manifest.json. Also fixtures/schemes/ (one model in
every checkpoint scheme) and fixtures/official/ (a copy of the official-code fixtures).
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import shutil
import sys
from collections import OrderedDict

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import swin_v1_reference as R  # noqa: E402
import checkpoint_schemes  # noqa: E402

from fixture_case import (  # noqa: E402
                          INPUT_GENERATOR, INPUT_SEED, LAYOUTS as FAMILY_LAYOUTS, RANDOMIZE_SEED, REPO, fresh_dir, layout_of,
                          reload_check, save_output, seeded_input, sha256, write_model_files)


def cfg(**kw):
    base = dict(img_size=32, patch_size=4, in_chans=3, num_classes=10, embed_dim=16, depths=[2, 2],
                num_heads=[1, 2], window_size=4, mlp_ratio=4.0, qkv_bias=True, qk_scale=None,
                ape=False, patch_norm=True)
    base.update(kw)
    return base


CASES = [
    ("v1_rand_t32_w4", cfg(),
     "32 px, embed 16, window 4: stage 0 8x8 (shift 2, 4 windows), stage 1 4x4 = window (no shift). "
     "Same config as the shared swin_v1_t32_w4_default, randomized weights; also the schemes/ model"),
    ("v1_rand_4stage_64_w2", cfg(img_size=64, embed_dim=8, depths=[2, 2, 2, 2], num_heads=[1, 2, 4, 8], window_size=2),
     "four stages 16x16, 8x8, 4x4, 2x2 with window 2 (shift 1); last stage = window, no shift"),
    ("v1_rand_rect_32x64_w4", cfg(img_size=[32, 64], embed_dim=8, num_heads=[2, 4]),
     "non-square 32x64 -> 8x16 then 4x8 tokens: H/W mix-ups in partition, shift, mask, merge. "
     "Stage 1 is 4x8 with window 4: official rule (min side <= window) -> window 4, no shift"),
    ("v1_rand_ape_t32_w4", cfg(embed_dim=8, ape=True),
     "absolute position embedding (1, 64, 8) added after the patch norm"),
    ("v1_rand_nopatchnorm_qkvfalse_mlp2_t32_w4", cfg(embed_dim=8, patch_norm=False, qkv_bias=False, mlp_ratio=2.0,
                                                     qk_scale=0.3),
     "no patch_embed.norm, no attn.qkv.bias, mlp hidden 2*dim, qk_scale 0.3 instead of head_dim^-0.5"),
    ("v1_rand_shrink_32_w4_3stage", cfg(embed_dim=8, depths=[2, 2, 2], num_heads=[1, 2, 4]),
     "stages 8x8, 4x4, 2x2 with window 4: stage 2 shrinks the window to 2 (table 3x3) with no shift"),
    ("v1_rand_pad_48_w5", cfg(img_size=48, embed_dim=8, num_heads=[2, 4], window_size=5),
     "torchvision-style padding: stages 12x12 (padded to 15x15, 9 windows) and 6x6 (padded to 10x10, "
     "4 windows), shift 2 on padded sizes; validated against torchvision"),
    ("v1_rand_pad_odd_rect_36x52_w4", cfg(img_size=[36, 52], embed_dim=8, num_heads=[2, 4]),
     "padding plus odd PatchMerging on a non-square input: 9x13 (padded to 12x16, shift 2), odd merge "
     "(zero-padded to 10x14) -> 5x7 (padded to 8x8, shift 2); validated against torchvision"),
    ("v1_rand_headless_t32_w4", cfg(embed_dim=8, num_classes=0),
     "num_classes 0: head is the identity, no head.* tensors, no logits; pooled is the output"),
    ("v1_rand_56_w7", cfg(img_size=56, num_heads=[2, 4], window_size=7),
     "window 7 (49 keys, as Swin-T/S/B at 224): stage 0 14x14 (shift 3, 4 windows), stage 1 7x7 = window (no shift)"),
    ("v1_rand_96_w12", cfg(img_size=96, num_heads=[2, 4], window_size=12),
     "window 12 (144 keys, as every Swin 384 model): stage 0 24x24 (shift 6, 4 windows), stage 1 12x12 = window "
     "(no shift); attention kernels that block keys by 64 must be right past the first block"),
]


def stats(a: np.ndarray) -> dict:
    return dict(min=float(a.min()), max=float(a.max()), mean=float(a.mean()), std=float(a.std()))


# Swin V1's manifest words two layouts its own way (the other families' fixtures came later).
LAYOUTS = dict(
    FAMILY_LAYOUTS,
    embed="B,L,C tokens after patch_embed (+absolute_pos_embed if ape); L=H*W row-major (token = h*W + w)",
    stage="B,L,C output of stage i AFTER its PatchMerging when it has one (L=ceil(H/2)*ceil(W/2), C=2*dim)",
)


def torchvision_expected_to_agree(model: R.SwinTransformer) -> bool:
    """torchvision pads, keeps the configured window and zeroes the shift per axis only when the
    window covers the padded axis; the official rule shrinks the window when min(H, W) <= window.
    They coincide when every stage is larger than the window on both axes or equal to it on both."""
    ws = model.config["window_size"]
    for layer in model.layers:
        H, W = layer.input_resolution
        if not (min(H, W) > ws or (H == ws and W == ws)):
            return False
    return True


def torchvision_compatible(model: R.SwinTransformer) -> bool:
    """torchvision has no ape / qk_scale / patch_norm=False / qkv_bias=False, and sizes every
    relative position table from the configured window (a shrunk window's table cannot load)."""
    c = model.config
    same_tables = all(b.window_size == c["window_size"] for l in model.layers for b in l.blocks)
    return c["qkv_bias"] and c["patch_norm"] and not c["ape"] and c["qk_scale"] is None and same_tables


@torch.no_grad()
def make_case(name: str, config: dict, description: str, out_root: str) -> dict:
    d = fresh_dir(out_root, name)
    model = R.SwinTransformer(**config).eval()
    R.randomize_(model, RANDOMIZE_SEED)
    x = seeded_input(config)

    sd = model.state_dict()
    write_model_files(d, sd, config, "swin_v1", x)

    outs32 = model.forward_intermediates(x)
    m64 = copy.deepcopy(model).double()
    outs64 = m64.forward_intermediates(x.double())

    outputs = OrderedDict()
    for k, t in outs32.items():
        a32 = t.numpy().astype(np.float32)
        outputs[k] = save_output(d, name, k, a32, outs64[k].numpy().astype(np.float64), layout_of(k, LAYOUTS))
        outputs[k]["stats"] = stats(a32)

    reload_diff = reload_check(d, lambda c: R.SwinTransformer(**c).eval(), lambda m, x_: m.forward_intermediates(x_), outs32)

    entry = OrderedDict(
        name=name, dir=name, family="swin_v1", description=description, config=config,
        init=dict(kind="randomized", randomize_seed=RANDOMIZE_SEED,
                  rule="conventions.init_randomized"),
        num_params=int(sum(p.numel() for p in model.parameters())),
        resolved_blocks=model.resolved_blocks(),
        weights=OrderedDict(file=f"{name}/weights.safetensors", bytes=os.path.getsize(os.path.join(d, "weights.safetensors")),
                            sha256=sha256(os.path.join(d, "weights.safetensors")),
                            tensors=[dict(name=k, shape=list(v.shape), dtype="F32") for k, v in sd.items()]),
        config_file=f"{name}/config.json",
        input=OrderedDict(file=f"{name}/input.npy", shape=list(x.shape), dtype="float32", layout="NCHW",
                          seed=INPUT_SEED, generator=INPUT_GENERATOR),
        outputs=outputs,
        max_abs_diff_f32_vs_f64=max(o["max_abs_diff_f32_vs_f64"] for o in outputs.values()),
        reload_check_max_abs_diff=reload_diff,
    )

    if torchvision_compatible(model):
        agree = torchvision_expected_to_agree(model)
        tv = R.build_torchvision(config)
        tv.load_state_dict(R.official_to_torchvision(sd, config["depths"]), strict=False)
        per = OrderedDict()
        for dt, suffix in ((torch.float32, ""), (torch.float64, "_f64")):
            a = (model if dt == torch.float32 else m64).forward_intermediates(x.to(dt))
            b = R.torchvision_intermediates(tv.to(dt), x.to(dt), len(config["depths"]))
            for k in a:
                per[k + suffix] = float((a[k].double() - b[k].double()).abs().max())
        f32 = max(v for k, v in per.items() if not k.endswith("_f64"))
        f64 = max(v for k, v in per.items() if k.endswith("_f64"))
        if agree:
            assert f32 < 1e-5 and f64 < 1e-12, (name, per)
        entry["torchvision_check"] = OrderedDict(
            expected_to_agree=agree, max_abs_diff_f32=f32, max_abs_diff_f64=f64, per_output=per,
            note=("torchvision.models.swin_transformer.SwinTransformer 0.14 with the same weights mapped to "
                  "its names" + ("" if agree else "; a stage fits the window on one axis only, where torchvision "
                                 "keeps the shift on the other axis and the official rule does not: differences are expected")))
    return entry


def copy_official(shared: str, out_root: str) -> dict:
    dst = os.path.join(out_root, "official")
    if os.path.isdir(dst):
        shutil.rmtree(dst)
    os.makedirs(dst)
    names = ["swin_v1_t32_w4_default", "swin_v1_d2222_w2_64_default", "swin_v1_ape_t32_w4_default",
             "swin_v1_rect_32x64_w4_default", "swin_v2_t32_w4_randomized", "crossformer_t32_randomized"]
    for n in names:
        shutil.copytree(os.path.join(shared, n), os.path.join(dst, n))
    for f in ("manifest.json", "README.md"):
        shutil.copy2(os.path.join(shared, f), os.path.join(dst, f))
    for root, dirs, files in os.walk(dst):  # the shared copy is read-only; keep ours writable
        for p in dirs + files:
            os.chmod(os.path.join(root, p), 0o755 if p in dirs else 0o644)
    os.chmod(dst, 0o755)
    return dict(dir="official", source=shared, fixtures=names,
                note="verbatim copy of the official-code fixtures (see official/README.md and official/manifest.json); "
                     "the shared manifest lists all fixtures here")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(REPO, "fixtures"))
    ap.add_argument("--shared", default="/work/shared/reference")
    ap.add_argument("--only", nargs="*", help="case names to (re)write; the manifest keeps the other entries")
    ap.add_argument("--skip-schemes", action="store_true")
    ap.add_argument("--skip-official-copy", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    manifest_path = os.path.join(args.out, "manifest.json")
    old = {}
    if os.path.exists(manifest_path):
        m = json.load(open(manifest_path))
        old = {f["name"]: f for f in m.get("fixtures", [])}
        old_schemes, old_official = m.get("schemes"), m.get("official")
    else:
        old_schemes = old_official = None

    fixtures = []
    for name, config, desc in CASES:
        if args.only and name not in args.only:
            if name in old:
                fixtures.append(old[name])
            continue
        e = make_case(name, config, desc, args.out)
        tv = e.get("torchvision_check")
        print(f"{name:44s} params={e['num_params']:7d}  max|f32-f64|={e['max_abs_diff_f32_vs_f64']:.2e}"
              + (f"  torchvision f32={tv['max_abs_diff_f32']:.2e} f64={tv['max_abs_diff_f64']:.2e}"
                 f" (expected_to_agree={tv['expected_to_agree']})" if tv else ""))
        fixtures.append(e)
    # Swin V2 / CrossFormer entries come from make_family_fixtures.py: keep them.
    fixtures.extend(f for f in old.values() if f.get("family", "swin_v1") != "swin_v1")

    schemes = old_schemes
    if not args.skip_schemes:
        src = "v1_rand_t32_w4"
        model = R.SwinTransformer(**next(c for n, c, _ in CASES if n == src)).eval()
        R.randomize_(model, RANDOMIZE_SEED)
        sdir = os.path.join(args.out, "schemes")
        if os.path.isdir(sdir):  # README.md there is hand-written: keep it
            for f in os.listdir(sdir):
                if f != "README.md":
                    os.remove(os.path.join(sdir, f))
        schemes = checkpoint_schemes.write_schemes(model, sdir, src)
        schemes = OrderedDict(dir="schemes", source_fixture=src, config=model.config, **schemes)
        print("schemes:", ", ".join(schemes["files"].keys()))

    official = old_official
    if not args.skip_official_copy:
        official = copy_official(args.shared, args.out)

    manifest = OrderedDict(
        format_version=1,
        description="Swin V1 reference fixtures produced by tools/reference (our own PyTorch implementation, "
                    "validated against the official-code fixtures and torchvision; see tools/reference/README.md)",
        generator=OrderedDict(script="tools/reference/make_fixtures.py", python=platform.python_version(),
                              torch=torch.__version__, numpy=np.__version__, torch_threads=torch.get_num_threads()),
        conventions=OrderedDict(
            arrays="numpy .npy, little-endian; NAME.npy float32 from the float32 model, NAME_f64.npy float64 from "
                   "model.double() on the same weights with input.npy cast to float64 (no input_f64.npy: the cast is exact)",
            weights="weights.safetensors: official Microsoft names, float32, in state_dict order, no derived buffers "
                    "(relative_position_index, attn_mask); __metadata__ = {config: JSON of the constructor args, family}",
            config="config.json: constructor args with the official names plus family",
            init_randomized="every parameter redrawn from torch.Generator().manual_seed(randomize_seed), iterating "
                            "model.named_modules() in order and each module's own parameters in registration order: "
                            "LayerNorm.weight = 1 + 0.2*N(0,1); parameters named 'bias' = 0.1*N(0,1); "
                            "relative_position_bias_table = N(0,1); absolute_pos_embed = 0.5*N(0,1); every other "
                            "parameter (Linear/Conv weights) = N(0,1)/sqrt(fan_in), fan_in = numel/shape[0] "
                            "(same rule as the shared official fixtures' manifest)",
            semantics="official Swin V1: window shrinks to min(H,W) with shift 0 when min(H,W) <= window "
                      "(decided at construction; sets the table size). Extension for sizes that are not a multiple "
                      "of the window (stage larger than the window): torchvision padding: zero-pad bottom/right after "
                      "norm1, shift/mask on the padded size (padded tokens are NOT masked: they act as keys with "
                      "k = qkv bias), crop after the reverse shift; PatchMerging zero-pads odd H/W at bottom/right",
            layouts=LAYOUTS,
            resolved_blocks="per block: window_size/shift_size after the shrink rule, padded_resolution, num_windows, "
                            "table shape, attn_mask_shape (null = no shift), qk_scale actually applied",
        ),
        fixtures=fixtures,
        schemes=schemes,
        official=official,
    )
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    total = 0
    for root, _, files in os.walk(args.out):
        total += sum(os.path.getsize(os.path.join(root, p)) for p in files)
    print(f"wrote {manifest_path}; fixtures dir total {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
