"""Write the torchvision Swin V1 fixture fixtures/v1_torchvision_112x192_w7 (run from anywhere):

    /usr/bin/python3 tools/reference/make_torchvision_v1_fixture.py [--out fixtures] [--seed 0]

torchvision 0.14's own Swin V1 (`SwinTransformer` with its default `SwinTransformerBlock` and
`PatchMerging`, the model of `swin_t/s/b`) is the reference, not our official-semantics reference:
like its V2, torchvision never shrinks the window, pads every stage to window multiples and zeroes
the shift per axis only where the window covers the padded axis. One small model shaped like
swin_t (patch 4, window 7, mlp ratio 4, four stages; embed 8, depths 2-2-2-2) runs at 112x192, where
the two rules differ on the last two stages: 7x12 (torchvision: padded to 7x14, shift 3 along W
only; official: window 7, no shift) and 4x6 (torchvision: window 7, padded to 7x7, no shift;
official: window 4, the bias tables cropped).

Written: `torchvision.pth` (the state dict, torch.save, what a torchvision user has),
`weights.safetensors` (the same weights under official names, config in the metadata, no derived
buffers), `config.json` (with `"window_rule": "torchvision"`), `input.npy` (1,3,112,192) and
torchvision's own outputs in float32 (NAME.npy) and float64 (NAME_f64.npy) for the last two stages'
blocks and outputs, norm_out, pooled and logits. Weights: torchvision's init after
torch.manual_seed(seed), then torchvision_swin_t.randomize_ (LayerNorm weights 1 + 0.2N, biases
0.02N, bias tables 0.5N), so a mapping that swaps norms or biases fails. The entry is merged into
fixtures/manifest.json.
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
import swin_v1_reference as V1  # noqa: E402
from checkpoint_schemes import from_scheme  # noqa: E402
from fixture_manifest import merge_into_manifest, record_outputs  # noqa: E402
from hierarchical_forward import torchvision_intermediates  # noqa: E402
from safetensors_io import save_safetensors  # noqa: E402
from torchvision_swin_t import randomize_  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
NAME = "v1_torchvision_112x192_w7"
H, W = 112, 192
INPUT_SEED = 1234
# The official constructor's arguments; the fixture's config adds the window rule.
ARCH = dict(img_size=[H, W], patch_size=4, in_chans=3, num_classes=10, embed_dim=8, depths=[2, 2, 2, 2],
            num_heads=[1, 1, 2, 2], window_size=7, mlp_ratio=4.0, qkv_bias=True, qk_scale=None, ape=False,
            patch_norm=True)
CONFIG = dict(ARCH, window_rule="torchvision")
RECORDED = ("stage2_block0", "stage2_block1", "stage2_out", "stage3_block0", "stage3_block1", "stage3_out",
            "norm_out", "pooled", "logits")
DESCRIPTION = ("torchvision Swin V1 (swin_t's blocks: patch 4, window 7) at 112x192: 28x48 and 14x24 padded to window "
               "multiples (same under both rules), then 7x12 padded to 7x14 with shift 3 along W only (official: no "
               "shift) and 4x6 with window 7 kept, padded to 7x7 (official: window 4, tables cropped); read from "
               "torchvision.pth")


@torch.no_grad()
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(REPO, "fixtures"))
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    tv = V1.build_torchvision(ARCH)
    randomize_(tv, args.seed)
    x = torch.randn(1, 3, H, W, generator=torch.Generator().manual_seed(INPUT_SEED))
    out32 = torchvision_intermediates(tv, x, len(CONFIG["depths"]))
    out64 = torchvision_intermediates(copy.deepcopy(tv).double(), x.double(), len(CONFIG["depths"]))

    d = os.path.join(args.out, NAME)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    torch.save(tv.state_dict(), os.path.join(d, "torchvision.pth"))
    # What a torchvision user has, under official names (derived buffers dropped): every parameter once.
    sd = from_scheme(torch.load(os.path.join(d, "torchvision.pth")), ARCH)
    assert len(sd) == sum(1 for _ in tv.parameters()), "the torchvision names did not all map"
    save_safetensors(sd, os.path.join(d, "weights.safetensors"), {"config": json.dumps(CONFIG), "family": "swin_v1"})
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(dict(CONFIG, family="swin_v1"), f, indent=1)
        f.write("\n")
    np.save(os.path.join(d, "input.npy"), x.numpy())
    outputs = record_outputs(d, NAME, out32, out64, RECORDED)
    with open(os.path.join(d, "weights.safetensors"), "rb") as f:
        weights_sha = hashlib.sha256(f.read()).hexdigest()
    entry = OrderedDict(
        name=NAME, dir=NAME, family="swin_v1", description=DESCRIPTION, config=CONFIG,
        reference="torchvision 0.14 SwinTransformer (SwinTransformerBlock, PatchMerging), stochastic_depth_prob 0, eval",
        num_params=int(sum(p.numel() for p in tv.parameters())),
        weights=OrderedDict(file=f"{NAME}/weights.safetensors", sha256=weights_sha),
        torchvision_checkpoint=OrderedDict(file=f"{NAME}/torchvision.pth"),
        init=OrderedDict(kind="randomized", seed=args.seed,
                         rule="torchvision init after torch.manual_seed(seed), then torchvision_swin_t.randomize_"),
        input=OrderedDict(file=f"{NAME}/input.npy", shape=list(x.shape), dtype="float32", layout="NCHW", seed=INPUT_SEED,
                          generator="torch.randn(shape, generator=torch.Generator().manual_seed(seed))"),
        outputs=outputs,
        max_abs_diff_f32_vs_f64=max(o["max_abs_diff_f32_vs_f64"] for o in outputs.values()),
        bytes_total=sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d)),
    )
    print(f"{NAME}: params={entry['num_params']} bytes={entry['bytes_total']} "
          f"max|f32-f64|={entry['max_abs_diff_f32_vs_f64']:.2e}")
    print(f"updated {merge_into_manifest(args.out, [entry])}")


if __name__ == "__main__":
    main()
