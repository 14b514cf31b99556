import { buildModelGraph, withAllocationScope } from '@swin/core';
import { exportOnnx, type OnnxExportDtype } from '@swin/backend-onnx/node';
import { writeBytesAtomically } from '@swin/weights/node';
import { parseCommandArgs, parseOutputsFlag, parsePositiveInt, parseSize, requireFlag } from '../args.js';
import { UsageError } from '../cli-errors.js';
import { refuseOutputOverInputs } from '../input-files.js';
import { readCheckpoint } from '@swin/pipeline';
import { ALLOW_NON_FINITE_FLAG, ALLOW_NON_FINITE_HELP, readConfigOverrides } from '../config-flags.js';

export const EXPORT_ONNX_HELP = `swin export-onnx --weights W -o model.onnx [--config C] [--batch N|dynamic] [--size HxW|dynamic]
                 [--dtype f32|f16|int8] [--outputs logits,pooled,stages] [--contrib-ops]

Writes a standard ONNX model (opset 17, weights as initializers) of any supported checkpoint
(W: a file, or a Hugging Face model folder with config.json).
Each cyclic shift with its window partition is one Gather over precomputed indices (ONNX has no
Roll), relative position bias and shift mask are one folded constant per block, and the batch
dimension is symbolic by default ('batch'), so one file serves every batch size. Masks depend on the input size, which --size fixes (default: the
checkpoint's training size); --size dynamic makes height and width symbolic too, computing masks,
padding and bias in the graph at a run-time cost (see the backend-onnx README, "Any input size").

  --batch         dynamic (default) or a fixed batch size
  --size HxW      input size (default: the training size)
  --size dynamic  any input size from one file: input [batch,C,height,width]; padding, shift masks
                  and position bias are computed in the graph from the run's size (f32 only;
                  Swin V1/V2 without absolute position embedding, original CrossFormer)
  --dtype         f32 (default) or f16 weights and activations (inputs/outputs stay float32);
                  int8: int8 weights (per output channel) for every linear layer, inputs of those
                  layers quantized at run time, the rest float32 (a quarter of the file size)
  --outputs       logits (default), pooled, stages (stage0..3, NHWC), or a comma list of names
  --contrib-ops   allow onnxruntime contrib ops (com.microsoft), faster on onnxruntime only
${ALLOW_NON_FINITE_HELP}`;

/** --dtype values and what the exporter calls them. */
const EXPORT_DTYPES: Record<string, OnnxExportDtype | undefined> = { f32: 'float32', f16: 'float16', int8: 'int8' };

/** `swin export-onnx`. */
export async function exportOnnxCommand(argv: string[]): Promise<void> {
  const args = parseCommandArgs(argv, EXPORT_ONNX_HELP, {
    weights: { type: 'string' },
    config: { type: 'string' },
    output: { type: 'string', short: 'o' },
    batch: { type: 'string', default: 'dynamic' },
    size: { type: 'string' },
    dtype: { type: 'string', default: 'f32' },
    outputs: { type: 'string', default: 'logits' },
    'contrib-ops': { type: 'boolean', default: false },
    ...ALLOW_NON_FINITE_FLAG,
  });
  if (!args) return;
  const { values } = args;
  const weights = requireFlag(values.weights, 'weights');
  const output = requireFlag(values.output, 'output');
  if (!output.endsWith('.onnx')) throw new UsageError(`-o: expected a .onnx path, found '${output}'`);
  const dtype = EXPORT_DTYPES[values.dtype];
  if (!dtype) throw new UsageError(`--dtype: expected f32, f16 or int8, found '${values.dtype}'`);
  const dynamicBatch = values.batch === 'dynamic';
  const batch = dynamicBatch ? 1 : parsePositiveInt(values.batch, 'batch');
  const presets = ['logits', 'pooled', 'stages', 'all'];
  const parsed = parseOutputsFlag(values.outputs, true);
  const names = typeof parsed === 'string' ? [parsed] : parsed;
  refuseOutputOverInputs([{ flag: '-o', path: output }], [{ flag: '--weights', path: weights }, { flag: '--config', path: values.config }]);
  // A list of presets (logits,pooled,stages) expands each; anything else is a list of value names.
  const dynamicSize = values.size === 'dynamic';
  if (dynamicSize && dtype !== 'float32') throw new UsageError(`--size dynamic: expected --dtype f32 (the size-generic graph is float32), found '${values.dtype}'`);
  const size = values.size && !dynamicSize ? parseSize(values.size, 'size') : undefined;
  const { loaded: model } = await readCheckpoint(weights, { config: readConfigOverrides(values.config), allowNonFinite: values['allow-non-finite'] });
  const expand = (n: string) => (presets.includes(n) ? resolvePreset(n, model.config.depths.length, model.config.num_classes > 0) : [n]);
  const outputs = [...new Set(names.flatMap(expand))];
  const built = withAllocationScope('building the model graph', () => buildModelGraph(model.config, model.weights, { ...(size ? { inputSize: size } : {}), batch, outputs }));
  const bytes = exportOnnx(built.graph, { dynamicBatch, dtype, allowContribOps: values['contrib-ops'], dynamicSize });
  await writeBytesAtomically(output, bytes);
  const inputSize = dynamicSize ? 'height,width' : built.inputSize.join(',');
  console.log(
    `wrote ${output}: ${(bytes.length / 1e6).toFixed(2)} MB, input 'input' [${dynamicBatch ? 'batch' : batch},${model.config.in_chans},${inputSize}], outputs ${built.graph.outputs.map((o) => o.name).join(', ')}`,
  );
}

function resolvePreset(preset: string, stages: number, hasHead: boolean): string[] {
  if (preset === 'logits') return [hasHead ? 'logits' : 'pooled'];
  if (preset === 'pooled') return ['pooled'];
  if (preset === 'stages') return Array.from({ length: stages }, (_, i) => `stage${i}`);
  throw new UsageError(`--outputs all is for swin run; name the outputs to export`);
}
