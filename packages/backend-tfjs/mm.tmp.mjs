import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
async function bench(label, f, flops, n = 5) {
  for (let i = 0; i < 2; i++) { const c = f(); await c.data(); c.dispose(); }
  const t0 = performance.now();
  for (let i = 0; i < n; i++) { const c = f(); await c.data(); c.dispose(); }
  const ms = (performance.now() - t0) / n;
  console.log(label, ms.toFixed(2), 'ms', (flops / ms / 1e6).toFixed(2), 'GFLOP/s');
}
for (const b of ['wasm', 'cpu']) {
  await tf.setBackend(b); await tf.ready();
  const M = 3136, K = 96, N = 384;
  const a = tf.randomNormal([M, K]); const w = tf.randomNormal([N, K]); const wT = tf.randomNormal([K, N]); const bias = tf.randomNormal([N]);
  await bench(b + ' fc transB', () => tf.matMul(a, w, false, true), 2 * M * K * N);
  await bench(b + ' fc', () => tf.matMul(a, wT), 2 * M * K * N);
  await bench(b + ' fused transB bias', () => tf.fused.matMul({ a, b: w, transposeB: true, bias }), 2 * M * K * N);
  await bench(b + ' fused bias', () => tf.fused.matMul({ a, b: wT, bias }), 2 * M * K * N);
  const q = tf.randomNormal([64 * 3, 49, 32]); const k = tf.randomNormal([64 * 3, 49, 32]);
  await bench(b + ' attn qk^T', () => tf.matMul(q, k, false, true), 2 * 192 * 49 * 49 * 32);
  const S = 1024; const s1 = tf.randomNormal([S, S]); const s2 = tf.randomNormal([S, S]);
  await bench(b + ' square 1024', () => tf.matMul(s1, s2), 2 * S ** 3, b === 'cpu' ? 1 : 5);
  await bench(b + ' square 1024 transB', () => tf.matMul(s1, s2, false, true), 2 * S ** 3, b === 'cpu' ? 1 : 5);
}
