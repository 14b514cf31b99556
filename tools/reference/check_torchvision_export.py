"""Loads a `swin convert --scheme torchvision` file into torchvision's own SwinTransformer and runs it:

    /usr/bin/python3 tools/reference/check_torchvision_export.py FILE.safetensors FIXTURE_DIR

The architecture comes from the file's `config` metadata (swin_t-like blocks for family swin_v1;
SwinTransformerBlockV2 / PatchMergingV2 for swin_v2). `load_state_dict(strict=True)` must accept the
file as it is (buffers included); the model then runs FIXTURE_DIR/input.npy in float64 and the
script prints JSON: the largest |logits - FIXTURE_DIR/logits_f64.npy| and the tensor count.
"""
import json
import os
import sys

import numpy as np
import torch
from torchvision.models.swin_transformer import PatchMerging, PatchMergingV2, SwinTransformer, SwinTransformerBlock, SwinTransformerBlockV2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import load_safetensors  # noqa: E402


def main():
    path, fixture = sys.argv[1], sys.argv[2]
    tensors, meta = load_safetensors(path)
    c = json.loads(meta["config"])
    v2 = meta["family"] == "swin_v2"
    model = SwinTransformer(patch_size=[c["patch_size"]] * 2, embed_dim=c["embed_dim"], depths=c["depths"],
                            num_heads=c["num_heads"], window_size=[c["window_size"]] * 2, mlp_ratio=c["mlp_ratio"],
                            stochastic_depth_prob=0.0, num_classes=c["num_classes"],
                            block=SwinTransformerBlockV2 if v2 else SwinTransformerBlock,
                            downsample_layer=PatchMergingV2 if v2 else PatchMerging).eval()
    model.load_state_dict(tensors, strict=True)
    x = torch.from_numpy(np.load(os.path.join(fixture, "input.npy")))
    with torch.no_grad():
        logits = model.double()(x.double()).numpy()
    expected = np.load(os.path.join(fixture, "logits_f64.npy"))
    print(json.dumps({"max_abs_logits_f64": float(np.abs(logits - expected).max()), "tensors": len(tensors)}))


if __name__ == "__main__":
    main()
