import { ConfigError, pretrainedWindowOf, resolveBlockGeometry, stageResolutions, type SwinV2Config, type TensorData } from '@swin/core';
import type { DeclaredConfig } from './declared-config-type.js';

const BUFFER = /^layers\.(\d+)\.blocks\.(\d+)\.attn\.(relative_position_index|relative_coords_table)$/;

/** The window a kept Swin V2 buffer was built for: an (N, N) index is sqrt(N); a [1, 2w-1, 2w-1, 2] table is w. */
function bufferWindow(kind: string, t: TensorData): number | undefined {
  const [a, b, c] = t.shape;
  if (kind === 'relative_position_index') return t.shape.length === 2 && a !== undefined ? Math.round(Math.sqrt(a)) : undefined;
  return t.shape.length === 4 && b !== undefined && b === c && b % 2 === 1 ? (b + 1) / 2 : undefined;
}

/**
 * A Swin V2 file that kept its derived buffers shows the window each block was built with
 * (relative_position_index, relative_coords_table) and the pretrained window its coordinates were
 * normalised by (the values of relative_coords_table): the parameters cannot tell either. Where a
 * declared window_size or pretrained_window_sizes (a key of `own`, the declared values in force)
 * gives another, it is a one-line ConfigError naming the key and both values. `config` is the
 * architecture with the declared values applied (it places each stage's window).
 */
export function checkDeclaredV2Windows(shapes: ReadonlyMap<string, TensorData>, config: SwinV2Config, declared: DeclaredConfig, own: Readonly<Record<string, unknown>>): void {
  const checkWindow = 'window_size' in own;
  const checkPretrained = 'pretrained_window_sizes' in own;
  if (!checkWindow && !checkPretrained) return;
  const [h, w] = typeof config.img_size === 'number' ? [config.img_size, config.img_size] : config.img_size;
  const resolutions = stageResolutions(h, w, config.patch_size, config.depths.length);
  const name = (key: string) => declared.names[key] ?? key;
  const implied = [...config.pretrained_window_sizes];
  let disagreeing: string | undefined;
  for (const [buffer, t] of shapes) {
    const [, stageText, blockText, kind] = BUFFER.exec(buffer) ?? [];
    const res = resolutions[Number(stageText)];
    if (kind === undefined || !res) continue;
    const stage = Number(stageText);
    const found = bufferWindow(kind, t);
    if (found === undefined) continue; // a malformed buffer is reported (and recomputed) by verifyDerivedBuffers
    const block = resolveBlockGeometry(stage, Number(blockText), res[0], res[1], config.window_size, config.window_rule).window;
    if (checkWindow && found !== block) {
      const where = block === config.window_size ? '' : ` (a ${block}x${block} window at stage ${stage}'s ${res[0]}x${res[1]} map)`;
      throw new ConfigError(`${declared.source}: ${name('window_size')} is ${config.window_size}${where} but the weights have ${found} (their ${buffer})`);
    }
    if (!checkPretrained || kind !== 'relative_coords_table') continue;
    // 0 means "normalised by the block's own window", which a pretrained window equal to it also gives.
    const fromTable = pretrainedWindowOf(t, found);
    const stated = config.pretrained_window_sizes[stage] ?? 0;
    if (stated === fromTable || (fromTable === 0 && stated === found)) continue;
    implied[stage] = fromTable;
    disagreeing ??= buffer;
  }
  if (disagreeing) {
    throw new ConfigError(`${declared.source}: ${name('pretrained_window_sizes')} is ${JSON.stringify(config.pretrained_window_sizes)} but the weights have ${JSON.stringify(implied)} (their ${disagreeing})`);
  }
}
