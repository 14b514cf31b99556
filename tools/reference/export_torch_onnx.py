"""PyTorch's own ONNX export of torchvision's Swin-T: the incumbent the onnx backend is benchmarked
against (packages/backend-onnx/bench).

    /usr/bin/python3 tools/reference/export_torch_onnx.py --out /tmp/swin_t_torch.onnx [--state-dict W.pth] [--batch dynamic|N] [--size 224] [--opset 17] [--seed 0]

torchvision.models.swin_t(weights=None) in eval mode (torchvision's random init after
torch.manual_seed(--seed)), exported with torch.onnx.export at opset 17. --state-dict also saves
those weights (torch.save of the state_dict) so that the other candidates of a benchmark run the
same values: timing does depend on them (a softmax whose exponentials underflow to subnormal
floats runs about 2x slower in onnxruntime), and with equal weights the logits can be compared. With --batch dynamic (the default) the batch
axis is declared dynamic via dynamic_axes; if tracing bakes the batch into the graph anyway, the
export still succeeds but only runs at the traced batch: use --batch N for a file per batch.
Writes OUT and OUT.json (torch version, opset, node counts by op type, export time).
"""
import argparse
import collections
import json
import os
import sys
import time

import torch
from torchvision.models import swin_t


def count_nodes(path):
    """Counts nodes per op type by walking the protobuf without the onnx package (not in Debian's torch)."""
    data = open(path, "rb").read()

    def varint(buf, i):
        shift = result = 0
        while True:
            b = buf[i]
            i += 1
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result, i
            shift += 7

    def fields(buf):
        i = 0
        while i < len(buf):
            key, i = varint(buf, i)
            field, wire = key >> 3, key & 7
            if wire == 0:
                v, i = varint(buf, i)
            elif wire == 2:
                n, i = varint(buf, i)
                v = buf[i : i + n]
                i += n
            elif wire == 5:
                v = buf[i : i + 4]
                i += 4
            elif wire == 1:
                v = buf[i : i + 8]
                i += 8
            else:
                raise ValueError("wire type %d" % wire)
            yield field, v

    counts = collections.Counter()
    for f, v in fields(data):
        if f != 7:  # ModelProto.graph
            continue
        for gf, gv in fields(v):
            if gf != 1:  # GraphProto.node
                continue
            for nf, nv in fields(gv):
                if nf == 4:  # NodeProto.op_type
                    counts[bytes(nv).decode()] += 1
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--batch", default="dynamic", help="'dynamic' or a fixed batch size")
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--state-dict", help="also save the model's weights here (torchvision key names)")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    model = swin_t(weights=None).eval()
    if args.state_dict:
        torch.save(model.state_dict(), args.state_dict)
    batch = 1 if args.batch == "dynamic" else int(args.batch)
    x = torch.randn(batch, 3, args.size, args.size)
    dynamic_axes = {"input": {0: "batch"}, "logits": {0: "batch"}} if args.batch == "dynamic" else None
    t0 = time.time()
    with torch.no_grad():
        torch.onnx.export(
            model,
            (x,),
            args.out,
            opset_version=args.opset,
            input_names=["input"],
            output_names=["logits"],
            dynamic_axes=dynamic_axes,
            do_constant_folding=True,
        )
    seconds = time.time() - t0
    counts = count_nodes(args.out)
    info = dict(
        torch=torch.__version__,
        opset=args.opset,
        batch=args.batch,
        size=args.size,
        export_seconds=round(seconds, 2),
        nodes=sum(counts.values()),
        nodes_by_op=dict(counts.most_common()),
        bytes=os.path.getsize(args.out),
    )
    with open(args.out + ".json", "w") as f:
        json.dump(info, f, indent=1)
    print(json.dumps({k: v for k, v in info.items() if k != "nodes_by_op"}))
    print("Constant nodes:", counts.get("Constant", 0), file=sys.stderr)


if __name__ == "__main__":
    main()
