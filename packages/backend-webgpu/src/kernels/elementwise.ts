// Elementwise kernels: broadcasting binary ops, unary activations, fill and cast. Each thread
// handles one output element; broadcasting walks (coalesced) axes with strides from the uniform.

import { SwinError } from '@swin/core';
import { ParamWriter } from './param-writer.js';
import { MAX_RANK, broadcastStrides, checkRank, coalesceAxes, contiguousStrides, padToMaxRank, sizeOf } from './shape-math.js';
import { flatGrid, type DispatchSpec, type ElementType, type FloatType } from './kernel-types.js';
import { storage, wgslElement, wgslPrelude } from './wgsl-prelude.js';
import { WGSL_ERF } from './wgsl-erf.js';
import { WGSL_EXP } from './wgsl-exp.js';

const WG = 256;
const FLAT_ID = `let gid = (wid.y * nwg.x + wid.x) * ${WG}u + lid.x;`;
const ENTRY = `@compute @workgroup_size(${WG})\nfn main(@builtin(local_invocation_index) lidx: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {\n  let lid = vec3<u32>(lidx, 0u, 0u);`;

/** WGSL that turns flat index `gid` into offsets for two stride sets (params at D, SA, SB). */
function walkTwo(D: number, SA: number, SB: number): string {
  return `  var rem = gid; var oa = 0u; var ob = 0u;
  for (var k = 0u; k < ${MAX_RANK}u; k++) {
    let a = ${MAX_RANK - 1}u - k;
    let d = pu(${D}u + a);
    let i = rem % d; rem = rem / d;
    oa += i * pu(${SA}u + a); ob += i * pu(${SB}u + a);
  }`;
}

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';
const BINARY_EXPR: Record<BinaryOp, string> = { add: 'x + y', sub: 'x - y', mul: 'x * y', div: 'x / y' };

/** out = a (op) b with numpy broadcasting. */
export function binaryDispatch(op: BinaryOp, elem: ElementType, float: FloatType, a: string, aShape: readonly number[], b: string, bShape: readonly number[], out: string, outShape: readonly number[]): DispatchSpec {
  checkRank(outShape, op);
  const n = sizeOf(outShape);
  const same = aShape.length === bShape.length && aShape.every((d, i) => d === bShape[i]);
  const t = wgslElement(elem);
  if (same) {
    const p = new ParamWriter();
    p.u(n);
    return {
      shader: {
        key: `binary_same:${op}:${elem}:${float}`,
        code: () => `${wgslPrelude(float, 4)}
${storage(1, 'A', t, 'read')}
${storage(2, 'B', t, 'read')}
${storage(3, 'O', t, 'read_write')}
${ENTRY}
  ${FLAT_ID}
  if (gid >= pu(0u)) { return; }
  let x = A[gid]; let y = B[gid];
  O[gid] = ${BINARY_EXPR[op]};
}`,
      },
      buffers: [a, b, out],
      params: p.finish(4),
      workgroups: flatGrid(Math.ceil(n / WG)),
    };
  }
  const c = coalesceAxes(outShape, [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]);
  const pa = padToMaxRank(c.dims, c.strides[0]!);
  const pb = padToMaxRank(c.dims, c.strides[1]!);
  const p = new ParamWriter();
  p.list([n], 4);
  p.list(pa.dims, 8);
  p.list(pa.strides, 8);
  p.list(pb.strides, 8);
  return {
    shader: {
      key: `binary_bcast:${op}:${elem}:${float}`,
      code: () => `${wgslPrelude(float, 28)}
${storage(1, 'A', t, 'read')}
${storage(2, 'B', t, 'read')}
${storage(3, 'O', t, 'read_write')}
${ENTRY}
  ${FLAT_ID}
  if (gid >= pu(0u)) { return; }
${walkTwo(4, 12, 20)}
  let x = A[oa]; let y = B[ob];
  O[gid] = ${BINARY_EXPR[op]};
}`,
    },
    buffers: [a, b, out],
    params: p.finish(28),
    workgroups: flatGrid(Math.ceil(n / WG)),
  };
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
  const p = new ParamWriter();
  p.u(n);
  return {
    shader: {
      key: `unary:${op}:${float}`,
      code: () => `${wgslPrelude(float, 4)}
${WGSL_ERF}
${WGSL_EXP}
${storage(1, 'X', 'F', 'read')}
${storage(2, 'O', 'F', 'read_write')}
${ENTRY}
  ${FLAT_ID}
  if (gid >= pu(0u)) { return; }
  let x = f32(X[gid]);
  O[gid] = F(${UNARY_EXPR[op]});
}`,
    },
    buffers: [x, out],
    params: p.finish(4),
    workgroups: flatGrid(Math.ceil(n / WG)),
  };
}

/** Sets every element of `out` (n elements) to `value`. */
export function fillDispatch(elem: ElementType, float: FloatType, out: string, n: number, value: number): DispatchSpec {
  const p = new ParamWriter();
  p.u(n);
  if (elem === 'i32') p.i(Math.trunc(value));
  else p.f(value);
  const t = wgslElement(elem);
  return {
    shader: {
      key: `fill:${elem}:${float}`,
      code: () => `${wgslPrelude(float, 4)}
${storage(1, 'O', t, 'read_write')}
${ENTRY}
  ${FLAT_ID}
  if (gid >= pu(0u)) { return; }
  O[gid] = ${elem === 'i32' ? 'pi(1u)' : 'F(pf(1u))'};
}`,
    },
    buffers: [out],
    params: p.finish(4),
    workgroups: flatGrid(Math.ceil(n / WG)),
  };
}

/** Converts between the float type and i32 (float to int truncates toward zero, as the op set says). */
export function castDispatch(from: ElementType, to: ElementType, float: FloatType, x: string, out: string, n: number): DispatchSpec {
  if (from === to) return copyAllDispatch(from, float, x, out, n);
  const p = new ParamWriter();
  p.u(n);
  const conv = to === 'i32' ? 'i32(trunc(f32(X[gid])))' : 'F(f32(X[gid]))';
  return {
    shader: {
      key: `cast:${from}:${to}:${float}`,
      code: () => `${wgslPrelude(float, 4)}
${storage(1, 'X', wgslElement(from), 'read')}
${storage(2, 'O', wgslElement(to), 'read_write')}
${ENTRY}
  ${FLAT_ID}
  if (gid >= pu(0u)) { return; }
  O[gid] = ${conv};
}`,
    },
    buffers: [x, out],
    params: p.finish(4),
    workgroups: flatGrid(Math.ceil(n / WG)),
  };
}

/** Copies n elements unchanged (used where a value must live in its own buffer). */
export function copyAllDispatch(elem: ElementType, float: FloatType, x: string, out: string, n: number): DispatchSpec {
  return stridedCopyDispatch(elem, float, x, out, [n], [1], [1], 0, 0);
}

/**
 * out[outBase + sum i_a * outStrides_a] = x[inBase + sum i_a * inStrides_a] over `dims`:
 * one kernel for transpose, slice, concat pieces and the interior of pad.
 */
export function stridedCopyDispatch(elem: ElementType, float: FloatType, x: string, out: string, dims: readonly number[], inStrides: readonly number[], outStrides: readonly number[], inBase: number, outBase: number): DispatchSpec {
  checkRank(dims, 'copy');
  const n = sizeOf(dims);
  if (n === 0) throw new SwinError('INVALID_ARGUMENT', 'webgpu: empty copy should have been skipped');
  const c = coalesceAxes(dims, [inStrides, outStrides]);
  const pi = padToMaxRank(c.dims, c.strides[0]!);
  const po = padToMaxRank(c.dims, c.strides[1]!);
  const p = new ParamWriter();
  p.list([n, inBase, outBase], 4);
  p.list(pi.dims, 8);
  p.list(pi.strides, 8);
  p.list(po.strides, 8);
  const t = wgslElement(elem);
  return {
    shader: {
      key: `strided_copy:${elem}:${float}`,
      code: () => `${wgslPrelude(float, 28)}
${storage(1, 'X', t, 'read')}
${storage(2, 'O', t, 'read_write')}
${ENTRY}
  ${FLAT_ID}
  if (gid >= pu(0u)) { return; }
${walkTwo(4, 12, 20)}
  O[pu(2u) + ob] = X[pu(1u) + oa];
}`,
    },
    buffers: [x, out],
    params: p.finish(28),
    workgroups: flatGrid(Math.ceil(n / WG)),
  };
}

/** Gather along an axis: out[o, j, r] = data[o, idx[j], r] (negative indices count from the end). */
export function gatherDispatch(elem: ElementType, float: FloatType, data: string, indices: string, out: string, outer: number, dim: number, count: number, inner: number): DispatchSpec {
  const n = outer * count * inner;
  const p = new ParamWriter();
  p.list([n, dim, count, inner], 4);
  const t = wgslElement(elem);
  return {
    shader: {
      key: `gather:${elem}:${float}`,
      code: () => `${wgslPrelude(float, 4)}
${storage(1, 'D', t, 'read')}
${storage(2, 'I', 'i32', 'read')}
${storage(3, 'O', t, 'read_write')}
${ENTRY}
  ${FLAT_ID}
  if (gid >= pu(0u)) { return; }
  let inner = pu(3u); let count = pu(2u); let dim = pu(1u);
  let r = gid % inner; let j = (gid / inner) % count; let o = gid / (inner * count);
  var k = I[j];
  if (k < 0) { k += i32(dim); }
  let kk = u32(clamp(k, 0, i32(dim) - 1));
  O[gid] = D[(o * dim + kk) * inner + r];
}`,
    },
    buffers: [data, indices, out],
    params: p.finish(4),
    workgroups: flatGrid(Math.ceil(n / WG)),
  };
}

export { contiguousStrides };
