import { OUTPUT_SCHEMES, type OutputScheme } from '@swin/weights';
import { convertCheckpointFile } from '@swin/weights/node';
import { parseCommandArgs, parsePositiveInt, parseSize, requireFlag } from '../args.js';
import { UsageError } from '../cli-errors.js';
import { refuseOutputOverInputs } from '../input-files.js';
import { localCheckpoint } from '@swin/pipeline';
import { ALLOW_NON_FINITE_FLAG, ALLOW_NON_FINITE_HELP, readConfigOverrides } from '../config-flags.js';
import { createProgress } from '../progress.js';

export const CONVERT_HELP = `swin convert <checkpoint|folder> -o <out.safetensors> [--dtype f32|f16|bf16] [--window N]
             [--img-size N|HxW] [--num-classes N] [--config <json>] [--scheme official|torchvision] [--json]

Reads any supported checkpoint (official .pth, timm, torchvision, Hugging Face .bin/.safetensors),
maps it to the canonical (official) names, drops derived buffers (after checking them), and
writes safetensors with the architecture in its metadata. Nothing from the file is executed.
A Hugging Face model folder (config.json + model.safetensors or pytorch_model.bin) is read with
its config.json (checked against the weights), and its id2label is kept as the file's class names.

  --dtype         output precision (default f32)
  --window N      resize relative position bias tables for window N (bicubic, as the official
                  fine-tuning loader does); the training size follows unless --img-size is given
  --img-size      new training size (resizes an absolute position embedding)
  --num-classes   re-size the head (a new zero-initialised head) or drop it with 0
  --config        architecture overrides (official argument names) for what weights cannot tell
  --scheme        names of the written tensors: official (default, canonical) or torchvision
                  (torchvision.models.SwinTransformer's state dict with its buffers: swin_t/s/b, and
                  swin_v2_t/s/b with SwinTransformerBlockV2 / PatchMergingV2); what torchvision cannot
                  compute the same way is refused by name
${ALLOW_NON_FINITE_HELP}`;

const DTYPES = { f32: 'float32', f16: 'float16', bf16: 'bfloat16' } as const;

/** `swin convert`. */
export async function convertCommand(argv: string[]): Promise<void> {
  const args = parseCommandArgs(
    argv,
    CONVERT_HELP,
    {
      output: { type: 'string', short: 'o' },
      dtype: { type: 'string', default: 'f32' },
      window: { type: 'string' },
      'img-size': { type: 'string' },
      'num-classes': { type: 'string' },
      config: { type: 'string' },
      scheme: { type: 'string', default: 'official' },
      json: { type: 'boolean', default: false },
      ...ALLOW_NON_FINITE_FLAG,
    },
    true,
  );
  if (!args) return;
  const { values, positionals } = args;
  const [checkpoint] = positionals;
  if (checkpoint === undefined || positionals.length !== 1) throw new UsageError(`convert takes one checkpoint path, found ${positionals.length}`);
  const output = requireFlag(values.output, 'output');
  if (!output.endsWith('.safetensors')) throw new UsageError(`-o: expected a .safetensors path, found '${output}'`);
  const dtype = DTYPES[values.dtype as keyof typeof DTYPES];
  if (!dtype) throw new UsageError(`--dtype: expected f32, f16 or bf16, found '${values.dtype}'`);
  if (!Object.hasOwn(OUTPUT_SCHEMES, values.scheme)) throw new UsageError(`--scheme: expected ${Object.keys(OUTPUT_SCHEMES).join(' or ')}, found '${values.scheme}'`);
  const outputScheme = values.scheme as OutputScheme;
  let numClasses: number | undefined;
  if (values['num-classes'] !== undefined) {
    numClasses = Number(values['num-classes']);
    if (!Number.isInteger(numClasses) || numClasses < 0) throw new UsageError(`--num-classes: expected a non-negative integer, found '${values['num-classes']}'`);
  }
  const { file: input, huggingFace } = localCheckpoint(checkpoint);
  refuseOutputOverInputs([{ flag: '-o', path: output }], [{ flag: 'the checkpoint', path: input }, { flag: '--config', path: values.config }]);
  // A folder's class names go with its weights, unless the head is re-sized.
  const classes = numClasses === undefined ? huggingFace?.labels : undefined;
  const windowSize = values.window !== undefined ? parsePositiveInt(values.window, 'window') : undefined;
  const imgSize = values['img-size'] !== undefined ? parseSize(values['img-size'], 'img-size') : undefined;
  const config = readConfigOverrides(values.config);
  const progress = createProgress('convert', values.json);
  let result;
  try {
    result = await convertCheckpointFile(
      input,
      output,
      {
        dtype,
        outputScheme,
        config,
        allowNonFinite: values['allow-non-finite'],
        ...(huggingFace ? { declared: huggingFace.declared } : {}),
        ...(classes ? { classes } : {}),
        ...(windowSize !== undefined ? { windowSize } : {}),
        ...(imgSize !== undefined ? { imgSize } : {}),
        ...(numClasses !== undefined ? { numClasses } : {}),
      },
      (p) => progress.update(p.writtenBytes, p.totalBytes, p.tensorName),
    );
  } finally {
    progress.stop();
  }
  if (values.json) {
    console.log(JSON.stringify({ ...result, config: result.config }, null, 2));
    return;
  }
  console.log(`${input}: ${result.format}, ${result.scheme} names (${result.schemeReason}), family ${result.family}`);
  if (result.droppedBuffers.length) console.log(`  dropped ${result.droppedBuffers.length} derived buffers (checked against recomputed ones)`);
  for (const w of result.warnings) console.log(`  warning: ${w}`);
  console.log(`wrote ${output}: ${result.tensorCount} tensors${outputScheme === 'official' ? '' : ` (${outputScheme} names)`}, ${(result.bytesWritten / 1e6).toFixed(2)} MB, ${values.dtype}`);
}
