import { availableParallelism, loadavg } from 'node:os';
import { SeededRandom, SwinError, buildModelGraph, modelComplexity, randomModelWeights, tensor, withAllocationScope, type Executable, type ModelConfig, type TensorData } from '@swin/core';
import { findVariant } from '@swin/variants';
import { writeBytesAtomically } from '@swin/weights/node';
import { parseCommandArgs, parsePositiveInt, parseSize } from '../args.js';
import { openBackend, parseBackendName, type BackendName } from '../backends.js';
import { usage, UsageError } from '../cli-errors.js';
import { readInputFile, refuseOutputOverInputs } from '../input-files.js';
import { readCheckpoint } from '@swin/pipeline';
import { ALLOW_NON_FINITE_FLAG, ALLOW_NON_FINITE_HELP } from '../config-flags.js';
import { createProgress } from '../progress.js';

/** Load average (1 min) above which timings are marked "not settled". */
export const NOT_SETTLED_LOAD = 1.5;

/**
 * Pause before each timed run when several candidates are interleaved. An onnxruntime session's
 * intra-op threads keep spinning for up to ~30 ms after its run; without a pause the next
 * candidate shares the cores with them (measured: Swin-T int8 batch 1 42 ms instead of 22 ms
 * right after another session; backend-onnx's bench/settle.mjs has the figures).
 */
const SETTLE_MS = 100;

export const BENCH_HELP = `swin bench [--variant swin-t] [--backend reference,onnx,...] [--batch 1,8] [--size 224x224]
           [--runs 10] [--warmup 2] [--weights W] [--compare model.onnx ...] [--threads N]
           [--json out.json] [--markdown out.md]

Times whole-model inference: for each backend x batch, warm-up runs, then --runs timed runs,
interleaved across all candidates (so machine noise hits every one alike). Prints median / min /
max, images per second, and peak resident memory; writes JSON and a Markdown table on request.
Weights are seeded random unless --weights is given (speed does not depend on their values).
--compare times an external ONNX file (e.g. PyTorch's own export, a file from
swin export-onnx --dtype int8, or onnxruntime's quantize_dynamic of one) on onnxruntime-node in
the same interleaved loop, under onnxruntime's default session options (intra-op threads as
--threads); its input is the same array. Repeat --compare to time several files in one run.
With more than one candidate each timed run waits ${SETTLE_MS} ms first, so the threads of the
run before it (onnxruntime's spin for up to ~30 ms after a run) are asleep. The machine's load
average is printed before and after; above ${NOT_SETTLED_LOAD} at either end the comparison is
marked "not settled" (other work skews the ratios).
${ALLOW_NON_FINITE_HELP}`;

const formatLoad = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' ');

/** One timed candidate. */
interface Candidate {
  readonly label: string;
  readonly backend: string;
  readonly batch: number;
  readonly run: () => Promise<void>;
  readonly dispose: () => Promise<void> | void;
  readonly times: number[];
}

/** Result row of a benchmark. */
export interface BenchRow {
  readonly label: string;
  readonly backend: string;
  readonly batch: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly imagesPerSecond: number;
  readonly runs: number;
}

/** Median of a non-empty list (every candidate has --runs >= 1 timings): m and m - 1 index inside it. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function randomInput(batch: number, config: ModelConfig, size: [number, number]): TensorData {
  const n = batch * config.in_chans * size[0] * size[1];
  return tensor('float32', [batch, config.in_chans, size[0], size[1]], new SeededRandom(batch).normalArray(n)); // normalArray checks the size against the memory limit
}

async function onnxFileCandidate(path: string, batch: number, input: TensorData, threads: number | undefined): Promise<Candidate> {
  const ort = await import('onnxruntime-node').catch((err: unknown) => {
    throw new UsageError(`--compare needs onnxruntime-node: ${err instanceof Error ? err.message : String(err)}`);
  });
  // onnxruntime's defaults: a file made elsewhere runs as its makers tuned it.
  const session = await ort.InferenceSession.create(readInputFile(path, 'ONNX model'), {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads ?? availableParallelism(),
  }).catch((err: unknown) => {
    throw new SwinError('INVALID_FORMAT', `--compare ${path}: onnxruntime cannot load it as an ONNX model (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  });
  const [inputName] = session.inputNames;
  if (inputName === undefined) throw new SwinError('INVALID_FORMAT', `--compare ${path}: the ONNX model has no inputs, expected one image input`);
  const feeds = { [inputName]: new ort.Tensor('float32', input.data, [...input.shape]) };
  return {
    label: `${path} (onnxruntime-node)`,
    backend: 'onnx-file',
    batch,
    run: async () => {
      await session.run(feeds);
    },
    dispose: () => session.release?.(),
    times: [],
  };
}

/** `swin bench`. */
export async function benchCommand(argv: string[]): Promise<void> {
  const args = parseCommandArgs(argv, BENCH_HELP, {
    variant: { type: 'string', default: 'swin-t' },
    weights: { type: 'string' },
    backend: { type: 'string', default: 'reference' },
    batch: { type: 'string', default: '1' },
    size: { type: 'string' },
    runs: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    compare: { type: 'string', multiple: true },
    threads: { type: 'string' },
    json: { type: 'string' },
    markdown: { type: 'string' },
    ...ALLOW_NON_FINITE_FLAG,
  });
  if (!args) return;
  const { values } = args;
  const runs = parsePositiveInt(values.runs, 'runs');
  const warmup = Number(values.warmup);
  if (!Number.isInteger(warmup) || warmup < 0) throw new UsageError(`--warmup: expected a non-negative integer, found '${values.warmup}'`);
  const batches = values.batch.split(',').map((b) => parsePositiveInt(b.trim(), 'batch'));
  const backends = values.backend.split(',').map((b) => usage('--backend', () => parseBackendName(b.trim())));
  refuseOutputOverInputs(
    [
      { flag: '--json', path: values.json },
      { flag: '--markdown', path: values.markdown },
    ],
    [
      { flag: '--weights', path: values.weights },
      ...(values.compare ?? []).map((path) => ({ flag: '--compare', path })),
    ],
  );
  const threads = values.threads ? parsePositiveInt(values.threads, 'threads') : undefined;
  if (threads) process.env['SWIN_THREADS'] = String(threads);

  const loaded = values.weights ? (await readCheckpoint(values.weights, { allowNonFinite: values['allow-non-finite'] })).loaded : undefined;
  const config = loaded?.config ?? usage('--variant', () => findVariant(values.variant)).config;
  const weights = loaded?.weights ?? randomModelWeights(config, 0);
  const size: [number, number] = values.size ? parseSize(values.size, 'size') : typeof config.img_size === 'number' ? [config.img_size, config.img_size] : [config.img_size[0], config.img_size[1]];
  const { macs } = modelComplexity(config, size);

  const loadBefore = loadavg();
  console.log(`load average before: ${formatLoad(loadBefore)}`);
  const candidates: Candidate[] = [];
  const opened: { dispose(): Promise<void> }[] = [];
  try {
    for (const name of backends) {
      const backend = await openBackend(name as BackendName);
      opened.push(backend);
      for (const batch of batches) {
        const model = withAllocationScope('building the model graph', () => buildModelGraph(config, weights, { inputSize: size, batch }));
        const exe: Executable = await backend.compile(model.graph);
        const input = randomInput(batch, config, size);
        candidates.push({ label: `${backend.name} b${batch}`, backend: backend.name, batch, run: async () => void (await exe.run({ input })), dispose: () => exe.dispose(), times: [] });
      }
    }
    for (const path of values.compare ?? []) {
      for (const batch of batches) candidates.push(await onnxFileCandidate(path, batch, randomInput(batch, config, size), threads));
    }
    const progress = createProgress('bench');
    const total = (warmup + runs) * candidates.length;
    let done = 0;
    for (let r = 0; r < warmup + runs; r++) {
      for (const c of candidates) {
        if (candidates.length > 1) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const t = performance.now();
        await c.run();
        if (r >= warmup) c.times.push(performance.now() - t);
        progress.update(++done, total, c.label);
      }
    }
    progress.stop();
  } finally {
    for (const c of candidates) await c.dispose();
    for (const b of opened) await b.dispose();
  }
  const rows: BenchRow[] = candidates.map((c) => ({
    label: c.label,
    backend: c.backend,
    batch: c.batch,
    medianMs: median(c.times),
    minMs: Math.min(...c.times),
    maxMs: Math.max(...c.times),
    imagesPerSecond: (1000 * c.batch) / median(c.times),
    runs: c.times.length,
  }));
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const loadAfter = loadavg();
  // os.loadavg() always returns the 1, 5 and 15 minute averages.
  const settled = Math.max(loadBefore[0]!, loadAfter[0]!) <= NOT_SETTLED_LOAD;
  const loadLine = `load average ${formatLoad(loadBefore)} before, ${formatLoad(loadAfter)} after: ${settled ? 'settled' : `NOT SETTLED (above ${NOT_SETTLED_LOAD}; re-run on a quiet machine before comparing)`}`;
  const header = `${values.variant} ${size[0]}x${size[1]} (${(macs / 1e9).toFixed(3)} G MACs/image), ${runs} runs after ${warmup} warm-up, interleaved; peak RSS ${peakRssMb.toFixed(0)} MB; ${loadLine}`;
  const table = [
    '| candidate | batch | median ms | min ms | max ms | images/s | ms/image |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${r.batch} | ${r.medianMs.toFixed(1)} | ${r.minMs.toFixed(1)} | ${r.maxMs.toFixed(1)} | ${r.imagesPerSecond.toFixed(2)} | ${(r.medianMs / r.batch).toFixed(1)} |`),
  ].join('\n');
  console.log(header);
  console.log(table);
  const report = { variant: values.variant, size, macsPerImage: macs, runs, warmup, peakRssMb, node: process.version, loadBefore, loadAfter, settled, rows };
  if (values.json) await writeBytesAtomically(values.json, JSON.stringify(report, null, 2) + '\n');
  if (values.markdown) await writeBytesAtomically(values.markdown, `${header}\n\n${table}\n`);
}
