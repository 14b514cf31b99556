import { ConfigError, getModelFamily, inferModelConfig, isDerivedBuffer, modelWeightShapes, type ModelFamily, type TensorData } from '@swin/core';
import type { DeclaredConfig } from './declared-config-type.js';
import { checkDeclaredV2Windows } from './declared-windows.js';

export type { DeclaredConfig } from './declared-config-type.js';

function sameShapes(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** True when the architecture `overrides` give has exactly the parameters (names and shapes) the weights hold. */
function fitsParameters(shapes: ReadonlyMap<string, TensorData>, overrides: Record<string, unknown>): boolean {
  let expected: [string, number[]][];
  try {
    expected = modelWeightShapes(inferModelConfig(shapes, overrides));
  } catch (e) {
    if (e instanceof ConfigError) return false;
    throw e;
  }
  const parameters = [...shapes.keys()].filter((n) => !isDerivedBuffer(n));
  return expected.length === parameters.length && expected.every(([name, shape]) => shapes.has(name) && sameShapes(shapes.get(name)!.shape, shape));
}

function without(values: Readonly<Record<string, unknown>>, key: string): Record<string, unknown> {
  const rest = { ...values };
  delete rest[key];
  return rest;
}

/**
 * The declared values to apply over `before` (the scheme's and the file metadata's facts), under
 * the caller's `after` (which wins, and whose keys are not checked). When the declared architecture
 * does not have the weights' parameters, the key whose own value from the weights restores the fit
 * is named with both values; a ConfigError, never a silent pick of either side. Only parameter
 * shapes are compared: derived buffers are verified later as for any checkpoint.
 */
export function reconcileDeclaredConfig(
  shapes: ReadonlyMap<string, TensorData>,
  family: ModelFamily,
  declared: DeclaredConfig,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const familyName = (f: ModelFamily) => getModelFamily(f).name;
  if (declared.family !== family) {
    throw new ConfigError(`${declared.source} declares a ${familyName(declared.family)} model but the weights are ${familyName(family)}`);
  }
  const own = Object.fromEntries(Object.entries(declared.values).filter(([k]) => !(k in after)));
  const withOwn = (values: Record<string, unknown>) => ({ ...before, ...values, ...after, family });
  if (fitsParameters(shapes, withOwn(own))) {
    // A window that pretrained windows rescale (Swin V2) is not in the parameters: kept derived
    // buffers are what can contradict it. Keyed on the config key, not on a family name.
    const config = inferModelConfig(shapes, withOwn(own));
    if ('pretrained_window_sizes' in config) checkDeclaredV2Windows(shapes, config, declared, own);
    return own;
  }
  // One key at a time: the culprit is a key whose weights-side value makes the rest fit.
  const disagreements: string[] = [];
  for (const key of Object.keys(own)) {
    const rest = without(own, key);
    let fromWeights: unknown;
    try {
      fromWeights = inferModelConfig(shapes, withOwn(rest))[key as never];
    } catch (e) {
      if (e instanceof ConfigError) continue; // the weights alone cannot tell this key
      throw e;
    }
    if (JSON.stringify(fromWeights) === JSON.stringify(own[key])) continue;
    const message = `${declared.names[key] ?? key} is ${JSON.stringify(own[key])} but the weights have ${JSON.stringify(fromWeights)}`;
    if (fitsParameters(shapes, withOwn(rest))) throw new ConfigError(`${declared.source}: ${message}`);
    disagreements.push(message);
  }
  throw new ConfigError(
    `${declared.source} and the weights disagree: ${disagreements.length > 0 ? disagreements.join('; ') : 'the declared architecture does not have the weights\' parameter shapes'}`,
  );
}
