import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm'); await tf.ready();
async function bench(label, f, n = 10) {
  for (let i = 0; i < 2; i++) { const c = f(); await c.data(); c.dispose(); }
  const t0 = performance.now();
  for (let i = 0; i < n; i++) { const c = f(); await c.data(); c.dispose(); }
  console.log(label.padEnd(40), ((performance.now() - t0) / n).toFixed(2), 'ms');
}
const bw = 64, n = 49, c = 96, nh = 3, hd = 32;
const qkv = tf.randomNormal([bw, n, 3 * c]);
const split = tf.transpose(tf.reshape(qkv, [bw, n, 3, nh, hd]), [2, 0, 3, 1, 4]);
const [q, k, v] = tf.unstack(split, 0);
const q3 = tf.reshape(q, [bw * nh, n, hd]), k3 = tf.reshape(k, [bw * nh, n, hd]), v3 = tf.reshape(v, [bw * nh, n, hd]);
const s = tf.matMul(q3, k3, false, true);
const bias = tf.randomNormal([1, nh, n, n]);
await bench('rank5 transpose split', () => tf.transpose(tf.reshape(qkv, [bw, n, 3, nh, hd]), [2, 0, 3, 1, 4]));
await bench('unstack', () => tf.tidy(() => tf.stack(tf.unstack(split, 0))));
await bench('mul scale', () => tf.mul(q, 0.17));
await bench('qk^T', () => tf.matMul(q3, k3, false, true));
await bench('add bias', () => tf.add(tf.reshape(s, [bw, 1, nh, n, n]), bias));
await bench('softmax', () => tf.softmax(s));
await bench('pv', () => tf.matMul(s, v3));
await bench('merge transpose', () => tf.transpose(tf.reshape(v3, [bw, nh, n, hd]), [0, 2, 1, 3]));
// alternatives for qk^T: per-window 2D XNN path
const qs = tf.unstack(q3), ks = tf.unstack(tf.transpose(k3, [0, 2, 1]));
await bench('192 x 2D matmul (xnn)', () => tf.tidy(() => tf.stack(qs.map((qq, i) => tf.matMul(qq, ks[i])))), 3);
// einsum?
await bench('einsum bnd,bmd->bnm', () => tf.einsum('bnd,bmd->bnm', q3, k3));
// depthwise trick? compute via mul+sum
await bench('mul+sum', () => tf.tidy(() => tf.sum(tf.mul(tf.reshape(q3, [bw * nh, n, 1, hd]), tf.reshape(k3, [bw * nh, 1, n, hd])), -1)), 3);
