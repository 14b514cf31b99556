import { WeightError } from '@swin/core';

/** More stages than any Swin-like model has; a larger index means a corrupt or hostile name. */
const MAX_STAGES = 16;

/**
 * Checks that `layers.{i}.blocks.{j}` indices form consecutive stages and plausible depths before
 * anything is sized from them: a name claiming block 10^9 would otherwise make the architecture
 * code enumerate a billion blocks. Each block has several tensors, so a depth larger than the tensor
 * count means weights are missing.
 */
export function checkLayerIndices(names: readonly string[]): void {
  const depths = new Map<number, number>();
  for (const n of names) {
    const m = /^layers\.(\d+)\.(?:blocks\.(\d+)\.)?/.exec(n);
    if (!m) continue;
    const stage = Number(m[1]);
    const block = m[2] === undefined ? -1 : Number(m[2]);
    if (stage >= MAX_STAGES) throw new WeightError('UNEXPECTED_WEIGHT', n, `weight '${n}': stage index ${stage} is beyond the ${MAX_STAGES} stages any Swin has`);
    if (block >= names.length) throw new WeightError('UNEXPECTED_WEIGHT', n, `weight '${n}': block index ${block} implies more blocks than the ${names.length} tensors could hold`);
    depths.set(stage, Math.max(depths.get(stage) ?? 0, block + 1));
  }
  for (let s = 0; s < depths.size; s++) {
    if ((depths.get(s) ?? 0) < 1) {
      const missing = `layers.${s}.blocks.0.norm1.weight`;
      throw new WeightError('MISSING_WEIGHT', missing, `missing blocks of stage ${s}: expected 'layers.${s}.blocks.*' among stages ${[...depths.keys()].sort((a, b) => a - b).join(', ')}`);
    }
  }
}
