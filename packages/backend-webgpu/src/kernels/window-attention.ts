// The core of window attention, fused: q.k^T + (relative position bias + shift mask), softmax,
// then .v, without the N x N scores ever reaching global memory. Each thread owns one query row:
// its scaled q, running softmax sums and output accumulator live in registers, the scores of one
// key block in a private array, rescaled once per block (online softmax). 'workgroup' tiling: one
// workgroup per (window, head) stages the window's keys and values in workgroup memory (GPUs).
// 'registers': threads flattened over (window, head, query) read keys and values straight from
// the qkv buffer, no barriers (CPU emulations).

import { flatGrid, type DispatchSpec, type FloatType, type KernelTiling } from './kernel-types.js';
import { uniformLayout } from './uniform-layout.js';
import { storage, wgslPrelude } from './wgsl-prelude.js';
import { WGSL_EXP } from './wgsl-exp.js';

/** Workgroup memory the key/value blocks may use: under WebGPU's 16 KiB default with room to spare. */
const KV_BUDGET_BYTES = 12 * 1024;

/** Shapes of one attention core dispatch. */
export interface AttentionCoreSpec {
  readonly float: FloatType;
  /** [windows, N, 3C] rows: q | k | v, heads contiguous within each. */
  readonly qkv: string;
  /** [nWb, heads, N, N]: bias of window w is row w mod nWb. */
  readonly bias: string;
  /** [windows, N, C]. */
  readonly out: string;
  readonly windows: number;
  readonly tokens: number;
  readonly heads: number;
  readonly headDim: number;
  readonly biasWindows: number;
  readonly scale: number;
  readonly tiling: KernelTiling;
}

/** Threads per workgroup: one per query, rounded up to a multiple of 32, capped at 256 (larger windows loop). */
function workgroupSize(tokens: number): number {
  return Math.min(256, Math.ceil(tokens / 32) * 32);
}

/** Keys per staged block for a head size, so K and V blocks fit the budget. */
function keyBlock(tokens: number, headDim: number, float: FloatType): number {
  const bytesPerKey = headDim * 2 * (float === 'f16' ? 2 : 4);
  return Math.max(1, Math.min(tokens, Math.floor(KV_BUDGET_BYTES / bytesPerKey)));
}

const UNIFORMS = uniformLayout({
  /** windows x heads: one (window, head) pair per workgroup, or per group of queries. */
  groups: 'u32',
  tokens: 'u32',
  heads: 'u32',
  /** Bias rows: window w uses row w mod biasWindows. */
  biasWindows: 'u32',
  scale: 'f32',
});

/** One dispatch of fused window attention over all windows and heads. */
export function attentionCoreDispatch(spec: AttentionCoreSpec): DispatchSpec {
  const vec = spec.headDim % 4 === 0;
  const params = UNIFORMS.pack({ groups: spec.windows * spec.heads, tokens: spec.tokens, heads: spec.heads, biasWindows: spec.biasWindows, scale: spec.scale });
  const buffers = [spec.qkv, spec.bias, spec.out];
  if (spec.tiling === 'registers') {
    const kb = Math.min(spec.tokens, 64);
    return {
      shader: { key: `window_attention_flat:${spec.float}:hd=${spec.headDim}:kb=${kb}`, code: () => flatAttentionShader(spec.float, spec.headDim, kb, vec) },
      buffers,
      params,
      workgroups: flatGrid(Math.ceil((spec.windows * spec.heads * spec.tokens) / FLAT_WG)),
    };
  }
  const wg = workgroupSize(spec.tokens);
  const kb = keyBlock(spec.tokens, spec.headDim, spec.float);
  return {
    shader: { key: `window_attention:${spec.float}:hd=${spec.headDim}:wg=${wg}:kb=${kb}`, code: () => attentionShader(spec.float, spec.headDim, wg, kb, vec) },
    buffers,
    params,
    workgroups: flatGrid(spec.windows * spec.heads),
  };
}

/** WGSL types of one head-dim chunk: vectors of 4 along the head dim when it divides, scalars otherwise. */
function chunkTypes(headDim: number, vec: boolean): { hv: number; V: string; VF: string } {
  return vec ? { hv: headDim / 4, V: 'vec4<f32>', VF: 'vec4<F>' } : { hv: headDim, V: 'f32', VF: 'F' };
}

/** Module scope both flavours share: uniforms, buffers, the chunk count HV, key block KB, dot and exp. */
function attentionModule(float: FloatType, headDim: number, kb: number, vec: boolean): string {
  const { hv, V, VF } = chunkTypes(headDim, vec);
  return `${wgslPrelude(float, UNIFORMS)}
${storage(1, 'QKV', VF, 'read')}
${storage(2, 'Bias', 'F', 'read')}
${storage(3, 'O', VF, 'read_write')}
const HV = ${hv}u;
const KB = ${kb}u;
fn dotv(a: ${V}, b: ${V}) -> f32 { return ${vec ? 'dot(a, b)' : 'a * b'}; }
${WGSL_EXP}`;
}

/** WGSL: window `win` and head `h` of group `g`, and where its q, k, v and output rows start (in chunks). */
const HEAD_BASES = `let N = P.tokens; let NH = P.heads; let NWB = P.biasWindows; let scale = P.scale;
  let win = g / NH; let h = g % NH;
  // Row strides in chunks: qkv rows hold 3 * NH * HV, output rows NH * HV.
  let qkvRow = 3u * NH * HV; let outRow = NH * HV;
  let qBase = win * N * qkvRow + h * HV;
  let kBase = qBase + NH * HV;
  let vBase = qBase + 2u * NH * HV;`;

/**
 * WGSL: folds a block of scores s[0..jn) (keys j0..) into the running max m, sum l and accumulator
 * acc: one rescale per block, then each key's weight times its value row (`valueRow` sets `vr`,
 * where key jj's value chunks start in `valueBuffer`).
 */
function onlineSoftmaxBlock(V: string, valueBuffer: string, valueRow: string): string {
  return `let mNew = max(m, bm);
    let corr = exp_precise(m - mNew);
    l = l * corr;
    for (var d = 0u; d < HV; d++) { acc[d] = acc[d] * corr; }
    for (var jj = 0u; jj < jn; jj++) {
      let pj = exp_precise(s[jj] - mNew);
      l += pj;
      let vr = ${valueRow};
      for (var d = 0u; d < HV; d++) { acc[d] = fma(${V}(pj), ${V}(${valueBuffer}[vr + d]), acc[d]); }
    }
    m = mNew;`;
}

function attentionShader(float: FloatType, headDim: number, wg: number, kb: number, vec: boolean): string {
  const { hv, V, VF } = chunkTypes(headDim, vec);
  return `${attentionModule(float, headDim, kb, vec)}
var<workgroup> Ks: array<${VF}, ${kb * hv}>;
var<workgroup> Vs: array<${VF}, ${kb * hv}>;

@compute @workgroup_size(${wg})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = wid.y * nwg.x + wid.x;
  if (g >= P.groups) { return; }
  ${HEAD_BASES}
  let biasBase = ((win % NWB) * NH + h) * N * N;

  for (var q0 = 0u; q0 < N; q0 += ${wg}u) {
    let i = q0 + t;
    let isQuery = i < N;
    let ii = min(i, N - 1u);
    var q: array<${V}, ${hv}>;
    for (var d = 0u; d < HV; d++) { q[d] = ${V}(QKV[qBase + ii * qkvRow + d]) * scale; }
    var acc: array<${V}, ${hv}>;
    for (var d = 0u; d < HV; d++) { acc[d] = ${V}(0.0); }
    var m = -3.4e38;
    var l = 0.0;
    for (var j0 = 0u; j0 < N; j0 += KB) {
      workgroupBarrier();
      for (var e = t; e < KB * HV; e += ${wg}u) {
        let j = min(j0 + e / HV, N - 1u);
        let d = e % HV;
        Ks[e] = QKV[kBase + j * qkvRow + d];
        Vs[e] = QKV[vBase + j * qkvRow + d];
      }
      workgroupBarrier();
      let jn = min(KB, N - j0);
      // Scores of this block, then one rescale of the running sum and accumulator per block.
      var s: array<f32, ${kb}>;
      var bm = -3.4e38;
      for (var jj = 0u; jj < jn; jj++) {
        var acc_s = 0.0;
        for (var d = 0u; d < HV; d++) { acc_s += dotv(q[d], ${V}(Ks[jj * HV + d])); }
        let sc = acc_s + f32(Bias[biasBase + ii * N + j0 + jj]);
        s[jj] = sc;
        bm = max(bm, sc);
      }
      ${onlineSoftmaxBlock(V, 'Vs', 'jj * HV')}
    }
    if (isQuery) {
      let inv = 1.0 / l;
      for (var d = 0u; d < HV; d++) { O[win * N * outRow + i * outRow + h * HV + d] = ${VF}(acc[d] * inv); }
    }
  }
}`;
}

const FLAT_WG = 64;

function flatAttentionShader(float: FloatType, headDim: number, kb: number, vec: boolean): string {
  const { hv, V, VF } = chunkTypes(headDim, vec);
  return `${attentionModule(float, headDim, kb, vec)}

@compute @workgroup_size(${FLAT_WG})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let gid = (wid.y * nwg.x + wid.x) * ${FLAT_WG}u + t;
  if (gid >= P.groups * P.tokens) { return; }
  let i = gid % P.tokens; let g = gid / P.tokens;
  ${HEAD_BASES}
  let biasRow = (((win % NWB) * NH + h) * N + i) * N;
  var q: array<${V}, ${hv}>;
  var acc: array<${V}, ${hv}>;
  for (var d = 0u; d < HV; d++) { q[d] = ${V}(QKV[qBase + i * qkvRow + d]) * scale; acc[d] = ${V}(0.0); }
  var m = -3.4e38;
  var l = 0.0;
  var s: array<f32, ${kb}>;
  for (var j0 = 0u; j0 < N; j0 += KB) {
    let jn = min(KB, N - j0);
    var bm = -3.4e38;
    for (var jj = 0u; jj < jn; jj++) {
      let kr = kBase + (j0 + jj) * qkvRow;
      var sc = f32(Bias[biasRow + j0 + jj]);
      for (var d = 0u; d < HV; d++) { sc += dotv(q[d], ${V}(QKV[kr + d])); }
      s[jj] = sc;
      bm = max(bm, sc);
    }
    ${onlineSoftmaxBlock(V, 'QKV', 'vBase + (j0 + jj) * qkvRow')}
  }
  let inv = 1.0 / l;
  let o = win * N * outRow + i * outRow + h * HV;
  for (var d = 0u; d < HV; d++) { O[o + d] = ${VF}(acc[d] * inv); }
}`;
}
