import { describe, expect, it } from 'vitest';
import {
  SWIN_V1_DEFAULTS,
  buildSwinV1Graph,
  countOps,
  createReferenceBackend,
  eliminateDeadValues,
  foldConstants,
  lowerComposites,
  planLiveness,
  prepareGraph,
  randomSwinV1Weights,
  relativePositionIndex,
  shiftWindowMask,
  BackendError,
  SeededRandom,
  tensor,
  type KernelTableExecutable,
} from '../src/index.js';

const tiny = { ...SWIN_V1_DEFAULTS, img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10 };

describe('relative position index and shift mask', () => {
  it('follows (dy + M-1)(2M-1) + (dx + M-1)', () => {
    const idx = relativePositionIndex(2, 2).data;
    // query (0,0) vs key (1,1): dy = -1, dx = -1 -> (0)(3) + 0 = 0; query (1,1) vs key (0,0): 2*3+2 = 8
    expect(idx[0 * 4 + 3]).toBe(0);
    expect(idx[3 * 4 + 0]).toBe(8);
    expect(idx[0]).toBe(4); // same token: center of the table
  });
  it('indexes pairs with dy != dx on a rectangular window (rows and columns not mixed up)', () => {
    // 2x3 window: tokens t = y*3 + x; table (2*2-1) x (2*3-1) = 3x5, index (dy+1)*5 + (dx+2).
    const idx = relativePositionIndex(2, 3).data;
    expect(idx).toHaveLength(36);
    // query (0,0) vs key (1,2): dy = -1, dx = -2 -> 0*5 + 0 = 0
    expect(idx[0 * 6 + 5]).toBe(0);
    // query (1,2) vs key (0,0): dy = 1, dx = 2 -> 2*5 + 4 = 14
    expect(idx[5 * 6 + 0]).toBe(14);
    // query (0,2) vs key (1,0): dy = -1, dx = 2 -> 0*5 + 4 = 4; swapping dy and dx would give 1*5 + ... (not 4)
    expect(idx[2 * 6 + 3]).toBe(4);
    // query (1,0) vs key (0,2): dy = 1, dx = -2 -> 2*5 + 0 = 10
    expect(idx[3 * 6 + 2]).toBe(10);
    // query (0,1) vs key (1,1): dy = -1, dx = 0 -> 0*5 + 2 = 2; query (1,1) vs key (1,0): dy = 0, dx = 1 -> 5 + 3 = 8
    expect(idx[1 * 6 + 4]).toBe(2);
    expect(idx[4 * 6 + 3]).toBe(8);
    // Every pair of a 3x4 window, against the formula from coordinates.
    const wh = 3;
    const ww = 4;
    const all = relativePositionIndex(wh, ww).data;
    let offDiagonal = 0;
    for (let q = 0; q < wh * ww; q++) {
      for (let k = 0; k < wh * ww; k++) {
        const dy = Math.floor(q / ww) - Math.floor(k / ww);
        const dx = (q % ww) - (k % ww);
        if (dy !== dx) offDiagonal++;
        expect(all[q * wh * ww + k], `q ${q} k ${k}`).toBe((dy + wh - 1) * (2 * ww - 1) + (dx + ww - 1));
      }
    }
    expect(offDiagonal).toBeGreaterThan(100);
  });
  it('serves a smaller window from a larger table by offset', () => {
    const idx = relativePositionIndex(2, 2, [3, 3]).data;
    expect(idx[0]).toBe(12); // center of a 5x5 table
  });
  it('masks tokens from different regions with -100', () => {
    const m = shiftWindowMask(4, 4, [2, 2], [1, 1]);
    expect(m.shape).toEqual([4, 1, 4, 4]);
    const last = Array.from(m.data.subarray(3 * 16, 4 * 16));
    // last window mixes 4 regions: each token only sees itself
    expect(last.filter((v) => v === 0)).toHaveLength(4);
    expect(Array.from(m.data.subarray(0, 16)).every((v) => v === 0)).toBe(true);
  });
  it('writes exactly -100 between regions and 0 within one, window by window', () => {
    // 4x4 map, window 2, shift 1: rows/columns 0-1 are region 0, 2 region 1, 3 region 2.
    const m = shiftWindowMask(4, 4, [2, 2], [1, 1]);
    const window = (w: number) => Array.from(m.data.subarray(w * 16, (w + 1) * 16));
    const X = -100;
    // Top-right window: tokens (0,2) (0,3) (1,2) (1,3) in column regions 1 2 1 2.
    expect(window(1)).toEqual([0, X, 0, X, X, 0, X, 0, 0, X, 0, X, X, 0, X, 0]);
    // Bottom-left window: tokens (2,0) (2,1) (3,0) (3,1) in row regions 1 1 2 2.
    expect(window(2)).toEqual([0, 0, X, X, 0, 0, X, X, X, X, 0, 0, X, X, 0, 0]);
    // Bottom-right window: four regions, each token sees only itself.
    expect(window(3)).toEqual([0, X, X, X, X, 0, X, X, X, X, 0, X, X, X, X, 0]);
    expect(new Set(m.data)).toEqual(new Set([0, X]));
  });
});

describe('passes', () => {
  const model = buildSwinV1Graph(tiny, randomSwinV1Weights(tiny, 3));

  it('lowering leaves only primitives when the backend lists no composites', () => {
    const lowered = lowerComposites(model.graph, new Set());
    const ops = [...countOps(lowered).keys()];
    expect(ops).not.toContain('windowAttention');
    expect(ops).not.toContain('linear');
    expect(ops).toContain('matmul');
  });

  it('folding turns bias tables and masks into one constant per block, computed once', () => {
    const folded = eliminateDeadValues(foldConstants(model.graph));
    expect(countOps(folded).get('gather') ?? 0).toBe(0);
    const attn = folded.nodes.filter((n) => n.op === 'windowAttention');
    expect(attn).toHaveLength(4);
    for (const n of attn) expect(folded.constants.has(n.inputs[5]!)).toBe(true);
    // stage 0 block 1 is shifted: 4 windows x 1 head x 16 x 16
    expect(folded.constants.get(attn[1]!.inputs[5]!)!.shape).toEqual([4, 1, 16, 16]);
    expect(folded.constants.get(attn[0]!.inputs[5]!)!.shape).toEqual([1, 1, 16, 16]);
  });

  it('dead-value elimination drops what no output needs', () => {
    const pooledOnly = buildSwinV1Graph(tiny, randomSwinV1Weights(tiny, 3), { outputs: 'pooled' });
    const g = eliminateDeadValues(pooledOnly.graph);
    expect(g.constants.has('head.weight')).toBe(false);
  });

  it('liveness reuses buffers', () => {
    const plan = planLiveness(prepareGraph(model.graph, new Set()));
    expect(plan.totalBytes).toBeLessThan(plan.unpooledBytes / 4);
  });
});

describe('kernel-table executor', () => {
  it('runs any batch size on a graph built at batch 1, and rejects wrong inputs with typed errors', async () => {
    const model = buildSwinV1Graph(tiny, randomSwinV1Weights(tiny, 3));
    const exe = (await createReferenceBackend().compile(model.graph)) as KernelTableExecutable;
    const rng = new SeededRandom(1);
    const one = tensor('float32', [1, 3, 32, 32], rng.normalArray(3 * 32 * 32));
    const both = tensor('float32', [3, 3, 32, 32], new Float32Array(3 * 3 * 32 * 32));
    (both.data as Float32Array).set(one.data as Float32Array, 2 * 3 * 32 * 32);
    const a = (await exe.run({ input: one }))['logits']!;
    const b = (await exe.run({ input: both }))['logits']!;
    expect(b.shape).toEqual([3, 10]);
    expect(Array.from((b.data as Float32Array).subarray(20, 30))).toEqual(Array.from(a.data as Float32Array));
    await expect(exe.run({ input: tensor('float32', [1, 4, 32, 32], new Float32Array(4 * 32 * 32)) })).rejects.toThrow(/expected shape \[N,3,32,32\], found \[1,4,32,32\]/);
    await expect(exe.run({})).rejects.toThrow(/missing input 'input'/);
    exe.dispose();
    await expect(exe.run({ input: one })).rejects.toThrow(BackendError);
  });
});

describe('shape inference pass', () => {
  it('re-derives shapes at another batch and rejects inconsistent graphs', async () => {
    const { inferShapes, createBackend, listBackends } = await import('../src/index.js');
    const model = buildSwinV1Graph(tiny, randomSwinV1Weights(tiny, 3));
    const g8 = inferShapes(model.graph, { input: [8, 3, 32, 32] });
    expect(g8.outputs[0]!.shape).toEqual([8, 10]);
    const broken = { ...model.graph, nodes: model.graph.nodes.map((n, i) => (i === 3 ? { ...n, inputs: ['nowhere'] } : n)) };
    expect(() => inferShapes(broken)).toThrow(/reads 'nowhere'/);
    expect(listBackends()).toContain('reference');
    expect((await createBackend('reference')).name).toBe('reference');
    await expect(createBackend('nope')).rejects.toThrow(/unknown backend 'nope': expected one of reference/);
  });
});

describe('kernel-table helper: handle ownership', () => {
  it('releases every handle exactly once, even when a kernel returns its input', async () => {
    const { createKernelTableBackend, GraphBuilder, REFERENCE_KERNELS, float32 } = await import('../src/index.js');
    type H = { t: import('../src/index.js').TensorData };
    const released = new Map<H, number>();
    const wrap = (t: import('../src/index.js').TensorData): H => ({ t });
    const kernels = Object.fromEntries(
      Object.entries(REFERENCE_KERNELS).map(([op, k]) => [
        op,
        (ins: Record<string, H | readonly H[] | undefined>, attrs: unknown, ctx: unknown) => {
          const unwrapped = Object.fromEntries(Object.entries(ins).map(([name, v]) => [name, Array.isArray(v) ? v.map((h: H) => h.t) : (v as H | undefined)?.t]));
          return wrap((k as (a: unknown, b: unknown, c: unknown) => import('../src/index.js').TensorData)(unwrapped, attrs, ctx));
        },
      ]),
    ) as Record<string, unknown>;
    kernels['reshape'] = (ins: { x: H }, attrs: { shape: number[] }) => {
      const h = ins.x;
      h.t = { ...h.t, shape: inferredShape(h.t.data.length, attrs.shape) };
      return h; // returns its input handle
    };
    function inferredShape(n: number, shape: number[]) {
      const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      return shape.map((d) => (d === -1 ? n / known : d));
    }
    const backend = createKernelTableBackend<H, import('../src/index.js').PrimitiveOp>({
      name: 'aliasing',
      kernels: kernels as never,
      dtypes: ['float32', 'int32'],
      upload: wrap,
      download: (h) => h.t,
      release: (h) => released.set(h, (released.get(h) ?? 0) + 1),
    });
    const b = new GraphBuilder();
    const x = b.input('x', 'float32', [2, 3]);
    const r = b.reshape(b.relu(x), [-1, 6]);
    b.output(b.add(r, b.constant('one', float32([1], [1]))));
    const exe = await backend.compile(b.build());
    await exe.run({ x: float32([2, 3], [1, -2, 3, -4, 5, -6]) });
    expect([...released.values()].every((n) => n === 1)).toBe(true);
    expect(released.size).toBe(3); // input, relu/reshape (one handle), add
    exe.dispose();
  });
});
