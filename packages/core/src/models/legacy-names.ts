// Names from before the family folders (models/swin was V1 and shared code at once). Kept so work
// in flight on other branches still compiles; new code uses the names on the right.
import { MODEL_INPUT, resolveModelOutputs, type ModelOutputSpec } from './common/model-output-spec.js';
import { buildSwinV1Graph } from './swin-v1/build-swin-v1-graph.js';
import { inferSwinV1Config } from './swin-v1/infer-swin-v1-config.js';
import { randomSwinV1Weights } from './swin-v1/random-swin-v1-weights.js';
import { mergeSwinV1Config, swinV1ImageSize, validateSwinV1Config } from './swin-v1/swin-v1-config.js';

/** @deprecated buildSwinV1Graph */
export const buildSwinGraph = buildSwinV1Graph;
/** @deprecated randomSwinV1Weights */
export const randomSwinWeights = randomSwinV1Weights;
/** @deprecated inferSwinV1Config */
export const inferSwinConfig = inferSwinV1Config;
/** @deprecated mergeSwinV1Config */
export const mergeSwinConfig = mergeSwinV1Config;
/** @deprecated validateSwinV1Config */
export const validateSwinConfig = validateSwinV1Config;
/** @deprecated swinV1ImageSize */
export const imageSize = swinV1ImageSize;
/** @deprecated MODEL_INPUT */
export const SWIN_INPUT = MODEL_INPUT;
/** @deprecated resolveModelOutputs */
export const resolveSwinOutputs = resolveModelOutputs;
/** @deprecated ModelOutputSpec */
export type SwinOutputSpec = ModelOutputSpec;
