import { shiftWindowMask } from '@swin/core';
import { f, float16Of, opCase, type OpCase } from './op-case.js';

function linearCases(): OpCase[] {
  const cases: OpCase[] = [
    opCase('linear', 'tokens', [f('x', [2, 16, 24]), f('w', [40, 24]), f('bias', [40])], {}, { reduction: 24, title: 'x [2,16,24] @ w[40,24]^T + b' }),
    opCase('linear', 'no-bias', [f('x', [5, 12]), f('w', [7, 12]), null], {}, { reduction: 12, title: 'rank-2 input, no bias (patch-merging reduction)' }),
    opCase('linear', 'nhwc', [f('x', [2, 3, 5, 16]), f('w', [8, 16]), f('bias', [8])], {}, { reduction: 16, title: 'rank-4 NHWC input' }),
    opCase('linear', 'head', [f('x', [3, 96]), f('w', [10, 96]), f('bias', [10])], {}, { reduction: 96, title: 'classifier head, batch 3' }),
    opCase('linear', 'size1', [f('x', [1, 1]), f('w', [1, 1]), f('bias', [1])], {}, { reduction: 1, title: 'one feature in, one out' }),
    opCase('linear', 'mlp-wide', [f('x', [49, 96]), f('w', [384, 96]), f('bias', [384])], {}, { reduction: 96, title: 'MLP fc1 of one window' }),
  ];
  cases.push(float16Of(cases, 0));
  return cases;
}

function partitionCases(): OpCase[] {
  return [
    opCase('windowPartition', 'no-shift', [f('x', [1, 8, 8, 3])], { window: [4, 4], shift: [0, 0] }, { title: '8x8 map, window 4, no shift' }),
    opCase('windowPartition', 'shift', [f('x', [1, 8, 8, 3])], { window: [4, 4], shift: [2, 2] }, { title: '8x8 map, window 4, shift 2' }),
    opCase('windowPartition', 'rect-batch', [f('x', [2, 8, 16, 5])], { window: [4, 4], shift: [2, 2] }, { title: 'batch 2, rectangular 8x16, shift 2' }),
    opCase('windowPartition', 'rect-window', [f('x', [2, 6, 8, 2])], { window: [3, 2], shift: [1, 1] }, { title: 'rectangular window 3x2, shift 1' }),
    opCase('windowPartition', 'odd-window', [f('x', [1, 10, 15, 4])], { window: [5, 5], shift: [2, 2] }, { title: 'window 5 (padded stage), shift 2' }),
    opCase('windowPartition', 'shrunken-window', [f('x', [2, 4, 4, 6])], { window: [4, 4], shift: [0, 0] }, { title: 'window shrunk to the 4x4 map: one window, no shift' }),
    opCase('windowPartition', 'shift-one-axis', [f('x', [1, 4, 8, 2])], { window: [4, 4], shift: [0, 2] }, { title: 'shift on the width axis only' }),
    opCase('windowPartition', 'size1-window', [f('x', [1, 3, 2, 2])], { window: [1, 1], shift: [0, 0] }, { title: 'window 1x1' }),
  ];
}

function reverseCases(): OpCase[] {
  return [
    opCase('windowReverse', 'no-shift', [f('x', [4, 16, 3])], { window: [4, 4], shift: [0, 0], height: 8, width: 8 }, { title: '4 windows of 4x4 -> 8x8' }),
    opCase('windowReverse', 'shift', [f('x', [4, 16, 3])], { window: [4, 4], shift: [2, 2], height: 8, width: 8 }, { title: '-> 8x8 then roll by +2' }),
    opCase('windowReverse', 'rect-batch', [f('x', [16, 16, 5])], { window: [4, 4], shift: [2, 2], height: 8, width: 16 }, { title: 'batch 2, rectangular 8x16, shift 2' }),
    opCase('windowReverse', 'rect-window', [f('x', [16, 6, 2])], { window: [3, 2], shift: [1, 1], height: 6, width: 8 }, { title: 'rectangular window 3x2, shift 1' }),
    opCase('windowReverse', 'odd-window', [f('x', [6, 25, 4])], { window: [5, 5], shift: [2, 2], height: 10, width: 15 }, { title: 'window 5, shift 2' }),
    opCase('windowReverse', 'shrunken-window', [f('x', [2, 16, 6])], { window: [4, 4], shift: [0, 0], height: 4, width: 4 }, { title: 'one window per image, batch 2' }),
  ];
}

interface AttentionShape {
  readonly bw: number;
  readonly n: number;
  readonly c: number;
  readonly heads: number;
  readonly nWb: number;
  readonly qkvBias?: boolean;
  readonly projBias?: boolean;
  /** attnBias values (else normal draws). */
  readonly mask?: readonly number[];
}

/**
 * The two windows of a w x 2w map shifted by floor(w/2) on both axes: the -100 shift mask (shared by
 * the heads; both axes' regions fall inside each window) plus a smooth per-head bias, as the Swin
 * builder folds them into attnBias. [2, heads, w*w, w*w].
 */
function shiftedWindowBias(w: number, heads: number): number[] {
  const n = w * w;
  const s = Math.floor(w / 2);
  const mask = shiftWindowMask(w, 2 * w, [w, w], [s, s]);
  const out: number[] = [];
  // The mask is [2, 1, n, n]: win < 2 and i < n * n stay inside it.
  for (let win = 0; win < 2; win++) for (let h = 0; h < heads; h++) for (let i = 0; i < n * n; i++) out.push(mask.data[win * n * n + i]! + 0.3 * Math.sin(i + h));
  return out;
}

/**
 * Windows 5, 7, 12 and 24 (25, 49, 144, 576 keys: odd windows, Swin-T, the 384 models, Swin V2 384):
 * kernels that block keys (64 at a time, or a workgroup's worth) must be right past the first block.
 * Each size once unshifted with qkv and proj biases, once shifted (2 windows, -100 mask, batch 2)
 * without them. Window 24 runs batch 1 with heads of 8 to keep its cost (N^2 per head) modest.
 */
function windowSizeCases(attn: (label: string, title: string, o: AttentionShape) => OpCase): OpCase[] {
  const cases: OpCase[] = [];
  for (const w of [5, 7, 12, 24]) {
    const n = w * w;
    const heads = 2;
    const c = w === 24 ? 16 : 32;
    const batch = w === 24 ? 1 : 2;
    const shape = `${heads} heads of ${c / heads}`;
    if (w !== 7) cases.push(attn(`window${w}`, `window ${w} (N = ${n}), ${shape}, qkv and proj bias, batch ${batch}`, { bw: batch, n, c, heads, nWb: 1 }));
    cases.push(
      attn(`window${w}-shift`, `window ${w} (N = ${n}) shifted: 2 windows with the -100 mask, ${shape}, no qkv or proj bias, batch ${batch}`, {
        bw: 2 * batch,
        n,
        c,
        heads,
        nWb: 2,
        qkvBias: false,
        projBias: false,
        mask: shiftedWindowBias(w, heads),
      }),
    );
  }
  return cases;
}

function attentionCases(): OpCase[] {
  const attn = (label: string, title: string, o: AttentionShape) => {
    const { bw, n, c, heads, nWb } = o;
    const biasFill = o.mask ? { kind: 'values' as const, values: o.mask } : { kind: 'normal' as const };
    return opCase(
      'windowAttention',
      label,
      [
        f('x', [bw, n, c]),
        f('qkvWeight', [3 * c, c], { kind: 'normal', scale: 1 / Math.sqrt(c) }),
        o.qkvBias === false ? null : f('qkvBias', [3 * c], { kind: 'normal', scale: 0.1 }),
        f('projWeight', [c, c], { kind: 'normal', scale: 1 / Math.sqrt(c) }),
        o.projBias === false ? null : f('projBias', [c], { kind: 'normal', scale: 0.1 }),
        f('attnBias', [nWb, heads, n, n], biasFill),
      ],
      { numHeads: heads, scale: (c / heads) ** -0.5 },
      { reduction: Math.max(c, n), title },
    );
  };
  // A real shift mask plus a bias: what the Swin builder folds into attnBias on shifted blocks.
  const mask = shiftWindowMask(8, 8, [4, 4], [2, 2]); // [4,1,16,16]
  const heads = 2;
  const maskWithHeads: number[] = [];
  // The mask is [4, 1, 16, 16]: w < 4 and i < 256 stay inside it.
  for (let w = 0; w < 4; w++) for (let h = 0; h < heads; h++) for (let i = 0; i < 256; i++) maskWithHeads.push(mask.data[w * 256 + i]! + 0.3 * Math.sin(i + h));
  const cases: OpCase[] = [
    attn('single-bias', 'nWb = 1 (unshifted block), 2 heads, batch of 6 windows', { bw: 6, n: 16, c: 16, heads: 2, nWb: 1 }),
    attn('shift-mask', 'per-window bias with the -100 shift mask, batch 2 x 4 windows', { bw: 8, n: 16, c: 16, heads, nWb: 4, mask: [...maskWithHeads] }),
    attn('one-head-no-bias', 'one head, no qkv or proj bias', { bw: 2, n: 9, c: 8, heads: 1, nWb: 1, qkvBias: false, projBias: false }),
    attn('window7', 'window 7 (N = 49), 3 heads of 32 (Swin-T stage 0)', { bw: 2, n: 49, c: 96, heads: 3, nWb: 1 }),
    attn('size1-window', 'N = 1 (one-token window)', { bw: 3, n: 1, c: 4, heads: 2, nWb: 1 }),
    ...windowSizeCases(attn),
    opCase(
      'windowAttention',
      'custom-scale',
      [f('x', [4, 4, 8]), f('qkvWeight', [24, 8]), f('qkvBias', [24]), f('projWeight', [8, 8]), f('projBias', [8]), f('attnBias', [2, 2, 4, 4])],
      { numHeads: 2, scale: 0.3 },
      { reduction: 8, title: 'qk_scale override 0.3, nWb = 2' },
    ),
  ];
  cases.push(float16Of(cases, 0));
  return cases;
}

function mergingCases(): OpCase[] {
  return [
    opCase('patchMerging', 'even', [f('x', [2, 8, 8, 3])], {}, { title: 'batch 2, 8x8' }),
    opCase('patchMerging', 'rect', [f('x', [1, 4, 10, 2])], {}, { title: 'rectangular 4x10' }),
    opCase('patchMerging', 'odd-height', [f('x', [1, 7, 6, 2])], {}, { title: 'odd height: zero row at the bottom' }),
    opCase('patchMerging', 'odd-both', [f('x', [2, 5, 3, 4])], {}, { title: 'odd height and width' }),
    opCase('patchMerging', 'one-pixel', [f('x', [1, 1, 1, 3])], {}, { title: '1x1 map (three zero phases)' }),
  ];
}

/** Every composite's cases: checked against core's decomposition run by the reference kernels. */
export function compositeCases(): OpCase[] {
  return [...linearCases(), ...partitionCases(), ...reverseCases(), ...attentionCases(), ...mergingCases()];
}
