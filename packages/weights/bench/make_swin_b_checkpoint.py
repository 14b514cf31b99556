"""A Swin-B (224, window 7, 1000 classes: 87.8 M parameters, ~350 MB) checkpoint in the official
release format, {'model': state_dict} with the derived buffers, saved by torch.save (zip format),
for convert-bench.mjs. Weights are random (the layout, sizes and pickle are what matter).

    /usr/bin/python3 packages/weights/bench/make_swin_b_checkpoint.py OUT.pth
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tools", "reference"))
import swin_v1_reference as R  # noqa: E402


def main():
    out = sys.argv[1]
    torch.manual_seed(0)
    model = R.SwinTransformer(img_size=224, window_size=7, embed_dim=128, depths=(2, 2, 18, 2), num_heads=(4, 8, 16, 32), num_classes=1000)
    torch.save({"model": model.official_state_dict()}, out)
    print(out, os.path.getsize(out), sum(p.numel() for p in model.parameters()))


if __name__ == "__main__":
    main()
