#!/usr/bin/env node
// Where windowAttention's time goes on tfjs-wasm, step by step, at Swin-T 224's four stage shapes
// (batch 1, weighted by blocks per stage). The steps mirror src/kernels/window-attention-kernel.ts.
//   node bench/window-attention-breakdown.mjs [--reps 3]
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';

const i = process.argv.indexOf('--reps');
const reps = i >= 0 ? Number(process.argv[i + 1]) : 3;
await tf.setBackend('wasm');
await tf.ready();

const totals = new Map();
const step = (name, f) => {
  const t0 = performance.now();
  const y = f(); // tfjs-wasm kernels finish before returning
  totals.set(name, (totals.get(name) ?? 0) + performance.now() - t0);
  return y;
};

function attention(s) {
  const { bw, n, c, nh } = s;
  const hd = c / nh;
  return tf.tidy(() => {
    const rows = tf.reshape(s.x, [bw * n, c]);
    const heads = (p) => {
      const y = step('q/k/v linears (XNNPACK)', () => tf.fused.matMul({ a: rows, b: s.w[p], bias: s.b[p] }));
      return step('split heads (rank-4 transposes)', () => tf.reshape(tf.transpose(tf.reshape(y, [bw, n, nh, hd]), [0, 2, 1, 3]), [bw * nh, n, hd]));
    };
    const q = heads(0);
    const k = heads(1);
    const v = heads(2);
    const scores = step('q k^T (batched, scalar loop)', () => tf.matMul(q, k, false, true));
    const biased = step('bias + mask add', () => tf.add(tf.reshape(scores, [bw / s.bias.shape[0], s.bias.shape[0], nh, n, n]), s.bias));
    const probs = step('softmax', () => tf.softmax(tf.reshape(biased, [bw * nh, n, n])));
    const context = step('attn v (batched, scalar loop)', () => tf.matMul(probs, v));
    const merged = step('merge heads (rank-4 transpose)', () => tf.reshape(tf.transpose(tf.reshape(context, [bw, nh, n, hd]), [0, 2, 1, 3]), [bw * n, c]));
    return step('output projection (XNNPACK)', () => tf.fused.matMul({ a: merged, b: s.w[3], bias: s.b[3] }));
  });
}

// Swin-T 224, batch 1: [windows, tokens, channels, heads, blocks]; shifted blocks carry a per-window mask.
const stages = [
  [64, 49, 96, 3, 2],
  [16, 49, 192, 6, 2],
  [4, 49, 384, 12, 6],
  [1, 49, 768, 24, 2],
].map(([bw, n, c, nh, blocks]) => ({
  bw, n, c, nh, blocks,
  x: tf.randomNormal([bw, n, c]),
  w: [0, 1, 2, 3].map(() => tf.randomNormal([c, c])),
  b: [0, 1, 2, 3].map(() => tf.randomNormal([c])),
  bias: tf.randomNormal([bw, nh, n, n]),
}));

for (let r = 0; r <= reps; r++) {
  if (r === 1) totals.clear(); // the first pass creates XNNPACK operators
  for (const s of stages) for (let b = 0; b < s.blocks; b++) attention(s).dispose();
}
const total = [...totals.values()].reduce((a, b) => a + b, 0);
console.log(`windowAttention on tfjs-wasm, Swin-T 224 batch 1, per forward pass (mean of ${reps}):`);
for (const [name, ms] of [...totals].sort((a, b) => b[1] - a[1])) {
  console.log(`  ${name.padEnd(34)} ${(ms / reps).toFixed(1).padStart(8)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)}%`);
}
console.log(`  ${'total'.padEnd(34)} ${(total / reps).toFixed(1).padStart(8)} ms`);
