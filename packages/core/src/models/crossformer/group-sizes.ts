import { ConfigError } from '../../errors.js';

/** How the official code sizes each block's group (`compute_group_size`). */
export const GROUP_TYPES = ['constant', 'linear', 'linear_div', 'alter', '7_14'] as const;
export type GroupType = (typeof GROUP_TYPES)[number];

/** The config keys group sizes depend on (official argument names). */
export interface GroupSizeConfig {
  readonly img_size: number | readonly [number, number];
  readonly patch_size: readonly number[];
  readonly depths: readonly number[];
  readonly group_size: readonly number[];
  readonly group_type: GroupType;
}

/**
 * numpy.arange(start, stop, step) for floats, value for value: numpy stores start and start + step,
 * then fills element i with start + i * ((start + step) - start), and its length is
 * ceil((stop - start) / step).
 */
function numpyArange(start: number, stop: number, step: number): number[] {
  const length = Math.max(0, Math.ceil((stop - start) / step));
  const delta = start + step - start;
  return Array.from({ length }, (_, i) => (i === 0 ? start : i === 1 ? start + step : start + i * delta));
}

/**
 * The group size of every block, per stage, as the official `compute_group_size` sets it at
 * construction (before a block shrinks it to min(H, W) when its map is not larger):
 * - constant: group_size[stage] in every block;
 * - 7_14: group_size[stage], halved in the first four blocks of stage 2;
 * - linear: max(4, ceil(R_s f_k)), R_s the stage's side at img_size (img_size[0] / patch_size[0] / 2^s)
 *   and f_k = arange(4 / R_0, 1, (1 - 4 / R_0) / total_depth)[k] for the k-th block of the model;
 * - linear_div: linear, but a size over R_s // 2 becomes R_s (or R_s // 2 in stage 2 unless over 3/4 R_s);
 * - alter: linear, but a size over R_s // 2 becomes R_s (or R_s // 2 in stage 2 on even k).
 * Sizes derived from img_size stay those of img_size at any input size, like a Swin window.
 */
export function blockGroupSizes(c: GroupSizeConfig): number[][] {
  const patch = c.patch_size[0] ?? 1;
  const rows = Math.floor((typeof c.img_size === 'number' ? c.img_size : c.img_size[0]) / patch);
  let fractions: number[] = [];
  const total = c.depths.reduce((a, b) => a + b, 0);
  if (c.group_type === 'linear' || c.group_type === 'linear_div' || c.group_type === 'alter') {
    if (rows <= 4) throw new ConfigError(`config.group_type: '${c.group_type}' needs more than 4 token rows at img_size (it grows group sizes from 4), found ${rows}`);
    fractions = numpyArange(4 / rows, 1, (1 - 4 / rows) / total);
  }
  let k = 0;
  return c.depths.map((depth, s) => {
    const side = Math.floor(rows / 2 ** s);
    const base = c.group_size[s];
    if (base === undefined) throw new ConfigError(`config.group_size: expected one group size per stage, found ${JSON.stringify(c.group_size)}`);
    return Array.from({ length: depth }, (_, j) => {
      const cnt = k++;
      let g: number;
      if (c.group_type === 'constant') g = base;
      else if (c.group_type === '7_14') g = s !== 2 || j >= 4 ? base : Math.floor(base / 2);
      else {
        const f = fractions[cnt];
        if (f === undefined) throw new ConfigError(`config.group_type: '${c.group_type}' yields ${fractions.length} group sizes for ${total} blocks at img_size ${JSON.stringify(c.img_size)}`);
        let gz = side * f;
        if (gz > Math.floor(side / 2)) {
          const full = c.group_type === 'linear_div' ? gz > (side * 3) / 4 || s !== 2 : c.group_type === 'alter' ? cnt % 2 !== 0 || s !== 2 : undefined;
          if (full !== undefined) gz = full ? side : Math.floor(side / 2);
        }
        g = Math.max(4, Math.ceil(gz));
      }
      if (!(g >= 1)) throw new ConfigError(`config.group_size: group_type '${c.group_type}' gives block ${j} of stage ${s} a group size of ${g}; expected at least 1`);
      return g;
    });
  });
}
