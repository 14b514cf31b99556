// onnxruntime's own per-node profile of one ONNX file (not a test): warm-up runs, then --runs
// profiled runs, the profile JSON written to --out; summarize-profile.py sums it per op type.
// Profiling adds a little to every node's time (more to the small ones), so read shares, not ms.
//
//   node packages/backend-onnx/bench/profile-ops.mjs FILE.onnx [--batch 1] [--size 224] [--threads 2] [--runs 10] [--out profile.json]
//   python3 packages/backend-onnx/bench/summarize-profile.py profile.json
import { readdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { SeededRandom } from '@swin/core';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const file = args[0];
if (!file || file.startsWith('--')) {
  console.error('usage: profile-ops.mjs FILE.onnx [--batch 1] [--size 224] [--threads 2] [--runs 10] [--out profile.json]');
  process.exit(2);
}
const batch = Number(option('batch', '1'));
const threads = Number(option('threads', '2'));
const runs = Number(option('runs', '10'));
const size = Number(option('size', '224'));
const out = resolve(option('out', 'profile.json'));

// onnxruntime names the file <prefix>_<date>.json itself; a fresh prefix in the temp folder finds it.
const prefix = join(tmpdir(), `swin-profile-${process.pid}`);
const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: threads, enableProfiling: true, profileFilePrefix: prefix });
const [name] = session.inputNames;
const dims = [batch, 3, size, size];
const x = new ort.Tensor('float32', new SeededRandom(batch).normalArray(dims.reduce((a, b) => a * b)), dims);
for (let i = 0; i < 3 + runs; i++) await session.run({ [name]: x });
session.endProfiling();
await session.release();
const written = readdirSync(tmpdir()).find((f) => f.startsWith(basename(prefix)) && f.endsWith('.json'));
if (!written) throw new Error(`onnxruntime wrote no profile under ${prefix}*`);
renameSync(join(tmpdir(), written), out);
console.log(`${file}: batch ${batch}, ${threads} threads, ${runs} runs after 3 warm-ups (the profile has all ${3 + runs}); wrote ${out}`);
