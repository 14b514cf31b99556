import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
async function bench(label, f, flops, n = 10) {
  for (let i = 0; i < 2; i++) { const c = f(); await c.data(); c.dispose(); }
  const t0 = performance.now();
  for (let i = 0; i < n; i++) { const c = f(); await c.data(); c.dispose(); }
  const ms = (performance.now() - t0) / n;
  console.log(label, ms.toFixed(2), 'ms', (flops / ms / 1e6).toFixed(2), 'GFLOP/s');
}
await tf.setBackend('wasm'); await tf.ready();
const B = 64 * 3, N = 49, D = 32;
const q = tf.randomNormal([B, N, D]); const k = tf.randomNormal([B, N, D]); const kT = tf.randomNormal([B, D, N]);
const p = tf.randomNormal([B, N, N]); const v = tf.randomNormal([B, N, D]);
await bench('qk^T transB', () => tf.matMul(q, k, false, true), 2 * B * N * N * D);
await bench('qk^T pre-T', () => tf.matMul(q, kT), 2 * B * N * N * D);
await bench('pv', () => tf.matMul(p, v), 2 * B * N * N * D);
await bench('transpose k', () => tf.transpose(k, [0, 2, 1]), 1);
await bench('softmax', () => tf.softmax(p), 1);
const x = tf.randomNormal([3136, 96]); const w = tf.randomNormal([96, 288]);
await bench('fc 3136x96x288', () => tf.matMul(x, w), 2 * 3136 * 96 * 288);
const x8 = tf.randomNormal([8 * 3136, 96]);
await bench('fc b8 25088x96x288', () => tf.matMul(x8, w), 2 * 8 * 3136 * 96 * 288, 3);
const x3 = tf.randomNormal([64, 49, 96]);
await bench('fc 3d x [64,49,96] @ w2d', () => tf.matMul(x3, w), 2 * 3136 * 96 * 288);
const big = tf.randomNormal([49, 768]); const wb = tf.randomNormal([768, 3072]);
await bench('fc 49x768x3072', () => tf.matMul(big, wb), 2 * 49 * 768 * 3072);
const gi = tf.tensor1d(Array.from({length: 3136}, (_, i) => (i * 7) % 3136), 'int32');
const xx = tf.randomNormal([1, 3136, 96]);
await bench('gather tokens', () => tf.gather(xx, gi, 1), 1);
await bench('add', () => tf.add(xx, xx), 1);
await bench('erf', () => tf.erf(xx), 1);
await bench('mean', () => tf.mean(xx, -1, true), 1);
