// Row kernels over the last axis: LayerNorm and softmax, in f32, two passes for LayerNorm (mean,
// then centred variance) as the reference does, so large means do not cancel. 'workgroup'
// tiling: one workgroup of 64 threads per row, reduced in workgroup memory (GPUs). 'registers':
// one thread per row, no barriers (CPU emulations, where a barrier is a coroutine switch).

import { ParamWriter } from './param-writer.js';
import { flatGrid, type DispatchSpec, type FloatType, type KernelTiling } from './kernel-types.js';
import { storage, wgslPrelude } from './wgsl-prelude.js';
import { WGSL_EXP } from './wgsl-exp.js';

const WG = 64;

const REDUCE = (op: 'sum' | 'max') => `fn reduce_${op}(v: f32, t: u32) -> f32 {
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

const HEADER = `var<workgroup> red: array<f32, ${WG}>;`;
const ENTRY = `@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= pu(0u)) { return; }
  let c = pu(1u);
  let base = row * c;`;

/** One thread per row: the barrier-free entry. */
const ROW_ENTRY = `@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = (wid.y * nwg.x + wid.x) * ${WG}u + t;
  if (row >= pu(0u)) { return; }
  let c = pu(1u);
  let base = row * c;`;

/** LayerNorm over the last axis (biased variance, eps inside the sqrt); gamma/beta optional. */
export function layerNormDispatch(float: FloatType, tiling: KernelTiling, x: string, gamma: string | undefined, beta: string | undefined, out: string, rows: number, c: number, eps: number): DispatchSpec {
  const p = new ParamWriter();
  p.u(rows);
  p.u(c);
  p.f(eps);
  let b = 1;
  const decl = [storage(b++, 'X', 'F', 'read')];
  if (gamma) decl.push(storage(b++, 'G', 'F', 'read'));
  if (beta) decl.push(storage(b++, 'Bt', 'F', 'read'));
  decl.push(storage(b++, 'O', 'F', 'read_write'));
  if (tiling === 'registers') {
    return {
      shader: {
        key: `layer_norm_rows:${float}:g=${!!gamma}:b=${!!beta}`,
        code: () => `${wgslPrelude(float, 4)}
${decl.join('\n')}
${ROW_ENTRY}
  var s = 0.0;
  for (var i = 0u; i < c; i++) { s += f32(X[base + i]); }
  let mean = s / f32(c);
  var v = 0.0;
  for (var i = 0u; i < c; i++) { let d = f32(X[base + i]) - mean; v += d * d; }
  let inv = inverseSqrt(v / f32(c) + pf(2u));
  for (var i = 0u; i < c; i++) {
    var y = (f32(X[base + i]) - mean) * inv;
    ${gamma ? 'y = y * f32(G[i]);' : ''}
    ${beta ? 'y = y + f32(Bt[i]);' : ''}
    O[base + i] = F(y);
  }
}`,
      },
      buffers: [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : []), out],
      params: p.finish(4),
      workgroups: flatGrid(Math.ceil(rows / WG)),
    };
  }
  return {
    shader: {
      key: `layer_norm:${float}:g=${!!gamma}:b=${!!beta}`,
      code: () => `${wgslPrelude(float, 4)}
${decl.join('\n')}
${HEADER}
${REDUCE('sum')}
${ENTRY}
  var s = 0.0;
  for (var i = t; i < c; i += ${WG}u) { s += f32(X[base + i]); }
  let mean = reduce_sum(s, t) / f32(c);
  var v = 0.0;
  for (var i = t; i < c; i += ${WG}u) { let d = f32(X[base + i]) - mean; v += d * d; }
  let inv = inverseSqrt(reduce_sum(v, t) / f32(c) + pf(2u));
  for (var i = t; i < c; i += ${WG}u) {
    var y = (f32(X[base + i]) - mean) * inv;
    ${gamma ? 'y = y * f32(G[i]);' : ''}
    ${beta ? 'y = y + f32(Bt[i]);' : ''}
    O[base + i] = F(y);
  }
}`,
    },
    buffers: [x, ...(gamma ? [gamma] : []), ...(beta ? [beta] : []), out],
    params: p.finish(4),
    workgroups: flatGrid(rows),
  };
}

/** Softmax over the last axis, max-subtracted, f32 sums. */
export function softmaxDispatch(float: FloatType, tiling: KernelTiling, x: string, out: string, rows: number, c: number): DispatchSpec {
  const p = new ParamWriter();
  p.u(rows);
  p.u(c);
  if (tiling === 'registers') {
    return {
      shader: {
        key: `softmax_rows:${float}`,
        code: () => `${wgslPrelude(float, 4)}
${WGSL_EXP}
${storage(1, 'X', 'F', 'read')}
${storage(2, 'O', 'F', 'read_write')}
${ROW_ENTRY}
  var m = -3.4e38;
  for (var i = 0u; i < c; i++) { m = max(m, f32(X[base + i])); }
  var s = 0.0;
  for (var i = 0u; i < c; i++) { s += exp_precise(f32(X[base + i]) - m); }
  let inv = 1.0 / s;
  for (var i = 0u; i < c; i++) { O[base + i] = F(exp_precise(f32(X[base + i]) - m) * inv); }
}`,
      },
      buffers: [x, out],
      params: p.finish(4),
      workgroups: flatGrid(Math.ceil(rows / WG)),
    };
  }
  return {
    shader: {
      key: `softmax:${float}`,
      code: () => `${wgslPrelude(float, 4)}
${WGSL_EXP}
${storage(1, 'X', 'F', 'read')}
${storage(2, 'O', 'F', 'read_write')}
${HEADER}
${REDUCE('sum')}
${REDUCE('max')}
${ENTRY}
  var m = -3.4e38;
  for (var i = t; i < c; i += ${WG}u) { m = max(m, f32(X[base + i])); }
  let mx = reduce_max(m, t);
  var s = 0.0;
  for (var i = t; i < c; i += ${WG}u) { s += exp_precise(f32(X[base + i]) - mx); }
  let inv = 1.0 / reduce_sum(s, t);
  for (var i = t; i < c; i += ${WG}u) { O[base + i] = F(exp_precise(f32(X[base + i]) - mx) * inv); }
}`,
    },
    buffers: [x, out],
    params: p.finish(4),
    workgroups: flatGrid(rows),
  };
}
