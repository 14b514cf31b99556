"""Train the offline default model: a small Swin V1 that tells coloured shapes apart.

    LD_LIBRARY_PATH=<openblas dir> /usr/bin/python3 tools/reference/train_default_model.py [--steps N]

No pretrained ImageNet weights can be downloaded here, so `swin classify` ships a model trained
for real on a labelled synthetic set that synthetic_shapes.py draws (5 colours x 6 shapes = 30
classes, "red circle" ... "purple heart"). Writes, relative to the repository root:

  models/default/weights.safetensors  canonical official names, float32, config in __metadata__
  models/default/config.json          official constructor arguments + "family": "swin_v1"
  models/default/classes.json         class names in head order
  models/default/preprocess.json      the evaluation pipeline (below), for every consumer
  models/default/heldout/*.png        the held-out test set, never seen in training
  models/default/heldout/labels.json  [{file, label, class}] in evaluation order
  models/default/heldout/logits.npy   PyTorch float32 logits (count, 30) for those files
  models/default/accuracy.json        PyTorch's held-out top-1 (and what it was measured with)
  models/default/training.json        how long training took and on what (not reproducible)
  examples/*.{jpg,png,webp}            sample pictures named by what they show + README.md

Evaluation pipeline: the official Swin evaluation transform, literally
torchvision.transforms [Resize(int(256/224*64) = 73, BICUBIC), CenterCrop(64), ToTensor(),
Normalize(ImageNet mean, std)] applied to the PIL image. On a PIL image, torchvision's Resize
calls Pillow's Image.resize(BICUBIC): the cubic convolution kernel with a = -0.5, its support
scaled by the downscale factor (antialiasing), 8-bit fixed-point coefficients, horizontal pass
then vertical pass, each rounded and clipped to uint8. The long side becomes
int(73 * long / short); CenterCrop's offsets are int(round((size - 64) / 2)) with Python's
round-half-to-even. packages/core/src/preprocess reproduces this bit for bit. Training images go
through the same transform (stored as the uint8 crops), plus random horizontal flips.

Reproducible: every picture is drawn from random.Random(seed of its split, its index); torch is
seeded; one intra-op thread. Bit-identical weights need the same BLAS too: torch links the
system libblas.so.3, which on Debian is the slow reference BLAS unless OpenBLAS is installed. We
trained with Debian's libopenblas0-pthread 0.3.21 put first on LD_LIBRARY_PATH
(`apt-get download libopenblas0-pthread && dpkg-deb -x *.deb /tmp/openblas`), which is ~15x
faster and changes only the last bits. One thread on purpose: with the 2 cores shared, OpenMP's
second thread made every op several times slower.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import platform
import random
import shutil
import sys
import time
from typing import List, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torchvision import transforms
from torchvision.transforms import InterpolationMode

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import swin_v1_reference as R  # noqa: E402
from safetensors_io import save_safetensors  # noqa: E402
from synthetic_shapes import ShapeClass, class_list, render  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))

# embed_dim 16 (head dim 16): on the shared 2-core machine an embed-32 step cost twice as much
# and learned no faster per step, and this fits the ~10 minute budget.
CONFIG = dict(img_size=64, patch_size=4, in_chans=3, num_classes=30, embed_dim=16, depths=[2, 2, 2],
              num_heads=[1, 2, 4], window_size=4, mlp_ratio=2.0, qkv_bias=True, qk_scale=None,
              ape=False, patch_norm=True)
INPUT_SIZE = 64
RESIZE_SIZE = int((256 / 224) * INPUT_SIZE)  # 73, the official TEST.CROP rule
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

SEED_TRAIN, SEED_VAL, SEED_HELDOUT, SEED_EXAMPLES, SEED_TORCH = 1, 2, 3, 4, 5
HELDOUT_PER_CLASS = 8  # 240 PNGs, ~2 MB: the set is committed

# Sample pictures for examples/: (class, format, width, height). Larger than the training pictures
# (the generator is resolution independent) and in the three formats `swin classify` decodes.
EXAMPLES = [
    ("red circle", "jpg", 256, 192), ("blue star", "jpg", 224, 224), ("yellow heart", "jpg", 192, 256),
    ("green triangle", "png", 224, 224), ("purple cross", "png", 256, 192), ("blue heart", "png", 200, 160),
    ("red square", "webp", 224, 224), ("green star", "webp", 256, 192), ("yellow triangle", "webp", 192, 240),
]


def eval_transform() -> transforms.Compose:
    """The official Swin evaluation transform at 64 px (see the module docstring)."""
    return transforms.Compose([
        transforms.Resize(RESIZE_SIZE, interpolation=InterpolationMode.BICUBIC),
        transforms.CenterCrop(INPUT_SIZE),
        transforms.ToTensor(),
        transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD),
    ])


def crop_transform() -> transforms.Compose:
    """The geometric half of eval_transform: PIL in, PIL 64x64 out (training stores these)."""
    return transforms.Compose([
        transforms.Resize(RESIZE_SIZE, interpolation=InterpolationMode.BICUBIC),
        transforms.CenterCrop(INPUT_SIZE),
    ])


def loaded_blas() -> str:
    """The BLAS library this process actually mapped (it decides the last bits of the weights)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return ", ".join(sorted(libs)) or "unknown"
    except OSError:
        return "unknown"


def picture_size(rng: random.Random, lo: int, hi: int) -> Tuple[int, int]:
    """A random picture size: short side in [lo, hi], 40% of them up to 1.4x longer one way."""
    short = rng.randint(lo, hi)
    long = short if rng.random() < 0.6 else int(round(short * rng.uniform(1.0, 1.4)))
    return (long, short) if rng.random() < 0.5 else (short, long)


def draw(split_seed: int, index: int, cls: ShapeClass, lo: int, hi: int) -> Image.Image:
    rng = random.Random(split_seed * 1_000_003 + index)
    w, h = picture_size(rng, lo, hi)
    return render(cls, rng, w, h)


def _draw_crop(job: Tuple[int, int, int, int]) -> np.ndarray:
    split_seed, index, lo, hi = job
    classes = class_list()
    return np.asarray(crop_transform()(draw(split_seed, index, classes[index % len(classes)], lo, hi)), np.uint8)


def make_split(split_seed: int, count: int, lo: int, hi: int, workers: int) -> Tuple[np.ndarray, np.ndarray]:
    """`count` pictures with balanced labels (index i is class i % 30), as uint8 (count, 64, 64, 3)
    crops. Each picture depends only on (split_seed, i), so the worker count changes nothing."""
    jobs = [(split_seed, i, lo, hi) for i in range(count)]
    if workers > 1:
        with multiprocessing.Pool(workers) as pool:
            crops = pool.map(_draw_crop, jobs, chunksize=64)
    else:
        crops = [_draw_crop(j) for j in jobs]
    ys = np.arange(count, dtype=np.int64) % len(class_list())
    return np.stack(crops), ys


def to_input(crops: torch.Tensor) -> torch.Tensor:
    """uint8 (B, 64, 64, 3) -> normalized float32 NCHW, the same ops as ToTensor + Normalize."""
    x = crops.permute(0, 3, 1, 2).contiguous().to(torch.float32).div(255)
    mean = torch.tensor(IMAGENET_MEAN, dtype=torch.float32)[:, None, None]
    std = torch.tensor(IMAGENET_STD, dtype=torch.float32)[:, None, None]
    return (x - mean) / std


def param_groups(model: nn.Module, weight_decay: float):
    """No weight decay on biases, norms and bias tables, as the official recipe."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if p.ndim <= 1 or name.endswith("relative_position_bias_table"):
            no_decay.append(p)
        else:
            decay.append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


@torch.no_grad()
def predict(model: nn.Module, x: torch.Tensor, batch: int = 250) -> torch.Tensor:
    model.eval()
    return torch.cat([model(x[i:i + batch]) for i in range(0, len(x), batch)])


def train(args, xs: np.ndarray, ys: np.ndarray, val: Tuple[np.ndarray, np.ndarray]) -> Tuple[dict, List[dict]]:
    torch.manual_seed(SEED_TORCH)
    # PyTorch's default initialisation (the reference module's own): in this short training it
    # learned faster than the official trunc-normal(0.02) scheme.
    model = R.SwinTransformer(**CONFIG)
    opt = torch.optim.AdamW(param_groups(model, args.weight_decay), lr=args.lr, betas=(0.9, 0.999))
    g = torch.Generator().manual_seed(SEED_TORCH)
    X, Y = torch.from_numpy(xs), torch.from_numpy(ys)
    vx, vy = to_input(torch.from_numpy(val[0])), torch.from_numpy(val[1])
    order = torch.randperm(len(X), generator=g)
    cursor = 0
    log = []
    t0 = time.time()
    for step in range(args.steps):
        # linear warmup, then cosine decay to 1% of the peak
        if step < args.warmup:
            lr = args.lr * (step + 1) / args.warmup
        else:
            t = (step - args.warmup) / max(1, args.steps - args.warmup)
            lr = args.lr * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * t)))
        for group in opt.param_groups:
            group["lr"] = lr
        if cursor + args.batch > len(X):
            order = torch.randperm(len(X), generator=g)
            cursor = 0
        idx = order[cursor:cursor + args.batch]
        cursor += args.batch
        flip = torch.rand(len(idx), generator=g) < 0.5
        crops = torch.where(flip[:, None, None, None], X[idx].flip(2), X[idx])
        model.train()
        logits = model(to_input(crops))
        loss = F.cross_entropy(logits, Y[idx], label_smoothing=args.label_smoothing)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        if (step + 1) % args.log_every == 0 or step + 1 == args.steps:
            acc = float((logits.argmax(1) == Y[idx]).float().mean())
            row = dict(step=step + 1, loss=round(float(loss), 4), batch_acc=round(acc, 4), lr=lr,
                       seconds=round(time.time() - t0, 1))
            if (step + 1) % (args.log_every * 4) == 0 or step + 1 == args.steps:
                row["val_acc"] = round(float((predict(model, vx).argmax(1) == vy).float().mean()), 4)
            log.append(row)
            print(json.dumps(row), flush=True)
    return model.state_dict(), log


def write_examples(model: nn.Module, classes: List[ShapeClass], out_dir: str) -> List[dict]:
    by_name = {c.name: i for i, c in enumerate(classes)}
    tf = eval_transform()
    rows = []
    os.makedirs(out_dir, exist_ok=True)
    for i, (name, fmt, w, h) in enumerate(EXAMPLES):
        cls = classes[by_name[name]]
        rng = random.Random(SEED_EXAMPLES * 1_000_003 + i)
        img = render(cls, rng, w, h)
        path = os.path.join(out_dir, f"{cls.slug}.{fmt}")
        if fmt == "jpg":
            img.save(path, quality=92)
        elif fmt == "webp":
            img.save(path, quality=90, method=6)
        else:
            img.save(path, optimize=True)
        with Image.open(path) as f:
            x = tf(f.convert("RGB"))[None]
        p = predict(model, x).softmax(1)[0]
        top = int(p.argmax())
        rows.append(dict(file=os.path.basename(path), shows=name, top1=classes[top].name, prob=round(float(p[top]), 4)))
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write("# Sample pictures\n\n"
                "Drawn by `tools/reference/synthetic_shapes.py` with seeds the training set never used, in the\n"
                "three formats `swin classify` decodes. The default model (`models/default`) was trained on\n"
                "this kind of picture; the last columns are what PyTorch predicts for each file\n"
                "(written by `tools/reference/train_default_model.py`).\n\n"
                "```sh\nswin classify examples/*.jpg examples/*.png examples/*.webp\n```\n\n"
                "| file | shows | PyTorch top-1 | probability |\n|---|---|---|---|\n")
        for r in rows:
            f.write(f"| `{r['file']}` | {r['shows']} | {r['top1']} | {r['prob']:.4f} |\n")
    return rows


def write_model_readme(out: str) -> None:
    """models/default/README.md, from the files the run wrote (so its numbers cannot drift)."""
    acc = json.load(open(os.path.join(out, "accuracy.json")))
    run = json.load(open(os.path.join(out, "training.json")))
    cfg = json.load(open(os.path.join(out, "config.json")))
    pre = json.load(open(os.path.join(out, "preprocess.json")))
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(f"""# The offline default model

What `swin classify` uses without `--weights`, and what the web demo loads: a small Swin V1
trained for real, on this machine's CPU, by `tools/reference/train_default_model.py`, on coloured
shapes that `tools/reference/synthetic_shapes.py` draws ({cfg['num_classes']} classes: 5 colours x 6 shapes,
"red circle" ... "purple heart"). No pretrained ImageNet weights can be downloaded where this
project is built, so this is the model that works out of the box.

| | |
|---|---|
| architecture | Swin V1, img {cfg['img_size']}, patch {cfg['patch_size']}, embed {cfg['embed_dim']}, depths {cfg['depths']}, heads {cfg['num_heads']}, window {cfg['window_size']}, mlp ratio {cfg['mlp_ratio']} ({run['parameters']:,} parameters) |
| training | {run['train_pictures']:,} pictures (+ horizontal flips), {run['args']['steps']} AdamW steps of {run['args']['batch']}, lr {run['args']['lr']} cosine, {run['seconds']['total']:.0f} s in total on {run['machine']} |
| held-out top-1 (PyTorch) | **{acc['correct']}/{acc['count']} = {100 * acc['top1']:.2f}%** on `heldout/` (never seen in training) |
| preprocessing | `preprocess.json`: short side to {pre['resize_size']} (Pillow bicubic), centre crop {pre['input_size'][0]}, ImageNet mean/std: the official evaluation transform |

Files: `weights.safetensors` (canonical official names, float32; `__metadata__` holds `config`,
`family`, `classes`), `config.json` (official constructor arguments + `family`), `classes.json`
(names in head order), `preprocess.json`, `heldout/` ({acc['count']} PNGs, `labels.json`, and PyTorch's
float32 `logits.npy` for them, in that order), `accuracy.json` (what PyTorch measured: top-1,
misclassified files), `training.json` (timings, BLAS and loss log of the run that produced the
weights; the only file a re-run does not reproduce byte for byte).

`packages/core/test/default-model.test.ts` runs the held-out set through `@swin/core`'s
preprocessing and the reference backend and requires PyTorch's accuracy with every logit within
1e-4 of PyTorch's.
""")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=1200)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--train-count", type=int, default=6000)
    ap.add_argument("--draw-workers", type=int, default=2, help="processes drawing pictures (does not change them)")
    ap.add_argument("--val-count", type=int, default=300)
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--config-override", default="{}", help="JSON merged into CONFIG (for experiments)")
    ap.add_argument("--out", default=os.path.join(REPO, "models", "default"))
    ap.add_argument("--examples", default=os.path.join(REPO, "examples"))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    CONFIG.update(json.loads(args.config_override))
    t_start = time.time()
    classes = class_list()

    t = time.time()
    xs, ys = make_split(SEED_TRAIN, args.train_count, 64, 112, args.draw_workers)
    val = make_split(SEED_VAL, args.val_count, 64, 112, args.draw_workers)
    t_data = time.time() - t
    print(f"drew {len(xs)} training + {len(val[0])} validation pictures in {t_data:.1f} s", flush=True)

    t = time.time()
    state, log = train(args, xs, ys, val)
    t_train = time.time() - t

    # Evaluate with a fresh, untouched reference module loaded strictly from the trained weights.
    model = R.SwinTransformer(**CONFIG).eval()
    model.load_state_dict(state, strict=True)

    out = args.out
    if os.path.isdir(out):
        shutil.rmtree(out)
    heldout_dir = os.path.join(out, "heldout")
    os.makedirs(heldout_dir)
    save_safetensors(model.state_dict(), os.path.join(out, "weights.safetensors"),
                     {"config": json.dumps(CONFIG), "family": "swin_v1",
                      "classes": json.dumps([c.name for c in classes])})
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(dict(CONFIG, family="swin_v1"), f, indent=1)
        f.write("\n")
    with open(os.path.join(out, "classes.json"), "w") as f:
        json.dump([c.name for c in classes], f, indent=1)
        f.write("\n")
    with open(os.path.join(out, "preprocess.json"), "w") as f:
        json.dump({
            "input_size": [INPUT_SIZE, INPUT_SIZE],
            "resize_size": RESIZE_SIZE,
            "resize_mode": "short_side",
            "interpolation": "bicubic",
            "crop_mode": "center",
            "mean": list(IMAGENET_MEAN),
            "std": list(IMAGENET_STD),
            "implementation": "torchvision.transforms Resize(73, BICUBIC) + CenterCrop(64) + ToTensor + Normalize on a "
                              "PIL RGB image; Pillow Image.resize BICUBIC (a = -0.5, support scaled when downscaling, "
                              "8-bit fixed point, horizontal then vertical pass); long side int(73 * long / short); "
                              "crop offset int(round((size - 64) / 2)) with round-half-to-even",
        }, f, indent=1)
        f.write("\n")

    # Held-out set: saved as PNG, then read back from disk so PyTorch sees exactly the file bytes.
    tf = eval_transform()
    labels, inputs = [], []
    for i in range(HELDOUT_PER_CLASS * len(classes)):
        cls_index = i % len(classes)
        cls = classes[cls_index]
        name = f"{i:04d}-{cls.slug}.png"
        draw(SEED_HELDOUT, i, cls, 64, 96).save(os.path.join(heldout_dir, name), optimize=True)
        with Image.open(os.path.join(heldout_dir, name)) as img:
            inputs.append(tf(img.convert("RGB")))
        labels.append(dict(file=name, label=cls_index, **{"class": cls.name}))
    x = torch.stack(inputs)
    logits = predict(model, x)
    y = torch.tensor([r["label"] for r in labels])
    pred = logits.argmax(1)
    correct = int((pred == y).sum())
    with open(os.path.join(heldout_dir, "labels.json"), "w") as f:
        json.dump(labels, f, indent=0)
        f.write("\n")
    np.save(os.path.join(heldout_dir, "logits.npy"), logits.numpy().astype(np.float32))
    confusions = {}
    for r, p in zip(labels, pred.tolist()):
        if p != r["label"]:
            confusions[r["file"]] = classes[p].name
    accuracy = {
        "top1": correct / len(labels),
        "correct": correct,
        "count": len(labels),
        "misclassified": confusions,
        "logits": "heldout/logits.npy",
        "labels": "heldout/labels.json",
        "measured_with": f"PyTorch {torch.__version__}, torchvision {__import__('torchvision').__version__}, "
                         f"Pillow {Image.__version__}, float32, tools/reference/swin_v1_reference.py",
        "pipeline": "preprocess.json (the official evaluation transform)",
    }
    with open(os.path.join(out, "accuracy.json"), "w") as f:
        json.dump(accuracy, f, indent=1)
        f.write("\n")

    examples = write_examples(model, classes, args.examples)
    total = time.time() - t_start
    with open(os.path.join(out, "training.json"), "w") as f:
        json.dump({
            "note": "timings and machine of the run that produced the committed weights (not reproducible)",
            "seconds": {"draw_data": round(t_data, 1), "train": round(t_train, 1), "total": round(total, 1)},
            "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared with other work), torch threads {args.threads}",
            "blas": loaded_blas(),
            "args": {k: v for k, v in vars(args).items() if k not in ("out", "examples")},
            "train_pictures": len(xs),
            "parameters": sum(p.numel() for p in model.parameters()),
            "log": log,
        }, f, indent=1)
        f.write("\n")
    write_model_readme(out)
    print(json.dumps({"heldout_top1": accuracy["top1"], "correct": correct, "count": len(labels),
                      "examples": examples, "seconds": round(total, 1)}, indent=1))


if __name__ == "__main__":
    main()
