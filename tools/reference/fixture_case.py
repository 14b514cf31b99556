"""What every fixture generator writes for one case, in one layout: the case's seeds and batch, its
directory, weights.safetensors (official names, config in the metadata) + config.json + input.npy,
each output as float32 NAME.npy and float64 NAME_f64.npy with its manifest entry, and the reload
check (the written safetensors reproduce the float32 outputs bit for bit)."""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
from collections import OrderedDict
from typing import Callable, Dict

import numpy as np
import torch

from safetensors_io import load_safetensors, save_safetensors

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RANDOMIZE_SEED = 1
INPUT_SEED = 1234
BATCH = 2
INPUT_GENERATOR = "torch.randn(shape, generator=torch.Generator().manual_seed(seed))"


# What each recorded output is (manifest "layout"), by kind.
LAYOUTS = {
    "embed": "B,L,C tokens after patch embed (+ absolute_pos_embed when ape); L=H*W row-major (token = h*W + w)",
    "block": "B,L,C output of one block",
    "stage": "B,L,C output of stage i AFTER its merge when it has one",
    "norm_out": "B,L,C after the final LayerNorm (norm)",
    "pooled": "B,C mean of norm_out over tokens",
    "logits": "B,num_classes head(pooled)",
}


def layout_of(name: str, layouts: Dict[str, str] = LAYOUTS) -> str:
    """The layout of output `name` (stage{i}_block{j}, stage{i}_out, embed...)."""
    if name.startswith("stage") and "_block" in name:
        return layouts["block"]
    if name.startswith("stage"):
        return layouts["stage"]
    return layouts[name]


def generator_args(doc: str, **paths: str) -> argparse.Namespace:
    """A generator's command line: --out (default fixtures/), --only NAME..., and --KEY PATH per keyword
    (its default); torch then runs on two threads, as every committed fixture was made."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(REPO, "fixtures"))
    for key, default in paths.items():
        ap.add_argument(f"--{key}", default=default)
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    torch.set_num_threads(2)
    return args


def sha256(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def fresh_dir(out_root: str, name: str) -> str:
    """fixtures/<name>/, emptied."""
    d = os.path.join(out_root, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    return d


def seeded_input(config: dict) -> torch.Tensor:
    """(BATCH, in_chans, H, W) standard normal from INPUT_SEED, H x W = img_size."""
    H, W = (config["img_size"],) * 2 if isinstance(config["img_size"], int) else config["img_size"]
    return torch.randn(BATCH, config["in_chans"], H, W, generator=torch.Generator().manual_seed(INPUT_SEED))


def write_model_files(d: str, sd: Dict[str, torch.Tensor], config: dict, family: str, x: torch.Tensor) -> None:
    """weights.safetensors (config and family in its metadata), config.json with "family", input.npy."""
    save_safetensors(sd, os.path.join(d, "weights.safetensors"), {"config": json.dumps(config), "family": family})
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(dict(config, family=family), f, indent=1)
        f.write("\n")
    np.save(os.path.join(d, "input.npy"), x.numpy())


def save_output(d: str, name: str, k: str, a32: np.ndarray, a64: np.ndarray, layout: str) -> "OrderedDict[str, object]":
    """Writes output k as float32 and float64; its manifest entry."""
    np.save(os.path.join(d, f"{k}.npy"), a32)
    np.save(os.path.join(d, f"{k}_f64.npy"), a64)
    return OrderedDict(file=f"{name}/{k}.npy", file_f64=f"{name}/{k}_f64.npy", shape=list(a32.shape), layout=layout,
                       max_abs_diff_f32_vs_f64=float(np.abs(a32.astype(np.float64) - a64).max()))


def reload_check(d: str, build: Callable[[dict], torch.nn.Module], run: Callable[[torch.nn.Module, torch.Tensor], Dict[str, torch.Tensor]],
                 outs32: Dict[str, torch.Tensor]) -> float:
    """Loads weights.safetensors strictly into build(its config) and runs input.npy: must equal outs32 (returns 0.0)."""
    loaded, meta = load_safetensors(os.path.join(d, "weights.safetensors"))
    m2 = build(json.loads(meta["config"]))
    m2.load_state_dict(loaded, strict=True)
    o2 = run(m2, torch.from_numpy(np.load(os.path.join(d, "input.npy"))))
    reload_diff = max(float((o2[k] - outs32[k]).abs().max()) for k in outs32)
    assert reload_diff == 0.0, reload_diff
    return reload_diff
