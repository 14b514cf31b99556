"""Rewrites of our float32 Swin file that onnxruntime might run faster (an experiment, not the product).

    <venv>/bin/python bench/graph-variants.py OURS_FLOAT32.onnx OUT_DIR

`<venv>` is the one bench-cpu.mjs makes for the stock quantizer (.cache/bench-cpu/quant-venv: pip's
onnx and onnxruntime). Writes one file per variant into OUT_DIR, each with the same logits as the
input within float32 rounding; time them against the input, interleaved, with

    node apps/cli/dist/main.js bench --backend onnx --batch 1,8 --runs 16 \
      --compare OURS_FLOAT32.onnx --compare OUT_DIR/matmul-bias.onnx ...

Variants (what each one tries; the benchmark section of the README has what they measured):
  matmul-bias      every Gemm with a bias (but q/k/v and the head) as MatMul + Add, the Add moved past
                   the token moves after it (a per-channel bias commutes with a token permutation).
                   onnxruntime's Gemm first copies the bias into every output row, then accumulates.
  skip-layernorm   each residual Add feeding a LayerNormalization as com.microsoft SkipLayerNormalization
                   (one pass for the sum and the norm; the sum is its fourth output).
  contrib-fused    matmul-bias, then the bias Add + residual Add + LayerNormalization as one
                   SkipLayerNormalization with bias, and fc1's bias Add + GELU as BiasGelu.
  mha              the window attention as com.microsoft MultiHeadAttention: q, k and v by three Gemms
                   in token order, no head gathers; a shifted block's [nW, heads, N, N] bias + mask is
                   tiled once per image by the run's batch.
  qkv-bias-folded  q/k/v as one MatMul without bias: k's bias dropped (softmax ignores a constant per
                   query row), v's folded into the projection's bias (softmax rows sum to 1), q's added
                   to q alone; fc1 as MatMul + Add, which onnxruntime fuses with GELU into BiasGelu.
  lean             qkv-bias-folded, then matmul-bias for the projection and fc2.
  lean-rows        lean with every bias Add on the 2-D Gemm output, before the Reshape back (no
                   BiasGelu fusion, reshapes back to back): what the exporter writes now.

It matches the exporter's node names (`.../windowAttention/gemm`, `/windowReverse/`, ...) and expects
every linear layer as a Gemm with its bias: files `swin export-onnx` wrote for Swin V1 at a fixed
size before the exporter adopted `lean-rows` itself (commit 6b86d6d and earlier; `git worktree add`
one to export such a file). On a file the exporter writes now it finds nothing to rewrite.
"""
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper


class Graph:
    """The file's graph with name lookups; nodes are rebuilt as a list and written back once."""

    def __init__(self, path):
        self.model = onnx.load(path)
        self.g = self.model.graph
        self.inits = {i.name: i for i in self.g.initializer}
        self.nodes = list(self.g.node)
        self.extra = []

    def arr(self, name):
        return numpy_helper.to_array(self.inits[name])

    def add_init(self, name, value):
        self.extra.append(numpy_helper.from_array(value, name))
        self.inits[name] = self.extra[-1]
        return name

    def by_name(self, name):
        return next(n for n in self.nodes if n.name == name)

    def consumers(self, tensor):
        return [n for n in self.nodes if tensor in n.input]

    def is_output(self, tensor):
        return any(o.name == tensor for o in self.g.output)

    def save(self, path, contrib):
        self.g.ClearField('node')
        self.g.node.extend(self.nodes)
        self.g.initializer.extend(self.extra)
        used = {x for n in self.nodes for x in n.input}
        keep = [i for i in self.g.initializer if i.name in used]
        self.g.ClearField('initializer')
        self.g.initializer.extend(keep)
        if contrib and not any(o.domain == 'com.microsoft' for o in self.model.opset_import):
            self.model.opset_import.append(helper.make_opsetid('com.microsoft', 1))
        onnx.save(self.model, path)


def product(graph, x, w, out, name):
    """x @ w^T without a bias: Gemm with transB=1 and no C (the stored [out, in] weight, nothing copied)."""
    return helper.make_node('Gemm', [x, w], [out], name=name, transB=1)


def replace(graph, old, new_nodes):
    i = graph.nodes.index(old)
    graph.nodes[i:i + 1] = new_nodes


def insert_after(graph, node, new_nodes):
    i = graph.nodes.index(node)
    graph.nodes[i + 1:i + 1] = new_nodes


def matmul_bias(graph):
    """Gemm(A, W, b) -> MatMul(A, W^T), then Add(b) after the Reshapes/Gathers that keep the channel axis."""
    for gemm in [n for n in graph.nodes if n.op_type == 'Gemm' and len(n.input) == 3]:
        if gemm.name.endswith('/windowAttention/gemm') or graph.is_output(gemm.output[0]):
            continue
        w, b = gemm.input[1], gemm.input[2]
        width = graph.arr(b).shape[0]
        replace(graph, gemm, [product(graph, gemm.input[0], w, gemm.output[0], gemm.name + '/matmul')])
        tail, last = gemm.output[0], None
        while True:
            users = graph.consumers(tail)
            if len(users) != 1:
                break
            u = users[0]
            keeps_channels = (u.op_type == 'Reshape' and u.input[1] in graph.inits and int(graph.arr(u.input[1])[-1]) == width) or (
                u.op_type == 'Gather' and u.input[0] == tail and [a.i for a in u.attribute if a.name == 'axis'] == [1])
            if not keeps_channels:
                break
            tail, last = u.output[0], u
        biased = tail + '/biased'
        for u in graph.consumers(tail):
            u.input[:] = [biased if x == tail else x for x in u.input]
        insert_after(graph, last or graph.by_name(gemm.name + '/matmul'), [helper.make_node('Add', [tail, b], [biased], name=tail + '/bias')])


def skip_layernorm(graph, with_bias):
    """Add(+bias) + Add(residual) + LayerNormalization -> SkipLayerNormalization (sum as 4th output if used)."""
    for ln in [n for n in graph.nodes if n.op_type == 'LayerNormalization']:
        add = next((n for n in graph.nodes if ln.input[0] in n.output), None)
        if add is None or add.op_type != 'Add' or any(x in graph.inits for x in add.input):
            continue
        a, skip, bias, removed = add.input[0], add.input[1], None, [add]
        if with_bias:
            for k, x in enumerate(add.input):
                producer = next((n for n in graph.nodes if x in n.output), None)
                if producer is not None and producer.name.endswith('/bias') and len(graph.consumers(x)) == 1:
                    a, bias, skip = producer.input[0], producer.input[1], add.input[1 - k]
                    removed.append(producer)
        sum_used = len(graph.consumers(add.output[0])) > 1 or graph.is_output(add.output[0])
        eps = next(x.f for x in ln.attribute if x.name == 'epsilon')
        node = helper.make_node('SkipLayerNormalization', [a, skip, ln.input[1], ln.input[2]] + ([bias] if bias else []),
                                [ln.output[0], '', '', add.output[0]] if sum_used else [ln.output[0]],
                                name=ln.name + '/skip', domain='com.microsoft', epsilon=eps)
        replace(graph, ln, [node])
        for r in removed:
            graph.nodes.remove(r)


def bias_gelu(graph):
    """Add(x, bias) followed by the erf GELU chain (Div, Erf, Add, Mul, Mul) -> BiasGelu."""
    for add in [n for n in graph.nodes if n.op_type == 'Add' and n.name.endswith('/bias')]:
        users = graph.consumers(add.output[0])
        div = next((u for u in users if u.op_type == 'Div'), None)
        if div is None or len(users) != 2:
            continue
        chain = [div]
        for _ in range(4):
            chain.append(graph.consumers(chain[-1].output[0])[0])
        replace(graph, chain[-1], [helper.make_node('BiasGelu', [add.input[0], add.input[1]], [chain[-1].output[0]], name=add.name + '/bias_gelu', domain='com.microsoft')])
        for r in [add] + chain[:-1] + [u for u in users if u.op_type == 'Mul' and u not in chain]:
            if r in graph.nodes:
                graph.nodes.remove(r)


def attention_blocks(graph):
    return sorted({n.name.split('/windowAttention/')[0] for n in graph.nodes if '/windowAttention/' in n.name})


def mha(graph):
    for block in attention_blocks(graph):
        at = block + '/windowAttention/'
        gemm, proj, add = graph.by_name(at + 'gemm'), graph.by_name(at + 'gemm_1'), graph.by_name(at + 'add')
        w, b = graph.arr(gemm.input[1]), graph.arr(gemm.input[2])
        c = w.shape[1]
        bias_name = add.input[1]
        heads, tokens = graph.arr(bias_name).shape[1:3]
        windows = graph.arr(bias_name).shape[0]
        new = []
        tokens_shape = graph.add_init(block + '/mha/tokens', np.array([-1, tokens, c], np.int64))
        for k, t in enumerate('qkv'):
            wn = graph.add_init(f'{block}/mha/w{t}', w[k * c:(k + 1) * c].copy())
            bn = graph.add_init(f'{block}/mha/b{t}', b[k * c:(k + 1) * c].copy())
            new += [helper.make_node('Gemm', [gemm.input[0], wn, bn], [f'{block}/mha/{t}_rows'], transB=1, name=f'{block}/mha/{t}'),
                    helper.make_node('Reshape', [f'{block}/mha/{t}_rows', tokens_shape], [f'{block}/mha/{t}'], name=f'{block}/mha/{t}_tokens')]
        bias_in = bias_name
        if windows > 1:
            # MultiHeadAttention broadcasts its bias only over a batch of 1; its batch is images x windows
            ones = graph.add_init(block + '/mha/ones', np.array([1, 1, 1], np.int64))
            new += [helper.make_node('Shape', [graph.g.input[0].name], [block + '/mha/images'], start=0, end=1, name=block + '/mha/images'),
                    helper.make_node('Concat', [block + '/mha/images', ones], [block + '/mha/repeats'], axis=0, name=block + '/mha/repeats'),
                    helper.make_node('Tile', [bias_name, block + '/mha/repeats'], [block + '/mha/bias'], name=block + '/mha/tile')]
            bias_in = block + '/mha/bias'
        rows = graph.add_init(block + '/mha/rows', np.array([-1, c], np.int64))
        new += [helper.make_node('MultiHeadAttention', [f'{block}/mha/q', f'{block}/mha/k', f'{block}/mha/v', '', '', bias_in], [block + '/mha/out'],
                                 domain='com.microsoft', num_heads=int(heads), scale=1.0, name=block + '/mha'),
                helper.make_node('Reshape', [block + '/mha/out', rows], [proj.input[0]], name=block + '/mha/out_rows')]
        first = graph.nodes.index(gemm)
        dropped = [n for n in graph.nodes if n.name.startswith(at) and n.name not in (at + 'gemm_1', at + 'reshape')]
        graph.nodes[first:first] = new
        for n in dropped:
            graph.nodes.remove(n)


def qkv_bias_folded(graph):
    for block in attention_blocks(graph):
        at = block + '/windowAttention/'
        gemm, proj, q = graph.by_name(at + 'gemm'), graph.by_name(at + 'gemm_1'), graph.by_name(at + 'gather')
        w, b = graph.arr(gemm.input[1]), graph.arr(gemm.input[2]).astype(np.float64)
        c = w.shape[1]
        heads = graph.arr(graph.by_name(at + 'add').input[1]).shape[1]
        wp, bp = graph.arr(proj.input[1]).astype(np.float64), graph.arr(proj.input[2]).astype(np.float64)
        proj.input[2] = graph.add_init(proj.input[2] + '/with_v_bias', (bp + wp @ b[2 * c:]).astype(np.float32))
        replace(graph, gemm, [product(graph, gemm.input[0], gemm.input[1], gemm.output[0], gemm.name + '/matmul')])
        q_out = q.output[0]
        q.output[0] = q_out + '/unbiased'
        q_bias = graph.add_init(block + '/q_bias', b[:c].astype(np.float32).reshape(heads, 1, c // heads))
        insert_after(graph, q, [helper.make_node('Add', [q_out + '/unbiased', q_bias], [q_out], name=q.name + '/q_bias')])
    for gemm in [n for n in graph.nodes if n.op_type == 'Gemm' and '.mlp.fc1.' in n.input[1]]:
        reshape = graph.consumers(gemm.output[0])[0]
        replace(graph, gemm, [product(graph, gemm.input[0], gemm.input[1], gemm.output[0], gemm.name + '/matmul')])
        out = reshape.output[0]
        reshape.output[0] = out + '/unbiased'
        insert_after(graph, reshape, [helper.make_node('Add', [out + '/unbiased', gemm.input[2]], [out], name=reshape.name + '/bias')])


def bias_before_reshape(graph):
    """Each bias Add that follows Reshape(Gemm) moved onto the 2-D Gemm output, before the Reshape."""
    for add in [n for n in graph.nodes if n.op_type == 'Add' and n.input[1] in graph.inits]:
        view = next((n for n in graph.nodes if add.input[0] in n.output), None)
        gemm = next((n for n in graph.nodes if view is not None and view.op_type == 'Reshape' and view.input[0] in n.output), None)
        if gemm is None or gemm.op_type != 'Gemm' or len(graph.consumers(add.input[0])) != 1:
            continue
        biased = gemm.output[0] + '/biased'
        view.input[0] = biased
        view.output[0] = add.output[0]
        graph.nodes.remove(add)
        graph.nodes.insert(graph.nodes.index(view), helper.make_node('Add', [gemm.output[0], add.input[1]], [biased], name=add.name + '/rows'))


VARIANTS = {
    'matmul-bias': (lambda g: matmul_bias(g), False),
    'skip-layernorm': (lambda g: skip_layernorm(g, with_bias=False), True),
    'contrib-fused': (lambda g: (matmul_bias(g), skip_layernorm(g, with_bias=True), bias_gelu(g)), True),
    'mha': (lambda g: mha(g), True),
    'qkv-bias-folded': (lambda g: qkv_bias_folded(g), False),
    'lean': (lambda g: (qkv_bias_folded(g), matmul_bias(g)), False),
    'lean-rows': (lambda g: (qkv_bias_folded(g), matmul_bias(g), bias_before_reshape(g)), False),
}


def main():
    src, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    for name, (rewrite, contrib) in VARIANTS.items():
        graph = Graph(src)
        rewrite(graph)
        path = os.path.join(out_dir, name + '.onnx')
        graph.save(path, contrib)
        counts = {}
        for n in graph.nodes:
            counts[n.op_type] = counts.get(n.op_type, 0) + 1
        print(path, len(graph.nodes), 'nodes:', ', '.join(f'{k} {v}' for k, v in sorted(counts.items(), key=lambda kv: -kv[1])))


main()
