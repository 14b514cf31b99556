import { SeededRandom } from '@swin/core';

/** Seeded shape generator: the "random shapes" part of the op cases, the same on every run. */
export class ShapeSampler {
  private readonly rng: SeededRandom;
  constructor(seed: number) {
    this.rng = new SeededRandom(seed);
  }

  /** An integer in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.rng.uniform() * (high - low + 1));
  }

  /** A shape of `rank` dims in [low, high]; about one dim in five is forced to 1 (size-1 edge cases). */
  shape(rank: number, low = 1, high = 7): number[] {
    return Array.from({ length: rank }, () => (this.rng.uniform() < 0.2 ? 1 : this.int(low, high)));
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(0, i);
      // 0 <= j <= i < n: both in range.
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
    return p;
  }

  /** `shape` with some dims replaced by 1, so it broadcasts against `shape`. */
  broadcastable(shape: readonly number[]): number[] {
    const dropLeading = this.int(0, Math.max(0, shape.length - 1));
    return shape.slice(dropLeading).map((d) => (this.rng.uniform() < 0.4 ? 1 : d));
  }
}
