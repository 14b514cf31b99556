import { describe, expect, it } from 'vitest';
import { SWIN_V1_DEFAULTS, shiftWindowMask, type SwinV1Config } from '@swin/core';
import { windowLayout } from '../src/window-layout.js';

const config = (over: Partial<SwinV1Config>): SwinV1Config => ({ ...SWIN_V1_DEFAULTS, ...over });

describe('window layout', () => {
  const c = config({ img_size: 64, patch_size: 4, window_size: 4, depths: [2, 2, 2], num_heads: [1, 2, 4], embed_dim: 32, num_classes: 30 });

  it('regular windows tile the map row-major', () => {
    const l = windowLayout(c, [64, 64], 0, 0);
    expect(l.geometry).toMatchObject({ height: 16, width: 16, window: 4, shift: 0 });
    expect(l.pixelsPerToken).toBe(4);
    expect(l.tokens[0]).toEqual({ window: 0, slot: 0, region: 0 });
    expect(l.tokens[5 * 16 + 6]).toEqual({ window: 5, slot: 6, region: 0 }); // (5,6): window (1,1), slot (1,2)
  });

  it('shifted windows: token (y, x) sits at ((y-2) mod 16, (x-2) mod 16) of the rolled map', () => {
    const l = windowLayout(c, [64, 64], 0, 1);
    expect(l.geometry.shift).toBe(2);
    expect(l.tokens[2 * 16 + 2]).toMatchObject({ window: 0, slot: 0 });
    expect(l.tokens[0]).toMatchObject({ window: 15, slot: 2 * 4 + 2 }); // wraps into the last window
    for (let i = 0; i < 256; i++) {
      const { window, slot } = l.tokens[i]!;
      expect(l.tokenAt(window, slot)).toEqual({ y: Math.floor(i / 16), x: i % 16 });
    }
  });

  it('mask regions agree with core: same region <=> mask 0', () => {
    const l = windowLayout(c, [64, 64], 1, 1); // stage 1: 8x8 tokens, 2x2 windows, shift 2
    expect(l.geometry).toMatchObject({ height: 8, width: 8, shift: 2 });
    const mask = shiftWindowMask(8, 8, [4, 4], [2, 2]);
    const [nW, n] = [mask.shape[0]!, mask.shape[1]!];
    const byWindowSlot = new Map<string, number>();
    l.tokens.forEach((t) => byWindowSlot.set(`${t.window}.${t.slot}`, t.region));
    for (let w = 0; w < nW; w++) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const same = byWindowSlot.get(`${w}.${i}`) === byWindowSlot.get(`${w}.${j}`);
          expect((mask.data as Float32Array)[(w * n + i) * n + j]).toBe(same ? 0 : -100);
        }
      }
    }
  });

  it('a stage no larger than the window has one window and no shift', () => {
    const l = windowLayout(c, [64, 64], 2, 1);
    expect(l.geometry).toMatchObject({ height: 4, width: 4, window: 4, shift: 0 });
    expect(new Set(l.tokens.map((t) => t.window))).toEqual(new Set([0]));
  });
});
