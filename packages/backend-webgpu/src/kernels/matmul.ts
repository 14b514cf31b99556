// Products accumulate with fma (one rounding per multiply-add): on SwiftShader this cut the error
// of a Swin V2 block (cosine scores scaled by up to 100) against float64 about twentyfold.
//
// Tiled matmul: a 64x64 output tile per workgroup of 16x16 threads, each thread a 4x4 block held
// in four vec4 accumulators; A and B tiles (K step 16) staged in workgroup memory. Shapes, batch
// strides, window maps and the epilogue switches are uniforms, so one pipeline (per float type,
// vec4-ness and B layout) serves every layer: shader compiles are slow on some drivers
// (SwiftShader takes seconds per matmul), and a uniform branch costs nothing on a GPU. The
// epilogue fuses bias, GELU and a residual add; window maps fold windowPartition (on A's rows)
// and windowReverse + crop (on the output's rows) into the addressing. Absent bias / residual
// operands are bound to a small dummy buffer.

import { BackendError } from '@swin/core';
import { MAX_WORKGROUPS_PER_DIM, type DispatchSpec, type FloatType, type KernelTiling } from './kernel-types.js';
import { storage, wgslPrelude } from './wgsl-prelude.js';
import { WGSL_ERF } from './wgsl-erf.js';
import { uniformLayout } from './uniform-layout.js';
import { WINDOW_MAP_UNIFORM, wgslWindowRow, windowMapValues, type WindowMap } from './window-map.js';

const TILE = 64;
const MAX_BATCH_RANK = 4;

const UNIFORMS = uniformLayout({
  M: 'u32',
  K: 'u32',
  N: 'u32',
  batches: 'u32',
  /** Output batch dims (outermost first, left-padded with 1) and each operand's offsets per batch index. */
  batchDims: 'vec4<u32>',
  aBatchStrides: 'vec4<u32>',
  bBatchStrides: 'vec4<u32>',
  aMap: WINDOW_MAP_UNIFORM,
  outMap: WINDOW_MAP_UNIFORM,
  /** FLAG_* bits: which epilogue steps and maps apply. */
  flags: 'u32',
});

const FLAG_BIAS = 1;
const FLAG_GELU = 2;
const FLAG_RESIDUAL = 4;
const FLAG_A_MAP = 8;
const FLAG_OUT_MAP = 16;

/** Value name the runtime binds to a small dummy buffer, standing in for an absent operand. */
export const DUMMY_BUFFER = '::dummy';

/** Everything one matmul dispatch needs. Buffers are value names. */
export interface MatmulSpec {
  readonly float: FloatType;
  readonly a: string;
  readonly b: string;
  readonly out: string;
  readonly bias?: string;
  readonly residual?: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** b is [.., N, K] (a @ b^T) rather than [.., K, N]. */
  readonly transB: boolean;
  /** Broadcast batch: output batch dims and each operand's per-dim offsets (elements); empty for one matrix. */
  readonly batchDims?: readonly number[];
  readonly aBatchStrides?: readonly number[];
  readonly bBatchStrides?: readonly number[];
  readonly activation?: 'gelu';
  /** A's logical rows are window-ordered tokens of a [B,H,W,K] map. */
  readonly aRows?: WindowMap;
  /** Output rows are window-ordered tokens written back into a [B,H,W,N] map. */
  readonly outRows?: WindowMap;
  /** 'workgroup': 64x64 tiles staged in workgroup memory; 'registers': 32x32 per workgroup, each thread a 4x4 block, no barriers. */
  readonly tiling?: KernelTiling;
}

const REGISTER_TILE = 32;

/** Batch dims beyond 4 are merged by the caller; this refuses what it cannot address. */
function batchParams(spec: MatmulSpec): { count: number; dims: number[]; a: number[]; b: number[] } {
  const dims = [...(spec.batchDims ?? [])];
  const a = [...(spec.aBatchStrides ?? dims.map(() => 0))];
  const b = [...(spec.bBatchStrides ?? dims.map(() => 0))];
  if (a.length !== dims.length || b.length !== dims.length) {
    throw new BackendError('BACKEND_FAILURE', `webgpu: matmul batch strides of ${a.length} and ${b.length} for ${dims.length} batch dims`);
  }
  while (dims.length > MAX_BATCH_RANK) {
    // Merge the two outermost dims when both operands stay affine over them (dims, a and b have
    // the same length, above MAX_BATCH_RANK: indices 0 and 1 exist).
    if (a[0] !== a[1]! * dims[1]! || b[0] !== b[1]! * dims[1]!) throw new BackendError('UNSUPPORTED_OP', 'webgpu: matmul with more than 4 batch dims that do not merge');
    dims.splice(0, 2, dims[0]! * dims[1]!);
    a.splice(0, 1);
    b.splice(0, 1);
  }
  const count = dims.reduce((x, y) => x * y, 1);
  const pad = MAX_BATCH_RANK - dims.length;
  return { count, dims: [...new Array<number>(pad).fill(1), ...dims], a: [...new Array<number>(pad).fill(0), ...a], b: [...new Array<number>(pad).fill(0), ...b] };
}

/** One dispatch of the tiled matmul with its fused epilogue. */
export function matmulDispatch(spec: MatmulSpec): DispatchSpec {
  const vec = spec.k % 4 === 0 && spec.n % 4 === 0;
  const batch = batchParams(spec);
  const flags =
    (spec.bias ? FLAG_BIAS : 0) |
    (spec.activation === 'gelu' ? FLAG_GELU : 0) |
    (spec.residual ? FLAG_RESIDUAL : 0) |
    (spec.aRows ? FLAG_A_MAP : 0) |
    (spec.outRows ? FLAG_OUT_MAP : 0);
  const tiling = spec.tiling ?? 'workgroup';
  const variant: MatmulVariant = { float: spec.float, vec, transB: spec.transB, tiling };
  const key = `matmul:${spec.float}:vec=${vec}:transB=${spec.transB}:${tiling}`;
  const tile = tiling === 'workgroup' ? TILE : REGISTER_TILE;
  return {
    shader: { key, code: () => matmulShader(variant) },
    buffers: [spec.a, spec.b, spec.bias ?? DUMMY_BUFFER, spec.residual ?? DUMMY_BUFFER, spec.out],
    params: UNIFORMS.pack({
      M: spec.m,
      K: spec.k,
      N: spec.n,
      batches: batch.count,
      batchDims: batch.dims,
      aBatchStrides: batch.a,
      bBatchStrides: batch.b,
      aMap: windowMapValues(spec.aRows),
      outMap: windowMapValues(spec.outRows),
      flags,
    }),
    workgroups: matmulGrid(spec, tile, batch.count),
  };
}

/** The dispatch grid, refusing sizes past WebGPU's per-dimension limit with a typed error rather than a validation failure. */
function matmulGrid(spec: MatmulSpec, tile: number, batches: number): [number, number, number] {
  const grid: [number, number, number] = [Math.ceil(spec.n / tile), Math.ceil(spec.m / tile), batches];
  if (grid.some((g) => g > MAX_WORKGROUPS_PER_DIM)) {
    throw new BackendError('UNSUPPORTED_OP', `webgpu: a ${spec.m}x${spec.k} @ ${spec.k}x${spec.n} matmul (x${batches}) needs a ${grid.join('x')} grid, past ${MAX_WORKGROUPS_PER_DIM} workgroups per dimension: use a smaller batch`);
  }
  return grid;
}

interface MatmulVariant {
  readonly float: FloatType;
  readonly vec: boolean;
  readonly transB: boolean;
  readonly tiling: KernelTiling;
}

function matmulShader(v: MatmulVariant): string {
  const el = v.vec ? 'vec4<F>' : 'F';
  const decl = [storage(1, 'A', el, 'read'), storage(2, 'B', el, 'read'), storage(3, 'Bias', el, 'read'), storage(4, 'Res', el, 'read'), storage(5, 'O', el, 'read_write')];

  // Loads of 4 consecutive elements along a contiguous axis; zero past the end.
  const load4 = (buf: string, idx: string, valid: string, limit: string) =>
    v.vec
      ? `${buf}[(${idx}) / 4u]`
      : `vec4<F>(${[0, 1, 2, 3].map((j) => `select(F(0), ${buf}[min(${idx} + ${j}u, arrayLength(&${buf}) - 1u)], ${valid} + ${j}u < ${limit})`).join(', ')})`;

  const store = v.vec ? 'O[o / 4u] = vec4<F>(val);' : [0, 1, 2, 3].map((j) => `if (col + ${j}u < N) { O[o + ${j}u] = F(val[${j}]); }`).join('\n      ');
  const epilogue = `fn epilogue(row: u32, col: u32, acc: vec4<f32>, oOff: u32) {
  let M = P.M; let N = P.N; let flags = P.flags;
  if (row >= M || col >= N) { return; }
  var val = acc;
  if ((flags & ${FLAG_BIAS}u) != 0u) { val += vec4<f32>(${load4('Bias', 'col', 'col', 'N')}); }
  if ((flags & ${FLAG_GELU}u) != 0u) { val = gelu4(val); }
  var orow = i32(row);
  if ((flags & ${FLAG_OUT_MAP}u) != 0u) { orow = outRow(row); }
  if (orow < 0) { return; }
  let o = oOff + u32(orow) * N + col;
  if ((flags & ${FLAG_RESIDUAL}u) != 0u) { val += vec4<f32>(${load4('Res', 'o', 'col', 'N')}); }
  ${store}
}`;

  return `${wgslPrelude(v.float, UNIFORMS)}
${WGSL_ERF}
${decl.join('\n')}
${wgslWindowRow('aRow', 'aMap')}
${wgslWindowRow('outRow', 'outMap')}
fn gelu4(v: vec4<f32>) -> vec4<f32> { return vec4<f32>(gelu(v.x), gelu(v.y), gelu(v.z), gelu(v.w)); }
${epilogue}
${v.tiling === 'registers' ? registerBody(v, load4) : workgroupBody(v, load4)}`;
}

type Load4 = (buf: string, idx: string, valid: string, limit: string) => string;

/** Batch offsets of operand A, B and the output from wid.z (broadcast strides in the params). */
const BATCH_OFFSETS = `var rem = wid.z; var aOff = 0u; var bOff = 0u;
  for (var i = 0u; i < ${MAX_BATCH_RANK}u; i++) {
    let ax = ${MAX_BATCH_RANK - 1}u - i;
    let d = P.batchDims[ax];
    let ix = rem % d; rem = rem / d;
    aOff += ix * P.aBatchStrides[ax]; bOff += ix * P.bBatchStrides[ax];
  }
  let oOff = wid.z * M * N;`;

/** A's (mapped) row index for logical row r, or -1 past M or in padding. */
const MAPPED_ROW = `fn mappedRow(r: u32) -> i32 {
  if (r >= P.M) { return -1; }
  if ((P.flags & ${FLAG_A_MAP}u) != 0u) { return aRow(r); }
  return i32(r);
}`;

function registerBody(v: MatmulVariant, load4: Load4): string {
  return v.vec ? registerBodyVec4(v) : registerBodyScalar(v, load4);
}

/**
 * The barrier-free vec4 loop, written for JITs that optimize little (SwiftShader's Subzero): no
 * calls and no parameter reads inside the K loop, running indices instead of recomputed ones,
 * and invalid A rows (past M, or padding under a window map) read row 0 times a zero mask
 * rather than branching.
 */
function registerBodyVec4(v: MatmulVariant): string {
  const rows = [0, 1, 2, 3];
  const loadB = v.transB
    ? `let c0 = B[bi]; let c1 = B[bi + K4]; let c2 = B[bi + 2u * K4]; let c3 = B[bi + 3u * K4];
    let b0 = vec4<f32>(vec4<F>(c0.x, c1.x, c2.x, c3.x)); let b1 = vec4<f32>(vec4<F>(c0.y, c1.y, c2.y, c3.y));
    let b2 = vec4<f32>(vec4<F>(c0.z, c1.z, c2.z, c3.z)); let b3 = vec4<f32>(vec4<F>(c0.w, c1.w, c2.w, c3.w));
    bi += 1u;`
    : `let b0 = vec4<f32>(B[bi]); let b1 = vec4<f32>(B[bi + N4]); let b2 = vec4<f32>(B[bi + 2u * N4]); let b3 = vec4<f32>(B[bi + 3u * N4]);
    bi += 4u * N4;`;
  return `${MAPPED_ROW}

@compute @workgroup_size(8, 8)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let M = P.M; let K = P.K; let N = P.N;
  ${BATCH_OFFSETS}
  let col = (wid.x * 8u + lid.x) * 4u;
  if (col >= N) { return; }
  let row0 = (wid.y * 8u + lid.y) * 4u;
  let K4 = K / 4u; let N4 = N / 4u;
  ${rows.map((r) => `let r${r} = mappedRow(row0 + ${r}u); let m${r} = select(0.0, 1.0, r${r} >= 0); var a${r}i = (aOff + u32(max(r${r}, 0)) * K) / 4u;`).join('\n  ')}
  var bi = ${v.transB ? '(bOff + col * K) / 4u' : '(bOff + col) / 4u'};
  var acc0 = vec4<f32>(0.0); var acc1 = vec4<f32>(0.0); var acc2 = vec4<f32>(0.0); var acc3 = vec4<f32>(0.0);
  for (var k = 0u; k < K4; k++) {
    ${loadB}
    ${rows.map((r) => `let a${r} = vec4<f32>(A[a${r}i]); a${r}i += 1u;\n    acc${r} = fma(vec4<f32>(a${r}.w), b3, fma(vec4<f32>(a${r}.z), b2, fma(vec4<f32>(a${r}.y), b1, fma(vec4<f32>(a${r}.x), b0, acc${r}))));`).join('\n    ')}
  }
  ${rows.map((r) => `epilogue(row0 + ${r}u, col, acc${r} * m${r}, oOff);`).join('\n  ')}
}
`;
}

/** The barrier-free loop for unaligned K or N: element loads with bounds checks (small layers only). */
function registerBodyScalar(v: MatmulVariant, load4: Load4): string {
  const a = (r: number) => `a${r}`;
  // B values for k .. k+3 at columns col .. col+3, as four row vectors b0..b3 (b_j = B[k+j, col..]).
  const loadB = v.transB
    ? `let c0 = loadBt(col, k); let c1 = loadBt(col + 1u, k); let c2 = loadBt(col + 2u, k); let c3 = loadBt(col + 3u, k);
    let b0 = vec4<f32>(c0.x, c1.x, c2.x, c3.x); let b1 = vec4<f32>(c0.y, c1.y, c2.y, c3.y);
    let b2 = vec4<f32>(c0.z, c1.z, c2.z, c3.z); let b3 = vec4<f32>(c0.w, c1.w, c2.w, c3.w);`
    : 'let b0 = loadBk(k, col); let b1 = loadBk(k + 1u, col); let b2 = loadBk(k + 2u, col); let b3 = loadBk(k + 3u, col);';
  return `${MAPPED_ROW}
fn loadA(r: i32, k: u32, aOff: u32) -> vec4<f32> {
  let K = P.K;
  if (r < 0 || k >= K) { return vec4<f32>(0.0); }
  let base = aOff + u32(r) * K + k;
  return vec4<f32>(${load4('A', 'base', 'k', 'K')});
}
${
  v.transB
    ? `fn loadBt(n: u32, k: u32) -> vec4<f32> {
  let K = P.K; let N = P.N;
  if (n >= N || k >= K) { return vec4<f32>(0.0); }
  let base = bOffG + n * K + k;
  return vec4<f32>(${load4('B', 'base', 'k', 'K')});
}`
    : `fn loadBk(k: u32, n: u32) -> vec4<f32> {
  let K = P.K; let N = P.N;
  if (k >= K || n >= N) { return vec4<f32>(0.0); }
  let base = bOffG + k * N + n;
  return vec4<f32>(${load4('B', 'base', 'n', 'N')});
}`
}
var<private> bOffG: u32;

@compute @workgroup_size(8, 8)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let M = P.M; let K = P.K; let N = P.N;
  ${BATCH_OFFSETS}
  bOffG = bOff;
  let col = (wid.x * 8u + lid.x) * 4u;
  let row0 = (wid.y * 8u + lid.y) * 4u;
  let r0 = mappedRow(row0); let r1 = mappedRow(row0 + 1u); let r2 = mappedRow(row0 + 2u); let r3 = mappedRow(row0 + 3u);
  var acc0 = vec4<f32>(0.0); var acc1 = vec4<f32>(0.0); var acc2 = vec4<f32>(0.0); var acc3 = vec4<f32>(0.0);
  for (var k = 0u; k < K; k += 4u) {
    ${loadB}
    ${[0, 1, 2, 3].map((r) => `let ${a(r)} = loadA(r${r}, k, aOff);\n    acc${r} = fma(vec4<f32>(${a(r)}.w), b3, fma(vec4<f32>(${a(r)}.z), b2, fma(vec4<f32>(${a(r)}.y), b1, fma(vec4<f32>(${a(r)}.x), b0, acc${r}))));`).join('\n    ')}
  }
  epilogue(row0, col, acc0, oOff);
  epilogue(row0 + 1u, col, acc1, oOff);
  epilogue(row0 + 2u, col, acc2, oOff);
  epilogue(row0 + 3u, col, acc3, oOff);
}
`;
}

function workgroupBody(v: MatmulVariant, load4: Load4): string {
  return `var<workgroup> As: array<F, ${16 * TILE}>;
var<workgroup> Bs: array<vec4<F>, ${(16 * TILE) / 4}>;

@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let M = P.M; let K = P.K; let N = P.N;
  let tx = lid.x; let ty = lid.y; let tid = ty * 16u + tx;
  let col0 = wid.x * ${TILE}u; let row0 = wid.y * ${TILE}u;
  ${BATCH_OFFSETS}

  // This thread stages A[row0 + lm, k0 + lk .. +3] (row mapped once, outside the K loop).
  let lm = tid >> 2u; let lk = (tid & 3u) * 4u;
  var aRowIdx = -1;
  if (row0 + lm < M) {
    aRowIdx = i32(row0 + lm);
    if ((P.flags & ${FLAG_A_MAP}u) != 0u) { aRowIdx = aRow(row0 + lm); }
  }
  ${
    v.transB
      ? '// B is [N, K]: this thread stages B[col0 + bn, k0 + bk .. +3].\n  let bn = tid >> 2u; let bk = (tid & 3u) * 4u;'
      : '// B is [K, N]: this thread stages B[k0 + bk, col0 + bn .. +3].\n  let bk = tid >> 4u; let bn = (tid & 15u) * 4u;'
  }

  var acc0 = vec4<f32>(0.0); var acc1 = vec4<f32>(0.0); var acc2 = vec4<f32>(0.0); var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < K; k0 += 16u) {
    {
      var a4 = vec4<F>(F(0));
      let ka = k0 + lk;
      if (aRowIdx >= 0 && ka < K) {
        let base = aOff + u32(aRowIdx) * K + ka;
        a4 = ${load4('A', 'base', 'ka', 'K')};
      }
      As[(lk + 0u) * ${TILE}u + lm] = a4.x;
      As[(lk + 1u) * ${TILE}u + lm] = a4.y;
      As[(lk + 2u) * ${TILE}u + lm] = a4.z;
      As[(lk + 3u) * ${TILE}u + lm] = a4.w;
    }
    {
      var b4 = vec4<F>(F(0));
      ${
        v.transB
          ? `let n = col0 + bn; let kb = k0 + bk;
      if (n < N && kb < K) {
        let base = bOff + n * K + kb;
        b4 = ${load4('B', 'base', 'kb', 'K')};
      }
      let q = bn >> 2u; let c = bn & 3u;
      Bs[(bk + 0u) * 16u + q][c] = b4.x;
      Bs[(bk + 1u) * 16u + q][c] = b4.y;
      Bs[(bk + 2u) * 16u + q][c] = b4.z;
      Bs[(bk + 3u) * 16u + q][c] = b4.w;`
          : `let n = col0 + bn; let kb = k0 + bk;
      if (n < N && kb < K) {
        let base = bOff + kb * N + n;
        b4 = ${load4('B', 'base', 'n', 'N')};
      }
      Bs[tid] = b4;`
      }
    }
    workgroupBarrier();
    for (var k = 0u; k < 16u; k++) {
      let b = Bs[k * 16u + tx];
      let ai = k * ${TILE}u + ty * 4u;
      ${[0, 1, 2, 3].map((r) => (v.float === 'f16' ? `acc${r} += vec4<f32>(As[ai + ${r}u] * b);` : `acc${r} = fma(vec4<f32>(As[ai + ${r}u]), b, acc${r});`)).join('\n      ')}
    }
    workgroupBarrier();
  }

  let col = col0 + tx * 4u;
  epilogue(row0 + ty * 4u, col, acc0, oOff);
  epilogue(row0 + ty * 4u + 1u, col, acc1, oOff);
  epilogue(row0 + ty * 4u + 2u, col, acc2, oOff);
  epilogue(row0 + ty * 4u + 3u, col, acc3, oOff);
}
`;
}
