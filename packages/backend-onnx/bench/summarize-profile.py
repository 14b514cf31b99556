"""Sums an onnxruntime profile (enableProfiling JSON) per op type: ms per run, node count, share.
With --nodes OP, also every node of that op type (Gemm, MatMul, FusedMatMul, DynamicQuantizeMatMul)
with its shapes and, for 2-D products, its GFLOP/s.

    python3 bench/summarize-profile.py PROFILE.json [--nodes Gemm]
"""
import collections
import json
import sys

events = json.load(open(sys.argv[1]))
detail = sys.argv[sys.argv.index("--nodes") + 1] if "--nodes" in sys.argv else None
runs = [e for e in events if e.get("cat") == "Session" and e["name"] == "model_run"]
by_op = collections.Counter()
count = collections.Counter()
by_node = collections.Counter()
shapes = {}
for e in events:
    if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
        op = e["args"].get("op_name")
        by_op[op] += e["dur"]
        count[op] += 1
        if op == detail:
            name = e["name"][: -len("_kernel_time")]
            by_node[name] += e["dur"]
            shapes[name] = (e["args"].get("input_type_shape", []), e["args"].get("output_type_shape", []))
n = max(len(runs), 1)
total = sum(by_op.values()) or 1
print("runs", len(runs), "model_run median ms", sorted(r["dur"] for r in runs)[len(runs) // 2] / 1000 if runs else "-")
for op, t in by_op.most_common():
    print(f"{op:28s} {t / n / 1000:8.2f} ms  {count[op] // n:5d} nodes  {100 * t / total:5.1f}%")
if detail:
    print(f"\n{detail} nodes (ms per run; GFLOP/s = 2*M*K*N over that time, for a [M, K] input)")
    for name, t in by_node.most_common():
        ins, outs = shapes[name]
        ms = t / n / 1000
        a = list(ins[0].values())[0] if ins else []
        y = list(outs[0].values())[0] if outs else []
        rate = f"{2 * a[0] * a[1] * y[-1] / ms / 1e6:7.1f} GFLOP/s" if len(a) == 2 and y else ""
        print(f"  {name[:56]:56s} {ms:7.3f} ms  in {a} out {y}  {rate}")
