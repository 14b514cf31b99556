// Small Swin V1 models and comparison helpers shared by the tests.
import { SWIN_V1_DEFAULTS, SeededRandom, buildSwinV1Graph, randomSwinV1Weights, tensor, toFloat32, type ModelOutputSpec, type SwinV1Config, type TensorData } from '@swin/core';

/** Two stages at 32 px, window 4: stage 0 has shifted windows with the mask, stage 1 equals the window. */
export const TINY_CONFIG: SwinV1Config = { ...SWIN_V1_DEFAULTS, img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10 };

/** A tiny model's graph with seeded random weights. */
export function tinySwin(options: { config?: SwinV1Config; batch?: number; outputs?: ModelOutputSpec; inputSize?: [number, number] } = {}) {
  const config = options.config ?? TINY_CONFIG;
  return buildSwinV1Graph(config, randomSwinV1Weights(config, 7), {
    batch: options.batch ?? 1,
    outputs: options.outputs ?? 'logits',
    ...(options.inputSize ? { inputSize: options.inputSize } : {}),
  });
}

/** A seeded NCHW float32 input. */
export function randomImage(batch: number, h: number, w: number, seed = 3, channels = 3): TensorData<'float32'> {
  return tensor('float32', [batch, channels, h, w], new SeededRandom(seed).normalArray(batch * channels * h * w));
}

/** Max |a - b| over two tensors of equal shape (float16 decoded). */
export function maxAbsDiff(a: TensorData, b: TensorData): number {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shapes differ: [${a.shape}] vs [${b.shape}]`);
  const x = toFloat32(a).data;
  const y = toFloat32(b).data;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}
