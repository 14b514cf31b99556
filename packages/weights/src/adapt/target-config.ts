import { ConfigError, imageSize, mergeSwinConfig, type SwinV1Config } from '@swin/core';

/** What to adapt a checkpoint to; anything left out stays as the checkpoint has it. */
export interface AdaptOptions {
  /** New window (e.g. 12 to fine-tune a 224/w7 model at 384/w12): bias tables are resized. */
  readonly windowSize?: number;
  /** New training resolution: the absolute position embedding (if any) is resized. */
  readonly imgSize?: number | readonly [number, number];
  /** New head size; 0 drops the head. A different size gets a zero-initialised head (the official loader's rule). */
  readonly numClasses?: number;
}

/** True when the options ask for any change. */
export function wantsAdaptation(o: AdaptOptions): boolean {
  return o.windowSize !== undefined || o.imgSize !== undefined || o.numClasses !== undefined;
}

/**
 * The architecture after adaptation. A new window without a new size takes the size at which the
 * last stage equals the window (7 -> 224, 12 -> 384 for patch 4 and four stages), the pairing of the
 * released checkpoints; the note says so.
 */
export function targetConfig(source: SwinV1Config, options: AdaptOptions, notes: string[]): SwinV1Config {
  const overrides: Record<string, unknown> = {};
  if (options.windowSize !== undefined) {
    if (!Number.isInteger(options.windowSize) || options.windowSize < 1) throw new ConfigError(`window size: expected a positive integer, found ${options.windowSize}`);
    overrides['window_size'] = options.windowSize;
    if (options.imgSize === undefined && options.windowSize !== source.window_size) {
      const size = options.windowSize * source.patch_size * 2 ** (source.depths.length - 1);
      overrides['img_size'] = size;
      const [h, w] = imageSize(source);
      if (h !== size || w !== size) notes.push(`window ${options.windowSize}: img_size set to ${size} (where the last stage equals the window); pass an image size to choose another`);
    }
  }
  if (options.imgSize !== undefined) overrides['img_size'] = typeof options.imgSize === 'number' ? options.imgSize : [...options.imgSize];
  if (options.numClasses !== undefined) overrides['num_classes'] = options.numClasses;
  return mergeSwinConfig(source, overrides);
}
