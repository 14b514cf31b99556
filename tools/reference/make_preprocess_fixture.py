"""Write packages/core/test/fixtures/preprocess/: what the official evaluation transform makes of a
few small pictures, for the TypeScript preprocessing test.

    /usr/bin/python3 tools/reference/make_preprocess_fixture.py

The transform is torchvision's, on PIL images, as in the official Swin evaluation:
Resize(resize_size, BICUBIC) -> CenterCrop(crop) -> ToTensor -> Normalize(ImageNet mean, std).
Small sizes keep the files tiny while covering what moves pixels: downscaling by non-integer and
large factors (antialiasing), upscaling, a no-op resize, portrait and landscape, odd crop margins
that hit round-half-to-even both ways, and noise (values near 0 and 255, so clipping matters).

Per case: input.png, resized.png (Pillow's uint8 result before the crop) and tensor.npy
(float32, 1 x 3 x crop x crop); cases.json lists them with their sizes.
"""
from __future__ import annotations

import json
import os
import shutil

import numpy as np
import torch
from PIL import Image
from torchvision import transforms
from torchvision.transforms import InterpolationMode

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "packages", "core", "test", "fixtures", "preprocess")
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)

# name, width, height, resize_size, crop, content
CASES = [
    ("noise_37x29_down", 37, 29, 24, 20, "noise"),
    ("noise_13x10_up", 13, 10, 24, 20, "noise"),
    ("noise_61x150_portrait_6x", 61, 150, 16, 14, "noise"),
    ("gradient_30x24_noop", 30, 24, 24, 20, "gradient"),
    ("edges_5x5_up", 5, 5, 24, 21, "edges"),
    ("edges_80x80_default_model", 80, 80, 73, 64, "edges"),
]


def picture(w: int, h: int, content: str, seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    if content == "noise":
        arr = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    elif content == "gradient":
        ys, xs = np.mgrid[0:h, 0:w]
        arr = np.stack([xs * 255 // max(1, w - 1), ys * 255 // max(1, h - 1), (xs + ys) * 255 // (w + h - 2)], -1).astype(np.uint8)
    else:
        # hard black/white/colour edges: where bicubic overshoots and clipping happens
        arr = np.zeros((h, w, 3), np.uint8)
        arr[: h // 2, :, 0] = 255
        arr[:, w // 3:, 1] = 255
        arr[h // 3: 2 * h // 3 + 1, w // 4: 3 * w // 4 + 1, :] = (rng.integers(0, 256, 3)).astype(np.uint8)
    return Image.fromarray(arr, "RGB")


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    rows = []
    for i, (name, w, h, size, crop, content) in enumerate(CASES):
        d = os.path.join(OUT, name)
        os.makedirs(d)
        img = picture(w, h, content, seed=100 + i)
        img.save(os.path.join(d, "input.png"))
        with Image.open(os.path.join(d, "input.png")) as f:
            img = f.convert("RGB")
        resized = transforms.Resize(size, interpolation=InterpolationMode.BICUBIC)(img)
        resized.save(os.path.join(d, "resized.png"))
        tf = transforms.Compose([transforms.CenterCrop(crop), transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
        x = tf(resized)[None].numpy().astype(np.float32)
        np.save(os.path.join(d, "tensor.npy"), x)
        # the whole transform in one go must equal the two halves above
        full = transforms.Compose([transforms.Resize(size, interpolation=InterpolationMode.BICUBIC), tf])(img)[None]
        assert torch.equal(full, torch.from_numpy(x))
        rows.append(dict(name=name, width=w, height=h, resize_size=size, crop=crop,
                         resized=[resized.width, resized.height]))
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"mean": MEAN, "std": STD, "interpolation": "bicubic (Pillow, via torchvision Resize on PIL)",
                   "cases": rows}, f, indent=1)
        f.write("\n")
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
