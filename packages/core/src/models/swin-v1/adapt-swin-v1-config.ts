import { ConfigError } from '../../errors.js';
import type { ConfigAdaptation } from '../model-family.js';
import { mergeSwinV1Config, swinV1ImageSize, type SwinV1Config } from './swin-v1-config.js';

/**
 * The architecture after a change of window, size or head. A new window without a new size takes
 * the size at which the last stage equals the window (7 -> 224, 12 -> 384 for patch 4 and four
 * stages), the pairing of the released checkpoints; the note says so.
 */
export function adaptSwinV1Config(source: SwinV1Config, change: ConfigAdaptation, notes: string[]): SwinV1Config {
  const overrides: Record<string, unknown> = {};
  if (change.windowSize !== undefined) {
    if (!Number.isInteger(change.windowSize) || change.windowSize < 1) throw new ConfigError(`window size: expected a positive integer, found ${change.windowSize}`);
    overrides['window_size'] = change.windowSize;
    if (change.imgSize === undefined && change.windowSize !== source.window_size) {
      const size = change.windowSize * source.patch_size * 2 ** (source.depths.length - 1);
      overrides['img_size'] = size;
      const [h, w] = swinV1ImageSize(source);
      if (h !== size || w !== size) notes.push(`window ${change.windowSize}: img_size set to ${size} (where the last stage equals the window); pass an image size to choose another`);
    }
  }
  if (change.imgSize !== undefined) overrides['img_size'] = typeof change.imgSize === 'number' ? change.imgSize : [...change.imgSize];
  if (change.numClasses !== undefined) overrides['num_classes'] = change.numClasses;
  return mergeSwinV1Config(source, overrides);
}
