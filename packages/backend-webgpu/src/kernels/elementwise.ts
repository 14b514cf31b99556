// Elementwise kernels: broadcasting binary ops, unary activations, fill and cast. Each thread
// handles one output element; broadcasting walks (coalesced) axes with strides from the uniforms.

import { SwinError, shapeSize } from '@swin/core';
import { flatKernelDispatch, type KernelBuffer } from './flat-kernel.js';
import { MAX_RANK, RANK_LIST, broadcastStrides, checkRank, coalesceAxes, padToMaxRank } from './shape-math.js';
import type { DispatchSpec, ElementType, FloatType } from './kernel-types.js';
import { uniformLayout } from './uniform-layout.js';
import { wgslElement } from './wgsl-prelude.js';
import { WGSL_ERF } from './wgsl-erf.js';
import { WGSL_EXP } from './wgsl-exp.js';

const WG = 256;

/** WGSL that turns flat index `gid` into offsets `oa`, `ob` along the strides `aStrides`, `bStrides`. */
const WALK_TWO = `  var rem = gid; var oa = 0u; var ob = 0u;
  for (var k = 0u; k < ${MAX_RANK}u; k++) {
    let a = ${MAX_RANK - 1}u - k;
    let d = dimsAt(a);
    let i = rem % d; rem = rem / d;
    oa += i * aStridesAt(a); ob += i * bStridesAt(a);
  }`;

/** Thread count and element count: the uniforms of kernels that need nothing else. */
const COUNT_UNIFORMS = uniformLayout({ n: 'u32' });

/** n elements of kernels reading X and writing O, one each: the common case here. */
function mapKernel(key: string, float: FloatType, x: KernelBuffer, out: KernelBuffer, n: number, body: string, helpers = ''): DispatchSpec {
  return flatKernelDispatch({ key, float, uniforms: COUNT_UNIFORMS, params: COUNT_UNIFORMS.pack({ n }), count: n, inputs: [x], output: out, workgroupSize: WG, helpers, body });
}

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';
const BINARY_EXPR: Record<BinaryOp, string> = { add: 'x + y', sub: 'x - y', mul: 'x * y', div: 'x / y' };

const BROADCAST_UNIFORMS = uniformLayout({ n: 'u32', dims: RANK_LIST, aStrides: RANK_LIST, bStrides: RANK_LIST });

/** out = a (op) b with numpy broadcasting. */
export function binaryDispatch(op: BinaryOp, elem: ElementType, float: FloatType, a: string, aShape: readonly number[], b: string, bShape: readonly number[], out: string, outShape: readonly number[]): DispatchSpec {
  checkRank(outShape, op);
  const n = shapeSize(outShape);
  const t = wgslElement(elem);
  const io = { float, count: n, inputs: [{ name: 'A', elem: t, value: a }, { name: 'B', elem: t, value: b }], output: { name: 'O', elem: t, value: out }, workgroupSize: WG };
  const same = aShape.length === bShape.length && aShape.every((d, i) => d === bShape[i]);
  if (same) {
    return flatKernelDispatch({ ...io, key: `binary_same:${op}:${elem}:${float}`, uniforms: COUNT_UNIFORMS, params: COUNT_UNIFORMS.pack({ n }), body: `  let x = A[gid]; let y = B[gid];\n  O[gid] = ${BINARY_EXPR[op]};` });
  }
  const [aStrides, bStrides] = [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)];
  const c = coalesceAxes(outShape, [aStrides, bStrides]);
  const pa = padToMaxRank(c.dims, c.strides[0]);
  const pb = padToMaxRank(c.dims, c.strides[1]);
  return flatKernelDispatch({
    ...io,
    key: `binary_bcast:${op}:${elem}:${float}`,
    uniforms: BROADCAST_UNIFORMS,
    params: BROADCAST_UNIFORMS.pack({ n, dims: pa.dims, aStrides: pa.strides, bStrides: pb.strides }),
    body: `${WALK_TWO}\n  let x = A[oa]; let y = B[ob];\n  O[gid] = ${BINARY_EXPR[op]};`,
  });
}

export type UnaryOp = 'gelu' | 'relu' | 'sigmoid' | 'exp' | 'sqrt';
const UNARY_EXPR: Record<UnaryOp, string> = {
  gelu: 'gelu(x)',
  relu: 'max(x, 0.0)',
  sigmoid: '1.0 / (1.0 + exp_precise(-x))',
  exp: 'exp_precise(x)',
  sqrt: 'sqrt(x)',
};

/** out = f(x) elementwise, computed in f32. */
export function unaryDispatch(op: UnaryOp, float: FloatType, x: string, out: string, n: number): DispatchSpec {
  const body = `  let x = f32(X[gid]);\n  O[gid] = F(${UNARY_EXPR[op]});`;
  return mapKernel(`unary:${op}:${float}`, float, { name: 'X', elem: 'F', value: x }, { name: 'O', elem: 'F', value: out }, n, body, `${WGSL_ERF}${WGSL_EXP}`);
}

const FILL_UNIFORMS = { i32: uniformLayout({ n: 'u32', value: 'i32' }), float: uniformLayout({ n: 'u32', value: 'f32' }) };

/** Sets every element of `out` (n elements) to `value`. */
export function fillDispatch(elem: ElementType, float: FloatType, out: string, n: number, value: number): DispatchSpec {
  const uniforms = elem === 'i32' ? FILL_UNIFORMS.i32 : FILL_UNIFORMS.float;
  return flatKernelDispatch({
    key: `fill:${elem}:${float}`,
    float,
    uniforms,
    params: uniforms.pack({ n, value: elem === 'i32' ? Math.trunc(value) : value }),
    count: n,
    inputs: [],
    output: { name: 'O', elem: wgslElement(elem), value: out },
    workgroupSize: WG,
    body: `  O[gid] = ${elem === 'i32' ? 'P.value' : 'F(P.value)'};`,
  });
}

/** Converts between the float type and i32 (float to int truncates toward zero, as the op set says). */
export function castDispatch(from: ElementType, to: ElementType, float: FloatType, x: string, out: string, n: number): DispatchSpec {
  if (from === to) return copyAllDispatch(from, float, x, out, n);
  const conv = to === 'i32' ? 'i32(trunc(f32(X[gid])))' : 'F(f32(X[gid]))';
  return mapKernel(`cast:${from}:${to}:${float}`, float, { name: 'X', elem: wgslElement(from), value: x }, { name: 'O', elem: wgslElement(to), value: out }, n, `  O[gid] = ${conv};`);
}

/** Copies n elements unchanged (used where a value must live in its own buffer). */
export function copyAllDispatch(elem: ElementType, float: FloatType, x: string, out: string, n: number): DispatchSpec {
  return stridedCopyDispatch(elem, float, x, out, [n], [1], [1], 0, 0);
}

const COPY_UNIFORMS = uniformLayout({ n: 'u32', inBase: 'u32', outBase: 'u32', dims: RANK_LIST, aStrides: RANK_LIST, bStrides: RANK_LIST });

/**
 * out[outBase + sum i_a * outStrides_a] = x[inBase + sum i_a * inStrides_a] over `dims`:
 * one kernel for transpose, slice, concat pieces and the interior of pad.
 */
export function stridedCopyDispatch(elem: ElementType, float: FloatType, x: string, out: string, dims: readonly number[], inStrides: readonly number[], outStrides: readonly number[], inBase: number, outBase: number): DispatchSpec {
  checkRank(dims, 'copy');
  const n = shapeSize(dims);
  if (n === 0) throw new SwinError('INVALID_ARGUMENT', 'webgpu: empty copy should have been skipped');
  const c = coalesceAxes(dims, [inStrides, outStrides]);
  const pi = padToMaxRank(c.dims, c.strides[0]);
  const po = padToMaxRank(c.dims, c.strides[1]);
  const t = wgslElement(elem);
  return flatKernelDispatch({
    key: `strided_copy:${elem}:${float}`,
    float,
    uniforms: COPY_UNIFORMS,
    params: COPY_UNIFORMS.pack({ n, inBase, outBase, dims: pi.dims, aStrides: pi.strides, bStrides: po.strides }),
    count: n,
    inputs: [{ name: 'X', elem: t, value: x }],
    output: { name: 'O', elem: t, value: out },
    workgroupSize: WG,
    body: `${WALK_TWO}\n  O[P.outBase + ob] = X[P.inBase + oa];`,
  });
}

const GATHER_UNIFORMS = uniformLayout({ n: 'u32', dim: 'u32', count: 'u32', inner: 'u32' });

/** Gather along an axis: out[o, j, r] = data[o, idx[j], r] (negative indices count from the end). */
export function gatherDispatch(elem: ElementType, float: FloatType, data: string, indices: string, out: string, outer: number, dim: number, count: number, inner: number): DispatchSpec {
  const n = outer * count * inner;
  const t = wgslElement(elem);
  return flatKernelDispatch({
    key: `gather:${elem}:${float}`,
    float,
    uniforms: GATHER_UNIFORMS,
    params: GATHER_UNIFORMS.pack({ n, dim, count, inner }),
    count: n,
    inputs: [
      { name: 'D', elem: t, value: data },
      { name: 'I', elem: 'i32', value: indices },
    ],
    output: { name: 'O', elem: t, value: out },
    workgroupSize: WG,
    body: `  let inner = P.inner; let count = P.count; let dim = P.dim;
  let r = gid % inner; let j = (gid / inner) % count; let o = gid / (inner * count);
  var k = I[j];
  if (k < 0) { k += i32(dim); }
  let kk = u32(clamp(k, 0, i32(dim) - 1));
  O[gid] = D[(o * dim + kk) * inner + r];`,
  });
}
