import { extname } from 'node:path';
import { DTypeError, ShapeError, dimAt, npyToTensor, parseNpy, resolveModelOutputs, serializeNpy, toFloat32, type TensorData } from '@swin/core';
import { loadModel, outputOf, topK } from '@swin/pipeline';
import { writeBytesAtomically } from '@swin/weights/node';
import { parseCommandArgs, parseOutputsFlag, parsePositiveInt, requireFlag } from '../args.js';
import { parseBackendName, requireBackendPackages } from '../backends.js';
import { usage, UsageError } from '../cli-errors.js';
import { readInputFile, refuseOutputOverInputs } from '../input-files.js';
import { ALLOW_NON_FINITE_FLAG, ALLOW_NON_FINITE_HELP, readConfigOverrides } from '../config-flags.js';
import { serializeNpz } from '../npz.js';
import { createProgress } from '../progress.js';

export const RUN_HELP = `swin run --weights <file> --input <x.npy> --output <y.npy|y.npz> [options]

Runs a checkpoint on an NCHW float32 array and writes the outputs.

  --weights <file>     checkpoint (.safetensors, .pth, .bin) in any supported naming scheme, or a
                       Hugging Face model folder (config.json + model.safetensors or pytorch_model.bin)
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
  const args = parseCommandArgs(argv, RUN_HELP, {
    weights: { type: 'string' },
    config: { type: 'string' },
    input: { type: 'string' },
    output: { type: 'string' },
    outputs: { type: 'string', default: 'logits' },
    backend: { type: 'string', default: 'reference' },
    top: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
    ...ALLOW_NON_FINITE_FLAG,
  });
  if (!args) return;
  const { values } = args;
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

  requireBackendPackages(backendName);
  const progress = createProgress('compile', values.json);
  // Compiled once, for the input's size and the outputs asked for (not at the training size first).
  const model = await loadModel(weightsPath, {
    backend: backendName,
    config: readConfigOverrides(values.config),
    allowNonFinite: values['allow-non-finite'],
    warmup: false,
    onProgress: (p) => p.phase === 'compile' && progress.update(p.done, p.total ?? p.done, p.label),
  });
  try {
    const { config } = model.info;
    const input = await readInputArray(inputPath, config.in_chans);
    const names = resolveModelOutputs(spec as Parameters<typeof resolveModelOutputs>[0], config.depths, config.num_classes > 0);
    if (ext === '.npy' && names.length !== 1) {
      throw new UsageError(`--output ${outputPath}: ${names.length} outputs (${names.join(', ')}) need an .npz file`);
    }
    const out = await model.run(input, names);
    progress.stop();
    // An .npy holds the one output (names.length === 1, checked above).
    await writeBytesAtomically(outputPath, ext === '.npy' ? serializeNpy(outputOf(out, names[0]!)) : serializeNpz(out));
    const summary = {
      weights: weightsPath,
      scheme: model.info.scheme,
      backend: model.info.backend,
      inputShape: input.shape,
      outputs: Object.fromEntries(names.map((n) => [n, outputOf(out, n).shape])),
      output: outputPath,
      top: out['logits'] ? logitRows(out['logits']).map((row) => topK(row, Math.min(top, row.length)).map((e) => ({ index: e.index, value: e.logit }))) : undefined,
    };
    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else {
      console.log(`${model.info.backend}: ran ${weightsPath} (${model.info.scheme}) on ${inputPath} ${JSON.stringify(input.shape)}`);
      for (const n of names) console.log(`  ${n}: [${outputOf(out, n).shape.join(', ')}]`);
      if (summary.top) {
        summary.top.forEach((row, i) => console.log(`  image ${i} top-${top} logits: ${row.map((e) => `${e.index}:${e.value.toFixed(4)}`).join('  ')}`));
      }
      console.log(`wrote ${outputPath}`);
    }
  } finally {
    progress.stop();
    await model.dispose();
  }
}

/** The rows of a [N, K] logits tensor. */
function logitRows(t: TensorData): Float32Array[] {
  const data = toFloat32(t).data;
  const k = dimAt(t.shape, -1, 'logits');
  return Array.from({ length: data.length / k }, (_, r) => data.subarray(r * k, (r + 1) * k));
}
