"""Adds fixture entries to fixtures/manifest.json, the one place every generator writes through, and
writes a fixture's recorded outputs (record_outputs).

Entries replace those of the same name and the others stay; `families` notes are merged into
`conventions.families` key by key, so one generator never drops another's note.
"""
from __future__ import annotations

import json
import os
from collections import OrderedDict

import numpy as np


def merge_into_manifest(out_dir: str, entries: list, families: dict | None = None) -> str:
    path = os.path.join(out_dir, "manifest.json")
    manifest = json.load(open(path), object_pairs_hook=OrderedDict) if os.path.exists(path) else OrderedDict(fixtures=[])
    names = {e["name"] for e in entries}
    manifest["fixtures"] = [f for f in manifest["fixtures"] if f["name"] not in names] + entries
    if families:
        manifest.setdefault("conventions", OrderedDict()).setdefault("families", OrderedDict()).update(families)
    with open(path, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    return path


def record_outputs(fixture_dir: str, name: str, out32: dict, out64: dict, keys) -> "OrderedDict[str, OrderedDict]":
    """Writes NAME.npy (float32) and NAME_f64.npy (float64) for each key into fixture_dir and returns
    their manifest entries (files, shape, the float32 run's largest gap to float64)."""
    outputs: "OrderedDict[str, OrderedDict]" = OrderedDict()
    for k in keys:
        a32 = out32[k].numpy().astype(np.float32)
        a64 = out64[k].numpy().astype(np.float64)
        np.save(os.path.join(fixture_dir, f"{k}.npy"), a32)
        np.save(os.path.join(fixture_dir, f"{k}_f64.npy"), a64)
        outputs[k] = OrderedDict(file=f"{name}/{k}.npy", file_f64=f"{name}/{k}_f64.npy", shape=list(a32.shape),
                                 max_abs_diff_f32_vs_f64=float(np.abs(a32.astype(np.float64) - a64).max()))
    return outputs
