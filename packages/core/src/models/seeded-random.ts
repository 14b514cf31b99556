import { allocateFloat32 } from '../memory/allocation-budget.js';

/** A small seeded PRNG (mulberry32) with normal samples: reproducible test data in any JS runtime. */
export class SeededRandom {
  private state: number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A Float32Array of normal samples times `scale` plus `offset`. */
  normalArray(n: number, scale = 1, offset = 0): Float32Array {
    const out = allocateFloat32(n, `${n} random values`);
    for (let i = 0; i < n; i++) out[i] = offset + scale * this.normal();
    return out;
  }
}
