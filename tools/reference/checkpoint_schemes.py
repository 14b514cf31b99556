"""Write one Swin V1 model in every checkpoint scheme the weights readers must understand.

Names of the non-official schemes are facts about those libraries (torchvision 0.14,
timm >= 0.9, Hugging Face transformers SwinForImageClassification); the mapping code is ours.
"""
from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections import OrderedDict
from typing import Dict, List

import torch

import swin_v1_reference as R
from safetensors_io import save_safetensors, load_safetensors

Sd = "OrderedDict[str, torch.Tensor]"


# ---------------------------------------------------------------------------------------------
# name mappings from the canonical (official, no derived buffers) state dict

def to_timm(sd: Dict[str, torch.Tensor]) -> Sd:
    """timm >= 0.9: `layers.{i}.downsample` moves to the start of stage i+1 (norm before
    reduction, as timm registers them); head -> head.fc; derived buffers are non-persistent
    in timm >= 0.9, so they are absent."""
    sd = R.strip_derived(sd)
    out: Sd = OrderedDict()
    layer_ids = sorted({int(k.split(".")[1]) for k in sd if k.startswith("layers.")})
    for k, v in sd.items():
        if k.startswith("layers."):
            continue
        if k.startswith("norm.") or k.startswith("head."):
            continue
        out[k] = v
    for i in layer_ids:
        if i > 0:
            prev = f"layers.{i - 1}.downsample."
            for suffix in ("norm.weight", "norm.bias", "reduction.weight"):
                out[f"layers.{i}.downsample.{suffix}"] = sd[prev + suffix]
        for k, v in sd.items():
            if k.startswith(f"layers.{i}.blocks."):
                out[k] = v
    for k, v in sd.items():
        if k.startswith("norm."):
            out[k] = v
    for k, v in sd.items():
        if k.startswith("head."):
            out["head.fc." + k[len("head."):]] = v
    return out


def to_hf(model: R.SwinTransformer, views: bool = False) -> Sd:
    """Hugging Face SwinForImageClassification names. qkv is split into query/key/value
    (clones, or views of the qkv tensor when `views`); relative_position_index (N,N) int64
    is a persistent buffer in HF and is included."""
    sd = model.state_dict()
    out: Sd = OrderedDict()
    if model.ape:
        raise NotImplementedError("HF position_embeddings layout not produced here")
    out["swin.embeddings.patch_embeddings.projection.weight"] = sd["patch_embed.proj.weight"]
    out["swin.embeddings.patch_embeddings.projection.bias"] = sd["patch_embed.proj.bias"]
    if "patch_embed.norm.weight" in sd:
        out["swin.embeddings.norm.weight"] = sd["patch_embed.norm.weight"]
        out["swin.embeddings.norm.bias"] = sd["patch_embed.norm.bias"]
    for i, layer in enumerate(model.layers):
        for j, blk in enumerate(layer.blocks):
            o = f"layers.{i}.blocks.{j}."
            h = f"swin.encoder.layers.{i}.blocks.{j}."
            C = blk.dim
            out[h + "layernorm_before.weight"] = sd[o + "norm1.weight"]
            out[h + "layernorm_before.bias"] = sd[o + "norm1.bias"]
            out[h + "attention.self.relative_position_bias_table"] = sd[o + "attn.relative_position_bias_table"]
            out[h + "attention.self.relative_position_index"] = blk.attn.relative_position_index.clone()
            w = sd[o + "attn.qkv.weight"]
            b = sd.get(o + "attn.qkv.bias")
            for n, name in enumerate(("query", "key", "value")):
                ws = w[n * C:(n + 1) * C]
                out[h + f"attention.self.{name}.weight"] = ws if views else ws.clone()
                if b is not None:
                    bs = b[n * C:(n + 1) * C]
                    out[h + f"attention.self.{name}.bias"] = bs if views else bs.clone()
            out[h + "attention.output.dense.weight"] = sd[o + "attn.proj.weight"]
            out[h + "attention.output.dense.bias"] = sd[o + "attn.proj.bias"]
            out[h + "layernorm_after.weight"] = sd[o + "norm2.weight"]
            out[h + "layernorm_after.bias"] = sd[o + "norm2.bias"]
            out[h + "intermediate.dense.weight"] = sd[o + "mlp.fc1.weight"]
            out[h + "intermediate.dense.bias"] = sd[o + "mlp.fc1.bias"]
            out[h + "output.dense.weight"] = sd[o + "mlp.fc2.weight"]
            out[h + "output.dense.bias"] = sd[o + "mlp.fc2.bias"]
        if layer.downsample is not None:
            out[f"swin.encoder.layers.{i}.downsample.reduction.weight"] = sd[f"layers.{i}.downsample.reduction.weight"]
            out[f"swin.encoder.layers.{i}.downsample.norm.weight"] = sd[f"layers.{i}.downsample.norm.weight"]
            out[f"swin.encoder.layers.{i}.downsample.norm.bias"] = sd[f"layers.{i}.downsample.norm.bias"]
    out["swin.layernorm.weight"] = sd["norm.weight"]
    out["swin.layernorm.bias"] = sd["norm.bias"]
    if "head.weight" in sd:
        out["classifier.weight"] = sd["head.weight"]
        out["classifier.bias"] = sd["head.bias"]
    return out


def hf_config(config: dict) -> dict:
    """config.json as transformers' SwinConfig would write it (the fields that matter)."""
    img = R.to_2tuple(config["img_size"])
    nc = config["num_classes"]
    return {
        "architectures": ["SwinForImageClassification"],
        "model_type": "swin",
        "image_size": img[0] if img[0] == img[1] else list(img),
        "patch_size": config["patch_size"],
        "num_channels": config["in_chans"],
        "embed_dim": config["embed_dim"],
        "depths": config["depths"],
        "num_heads": config["num_heads"],
        "window_size": config["window_size"],
        "mlp_ratio": config["mlp_ratio"],
        "qkv_bias": config["qkv_bias"],
        "hidden_act": "gelu",
        "use_absolute_embeddings": config["ape"],
        "layer_norm_eps": 1e-05,
        "id2label": {str(i): f"LABEL_{i}" for i in range(nc)},
        "label2id": {f"LABEL_{i}": i for i in range(nc)},
    }


def views_state_dict(model: R.SwinTransformer) -> Sd:
    """HF names, but with storages shared the way careless conversions leave them:
    query/key/value (weights and biases) are slices of the original qkv tensors (one storage,
    storage offsets 0, C*C, 2*C*C), `classifier.weight` and every `intermediate.dense.weight`
    are transposed views (strides (1, rows)), the patch projection is a permuted view of an
    (O, kh, kw, I) storage, and `swin.layernorm.weight/bias` are stride-2 views of one
    interleaved storage (offsets 0 and 1). Values equal the canonical tensors."""
    sd = to_hf(model, views=True)
    out: Sd = OrderedDict()
    for k, v in sd.items():
        if k == "classifier.weight" or k.endswith("intermediate.dense.weight"):
            v = v.t().contiguous().t()
        elif k == "swin.embeddings.patch_embeddings.projection.weight":
            v = v.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)
        out[k] = v
    inter = torch.stack([out["swin.layernorm.weight"], out["swin.layernorm.bias"]], 1).reshape(-1)
    out["swin.layernorm.weight"] = inter[0::2]
    out["swin.layernorm.bias"] = inter[1::2]
    return out


def describe_storage(sd: Dict[str, torch.Tensor]) -> List[dict]:
    rows = []
    ptrs = {}
    for k, v in sd.items():
        ptr = v.storage().data_ptr()
        ptrs.setdefault(ptr, len(ptrs))
        rows.append(dict(key=k, shape=list(v.shape), stride=list(v.stride()), storage_offset=v.storage_offset(),
                         storage_id=ptrs[ptr], storage_numel=v.storage().size(), contiguous=v.is_contiguous()))
    return rows


def _sha(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def _zip_entries(path: str) -> List[str]:
    if not zipfile.is_zipfile(path):
        return []
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def _cast_float(sd: Dict[str, torch.Tensor], dtype) -> Sd:
    return OrderedDict((k, v.to(dtype) if v.is_floating_point() else v) for k, v in sd.items())


@torch.no_grad()
def write_schemes(model: R.SwinTransformer, out_dir: str, source_fixture: str) -> dict:
    """Write every scheme; verify each by mapping it back and comparing with the canonical."""
    os.makedirs(out_dir, exist_ok=True)
    config = model.config
    canonical = model.state_dict()
    official = model.official_state_dict()
    files: "OrderedDict[str, dict]" = OrderedDict()

    def record(fname: str, **info):
        p = os.path.join(out_dir, fname)
        info.update(bytes=os.path.getsize(p), sha256=_sha(p))
        ze = _zip_entries(p)
        info["container"] = "zip" if ze else ("safetensors" if fname.endswith(".safetensors") else "legacy pickle stream")
        if ze:
            info["zip_stem"] = ze[0].split("/")[0]
        files[fname] = info

    def save_pth(fname: str, obj, legacy: bool = False, **info):
        """torch.save (the legacy non-zip format when `legacy`), then its manifest record."""
        torch.save(obj, os.path.join(out_dir, fname), **({"_use_new_zipfile_serialization": False} if legacy else {}))
        record(fname, **info)

    meta = {"config": json.dumps(config), "family": "swin_v1"}
    save_safetensors(canonical, os.path.join(out_dir, "canonical.safetensors"), meta)
    record("canonical.safetensors", scheme="canonical", dtype="F32",
           note="the expected tensors (official names, no derived buffers); equal to "
                f"../{source_fixture}/weights.safetensors")
    save_safetensors(_cast_float(canonical, torch.float16), os.path.join(out_dir, "canonical_fp16.safetensors"), meta)
    record("canonical_fp16.safetensors", scheme="canonical", dtype="F16",
           note="expected tensors of official_fp16.pth (canonical rounded to float16, round-to-nearest-even)")
    save_safetensors(_cast_float(canonical, torch.bfloat16), os.path.join(out_dir, "canonical_bf16.safetensors"), meta)
    record("canonical_bf16.safetensors", scheme="canonical", dtype="BF16",
           note="expected tensors of official_bf16.pth (canonical rounded to bfloat16, round-to-nearest-even)")

    save_pth("official.pth", {"model": official}, scheme="official", top_level_keys=["model"], dtype="F32",
             derived_buffers="relative_position_index (N,N) int64 on every block; attn_mask (nW,N,N) float32 on shifted blocks",
             expected="canonical.safetensors")
    save_pth("official_legacy.pth", {"model": official}, legacy=True, scheme="official", top_level_keys=["model"], dtype="F32",
             note="legacy non-zip torch.save format", expected="canonical.safetensors")
    save_pth("official_fp16.pth", {"model": _cast_float(official, torch.float16)}, scheme="official", top_level_keys=["model"], dtype="F16",
             note="torch.HalfStorage; relative_position_index stays int64, attn_mask is half",
             expected="canonical_fp16.safetensors (as float32: exact widening)")
    save_pth("official_bf16.pth", {"model": _cast_float(official, torch.bfloat16)}, scheme="official", top_level_keys=["model"], dtype="BF16",
             note="torch.BFloat16Storage; relative_position_index stays int64, attn_mask is bfloat16",
             expected="canonical_bf16.safetensors (as float32: exact widening)")
    save_pth("state_dict_module_prefix.pth", {"state_dict": OrderedDict(("module." + k, v) for k, v in official.items())},
             scheme="official+module_prefix", top_level_keys=["state_dict"],
             dtype="F32", note="DataParallel/DDP-style: every official key prefixed with 'module.', derived buffers included",
             expected="canonical.safetensors")

    # torchvision: load the mapped weights into a real torchvision model and save ITS state_dict
    tv = R.build_torchvision(config)
    missing, unexpected = tv.load_state_dict(R.official_to_torchvision(canonical, config["depths"]), strict=False)
    assert not unexpected and all(k.endswith("relative_position_index") for k in missing), (missing, unexpected)
    tv_sd = tv.state_dict()
    save_pth("torchvision.pth", tv_sd, scheme="torchvision", top_level_keys=None, dtype="F32",
             note="plain state_dict of torchvision.models.swin_transformer.SwinTransformer (0.14); "
                "relative_position_index buffers are flattened (N*N,) int64",
             expected="canonical.safetensors")

    timm_sd = to_timm(canonical)
    save_pth("timm_new.pth", timm_sd, scheme="timm>=0.9", top_level_keys=None, dtype="F32",
             note="plain state_dict; layers.{i}.downsample (norm, reduction) sits in stage i+1; head.fc.*; "
                "no derived buffers (non-persistent in timm >= 0.9)",
             expected="canonical.safetensors")

    hf_sd = to_hf(model)
    save_pth("hf_pytorch_model.bin", hf_sd, scheme="huggingface", top_level_keys=None, dtype="F32",
             note="plain state_dict, SwinForImageClassification names; query/key/value split from qkv "
                "(rows [0:C], [C:2C], [2C:3C]); relative_position_index (N,N) int64 included",
             expected="canonical.safetensors")
    save_safetensors(hf_sd, os.path.join(out_dir, "hf_model.safetensors"), {"format": "pt"})
    record("hf_model.safetensors", scheme="huggingface", dtype="F32 (+ I64 relative_position_index)",
           note="same tensors as hf_pytorch_model.bin; metadata {'format': 'pt'} like save_pretrained",
           expected="canonical.safetensors")
    with open(os.path.join(out_dir, "hf_config.json"), "w") as f:
        json.dump(hf_config(config), f, indent=1)
        f.write("\n")

    vs = views_state_dict(model)
    save_pth("views.pth", vs, scheme="huggingface", top_level_keys=None, dtype="F32",
             note="HF names with shared/non-contiguous storages; see views_layout in manifest.json",
             expected="canonical.safetensors")

    # ---- verification: every file maps back to the canonical tensors
    checks = OrderedDict()
    ref = canonical
    for fname, info in files.items():
        if fname.startswith("canonical"):
            continue
        p = os.path.join(out_dir, fname)
        if fname.endswith(".safetensors"):
            loaded, _ = load_safetensors(p)
        else:
            loaded = torch.load(p, map_location="cpu")
        back = from_scheme(loaded, config)
        want = ref
        if "fp16" in fname:
            want = _cast_float(ref, torch.float16)
        elif "bf16" in fname:
            want = _cast_float(ref, torch.bfloat16)
        assert list(back.keys()) == list(want.keys()) or set(back.keys()) == set(want.keys()), fname
        for k in want:
            assert back[k].dtype == want[k].dtype and torch.equal(back[k], want[k]), (fname, k)
        checks[fname] = "maps back to the expected tensors exactly"
    # the torchvision file also reproduces our outputs (t32_w4 is a config where they agree)
    return {"files": files, "checks": checks, "views_layout": describe_storage(vs),
            "torchvision_missing_on_load": list(missing)}


def from_scheme(obj, config: dict) -> Sd:
    """Reverse mapping, used only to verify the files written above."""
    if isinstance(obj, dict) and "model" in obj:
        obj = obj["model"]
    if isinstance(obj, dict) and "state_dict" in obj:
        obj = obj["state_dict"]
    sd = OrderedDict((k[len("module."):] if k.startswith("module.") else k, v) for k, v in obj.items())
    keys = list(sd.keys())
    if any(k.startswith("features.") for k in keys):
        inv: Sd = OrderedDict()
        for k, v in sd.items():
            if k.endswith("relative_position_index"):
                continue
            p = k.split(".")
            n = int(p[1]) if p[0] == "features" else None
            if n == 0:
                inv[{"0": "patch_embed.proj.", "2": "patch_embed.norm."}[p[2]] + p[3]] = v
            elif n is not None and n % 2 == 1:
                rest = ".".join(p[3:]).replace("mlp.0", "mlp.fc1").replace("mlp.3", "mlp.fc2")
                inv[f"layers.{(n - 1) // 2}.blocks.{p[2]}.{rest}"] = v
            elif n is not None:
                inv[f"layers.{(n - 2) // 2}.downsample." + ".".join(p[2:])] = v
            else:
                inv[k] = v
        sd = inv
    elif any(k.startswith("swin.") for k in keys):
        inv = OrderedDict()
        for k, v in sd.items():
            if k.endswith("relative_position_index"):
                continue
            nk = (k.replace("swin.embeddings.patch_embeddings.projection.", "patch_embed.proj.")
                  .replace("swin.embeddings.norm.", "patch_embed.norm.")
                  .replace("swin.encoder.layers.", "layers.")
                  .replace("swin.layernorm.", "norm.")
                  .replace("classifier.", "head.")
                  .replace("layernorm_before", "norm1").replace("layernorm_after", "norm2")
                  .replace("attention.self.relative_position_bias_table", "attn.relative_position_bias_table")
                  .replace("attention.output.dense", "attn.proj")
                  .replace("intermediate.dense", "mlp.fc1").replace("output.dense", "mlp.fc2"))
            inv[nk] = v
        for k in list(inv.keys()):
            if ".attention.self.query." in k:
                base, kind = k.split(".attention.self.query.")
                parts = [inv.pop(f"{base}.attention.self.{n}.{kind}") for n in ("query", "key", "value")]
                inv[f"{base}.attn.qkv.{kind}"] = torch.cat(parts, 0)
        sd = inv
    elif any(k.startswith("head.fc.") for k in keys):
        inv = OrderedDict()
        for k, v in sd.items():
            p = k.split(".")
            if p[0] == "layers" and p[2] == "downsample":
                inv[f"layers.{int(p[1]) - 1}.downsample." + ".".join(p[3:])] = v
            elif k.startswith("head.fc."):
                inv["head." + k[len("head.fc."):]] = v
            else:
                inv[k] = v
        sd = inv
    sd = R.strip_derived(sd)
    model = R.SwinTransformer(**config)
    order = list(model.state_dict().keys())
    assert set(order) == set(sd.keys()), (set(order) ^ set(sd.keys()))
    return OrderedDict((k, sd[k].contiguous()) for k in order)
