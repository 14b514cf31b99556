import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm'); await tf.ready();
const rows = tf.randomNormal([3136, 96]);
const W3 = [0, 1, 2].map(() => tf.randomNormal([96, 96])); const B3 = [0, 1, 2].map(() => tf.randomNormal([96]));
const W = tf.concat(W3, 1); const B = tf.concat(B3);
const variants = {
  three: () => tf.tidy(() => tf.stack(W3.map((w, p) => tf.fused.matMul({ a: rows, b: w, bias: B3[p] })))),
  merged: () => tf.tidy(() => { const y = tf.fused.matMul({ a: rows, b: W, bias: B }); return tf.stack([0, 1, 2].map((p) => tf.slice(y, [0, 96 * p], [3136, 96]))); }),
  mergedSplit: () => tf.tidy(() => { const y = tf.fused.matMul({ a: rows, b: W, bias: B }); return tf.stack(tf.split(y, 3, 1)); }),
};
const q = tf.randomNormal([192, 49, 32]); const k = tf.randomNormal([192, 49, 32]);
const v2 = {
  transB: () => tf.matMul(q, k, false, true),
  explicitT: () => tf.tidy(() => tf.matMul(q, tf.transpose(k, [0, 2, 1]))),
  aT: () => tf.tidy(() => tf.matMul(tf.transpose(q, [0, 2, 1]), tf.transpose(k, [0, 2, 1]), true, false)),
};
for (const set of [variants, v2]) {
  const T = {};
  for (let rep = 0; rep < 8; rep++) for (const [name, f] of Object.entries(set)) { const t0 = performance.now(); const y = f(); y.dataSync(); y.dispose(); if (rep > 1) (T[name] ??= []).push(performance.now() - t0); }
  for (const [name, ts] of Object.entries(T)) console.log(name.padEnd(12), 'median', ts.sort((a, b) => a - b)[3].toFixed(2), 'min', ts[0].toFixed(2));
}
