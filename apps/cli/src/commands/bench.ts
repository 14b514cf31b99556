import { availableParallelism, loadavg } from 'node:os';
import { SeededRandom, SwinError, buildModelGraph, modelComplexity, randomModelWeights, tensor, withAllocationScope, type Executable, type ModelConfig, type TensorData } from '@swin/core';
import { NOT_SETTLED_LOAD, NOT_SETTLED_OTHERS_CORES, benchQuiet, cpuSnapshot } from '@swin/core/node';
import { findVariant } from '@swin/variants';
import { writeBytesAtomically } from '@swin/weights/node';
import { parseCommandArgs, parsePositiveInt, parseSize } from '../args.js';
import { openBackend, parseBackendName, type BackendName } from '../backends.js';
import { usage, UsageError } from '../cli-errors.js';
import { readInputFile, refuseOutputOverInputs } from '../input-files.js';
import { readCheckpoint } from '@swin/pipeline';
import { ALLOW_NON_FINITE_FLAG, ALLOW_NON_FINITE_HELP } from '../config-flags.js';
import { createProgress } from '../progress.js';

/** --threads above this is refused: each thread is an OS thread onnxruntime starts per session. */
const MAX_THREADS = 256;

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
Weights are seeded random unless --weights is given. Timing depends on their values (onnxruntime's
softmax slows down when its exponentials underflow), so compare files of the same weights.
--compare times an external ONNX file (e.g. PyTorch's own export, a file from
swin export-onnx --dtype int8, or onnxruntime's quantize_dynamic of one) on onnxruntime-node in
the same interleaved loop, under onnxruntime's default session options (intra-op threads as
--threads); its input is the same array. Repeat --compare to time several files in one run.
--threads N (1..${MAX_THREADS}; default: the machine's cores) sets the CPU threads of each candidate
with a thread setting: onnx and --compare files (onnxruntime's intra-op threads). The others
have none (reference: one JavaScript thread; tfjs, tfjs-wasm: single-threaded in Node; webgpu:
the GPU): the "threads" column shows each candidate's count, n/a for those.
With more than one candidate each timed run waits ${SETTLE_MS} ms first, so the threads of the
run before it (onnxruntime's spin for up to ~30 ms after a run) are asleep. The comparison is
marked "not settled" (other work skews the ratios) when the load average before the run is
above ${NOT_SETTLED_LOAD} or other processes kept more than ${NOT_SETTLED_OTHERS_CORES} cores busy during the timed runs
(the machine's CPU time from /proc/stat minus this process's own: the run's own threads lift
the load average, so the load after cannot tell). Without /proc/stat (not Linux) the load after
stands in, at ${NOT_SETTLED_LOAD}.
${ALLOW_NON_FINITE_HELP}`;

const formatLoad = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' ');

/** One timed candidate. */
interface Candidate {
  readonly label: string;
  readonly backend: string;
  readonly batch: number;
  /** CPU threads it runs on; undefined when it has no thread setting. */
  readonly threads: number | undefined;
  readonly run: () => Promise<void>;
  readonly dispose: () => Promise<void> | void;
  readonly times: number[];
}

/** Result row of a benchmark. */
export interface BenchRow {
  readonly label: string;
  readonly backend: string;
  readonly batch: number;
  /** CPU threads it ran on; null when it has no thread setting (--threads does not apply). */
  readonly threads: number | null;
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

async function onnxFileCandidate(path: string, batch: number, input: TensorData, threads: number): Promise<Candidate> {
  const ort = await import('onnxruntime-node').catch((err: unknown) => {
    throw new UsageError(`--compare needs onnxruntime-node: ${err instanceof Error ? err.message : String(err)}`);
  });
  // onnxruntime's defaults: a file made elsewhere runs as its makers tuned it.
  const session = await ort.InferenceSession.create(readInputFile(path, 'ONNX model'), {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
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
    threads,
    run: async () => {
      await session.run(feeds);
    },
    dispose: () => session.release?.(),
    times: [],
  };
}

/** Says which candidates --threads did not reach (they have no thread setting); '' when it reached all, or was not given. */
function threadsNote(threads: number | undefined, rows: readonly BenchRow[]): string {
  if (threads === undefined) return '';
  const without = [...new Set(rows.filter((r) => r.threads === null).map((r) => r.backend))];
  return without.length === 0 ? '' : `--threads ${threads} does not apply to ${without.join(', ')}: no thread setting (threads n/a)`;
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
  const threads = values.threads === undefined ? undefined : parsePositiveInt(values.threads, 'threads');
  if (threads !== undefined && threads > MAX_THREADS) throw new UsageError(`--threads: expected at most ${MAX_THREADS}, found ${threads}`);

  const loaded = values.weights ? (await readCheckpoint(values.weights, { allowNonFinite: values['allow-non-finite'] })).loaded : undefined;
  const config = loaded?.config ?? usage('--variant', () => findVariant(values.variant)).config;
  const weights = loaded?.weights ?? randomModelWeights(config, 0);
  const size: [number, number] = values.size ? parseSize(values.size, 'size') : typeof config.img_size === 'number' ? [config.img_size, config.img_size] : [config.img_size[0], config.img_size[1]];
  const { macs } = modelComplexity(config, size);

  const loadBefore = loadavg();
  console.log(`load average before: ${formatLoad(loadBefore)}`);
  const candidates: Candidate[] = [];
  const opened: { dispose(): Promise<void> }[] = [];
  // Around the timed runs only: building graphs and compiling are not what the timings measure.
  let cpuStart = cpuSnapshot();
  let cpuEnd = cpuStart;
  try {
    for (const name of backends) {
      const backend = await openBackend(name as BackendName, threads === undefined ? {} : { threads });
      opened.push(backend);
      for (const batch of batches) {
        const model = withAllocationScope('building the model graph', () => buildModelGraph(config, weights, { inputSize: size, batch }));
        const exe: Executable = await backend.compile(model.graph);
        const input = randomInput(batch, config, size);
        candidates.push({ label: `${backend.name} b${batch}`, backend: backend.name, batch, threads: backend.threads, run: async () => void (await exe.run({ input })), dispose: () => exe.dispose(), times: [] });
      }
    }
    for (const path of values.compare ?? []) {
      for (const batch of batches) candidates.push(await onnxFileCandidate(path, batch, randomInput(batch, config, size), threads ?? availableParallelism()));
    }
    const progress = createProgress('bench');
    const total = (warmup + runs) * candidates.length;
    let done = 0;
    cpuStart = cpuSnapshot();
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
    cpuEnd = cpuSnapshot();
  } finally {
    for (const c of candidates) await c.dispose();
    for (const b of opened) await b.dispose();
  }
  const rows: BenchRow[] = candidates.map((c) => ({
    label: c.label,
    backend: c.backend,
    batch: c.batch,
    threads: c.threads ?? null,
    medianMs: median(c.times),
    minMs: Math.min(...c.times),
    maxMs: Math.max(...c.times),
    imagesPerSecond: (1000 * c.batch) / median(c.times),
    runs: c.times.length,
  }));
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const loadAfter = loadavg();
  // os.loadavg() always returns the 1, 5 and 15 minute averages.
  const quiet = benchQuiet(loadBefore[0]!, loadAfter[0]!, cpuStart, cpuEnd);
  const others = quiet.othersCores === undefined ? 'other processes not measured here (no /proc/stat)' : `other processes ${quiet.othersCores.toFixed(2)} cores during the runs`;
  const loadLine = `load average ${formatLoad(loadBefore)} before, ${formatLoad(loadAfter)} after; ${others}: ${quiet.settled ? `settled (${quiet.reason})` : `NOT SETTLED (${quiet.reason}; re-run on a quiet machine before comparing)`}`;
  const threadsLine = threadsNote(threads, rows);
  const header = `${values.variant} ${size[0]}x${size[1]} (${(macs / 1e9).toFixed(3)} G MACs/image), ${runs} runs after ${warmup} warm-up, interleaved; peak RSS ${peakRssMb.toFixed(0)} MB; ${loadLine}`;
  const table = [
    '| candidate | batch | threads | median ms | min ms | max ms | images/s | ms/image |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${r.batch} | ${r.threads ?? 'n/a'} | ${r.medianMs.toFixed(1)} | ${r.minMs.toFixed(1)} | ${r.maxMs.toFixed(1)} | ${r.imagesPerSecond.toFixed(2)} | ${(r.medianMs / r.batch).toFixed(1)} |`),
  ].join('\n');
  console.log(header);
  if (threadsLine) console.log(threadsLine);
  console.log(table);
  const report = {
    variant: values.variant,
    size,
    macsPerImage: macs,
    runs,
    warmup,
    threadsRequested: threads ?? null,
    peakRssMb,
    node: process.version,
    loadBefore,
    loadAfter,
    othersCores: quiet.othersCores ?? null,
    settled: quiet.settled,
    settledReason: quiet.reason,
    rows,
  };
  if (values.json) await writeBytesAtomically(values.json, JSON.stringify(report, null, 2) + '\n');
  if (values.markdown) await writeBytesAtomically(values.markdown, `${header}\n${threadsLine ? `\n${threadsLine}\n` : ''}\n${table}\n`);
}
