// Interleaved timing of several .onnx files (e.g. from export-swin-t.mjs and tools/reference/export_torch_onnx.py) with identical session options (a dev tool for
// trying emitter variants; the reported benchmark is bench-onnx.mjs).
//   node bench/compare-models.mjs BATCH ITERS a.onnx b.onnx ...
import ort from 'onnxruntime-node';
import { SeededRandom } from '@swin/core';
import { onnxSessionOptions } from '@swin/backend-onnx';
const [batch, iters, ...paths] = process.argv.slice(2);
const B = Number(batch);
const opts = onnxSessionOptions({ threads: Number(process.env.THREADS ?? 2), executionProviders: ['cpu'] });
const sessions = [];
// A path may carry session options after '#': model.onnx#{"enableCpuMemArena":false}
for (const p of paths) {
  const [file, extra] = p.split('#');
  sessions.push(await ort.InferenceSession.create(file, { ...opts, ...(extra ? JSON.parse(extra) : {}) }));
}
const size = Number(process.env.SIZE ?? 224);
const x = new ort.Tensor('float32', new SeededRandom(1).normalArray(B * 3 * size * size), [B, 3, size, size]);
const times = paths.map(() => []);
for (let i = 0; i < Number(iters) + 2; i++) {
  for (let j = 0; j < sessions.length; j++) {
    // CPU=1 measures process CPU time instead of wall time: steadier on a loaded machine (use with THREADS=1).
    const c = process.cpuUsage();
    const t = performance.now();
    await sessions[j].run({ [sessions[j].inputNames[0]]: x });
    const cpu = process.cpuUsage(c);
    if (i >= 2) times[j].push(process.env.CPU ? (cpu.user + cpu.system) / 1000 : performance.now() - t);
  }
}
const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
const base = med(times[times.length - 1]);
paths.forEach((p, j) => console.log(`${p}: median ${med(times[j]).toFixed(1)} ms (x${(med(times[j]) / base).toFixed(3)} of last)`));
