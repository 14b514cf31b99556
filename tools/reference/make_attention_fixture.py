"""Write apps/web/test/fixtures/attention/: the attention probabilities of every block of the
fixture model fixtures/v1_rand_t32_w4 for its first input picture, for the web demo's explainer.

    /usr/bin/python3 tools/reference/make_attention_fixture.py

Per block `stage{i}_block{j}`:
  probs.npy   (windows, heads, N, N): softmax(q k^T * scale + relative bias [+ shift mask]) as the
              reference WindowAttention computes it, in the block's (rolled) window order;
  tokens.npy  (H*W, H*W), mean over heads: how much token q attends to token k, both in picture
              coordinates (row-major on the stage map), 0 outside q's window. Derived independently
              of probs' indexing: the token ids themselves are rolled and window-partitioned with
              the reference code.

The probabilities are recomputed in a forward hook from the module's input; the hook checks that
they reproduce the module's output, so they are the ones the model used.
"""
from __future__ import annotations

import json
import os
import shutil
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import swin_v1_reference as R  # noqa: E402
from safetensors_io import load_safetensors  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
CASE = "v1_rand_t32_w4"
OUT = os.path.join(REPO, "apps", "web", "test", "fixtures", "attention")


def attention_probs(attn: R.WindowAttention, x: torch.Tensor, mask) -> torch.Tensor:
    B_, N, C = x.shape
    nH = attn.num_heads
    qkv = attn.qkv(x).reshape(B_, N, 3, nH, C // nH).permute(2, 0, 3, 1, 4)
    q, k, v = qkv[0] * attn.scale, qkv[1], qkv[2]
    a = q @ k.transpose(-2, -1) + attn.relative_position_bias().unsqueeze(0)
    if mask is not None:
        nW = mask.shape[0]
        a = (a.view(B_ // nW, nW, nH, N, N) + mask.unsqueeze(1).unsqueeze(0)).view(B_, nH, N, N)
    p = a.softmax(-1)
    out = attn.proj((p @ v).transpose(1, 2).reshape(B_, N, C))
    return p, out


@torch.no_grad()
def main():
    d = os.path.join(REPO, "fixtures", CASE)
    config = json.load(open(os.path.join(d, "config.json")))
    config.pop("family")
    weights, _ = load_safetensors(os.path.join(d, "weights.safetensors"))
    model = R.SwinTransformer(**config).eval()
    model.load_state_dict(weights, strict=True)
    x = torch.from_numpy(np.load(os.path.join(d, "input.npy")))[:1]

    captured = {}
    for i, layer in enumerate(model.layers):
        for j, blk in enumerate(layer.blocks):
            def hook(mod, inputs, output, key=f"stage{i}_block{j}", blk=blk):
                windows, mask = inputs
                p, out = attention_probs(mod, windows, mask)
                assert torch.allclose(out, output, atol=1e-6, rtol=0), key
                captured[key] = (p, blk)
            blk.attn.register_forward_hook(hook)
    model(x)

    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    rows = []
    for key, (p, blk) in captured.items():
        H, W = blk.input_resolution
        ws, s = blk.window_size, blk.shift_size
        assert (H % ws, W % ws) == (0, 0), "the fixture model needs no padding"
        # token ids in picture coordinates, rolled and partitioned exactly like the features
        ids = torch.arange(H * W, dtype=torch.float64).view(1, H, W, 1)
        if s > 0:
            ids = torch.roll(ids, shifts=(-s, -s), dims=(1, 2))
        win_ids = R.window_partition(ids, ws)[..., 0].long()  # nW, N
        mean = p.double().mean(1)  # nW, N, N
        tokens = torch.zeros(H * W, H * W, dtype=torch.float64)
        for w in range(win_ids.shape[0]):
            for qi in range(win_ids.shape[1]):
                tokens[win_ids[w, qi], win_ids[w]] = mean[w, qi]
        os.makedirs(os.path.join(OUT, key))
        np.save(os.path.join(OUT, key, "probs.npy"), p.numpy().astype(np.float32))
        np.save(os.path.join(OUT, key, "tokens.npy"), tokens.numpy().astype(np.float32))
        rows.append(dict(block=key, resolution=[H, W], window=ws, shift=s, probs_shape=list(p.shape)))
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"case": CASE, "input": "first picture of fixtures/%s/input.npy" % CASE, "blocks": rows}, f, indent=1)
        f.write("\n")
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
