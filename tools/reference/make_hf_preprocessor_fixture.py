"""Write packages/pipeline/test/fixtures/hf-preprocessor/: what transformers' ViTImageProcessor (the
image processor AutoImageProcessor gives swin and swinv2 models) makes of a committed picture, for
the tests of Hugging Face folders' preprocessor_config.json.

    /usr/bin/python3 tools/reference/make_hf_preprocessor_fixture.py

transformers is not a dependency: its documented steps are reproduced with PIL and numpy, each in
the dtype transformers uses:
  resize   PIL `image.resize((width, height), resample)` on the uint8 RGB picture (no crop);
  rescale  `image.astype(float64) * rescale_factor`, then `.astype(float32)`;
  normalize  in float32: `(image - mean) / std`, mean and std as float32 arrays
             (a uint8 picture that was not rescaled is first cast to float32);
then HWC -> CHW with a batch axis. Keys a case leaves out take ViTImageProcessor's defaults
(rescale_factor 1/255, image_mean = image_std = [0.5, 0.5, 0.5]).

Per case: preprocessor_config.json and pixels.npy (float32, 1 x 3 x H x W); cases.json lists them.
"""
from __future__ import annotations

import json
import os
import shutil

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "packages", "pipeline", "test", "fixtures", "hf-preprocessor")
PICTURE = "examples/purple-cross.png"  # 256 x 192: every case changes its aspect ratio

DEFAULTS = dict(do_rescale=True, rescale_factor=1 / 255, do_normalize=True, image_mean=[0.5] * 3, image_std=[0.5] * 3)

CASES = {
    # as Microsoft's swinv2 repos write it, at a non-square size of the test models
    "swinv2_style_32x48": {
        "image_processor_type": "ViTImageProcessor",
        "do_resize": True, "size": {"height": 32, "width": 48}, "resample": 3,
        "do_rescale": True, "rescale_factor": 0.00392156862745098,
        "do_normalize": True, "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225],
    },
    # the older swin repos' form: one int size, no rescale keys (default 1/255), default mean/std
    "feature_extractor_defaults_20": {"feature_extractor_type": "ViTFeatureExtractor", "resample": 3, "size": 20},
    # height upscaled, width downscaled; no rescale, one std for all channels
    "no_rescale_mixed_200x40": {
        "resample": 3, "size": {"height": 200, "width": 40}, "do_rescale": False,
        "image_mean": [100.0, 120.0, 140.0], "image_std": 50.0,
    },
}


def channels(v):
    return [float(v)] * 3 if isinstance(v, (int, float)) else [float(x) for x in v]


def preprocess(img: Image.Image, cfg: dict) -> np.ndarray:
    c = {**DEFAULTS, **cfg}
    size = c["size"]
    h, w = (size, size) if isinstance(size, int) else (size["height"], size["width"])
    assert c["resample"] == 3
    arr = np.asarray(img.resize((w, h), resample=Image.Resampling.BICUBIC))
    if c["do_rescale"]:
        arr = (arr.astype(np.float64) * c["rescale_factor"]).astype(np.float32)
    if c["do_normalize"]:
        if not np.issubdtype(arr.dtype, np.floating):
            arr = arr.astype(np.float32)
        mean = np.array(channels(c["image_mean"]), dtype=arr.dtype)
        std = np.array(channels(c["image_std"]), dtype=arr.dtype)
        arr = (arr - mean) / std
    out = arr.astype(np.float32).transpose(2, 0, 1)[None]
    return np.ascontiguousarray(out)


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    with Image.open(os.path.join(REPO, PICTURE)) as f:
        img = f.convert("RGB")
    rows = []
    for name, cfg in CASES.items():
        d = os.path.join(OUT, name)
        os.makedirs(d)
        with open(os.path.join(d, "preprocessor_config.json"), "w") as f:
            json.dump(cfg, f, indent=2)
        x = preprocess(img, cfg)
        assert x.dtype == np.float32
        np.save(os.path.join(d, "pixels.npy"), x)
        rows.append(dict(name=name, picture=PICTURE, shape=list(x.shape)))
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(rows, f, indent=2)
    print(f"wrote {len(rows)} cases to {OUT}")


if __name__ == "__main__":
    main()
