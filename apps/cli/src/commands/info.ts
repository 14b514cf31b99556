import { modelComplexity, withAllocationScope } from '@swin/core';
import { inspectCheckpointFile, scanNonFiniteFile } from '@swin/weights/node';
import { parseCommandArgs } from '../args.js';
import { UsageError } from '../cli-errors.js';
import { localCheckpoint } from '@swin/pipeline';
import { readConfigOverrides } from '../config-flags.js';
import { formatMacs, printVariantCatalog } from './info-variants.js';

export const INFO_HELP = `swin info <checkpoint|folder> [--config <json>] [--json]
swin info [--family swin_v1|swin_v2|crossformer] [--source official|timm|torchvision|huggingface] [--json]

With a checkpoint: what it is: file format, naming scheme, the architecture inferred from its
weights, parameter count and multiply-accumulates per image at its training size. A Hugging Face
model folder (config.json + model.safetensors or pytorch_model.bin) is read with its config.json.

Without one: every variant of every family (the names --weights and loadModel take), each with
the sources that publish it (the official release file or page, timm model name, torchvision
builder, Hugging Face id), its training size, parameters and MACs there. --family keeps one
family; --source keeps the variants that source publishes, with its names only.`;

/** `swin info`. */
export async function infoCommand(argv: string[]): Promise<void> {
  const args = parseCommandArgs(
    argv,
    INFO_HELP,
    {
      config: { type: 'string' },
      family: { type: 'string' },
      source: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    true,
  );
  if (!args) return;
  const { values, positionals } = args;
  if (positionals.length === 0) {
    if (values.config !== undefined) throw new UsageError('--config applies to a checkpoint: expected swin info <checkpoint> --config <json>');
    printVariantCatalog(values);
    return;
  }
  const [path] = positionals;
  if (path === undefined || positionals.length !== 1) throw new UsageError(`info takes one checkpoint path (or none to list the variants), found ${positionals.length}`);
  if (values.family !== undefined || values.source !== undefined) throw new UsageError('--family and --source filter the variant list: expected swin info without a checkpoint');
  const overrides = readConfigOverrides(values.config);
  // The path, a Hugging Face folder's weights, or a fetched variant's file in the pipeline's cache; only headers are read from it.
  const { file, huggingFace } = localCheckpoint(path);
  // Headers (and the small derived buffers) only: no weight data is kept.
  const model = inspectCheckpointFile(file, { config: overrides, ...(huggingFace ? { declared: huggingFace.declared } : {}) });
  // Non-finite weights are reported here, not refused: a streaming pass, one tensor at a time.
  const nonFinite = scanNonFiniteFile(file);
  // MACs are counted on the built graph, whose masks grow with img_size: one budget for all of it.
  const { parameters, macs } = withAllocationScope('counting MACs (building the model graph)', () => modelComplexity(model.config));
  const dtypes = model.weightDTypes;
  const info = {
    file: path,
    ...(huggingFace
      ? {
          huggingFace: {
            config: huggingFace.configFile,
            weights: file,
            modelType: huggingFace.modelType,
            labels: huggingFace.labels?.length ?? 0,
            ...(huggingFace.preprocess ? { preprocessor: huggingFace.preprocess.file, preprocess: huggingFace.preprocess.spec } : {}),
          },
        }
      : {}),
    format: model.format,
    scheme: model.scheme,
    family: model.config.family,
    config: model.config,
    parameters,
    storedElements: model.parameterCount,
    macs,
    tensors: model.weightCount,
    dtypes,
    nonFinite: { count: nonFinite.count, tensorCount: nonFinite.tensorCount, tensors: nonFinite.tensors },
    warnings: model.warnings,
  };
  if (values.json) {
    console.log(JSON.stringify(info, null, 2));
    return;
  }
  const c = model.config;
  const size = typeof c.img_size === 'number' ? `${c.img_size}x${c.img_size}` : c.img_size.join('x');
  console.log(`${path}`);
  if (huggingFace) console.log(`  folder       Hugging Face ${huggingFace.modelType}: ${huggingFace.configFile}, ${file}${huggingFace.labels ? `, ${huggingFace.labels.length} class names` : ''}`);
  const pre = huggingFace?.preprocess;
  if (pre) {
    const { inputSize, mean, std, rescaleFactor } = pre.spec;
    console.log(`  preprocess   ${pre.file}: bicubic resize to ${inputSize.join('x')} (no crop), x${rescaleFactor ?? '1/255'}, mean ${JSON.stringify(mean)}, std ${JSON.stringify(std)}`);
  }
  console.log(`  format       ${model.format}`);
  console.log(`  scheme       ${model.scheme}`);
  console.log(`  family       ${c.family}`);
  const shown = Object.entries(c).filter(([k]) => k !== 'family');
  for (let i = 0; i < shown.length; i += 4) {
    console.log(`  ${i === 0 ? 'config       ' : '             '}${shown.slice(i, i + 4).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('  ')}`);
  }
  console.log(`  parameters   ${parameters.toLocaleString('en-US')}`);
  console.log(`  MACs         ${formatMacs(macs)} per image at ${size}`);
  console.log(`  tensors      ${model.weightCount} (${dtypes.join(', ')})`);
  if (nonFinite.count > 0) {
    const names = nonFinite.tensors.map((t) => `${t.name} (${t.count})`).join(', ');
    console.log(`  non-finite   ${nonFinite.count} NaN/inf values in ${nonFinite.tensorCount} tensors: ${names}${nonFinite.tensorCount > nonFinite.tensors.length ? ', ...' : ''}`);
  }
  for (const w of model.warnings) console.log(`  warning: ${w}`);
}
