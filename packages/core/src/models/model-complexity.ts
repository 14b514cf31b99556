import { crossFormerComplexity } from './crossformer/crossformer-complexity.js';
import { unknownFamily, type ModelConfig } from './model-config.js';
import { swinComplexity } from './swin/swin-complexity.js';
import { swinV2Complexity } from './swin-v2/swin-v2-complexity.js';

/** Parameter count and MACs per image (the papers' "FLOPs") of any family, at img_size unless given. */
export function modelComplexity(config: ModelConfig, inputSize?: readonly [number, number]): { parameters: number; macs: number } {
  switch (config.family) {
    case 'swin_v1':
      return swinComplexity(config, inputSize);
    case 'swin_v2':
      return swinV2Complexity(config, inputSize);
    case 'crossformer':
      return crossFormerComplexity(config, inputSize);
    default:
      return unknownFamily((config as { family?: unknown }).family);
  }
}
