import * as tf from '@tensorflow/tfjs-core';

/**
 * Tensors derived once from another tensor (a weight transposed for the fast matmul path, a conv
 * filter in HWIO) and kept until that tensor is released. Constants live for the executable, so
 * their derived forms are made on the first run and reused; intermediates drop theirs on release.
 */
export class DerivedTensorCache {
  private readonly entries = new Map<tf.Tensor, Map<string, tf.Tensor>>();

  /** The tensor derived from `source` under `key`, computing it on first use. */
  get(source: tf.Tensor, key: string, derive: (t: tf.Tensor) => tf.Tensor): tf.Tensor {
    let forSource = this.entries.get(source);
    if (!forSource) {
      forSource = new Map();
      this.entries.set(source, forSource);
    }
    let d = forSource.get(key);
    if (!d) {
      // Kernels run inside tf.tidy: keep() stops the tidy from disposing a tensor we cache.
      d = tf.keep(tf.tidy(() => derive(source)));
      forSource.set(key, d);
    }
    return d;
  }

  /** Disposes everything derived from `source`. */
  release(source: tf.Tensor): void {
    const forSource = this.entries.get(source);
    if (!forSource) return;
    for (const d of forSource.values()) d.dispose();
    this.entries.delete(source);
  }

  /** Disposes every cached tensor. */
  clear(): void {
    for (const forSource of this.entries.values()) for (const d of forSource.values()) d.dispose();
    this.entries.clear();
  }
}
