import { ConfigError, SwinError, dimAt, isModelFamily, type Graph, type ModelConfig } from '@swin/core';
import { OnnxGraphEmitter } from '../emit/onnx-graph-emitter.js';
import { simplifyOnnxGraph } from '../emit/simplify-onnx-graph.js';
import { onnxDataType } from '../onnx/onnx-dtype.js';
import type { OnnxModel, OnnxValueInfo } from '../onnx/onnx-model.js';
import { DynamicModel, type TokenMap } from './dynamic-model.js';
import { DYNAMIC_SIZE_FAMILIES, type DynamicSizeFamily } from './dynamic-size-families.js';

/** Names of the symbolic input dimensions of a dynamic-size file. */
export const HEIGHT_DIM = 'height';
export const WIDTH_DIM = 'width';

/** What the size-generic model needs besides the graph. */
export interface DynamicSizeModelOptions {
  readonly dynamicBatch: boolean;
  readonly allowContribOps: boolean;
  readonly batchDim: string;
  readonly opset: number;
  readonly irVersion: number;
  readonly graphName?: string;
}

/** The model config a core model graph records in its metadata (core's ModelGraph writes it). */
export function graphModelConfig(graph: Graph): ModelConfig {
  const text = graph.metadata['config'];
  let config: unknown;
  try {
    config = text === undefined ? undefined : JSON.parse(text);
  } catch {
    config = undefined;
  }
  const family = (config as { family?: unknown } | undefined)?.family;
  if (!isModelFamily(family)) {
    throw new SwinError('INVALID_ARGUMENT', `dynamic-size export: expected a model graph from @swin/core's builders (metadata 'config' with a known family), found ${text === undefined ? 'no config' : `family ${JSON.stringify(family)}`}`);
  }
  return config as ModelConfig;
}

/** Refuses config keys (or values) the size-generic graph does not reproduce, by name. */
function checkSupported(config: ModelConfig, family: DynamicSizeFamily<ModelConfig>): void {
  for (const [key, value] of Object.entries(config)) {
    const rule = family.keys[key];
    if (rule === undefined) {
      throw new ConfigError(`dynamic-size export: config key '${key}' is not supported by the size-generic ${config.family} graph (supported: ${Object.keys(family.keys).join(', ')}); export at a fixed --size instead`, 'UNKNOWN_CONFIG_KEY');
    }
    if (rule !== 'any' && !rule.only.some((v) => v === value)) {
      throw new ConfigError(
        `dynamic-size export: ${key} must be ${rule.only.map((v) => JSON.stringify(v)).join(' or ')} for a size-generic ${config.family} graph, found ${JSON.stringify(value)} (${rule.why}); export at a fixed --size instead`,
      );
    }
  }
}

/** The family's size-generic graph description for a config (after checking it is supported). */
export function dynamicSizeFamilyOf(config: ModelConfig): DynamicSizeFamily<ModelConfig> {
  const family = DYNAMIC_SIZE_FAMILIES[config.family] as DynamicSizeFamily<ModelConfig>;
  checkSupported(config, family);
  return family;
}

/**
 * Builds an ONNX model whose input is [batch, C, height, width] with every size symbolic: the
 * family's layers over the source graph's weights, with padding, the cyclic shift, window / group
 * partition, masks and relative position bias computed in the graph from the run's H and W (the
 * package README's "Any input size"). The source graph is any core model graph of that config (its
 * own input size does not matter); its outputs are the outputs here.
 */
export function buildDynamicSizeOnnxModel(source: Graph, options: DynamicSizeModelOptions): OnnxModel {
  const config = graphModelConfig(source);
  const family = dynamicSizeFamilyOf(config);
  const inputInfo = source.inputs[0];
  if (source.inputs.length !== 1 || !inputInfo) throw new SwinError('INVALID_ARGUMENT', `dynamic-size export: expected one image input, found ${source.inputs.length}`);
  const em = new OnnxGraphEmitter(source, { computeDtype: 'float32', int8Weights: false, dynamicBatch: options.dynamicBatch, allowContribOps: options.allowContribOps });
  const input = em.declare({ name: inputInfo.name, dtype: 'float32', shape: inputInfo.shape });
  const m = new DynamicModel(em, input, config.layer_norm_eps);

  let map: TokenMap = family.embed(m, input, config);
  m.expose('embed', { map });
  const stages = config.depths.length;
  config.depths.forEach((depth, si) => {
    for (let bj = 0; bj < depth; bj++) {
      map = { ...map, x: family.block(m, config, map, si, bj) };
      m.expose(`stage${si}_block${bj}`, { map });
    }
    m.expose(`stage${si}`, { map });
    if (si < stages - 1) map = family.merge(m, config, map, si);
    m.expose(`stage${si}_out`, { map });
  });
  m.head(map, config.num_classes);

  const batchDim = options.dynamicBatch ? options.batchDim : dimAt(inputInfo.shape, 0, 'model input');
  const outputs = m.finishOutputs(
    source.outputs.map((o) => o.name),
    batchDim,
  );
  const outputNames = new Set(outputs.map((o) => o.name));
  // The simplifier sees no shapes here, so it only merges Reshape chains and drops dead nodes.
  const nodes = simplifyOnnxGraph(em.nodes, outputNames, () => undefined);
  const inputs: OnnxValueInfo[] = [{ name: inputInfo.name, dataType: onnxDataType('float32'), shape: [batchDim, config.in_chans, HEIGHT_DIM, WIDTH_DIM] }];
  const { inputSize: _size, blocks: _blocks, ...metadata } = source.metadata;
  return {
    irVersion: options.irVersion,
    opsetImports: [{ domain: '', version: options.opset }, ...(nodes.some((n) => n.domain === 'com.microsoft') ? [{ domain: 'com.microsoft', version: 1 }] : [])],
    producerName: '@swin/backend-onnx',
    producerVersion: '0.1.0',
    graph: {
      name: options.graphName ?? config.family,
      nodes,
      initializers: em.initializersReadBy(nodes),
      inputs,
      outputs: outputs.map((o) => ({ name: o.name, dataType: onnxDataType('float32'), shape: o.shape })),
    },
    metadata: {
      ...metadata,
      'swin.dtype': 'float32',
      'swin.dynamicBatch': String(options.dynamicBatch),
      'swin.dynamicSize': 'true',
      'swin.minInputSize': String(family.minimumInputSize(config)),
    },
  };
}
