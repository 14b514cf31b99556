import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
async function bench(label, f, n = 20) {
  for (let i = 0; i < 3; i++) { const c = f(); await c.data(); c.dispose(); }
  const t0 = performance.now();
  for (let i = 0; i < n; i++) { const c = f(); await c.data(); c.dispose(); }
  console.log(label, ((performance.now() - t0) / n).toFixed(2), 'ms');
}
for (const be of ['wasm', 'cpu']) {
  await tf.setBackend(be); await tf.ready();
  const B=1,H=56,W=56,C=96,w=7,s=3;
  const x = tf.randomNormal([B,H,W,C]);
  const gi = tf.tensor1d(Array.from({length: H*W}, (_, i) => (i * 7) % (H*W)), 'int32');
  await bench(be+' gather axis1 [1,3136,96]', () => tf.tidy(() => tf.gather(tf.reshape(x,[B,H*W,C]), gi, 1)));
  await bench(be+' gather axis0 [3136,96]', () => tf.tidy(() => tf.gather(tf.reshape(x,[H*W,C]), gi, 0)));
  await bench(be+' roll+4d transpose', () => tf.tidy(() => {
    let r = tf.concat([tf.slice(x,[0,s,0,0],[B,H-s,W,C]), tf.slice(x,[0,0,0,0],[B,s,W,C])], 1);
    r = tf.concat([tf.slice(r,[0,0,s,0],[B,H,W-s,C]), tf.slice(r,[0,0,0,0],[B,H,s,C])], 2);
    return tf.reshape(tf.transpose(tf.reshape(r,[B*H/w, w, W/w, w*C]),[0,2,1,3]),[-1,w*w,C]);
  }));
  await bench(be+' 4d transpose only', () => tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(x,[B*H/w, w, W/w, w*C]),[0,2,1,3]),[-1,w*w,C])));
  await bench(be+' 6d transpose', () => tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(x,[B,H/w, w, W/w, w,C]),[0,1,3,2,4,5]),[-1,w*w,C])));
  await bench(be+' stridedSlice x4 + concat (merge)', () => tf.tidy(() => tf.concat([[0,0],[1,0],[0,1],[1,1]].map(([a,b]) => tf.stridedSlice(x,[0,a,b,0],[B,H,W,C],[1,2,2,1])), 3)));
  await bench(be+' merge via reshape/transpose', () => tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(x,[B*H/2, 2, W/2, 2*C]),[0,2,1,3]), [B, H/2, W/2, 4*C])));
  const xs = tf.randomNormal([1, 300000]);
  await bench(be+' erf 300K', () => tf.erf(xs));
  await bench(be+' gelu composed erf', () => tf.tidy(() => tf.mul(tf.mul(xs, 0.5), tf.add(1, tf.erf(tf.mul(xs, Math.SQRT1_2))))));
  await bench(be+' exp 300K', () => tf.exp(xs));
  await bench(be+' tanh 300K', () => tf.tanh(xs));
  await bench(be+' mul 300K', () => tf.mul(xs, xs));
  await bench(be+' sigmoid 300K', () => tf.sigmoid(xs));
  await bench(be+' abs 300K', () => tf.abs(xs));
}
