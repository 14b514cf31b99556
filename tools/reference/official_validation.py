"""What the three references' validations against the shared official-code fixtures share: the
fixtures of one family with their checkpoints, and the comparison of every recorded output
(float32 intermediates, float64 pooled/logits) with a model that loaded the checkpoint.
"""
from __future__ import annotations

import copy
import json
import os
from typing import Callable, Dict, Iterator, Tuple

import numpy as np
import torch


def max_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    assert tuple(a.shape) == tuple(b.shape), (tuple(a.shape), tuple(b.shape))
    return float((a.double() - b.double()).abs().max())


def official_fixtures(shared_dir: str, family: str) -> Iterator[Tuple[dict, str, Dict[str, torch.Tensor]]]:
    """(manifest entry, directory, checkpoint state dict) of every shared fixture of `family`."""
    manifest = json.load(open(os.path.join(shared_dir, "manifest.json")))
    for fx in manifest["fixtures"]:
        if fx["family"] == family:
            d = os.path.join(shared_dir, fx["dir"])
            yield fx, d, torch.load(os.path.join(d, "checkpoint.pth"), map_location="cpu")["model"]


@torch.no_grad()
def validate_swin_family(shared_dir: str, family: str, build: Callable[[dict], torch.nn.Module],
                         strip_derived: Callable[[Dict[str, torch.Tensor]], Dict[str, torch.Tensor]]) -> Dict[str, Dict[str, float]]:
    """Swin V1 / V2: each shared fixture's checkpoint loads strictly without its derived buffers, the
    buffers the model would write (official_state_dict) equal the checkpoint's bit for bit and in its
    key order, and every output is compared (compare_with_official)."""
    results: Dict[str, Dict[str, float]] = {}
    for fx, d, ckpt in official_fixtures(shared_dir, family):
        model = build(fx["config"]).eval()
        model.load_state_dict(strip_derived(ckpt), strict=True)
        ours = model.official_state_dict()
        assert list(ours.keys()) == list(ckpt.keys()), "official key order differs"
        for k in ckpt:
            assert ours[k].dtype == ckpt[k].dtype and torch.equal(ours[k], ckpt[k]), k
        results[fx["name"]] = compare_with_official(model, d)
    return results


@torch.no_grad()
def compare_with_official(model: torch.nn.Module, d: str) -> Dict[str, float]:
    """Max |ours - official| of every float32 output in `d`, and of pooled/logits run in float64."""
    def expected(name: str) -> torch.Tensor:
        return torch.from_numpy(np.load(os.path.join(d, name + ".npy")))
    x = expected("input")
    res = {name: max_diff(t, expected(name)) for name, t in model.forward_intermediates(x).items()}
    o64 = copy.deepcopy(model).double().forward_intermediates(x.double())
    for name in ("pooled", "logits"):
        res[name + "_f64"] = max_diff(o64[name], expected(name + "_f64"))
    return res
