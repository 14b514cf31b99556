"""Full-size torchvision Swin-T with its own random init (then LayerNorms, biases and bias tables
redrawn so that no two of them are equal), for tests of the torchvision reader and
converter on a real 224 model (output is written at test time, not committed).

    /usr/bin/python3 tools/reference/torchvision_swin_t.py --out DIR [--seed 0]

Writes DIR/swin_t_torchvision.pth (model.state_dict(), torchvision names, ~110 MB),
DIR/input.npy (1,3,224,224) float32, DIR/logits.npy (1,1000) float32 and DIR/logits_f64.npy
(the same weights and input in float64), and DIR/info.json.
Note: at 224 every Swin-T stage (56, 28, 14, 7) is a multiple of the window 7 and the last stage
equals it, so torchvision and the official code agree: the logits are also the official ones.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from torchvision.models import swin_t


@torch.no_grad()
def randomize_(model: torch.nn.Module, seed: int) -> None:
    """torchvision's init leaves every LayerNorm at weight 1, bias 0 and every Linear bias at 0: a
    mapping that swaps norm1/norm2 (or two biases) would still load the same numbers. Redraw them:
    LayerNorm weight 1 + 0.2N, every bias 0.02N, relative position bias tables 0.5N (from
    torch.Generator().manual_seed(seed), in named_parameters() order); Linear/Conv weights keep
    torchvision's init so the 12 blocks stay well conditioned in float32."""
    g = torch.Generator().manual_seed(seed)
    for name, p in model.named_parameters():
        n = torch.randn(p.shape, generator=g, dtype=torch.float32)
        if name.endswith("relative_position_bias_table"):
            p.copy_(0.5 * n)
        elif name.endswith("bias"):
            p.copy_(0.02 * n)
        elif p.dim() == 1:  # LayerNorm weights (the only 1-D weights)
            p.copy_(1.0 + 0.2 * n)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t0 = time.time()
    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(args.seed)
    model = swin_t(weights=None).eval()
    randomize_(model, args.seed)
    x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(args.seed))
    with torch.no_grad():
        logits = model(x)
        torch.save(model.state_dict(), os.path.join(args.out, "swin_t_torchvision.pth"))
        logits64 = model.double()(x.double())
    np.save(os.path.join(args.out, "input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(args.out, "logits.npy"), logits.numpy().astype(np.float32))
    np.save(os.path.join(args.out, "logits_f64.npy"), logits64.numpy().astype(np.float64))
    info = dict(seed=args.seed, init="torchvision, then randomize_: LayerNorm weight 1+0.2N, biases 0.02N, bias tables 0.5N", torch=torch.__version__,
                config=dict(patch_size=[4, 4], embed_dim=96, depths=[2, 2, 6, 2], num_heads=[3, 6, 12, 24],
                            window_size=[7, 7], num_classes=1000),
                num_params=int(sum(p.numel() for p in model.parameters())),
                max_abs_diff_f32_vs_f64=float((logits.double() - logits64).abs().max()),
                seconds=round(time.time() - t0, 2))
    with open(os.path.join(args.out, "info.json"), "w") as f:
        json.dump(info, f, indent=1)
    print(json.dumps(info))


if __name__ == "__main__":
    main()
