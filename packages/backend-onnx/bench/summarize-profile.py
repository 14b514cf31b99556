"""Sums an onnxruntime profile (enableProfiling JSON) per op type: ms per run, node count, share.

    python3 bench/summarize-profile.py PROFILE.json
"""
import collections
import json
import sys

events = json.load(open(sys.argv[1]))
runs = [e for e in events if e.get("cat") == "Session" and e["name"] == "model_run"]
by_op = collections.Counter()
count = collections.Counter()
for e in events:
    if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
        op = e["args"].get("op_name")
        by_op[op] += e["dur"]
        count[op] += 1
n = max(len(runs), 1)
total = sum(by_op.values()) or 1
print("runs", len(runs), "model_run median ms", sorted(r["dur"] for r in runs)[len(runs) // 2] / 1000 if runs else "-")
for op, t in by_op.most_common():
    print(f"{op:28s} {t / n / 1000:8.2f} ms  {count[op] // n:5d} nodes  {100 * t / total:5.1f}%")
