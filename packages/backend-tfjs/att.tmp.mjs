import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm'); await tf.ready();
const T = {};
const time = (k, f) => { const t0 = performance.now(); const y = f(); T[k] = (T[k] ?? 0) + performance.now() - t0; return y; };
function attn(bw, n, c, nh, W, bias, nWbias) {
  const hd = c / nh;
  return tf.tidy(() => {
    const rows = tf.reshape(tf.randomNormal([bw, n, c]), [bw * n, c]);
    const heads = (p) => {
      const y = time('qkv-linear', () => tf.fused.matMul({ a: rows, b: W[p], bias: bias[p] }));
      return time('head-transpose', () => tf.reshape(tf.transpose(tf.reshape(y, [bw, n, nh, hd]), [0, 2, 1, 3]), [bw * nh, n, hd]));
    };
    const q = heads(0), k = heads(1), v = heads(2);
    const scores = time('qk^T', () => tf.matMul(q, k, false, true));
    const biased = time('bias-add', () => tf.add(tf.reshape(scores, [bw / nWbias.shape[0], nWbias.shape[0], nh, n, n]), nWbias));
    const probs = time('softmax', () => tf.softmax(tf.reshape(biased, [bw * nh, n, n])));
    const ctx = time('pv', () => tf.matMul(probs, v));
    const merged = time('merge-transpose', () => tf.reshape(tf.transpose(tf.reshape(ctx, [bw, nh, n, hd]), [0, 2, 1, 3]), [bw * n, c]));
    return time('proj', () => tf.fused.matMul({ a: merged, b: W[3], bias: bias[3] }));
  });
}
const stages = [[64, 49, 96, 3, 2], [16, 49, 192, 6, 2], [4, 49, 384, 12, 6], [1, 49, 768, 24, 2]];
const prepared = stages.map(([bw, n, c, nh, d]) => ({ bw, n, c, nh, d, W: [0, 1, 2, 3].map(() => tf.randomNormal([c, c])), bias: [0, 1, 2, 3].map(() => tf.randomNormal([c])), mask: tf.randomNormal([bw > 1 ? bw : 1, nh, n, n]) }));
for (let rep = 0; rep < 4; rep++) {
  if (rep === 1) for (const k in T) T[k] = 0;
  for (const s of prepared) for (let b = 0; b < s.d; b++) { const y = attn(s.bw, s.n, s.c, s.nh, s.W, s.bias, s.mask); y.dataSync(); y.dispose(); }
}
let tot = 0; for (const k in T) tot += T[k] / 3;
for (const [k, v] of Object.entries(T).sort((a, b) => b[1] - a[1])) console.log(k.padEnd(18), (v / 3).toFixed(1), 'ms', (100 * v / 3 / tot).toFixed(1) + '%');
console.log('total', tot.toFixed(1));
