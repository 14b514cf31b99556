import { dimAt, shapeSize } from '@swin/core';
import { f, float16Of, f32, i32, opCase, type OpCase } from './op-case.js';
import { ShapeSampler } from './random-shapes.js';

const RANDOM_CASES_PER_OP = 3;

function binaryCases(op: 'add' | 'sub' | 'mul' | 'div'): OpCase[] {
  const s = new ShapeSampler(101 + op.length);
  const rhs = op === 'div' ? { kind: 'nonzero' as const } : undefined;
  const cases: OpCase[] = [];
  for (let i = 0; i < RANDOM_CASES_PER_OP; i++) {
    const a = s.shape(s.int(1, 4));
    const b = i === 0 ? a : s.broadcastable(a);
    cases.push(opCase(op, `random${i}`, [f('a', a), f('b', b, rhs)], {}, { title: `random [${a}] ${op} [${b}]` }));
  }
  cases.push(
    opCase(op, 'broadcast-both', [f('a', [2, 1, 4]), f('b', [3, 1], rhs)], {}, { title: 'both sides broadcast: [2,1,4] with [3,1]' }),
    opCase(op, 'scalar', [f('a', [2, 3]), f('b', [], rhs)], {}, { title: 'rank-0 operand' }),
    opCase(op, 'size1-dims', [f('a', [1, 1, 5]), f('b', [4, 1, 1], rhs)], {}, { title: 'size-1 dims on both sides' }),
    opCase(op, 'rank5-attention-bias', [f('a', [2, 3, 2, 4, 4]), f('b', [3, 2, 4, 4], rhs)], {}, { title: 'rank-5 broadcast as in the biased attention scores' }),
  );
  if (op === 'add' || op === 'mul') cases.push(float16Of(cases, 3));
  return cases;
}

function unaryCases(op: 'gelu' | 'relu' | 'sigmoid' | 'exp' | 'sqrt'): OpCase[] {
  const s = new ShapeSampler(211 + op.length);
  const fill =
    op === 'sqrt' ? ({ kind: 'positive', scale: 3 } as const)
    : op === 'exp' ? ({ kind: 'normal', scale: 3 } as const)
    : ({ kind: 'normal', scale: 2 } as const);
  const cases: OpCase[] = [];
  for (let i = 0; i < RANDOM_CASES_PER_OP; i++) {
    const shape = s.shape(s.int(1, 4));
    cases.push(opCase(op, `random${i}`, [f('x', shape, fill)], {}, { title: `random [${shape}]` }));
  }
  const edge =
    op === 'sqrt' ? [0, 1e-6, 0.25, 1, 2, 100, 1e4, 3.5]
    : op === 'exp' ? [-20, -5, -1, 0, 0.5, 1, 5, 20]
    : [-8, -4, -1.5, -1e-3, 0, 1e-3, 1.5, 8];
  cases.push(opCase(op, 'edge-values', [f('x', [2, 4], { kind: 'values', values: edge })], {}, { title: `edge values ${edge.join(', ')}` }));
  cases.push(opCase(op, 'size1', [f('x', [1, 1, 1], fill)], {}, { title: 'a single element' }));
  if (op === 'gelu') cases.push(float16Of(cases, 0));
  return cases;
}

function matmulCases(): OpCase[] {
  const s = new ShapeSampler(307);
  const cases: OpCase[] = [];
  for (let i = 0; i < RANDOM_CASES_PER_OP; i++) {
    const [m, k, n] = [s.int(1, 40), s.int(1, 70), s.int(1, 40)];
    const batch = s.shape(s.int(0, 2), 1, 4);
    const transB = i % 2 === 1;
    cases.push(
      opCase('matmul', `random${i}`, [f('a', [...batch, m, k]), f('b', transB ? [...batch, n, k] : [...batch, k, n])], transB ? { transB } : {}, {
        title: `random [${[...batch, m, k]}] @ ${transB ? 'transB ' : ''}[${transB ? [...batch, n, k] : [...batch, k, n]}]`,
        reduction: k,
      }),
    );
  }
  cases.push(
    opCase('matmul', '2d', [f('a', [5, 7]), f('b', [7, 3])], {}, { reduction: 7, title: '[5,7] @ [7,3]' }),
    opCase('matmul', '2d-transB', [f('a', [5, 7]), f('b', [3, 7])], { transB: true }, { reduction: 7, title: '[5,7] @ [3,7]^T' }),
    opCase('matmul', 'batched-transB', [f('a', [6, 3, 16, 8]), f('b', [6, 3, 16, 8])], { transB: true }, { reduction: 8, title: 'attention scores: [6,3,16,8] @ [6,3,16,8]^T' }),
    opCase('matmul', 'batched', [f('a', [6, 3, 16, 16]), f('b', [6, 3, 16, 8])], {}, { reduction: 16, title: 'attention context: [6,3,16,16] @ [6,3,16,8]' }),
    opCase('matmul', 'broadcast-batch', [f('a', [2, 1, 4, 5]), f('b', [3, 5, 6])], {}, { reduction: 5, title: 'batch dims broadcast: [2,1,4,5] @ [3,5,6]' }),
    opCase('matmul', 'rank2-rhs', [f('a', [2, 3, 4, 5]), f('b', [6, 5])], { transB: true }, { reduction: 5, title: 'rank-4 @ rank-2^T (a linear)' }),
    opCase('matmul', 'size1-dims', [f('a', [1, 1, 1]), f('b', [1, 1, 1])], {}, { reduction: 1, title: 'M = K = N = 1' }),
    opCase('matmul', 'vector-out', [f('a', [3, 1, 9]), f('b', [3, 9, 1])], {}, { reduction: 9, title: 'M = N = 1, batch 3' }),
    opCase('matmul', 'large-k', [f('a', [7, 768]), f('b', [768, 5])], {}, { reduction: 768, title: 'K = 768' }),
  );
  cases.push(float16Of(cases, RANDOM_CASES_PER_OP + 3));
  return cases;
}

function layerNormCases(): OpCase[] {
  const s = new ShapeSampler(401);
  const cases: OpCase[] = [];
  for (let i = 0; i < RANDOM_CASES_PER_OP; i++) {
    const shape = [...s.shape(s.int(0, 3)), s.int(2, 48)];
    const c = dimAt(shape, -1, 'layerNorm case');
    cases.push(
      opCase('layerNorm', `random${i}`, [f('x', shape), f('gamma', [c], { kind: 'normal', offset: 1, scale: 0.2 }), f('beta', [c], { kind: 'normal', scale: 0.1 })], { eps: 1e-5 }, { title: `random [${shape}]` }),
    );
  }
  cases.push(
    opCase('layerNorm', 'no-affine', [f('x', [4, 9]), null, null], { eps: 1e-5 }, { title: 'gamma and beta absent' }),
    opCase('layerNorm', 'gamma-only', [f('x', [4, 9]), f('gamma', [9]), null], { eps: 1e-6 }, { title: 'beta absent, eps 1e-6' }),
    opCase('layerNorm', 'offset-rows', [f('x', [3, 96], { kind: 'normal', offset: 50, scale: 0.5 }), f('gamma', [96]), f('beta', [96])], { eps: 1e-5 }, { title: 'rows with mean 50, std 0.5 (cancellation)' }),
    opCase('layerNorm', 'size1-channel', [f('x', [5, 1]), f('gamma', [1]), f('beta', [1])], { eps: 1e-5 }, { title: 'one channel: output = beta' }),
    opCase('layerNorm', 'swin-tokens', [f('x', [2, 7, 7, 96]), f('gamma', [96]), f('beta', [96])], { eps: 1e-5 }, { title: 'NHWC tokens [2,7,7,96]' }),
  );
  cases.push(float16Of(cases, RANDOM_CASES_PER_OP + 4));
  return cases;
}

function softmaxCases(): OpCase[] {
  const s = new ShapeSampler(503);
  const cases: OpCase[] = [];
  for (let i = 0; i < RANDOM_CASES_PER_OP; i++) {
    const shape = s.shape(s.int(1, 4), 1, 9);
    cases.push(opCase('softmax', `random${i}`, [f('x', shape, { kind: 'normal', scale: 3 })], {}, { title: `random [${shape}]` }));
  }
  cases.push(
    opCase('softmax', 'large-logits', [f('x', [4, 49], { kind: 'normal', scale: 100, offset: 1000 })], {}, { title: 'logits around 1000 with spread 100 (needs max subtraction)' }),
    opCase('softmax', 'negative-logits', [f('x', [4, 49], { kind: 'normal', scale: 30, offset: -500 })], {}, { title: 'logits around -500' }),
    opCase('softmax', 'masked-rows', [f('x', [2, 3, 16, 16], { kind: 'mask' })], {}, { title: 'rows of 0 / -100 (shift mask values)' }),
    opCase('softmax', 'length1', [f('x', [6, 1])], {}, { title: 'rows of length 1 (all ones)' }),
  );
  cases.push(float16Of(cases, 0));
  return cases;
}

function reshapeCases(): OpCase[] {
  return [
    opCase('reshape', 'infer-batch', [f('x', [2, 6, 4])], { shape: [-1, 8] }, { title: '[2,6,4] -> [-1,8]' }),
    opCase('reshape', 'to-rank1', [f('x', [3, 1, 5])], { shape: [15] }, { title: '[3,1,5] -> [15]' }),
    opCase('reshape', 'rank6', [f('x', [2, 8, 8, 3])], { shape: [2, 2, 4, 2, 4, 3] }, { title: 'window split [2,8,8,3] -> [2,2,4,2,4,3]' }),
    opCase('reshape', 'from-scalar', [f('x', [])], { shape: [1, 1] }, { title: 'rank 0 -> [1,1]' }),
  ];
}

function transposeCases(): OpCase[] {
  const s = new ShapeSampler(601);
  const cases: OpCase[] = [];
  for (let i = 0; i < RANDOM_CASES_PER_OP; i++) {
    const rank = s.int(2, 5);
    const shape = s.shape(rank, 1, 6);
    const perm = s.permutation(rank);
    cases.push(opCase('transpose', `random${i}`, [f('x', shape)], { perm }, { title: `random [${shape}] perm [${perm}]` }));
  }
  cases.push(
    opCase('transpose', '2d', [f('x', [3, 5])], { perm: [1, 0] }, { title: '[3,5]^T' }),
    opCase('transpose', 'heads', [f('x', [4, 16, 3, 8])], { perm: [0, 2, 1, 3] }, { title: 'split heads [4,16,3,8] perm [0,2,1,3]' }),
    opCase('transpose', 'rank6-windows', [f('x', [2, 2, 4, 3, 4, 5])], { perm: [0, 1, 3, 2, 4, 5] }, { title: 'window partition transpose, rank 6' }),
    opCase('transpose', 'nchw-to-nhwc', [f('x', [2, 3, 4, 5])], { perm: [0, 2, 3, 1] }, { title: 'NCHW -> NHWC' }),
    opCase('transpose', 'identity', [f('x', [1, 3, 1])], { perm: [0, 1, 2] }, { title: 'identity perm with size-1 dims' }),
  );
  return cases;
}

function sliceCases(): OpCase[] {
  return [
    opCase('slice', 'basic', [f('x', [5, 9])], { starts: [1], ends: [4], axes: [0] }, { title: 'rows 1:4' }),
    opCase('slice', 'negative', [f('x', [5, 9])], { starts: [-3], ends: [-1], axes: [1] }, { title: 'cols -3:-1' }),
    opCase('slice', 'clamped', [f('x', [5, 9])], { starts: [-100, 2], ends: [100, 1000], axes: [0, 1] }, { title: 'bounds beyond the dims are clamped' }),
    opCase('slice', 'steps', [f('x', [2, 8, 6, 3])], { starts: [1, 0], ends: [8, 6], axes: [1, 2], steps: [2, 2] }, { title: 'x[:,1::2,0::2] (patch-merging phase)' }),
    opCase('slice', 'odd-steps', [f('x', [7, 5])], { starts: [0, 1], ends: [7, 5], axes: [0, 1], steps: [3, 2] }, { title: 'steps 3 and 2 over odd sizes' }),
    opCase('slice', 'roll-tail', [f('x', [2, 8, 8, 4])], { starts: [6], ends: [8], axes: [1] }, { title: 'tail of a cyclic roll (last 2 rows)' }),
    opCase('slice', 'crop', [f('x', [1, 12, 12, 4])], { starts: [0, 0], ends: [9, 10], axes: [1, 2] }, { title: 'crop after padded windows' }),
    opCase('slice', 'negative-axis', [f('x', [3, 4, 5])], { starts: [1], ends: [4], axes: [-1] }, { title: 'axis -1' }),
  ];
}

function concatCases(): OpCase[] {
  return [
    opCase('concat', 'axis0', [f('a', [2, 3]), f('b', [4, 3])], { axis: 0 }, { title: '[2,3] ++ [4,3] on axis 0' }),
    opCase('concat', 'channels4', [f('a', [2, 4, 4, 3]), f('b', [2, 4, 4, 3]), f('c', [2, 4, 4, 3]), f('d', [2, 4, 4, 3])], { axis: 3 }, { title: 'four phases on channels' }),
    opCase('concat', 'negative-axis', [f('a', [2, 3, 1]), f('b', [2, 3, 2])], { axis: -1 }, { title: 'axis -1 with a size-1 part' }),
    opCase('concat', 'roll', [f('a', [2, 2, 8, 4]), f('b', [2, 6, 8, 4])], { axis: 1 }, { title: 'tail ++ head (roll) on axis 1' }),
    opCase('concat', 'single', [f('a', [3, 2])], { axis: 1 }, { title: 'one input' }),
  ];
}

function padCases(): OpCase[] {
  return [
    opCase('pad', 'bottom-right', [f('x', [1, 7, 6, 4])], { pads: [0, 0, 0, 0, 0, 1, 2, 0] }, { title: 'NHWC bottom/right (window padding)' }),
    opCase('pad', 'all-sides', [f('x', [2, 3, 5])], { pads: [1, 0, 2, 0, 3, 1] }, { title: 'every side of a rank-3 tensor' }),
    opCase('pad', 'value', [f('x', [4, 4])], { pads: [1, 1, 1, 1], value: -100 }, { title: 'constant -100' }),
    opCase('pad', 'nchw-image', [f('x', [2, 3, 30, 29])], { pads: [0, 0, 0, 0, 0, 0, 2, 3] }, { title: 'image padded to a patch multiple' }),
    opCase('pad', 'zero-pads', [f('x', [3, 2])], { pads: [0, 0, 0, 0] }, { title: 'no padding at all' }),
  ];
}

function gatherCases(): OpCase[] {
  const n = 16;
  return [
    opCase('gather', 'bias-table', [f('table', [49, 3]), i32('index', [n * n], { kind: 'integers', low: 0, high: 49 })], { axis: 0 }, { title: 'relative position bias: [49,3] rows by 256 indices' }),
    opCase('gather', 'axis1', [f('x', [2, 10, 4]), i32('index', [7], { kind: 'integers', low: 0, high: 10 })], { axis: 1 }, { title: 'token permutation on axis 1' }),
    opCase('gather', 'negative-indices', [f('x', [6, 2]), i32('index', [4], { kind: 'values', values: [-1, 0, -6, 3] })], { axis: 0 }, { title: 'negative indices count from the end' }),
    opCase('gather', 'indices-2d', [f('x', [5, 3]), i32('index', [2, 3], { kind: 'integers', low: 0, high: 5 })], { axis: 0 }, { title: '2-D indices' }),
    opCase('gather', 'last-axis', [f('x', [3, 4, 5]), i32('index', [2], { kind: 'values', values: [4, 0] })], { axis: -1 }, { title: 'axis -1' }),
  ];
}

function conv2dCases(): OpCase[] {
  return [
    opCase('conv2d', 'patch-embed', [f('x', [2, 3, 16, 12]), f('w', [8, 3, 4, 4]), f('bias', [8])], { strides: [4, 4], pads: [0, 0, 0, 0] }, { reduction: 48, title: 'patch embed: 4x4 stride 4, rectangular, batch 2' }),
    opCase('conv2d', 'padded-3x3', [f('x', [1, 4, 7, 5]), f('w', [6, 4, 3, 3]), f('bias', [6])], { strides: [1, 1], pads: [1, 1, 1, 1] }, { reduction: 36, title: '3x3 stride 1, pad 1' }),
    opCase('conv2d', 'asymmetric-pads', [f('x', [1, 2, 6, 6]), f('w', [3, 2, 2, 3]), null], { strides: [2, 1], pads: [0, 2, 1, 0] }, { reduction: 12, title: '2x3 kernel, strides [2,1], pads [0,2,1,0], no bias' }),
    opCase('conv2d', 'groups', [f('x', [2, 4, 5, 5]), f('w', [6, 2, 3, 3]), f('bias', [6])], { strides: [1, 1], pads: [1, 1, 1, 1], groups: 2 }, { reduction: 18, title: 'two groups' }),
    // CrossFormer++'s CPE and ACL: one group per channel (backends may take a depth-wise path).
    opCase('conv2d', 'depthwise', [f('x', [2, 6, 7, 5]), f('w', [6, 1, 3, 3]), f('bias', [6])], { strides: [1, 1], pads: [1, 1, 1, 1], groups: 6 }, { reduction: 9, title: 'depth-wise 3x3 (groups = channels), pad 1' }),
    opCase('conv2d', 'depthwise-asymmetric', [f('x', [1, 4, 6, 7]), f('w', [4, 1, 2, 3]), null], { strides: [2, 1], pads: [0, 2, 1, 0], groups: 4 }, { reduction: 6, title: 'depth-wise 2x3, strides [2,1], pads [0,2,1,0], no bias' }),
    opCase('conv2d', 'one-pixel', [f('x', [1, 3, 4, 4]), f('w', [5, 3, 4, 4]), f('bias', [5])], { strides: [4, 4], pads: [0, 0, 0, 0] }, { reduction: 48, title: 'output 1x1' }),
  ];
}

function reduceCases(op: 'reduceMean' | 'reduceSum'): OpCase[] {
  const s = new ShapeSampler(701 + op.length);
  const cases: OpCase[] = [];
  for (let i = 0; i < RANDOM_CASES_PER_OP; i++) {
    const shape = s.shape(s.int(1, 4), 1, 8);
    const axis = s.int(0, shape.length - 1);
    cases.push(opCase(op, `random${i}`, [f('x', shape)], { axes: [axis], keepDims: i % 2 === 0 }, { reduction: dimAt(shape, axis, 'reduce case'), title: `random [${shape}] over axis ${axis}` }));
  }
  cases.push(
    opCase(op, 'token-pool', [f('x', [2, 7, 7, 16])], { axes: [1, 2], keepDims: false }, { reduction: 49, title: 'mean over tokens [2,7,7,16] axes [1,2]' }),
    opCase(op, 'last-keepdims', [f('x', [3, 5, 32])], { axes: [-1], keepDims: true }, { reduction: 32, title: 'axis -1, keepDims' }),
    opCase(op, 'all-axes', [f('x', [2, 3, 4])], { axes: [0, 1, 2], keepDims: false }, { reduction: 24, title: 'every axis (rank-0 result)' }),
  );
  return cases;
}

function castCases(): OpCase[] {
  return [
    opCase('cast', 'float-to-int', [f('x', [2, 5], { kind: 'values', values: [-2.7, -1.5, -0.4, 0, 0.4, 1.5, 2.7, 100.9, -100.9, 7] })], { to: 'int32' }, { title: 'truncates toward zero' }),
    opCase('cast', 'int-to-float', [i32('x', [6], { kind: 'integers', low: -1000, high: 1000 })], { to: 'float32' }, { title: 'int32 -> float32' }),
    opCase('cast', 'float32-to-float16', [f32('x', [4, 4], { kind: 'normal', scale: 10 })], { to: 'float16' }, { dtype: 'float16', title: 'float32 -> float16, round to nearest even' }),
    opCase('cast', 'float16-to-float32', [f('x', [4, 4])], { to: 'float32' }, { dtype: 'float16', title: 'float16 -> float32 (exact)' }),
  ];
}

/** Every primitive's cases: seeded random shapes plus the edge cases Swin depends on. */
export function primitiveCases(): OpCase[] {
  const cases = [
    ...binaryCases('add'),
    ...binaryCases('sub'),
    ...binaryCases('mul'),
    ...binaryCases('div'),
    ...unaryCases('gelu'),
    ...unaryCases('relu'),
    ...unaryCases('sigmoid'),
    ...unaryCases('exp'),
    ...unaryCases('sqrt'),
    ...matmulCases(),
    ...layerNormCases(),
    ...softmaxCases(),
    ...reshapeCases(),
    ...transposeCases(),
    ...sliceCases(),
    ...concatCases(),
    ...padCases(),
    ...gatherCases(),
    ...conv2dCases(),
    ...reduceCases('reduceMean'),
    ...reduceCases('reduceSum'),
    ...castCases(),
  ];
  // Guard against cases that would be too big for the reference to evaluate quickly.
  for (const c of cases) for (const i of c.inputs) if (i && shapeSize(i.shape) > 1 << 20) throw new Error(`op case ${c.id} is too large`);
  return cases;
}
