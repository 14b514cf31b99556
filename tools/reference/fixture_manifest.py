"""Adds fixture entries to fixtures/manifest.json, the one place every generator writes through.

Entries replace those of the same name and the others stay; `families` notes are merged into
`conventions.families` key by key, so one generator never drops another's note.
"""
from __future__ import annotations

import json
import os
from collections import OrderedDict


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
