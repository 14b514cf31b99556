// Row kernels over the last axis: LayerNorm and softmax, in f32, two passes for LayerNorm (mean,
// then centred variance) as the reference does, so large means do not cancel. 'workgroup'
// tiling: one workgroup of 64 threads per row, reduced in workgroup memory (GPUs). 'registers':
// one thread per row, no barriers (CPU emulations, where a barrier is a coroutine switch). A
// kernel's body is written once; the flavour supplies the loop over a row and the reductions.

import { flatGrid, type DispatchSpec, type FloatType, type KernelTiling } from './kernel-types.js';
import type { KernelBuffer } from './flat-kernel.js';
import { uniformLayout } from './uniform-layout.js';
import { storage, wgslPrelude } from './wgsl-prelude.js';
import { WGSL_EXP } from './wgsl-exp.js';

const WG = 64;

const WORKGROUP_REDUCE = (op: 'sum' | 'max') => `fn reduce_${op}(v: f32, t: u32) -> f32 {
  red[t] = v;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (t < s) { red[t] = ${op === 'sum' ? 'red[t] + red[t + s]' : 'max(red[t], red[t + s])'}; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}`;

/** How a row body walks its row and combines per-thread partials under one tiling. */
interface RowFlavour {
  readonly keySuffix: string;
  readonly helpers: string;
  /** The row index of this invocation. */
  readonly row: string;
  /** Loop header visiting this invocation's share of the row's `c` elements as `i`. */
  readonly loop: string;
  sum(partial: string): string;
  max(partial: string): string;
  workgroups(rows: number): [number, number, number];
}

const FLAVOURS: Record<KernelTiling, RowFlavour> = {
  registers: {
    keySuffix: '_rows',
    helpers: '',
    row: `(wid.y * nwg.x + wid.x) * ${WG}u + t`,
    loop: 'var i = 0u; i < c; i++',
    sum: (p) => p,
    max: (p) => p,
    workgroups: (rows) => flatGrid(Math.ceil(rows / WG)),
  },
  workgroup: {
    keySuffix: '',
    helpers: `var<workgroup> red: array<f32, ${WG}>;\n${WORKGROUP_REDUCE('sum')}\n${WORKGROUP_REDUCE('max')}`,
    row: 'wid.y * nwg.x + wid.x',
    loop: `var i = t; i < c; i += ${WG}u`,
    sum: (p) => `reduce_sum(${p}, t)`,
    max: (p) => `reduce_max(${p}, t)`,
    workgroups: (rows) => flatGrid(rows),
  },
};

/**
 * One row kernel: `body(flavour)` runs per row with `base` (the row's first element) and `c`.
 * `variant` names what else the source depends on (for the shader key).
 */
function rowDispatch(name: string, variant: string, float: FloatType, tiling: KernelTiling, uniforms: { readonly wgsl: string }, params: Uint32Array, rows: number, inputs: readonly KernelBuffer[], out: string, helpers: string, body: (f: RowFlavour) => string): DispatchSpec {
  const f = FLAVOURS[tiling];
  const bindings = [...inputs.map((b, i) => storage(i + 1, b.name, b.elem, 'read')), storage(inputs.length + 1, 'O', 'F', 'read_write')];
  return {
    shader: {
      key: `${name}${f.keySuffix}:${float}${variant}`,
      code: () => `${wgslPrelude(float, uniforms)}
${helpers}
${bindings.join('\n')}
${f.helpers}
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = ${f.row};
  if (row >= P.rows) { return; }
  let c = P.c;
  let base = row * c;
${body(f)}
}`,
    },
    buffers: [...inputs.map((b) => b.value), out],
    params,
    workgroups: f.workgroups(rows),
  };
}

const LAYER_NORM_UNIFORMS = uniformLayout({ rows: 'u32', c: 'u32', eps: 'f32' });

/** LayerNorm over the last axis (biased variance, eps inside the sqrt); gamma/beta optional. */
export function layerNormDispatch(float: FloatType, tiling: KernelTiling, x: string, gamma: string | undefined, beta: string | undefined, out: string, rows: number, c: number, eps: number): DispatchSpec {
  const inputs: KernelBuffer[] = [{ name: 'X', elem: 'F', value: x }];
  if (gamma) inputs.push({ name: 'G', elem: 'F', value: gamma });
  if (beta) inputs.push({ name: 'Bt', elem: 'F', value: beta });
  const params = LAYER_NORM_UNIFORMS.pack({ rows, c, eps });
  return rowDispatch('layer_norm', `:g=${!!gamma}:b=${!!beta}`, float, tiling, LAYER_NORM_UNIFORMS, params, rows, inputs, out, '', (f) => `  var s = 0.0;
  for (${f.loop}) { s += f32(X[base + i]); }
  let mean = ${f.sum('s')} / f32(c);
  var v = 0.0;
  for (${f.loop}) { let d = f32(X[base + i]) - mean; v += d * d; }
  let inv = inverseSqrt(${f.sum('v')} / f32(c) + P.eps);
  for (${f.loop}) {
    var y = (f32(X[base + i]) - mean) * inv;
    ${gamma ? 'y = y * f32(G[i]);' : ''}
    ${beta ? 'y = y + f32(Bt[i]);' : ''}
    O[base + i] = F(y);
  }`);
}

const SOFTMAX_UNIFORMS = uniformLayout({ rows: 'u32', c: 'u32' });

/** Softmax over the last axis, max-subtracted, f32 sums. */
export function softmaxDispatch(float: FloatType, tiling: KernelTiling, x: string, out: string, rows: number, c: number): DispatchSpec {
  const params = SOFTMAX_UNIFORMS.pack({ rows, c });
  return rowDispatch('softmax', '', float, tiling, SOFTMAX_UNIFORMS, params, rows, [{ name: 'X', elem: 'F', value: x }], out, WGSL_EXP, (f) => `  var m = -3.4e38;
  for (${f.loop}) { m = max(m, f32(X[base + i])); }
  let mx = ${f.max('m')};
  var s = 0.0;
  for (${f.loop}) { s += exp_precise(f32(X[base + i]) - mx); }
  let inv = 1.0 / ${f.sum('s')};
  for (${f.loop}) { O[base + i] = F(exp_precise(f32(X[base + i]) - mx) * inv); }`);
}
