import { extname } from 'node:path';
import { DTypeError, ShapeError, buildModelGraph, npyToTensor, parseNpy, serializeNpy, toFloat32, withAllocationScope, type TensorData } from '@swin/core';
import { writeBytesAtomically } from '@swin/weights/node';
import { parseCommandArgs, parseOutputsFlag, parsePositiveInt, requireFlag } from '../args.js';
import { openBackend, parseBackendName } from '../backends.js';
import { usage, UsageError } from '../cli-errors.js';
import { readInputFile, refuseOutputOverInputs } from '../input-files.js';
import { ALLOW_NON_FINITE_FLAG, ALLOW_NON_FINITE_HELP, loadModel } from '../load-model.js';
import { serializeNpz } from '../npz.js';
import { createProgress } from '../progress.js';
import { topK } from '@swin/pipeline';

export const RUN_HELP = `swin run --weights <file> --input <x.npy> --output <y.npy|y.npz> [options]

Runs a checkpoint on an NCHW float32 array and writes the outputs.

  --weights <file>     checkpoint (.safetensors, .pth, .bin) in any supported naming scheme
  --config <json>      architecture overrides (official argument names, e.g. qk_scale); optional
  --input <x.npy>      float32 array of shape [N, C, H, W]
  --output <file>      .npy for a single output, .npz for several (numpy.load reads both)
  --outputs <spec>     logits (default) | pooled | stages | all | comma-separated names
                       (logits, pooled, norm_out, embed, stage{i}, stage{i}_out, stage{i}_block{j})
  --backend <name>     reference (default) | tfjs | tfjs-wasm | onnx | webgpu | auto
  --top <k>            how many top logits to print per image (default 5)
  --json               print a JSON summary instead of text
${ALLOW_NON_FINITE_HELP}`;

/** Reads an .npy input and checks it is float32 NCHW with the model's channel count. */
export async function readInputArray(path: string, inChans: number): Promise<TensorData> {
  const arr = parseNpy(readInputFile(path, 'input'));
  if (arr.dtype !== 'float32') {
    throw new DTypeError(`input ${path}: expected float32, found ${arr.dtype} (convert with x.astype(numpy.float32))`);
  }
  if (arr.shape.length !== 4) throw new ShapeError(`input ${path}: expected rank 4 [N, C, H, W], found shape (${arr.shape.join(', ')})`);
  if (arr.shape[1] !== inChans) throw new ShapeError(`input ${path}: expected ${inChans} channels (dim 1), found ${arr.shape[1]} in shape (${arr.shape.join(', ')})`);
  return npyToTensor(arr);
}

/** `swin run`. */
export async function runCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    weights: { type: 'string' },
    config: { type: 'string' },
    input: { type: 'string' },
    output: { type: 'string' },
    outputs: { type: 'string', default: 'logits' },
    backend: { type: 'string', default: 'reference' },
    top: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    ...ALLOW_NON_FINITE_FLAG,
  });
  if (values.help) {
    console.log(RUN_HELP);
    return;
  }
  const weightsPath = requireFlag(values.weights, 'weights');
  const inputPath = requireFlag(values.input, 'input');
  const outputPath = requireFlag(values.output, 'output');
  const ext = extname(outputPath).toLowerCase();
  if (ext !== '.npy' && ext !== '.npz') throw new UsageError(`--output: expected a .npy or .npz path, found '${outputPath}'`);
  const backendName = usage('--backend', () => parseBackendName(values.backend));
  const spec = parseOutputsFlag(values.outputs);
  const top = parsePositiveInt(values.top, 'top');
  refuseOutputOverInputs(
    [{ flag: '--output', path: outputPath }],
    [
      { flag: '--weights', path: weightsPath },
      { flag: '--input', path: inputPath },
      { flag: '--config', path: values.config },
    ],
  );

  const model = await loadModel(weightsPath, values.config, { allowNonFinite: values['allow-non-finite'] });
  const input = await readInputArray(inputPath, model.config.in_chans);
  const built = withAllocationScope('building the model graph', () =>
    buildModelGraph(model.config, model.weights, { inputSize: [input.shape[2]!, input.shape[3]!], batch: input.shape[0]!, outputs: spec as never }),
  );
  const names = built.graph.outputs.map((o) => o.name);
  if (ext === '.npy' && names.length !== 1) {
    throw new UsageError(`--output ${outputPath}: ${names.length} outputs (${names.join(', ')}) need an .npz file`);
  }
  const backend = await openBackend(backendName);
  const progress = createProgress('compile', values.json);
  try {
    const exe = await backend.compile(built.graph, { onProgress: (d, t, l) => progress.update(d, t, l) });
    progress.stop();
    const out = await exe.run({ input });
    exe.dispose();
    await writeBytesAtomically(outputPath, ext === '.npy' ? serializeNpy(out[names[0]!]!) : serializeNpz(out));
    const summary = {
      weights: weightsPath,
      scheme: model.scheme,
      backend: backend.name,
      inputShape: input.shape,
      outputs: Object.fromEntries(names.map((n) => [n, out[n]!.shape])),
      output: outputPath,
      top: out['logits'] ? logitRows(out['logits']).map((row) => topK(row, Math.min(top, row.length)).map((e) => ({ index: e.index, value: e.logit }))) : undefined,
    };
    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else {
      console.log(`${backend.name}: ran ${weightsPath} (${model.scheme}) on ${inputPath} ${JSON.stringify(input.shape)}`);
      for (const n of names) console.log(`  ${n}: [${out[n]!.shape.join(', ')}]`);
      if (summary.top) {
        summary.top.forEach((row, i) => console.log(`  image ${i} top-${top} logits: ${row.map((e) => `${e.index}:${e.value.toFixed(4)}`).join('  ')}`));
      }
      console.log(`wrote ${outputPath}`);
    }
  } finally {
    progress.stop();
    await backend.dispose();
  }
}

/** The rows of a [N, K] logits tensor. */
function logitRows(t: TensorData): Float32Array[] {
  const data = toFloat32(t).data;
  const k = t.shape[t.shape.length - 1]!;
  return Array.from({ length: data.length / k }, (_, r) => data.subarray(r * k, (r + 1) * k));
}
