import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CROSSFORMER_DEFAULTS,
  GROUP_TYPES,
  blockGroupSizes,
  type GroupType,
  ConfigError,
  GraphBuilder,
  PADDED_KEY_MASK_VALUE,
  buildCrossFormerGraph,
  createReferenceBackend,
  crossFormerWeightShapes,
  crossScaleChannels,
  detectFamily,
  evaluateGraph,
  groupSlot,
  groupTokens,
  inferModelConfig,
  mergeCrossFormerConfig,
  modelComplexity,
  paddedKeyMask,
  randomCrossFormerWeights,
  relativeOffsets,
  resolveGroupGeometry,
  tensor,
  ungroupTokens,
  type CrossFormerConfig,
} from '../src/index.js';
import { FIXTURES_DIR, readSafetensorsF32 } from './helpers/fixtures.js';
import { expectMissingWeightNamed, opsAfterCompile } from './helpers/model-checks.js';

/** The shared official fixture's config (crossformer_t32_randomized). */
const tiny: CrossFormerConfig = mergeCrossFormerConfig(CROSSFORMER_DEFAULTS, {
  img_size: 32,
  patch_size: [4, 8, 16, 32],
  num_classes: 10,
  embed_dim: 32,
  depths: [2, 2],
  num_heads: [2, 4],
  group_size: [4, 4],
  crs_interval: [2, 1],
  mlp_ratio: [4, 4],
  merge_size: [[2, 4]],
});

describe('grouping', () => {
  it('resolves SDA / LDA, the shrink rule and the padding like the official block', () => {
    expect(resolveGroupGeometry(0, 1, 8, 8, 4, 2)).toMatchObject({ kind: 'LDA', groupHeight: 4, groupWidth: 4, paddedHeight: 8, numGroups: 4 });
    expect(resolveGroupGeometry(1, 1, 4, 4, 4, 1)).toMatchObject({ kind: 'SDA', groupSize: 4, numGroups: 1 }); // min(H,W) <= G: SDA
    expect(resolveGroupGeometry(1, 0, 3, 5, 4, 1)).toMatchObject({ kind: 'SDA', groupSize: 3, paddedHeight: 3, paddedWidth: 6, numGroups: 2 });
    // LDA pads to a multiple of G * I (the official layout): 6x10 with G 4, I 4 is one 16x16 region.
    expect(resolveGroupGeometry(0, 1, 6, 10, 4, 4)).toMatchObject({ kind: 'LDA', groupHeight: 4, groupWidth: 4, paddedHeight: 16, paddedWidth: 16, numGroups: 16, masked: true });
    expect(resolveGroupGeometry(0, 0, 6, 10, 4, 4)).toMatchObject({ kind: 'SDA', paddedHeight: 8, paddedWidth: 12, numGroups: 6 });
    // CrossFormer++ rules: adaptive interval ceil(H / G); pad_type 1 splits the padding; no_mask.
    expect(resolveGroupGeometry(0, 1, 16, 16, 6, 4, { adaptiveInterval: true, padType: 1 })).toMatchObject({ interval: 3, paddedHeight: 18, padTop: 1, padLeft: 1, masked: true });
    expect(resolveGroupGeometry(1, 0, 6, 6, 4, 1, { noMask: true })).toMatchObject({ paddedHeight: 8, masked: false });
  });

  it('LDA cuts (G I)-sized regions and group (i, j) of a region holds its tokens (i + I y, j + I x); ungrouping inverts it', () => {
    for (const [H, W, G, I] of [
      [6, 6, 3, 2], // one region: reshape + transpose only
      [8, 12, 2, 2], // 2x3 regions: windowPartition of regions first
    ] as const) {
      const g = resolveGroupGeometry(0, 1, H, W, G, I);
      expect([g.paddedHeight, g.paddedWidth]).toEqual([H, W]);
      const b = new GraphBuilder(false);
      const x = b.constant('x', tensor('float32', [1, H, W, 1], Float32Array.from({ length: H * W }, (_, i) => i)));
      const grouped = groupTokens(b, x, g);
      b.output(grouped);
      b.output(b.op('reshape', [ungroupTokens(b, grouped, g)], { shape: [1, H, W, 1] }, 'back', true));
      const out = evaluateGraph(b.build(), {});
      const got = out[grouped.name]!.data as Float32Array;
      const span = G * I;
      for (let y = 0; y < H; y++) {
        for (let xx = 0; xx < W; xx++) {
          const { group, token } = groupSlot(g, y, xx);
          const region = Math.floor(y / span) * (W / span) + Math.floor(xx / span);
          expect(group).toBe((region * I + (y % span) % I) * I + ((xx % span) % I));
          expect(got[group * G * G + token]).toBe(y * W + xx);
        }
      }
      expect(Array.from(out['back']!.data as Float32Array)).toEqual(Array.from({ length: H * W }, (_, i) => i));
    }
  });

  it('computes per-block group sizes like the official compute_group_size for every group_type', () => {
    const table = JSON.parse(readFileSync(join(FIXTURES_DIR, 'crossformer_group_sizes.json'), 'utf8')) as {
      cases: { img_size: number; patch_size: number; group_size: number[]; depths: number[]; group_type: GroupType; block_group_sizes: number[][] }[];
    };
    expect(new Set(table.cases.map((c) => c.group_type))).toEqual(new Set(GROUP_TYPES));
    for (const c of table.cases) {
      const config = { ...CROSSFORMER_DEFAULTS, img_size: c.img_size, patch_size: [c.patch_size], depths: c.depths, group_size: c.group_size, group_type: c.group_type };
      expect(blockGroupSizes(config), JSON.stringify(c)).toEqual(c.block_group_sizes);
    }
  });

  it('masks exactly the padded keys with -1e6, for every query of their group', () => {
    const g = resolveGroupGeometry(1, 0, 3, 5, 4, 1); // SDA G=3 on 3x6: group 1 holds column 5
    const m = paddedKeyMask(g)!;
    expect(m.shape).toEqual([2, 1, 9, 9]);
    const data = m.data;
    expect(Array.from(data.subarray(0, 81)).every((v) => v === 0)).toBe(true);
    for (let q = 0; q < 9; q++) for (let k = 0; k < 9; k++) expect(data[81 + q * 9 + k]).toBe(k % 3 === 2 ? PADDED_KEY_MASK_VALUE : 0);
    expect(paddedKeyMask(resolveGroupGeometry(0, 0, 8, 8, 4, 2))).toBeUndefined();
  });

  it('lists relative offsets dy-major, in the relative position index order', () => {
    const t = relativeOffsets(2, 3);
    expect(t.shape).toEqual([15, 2]);
    expect(Array.from(t.data.subarray(0, 6))).toEqual([-1, -2, -1, -1, -1, 0]);
    expect(Array.from(t.data.subarray(28))).toEqual([1, 2]);
  });

  it('splits cross-scale channels by halving, the last kernel taking the rest', () => {
    expect(crossScaleChannels(64, 4)).toEqual([32, 16, 8, 8]);
    expect(crossScaleChannels(64, 2)).toEqual([32, 32]);
    expect(crossScaleChannels(96, 1)).toEqual([96]);
  });
});

describe('CrossFormer architecture inference', () => {
  it('recognises the family and recovers the parameters; group sizes and intervals come from the config', () => {
    const w = randomCrossFormerWeights(tiny, 1);
    expect(detectFamily(w)).toBe('crossformer');
    const inferred = inferModelConfig(w);
    expect(inferred).toEqual({ ...tiny, img_size: 224, group_size: [7, 7], crs_interval: [2, 1] });
    expect(inferModelConfig(w, { img_size: 32, group_size: 4 })).toEqual(tiny);
  });
  it('reads the CrossFormer++ options its weights reveal: ACL, CPE and the training rows CPE fixes', () => {
    const { tensors } = readSafetensorsF32(join(FIXTURES_DIR, 'cfpp_rand_cpe_acl_rect_40x56', 'weights.safetensors'));
    const inferred = inferModelConfig(tensors, { num_heads: [1, 2] });
    expect(inferred).toMatchObject({ family: 'crossformer', use_cpe: true, use_acl: true, img_size: 40, depths: [4, 2], embed_dim: 16 });
    // Without a position MLP the heads are not in the weights: the released models' 32-channel heads, or an error.
    expect(() => inferModelConfig(tensors)).toThrow(/cannot infer num_heads: a CrossFormer\+\+ with use_cpe .* pass num_heads/);
    // The CPE convolutions have one channel per row: another height is refused, another width runs.
    const config = mergeCrossFormerConfig(inferred as CrossFormerConfig, { img_size: [40, 56] });
    expect(() => buildCrossFormerGraph(config, tensors, { inputSize: [48, 56] })).toThrow(/use_cpe: stage 0's position-encoding convolutions .* 10-row map .* this input gives 12 rows; use an input of 40 pixel rows/);
    expect(buildCrossFormerGraph(config, tensors, { inputSize: [40, 24] }).unusedWeights).toEqual([]);
  });

  it('refuses configs the official code cannot build, naming the key', () => {
    expect(() => mergeCrossFormerConfig(tiny, { group_type: 'linear_mod' })).toThrow(/config.group_type: expected one of "constant", "linear", "linear_div", "alter", "7_14", found "linear_mod"/);
    expect(() => mergeCrossFormerConfig(tiny, { pad_type: 2 })).toThrow(/config.pad_type: expected 0 \(pad bottom\/right\) or 1/);
    expect(() => mergeCrossFormerConfig(tiny, { use_acl: 'yes' })).toThrow(/config.use_acl: expected a boolean/);
    expect(() => mergeCrossFormerConfig(tiny, { use_cpe: true, img_size: 4 })).toThrow(/config.img_size: expected at least 8 rows with use_cpe/);
    expect(() => mergeCrossFormerConfig(tiny, { ape2: true })).toThrow(/unknown config key 'ape2': expected one of .*group_type, use_cpe, pad_type, no_mask, adaptive_interval, use_acl/);
    expect(() => mergeCrossFormerConfig(tiny, { patch_size: [4, 7] })).toThrow(/patch_size\[1\]: expected a kernel >= 4 differing from the stride 4 by an even number, found 7/);
    expect(() => mergeCrossFormerConfig(tiny, { embed_dim: 8, num_heads: [1, 2] })).toThrow(/embed_dim: expected at least 16/);
    expect(() => mergeCrossFormerConfig(tiny, { crs_interval: [2] })).toThrow(/crs_interval: expected a list of 2 positive integers/);
    expect(() => mergeCrossFormerConfig(tiny, { ape: true })).toThrow(ConfigError);
  });
});

describe('CrossFormer graph', () => {
  it('names a missing or misshapen weight', () => {
    expectMissingWeightNamed((w) => buildCrossFormerGraph(tiny, w), randomCrossFormerWeights(tiny, 1), 'layers.1.blocks.1.attn.pos.pos3.2.weight', [4, 4]);
  });

  it('uses only ops of the contract, with the position-bias MLPs and masks folded at compile', async () => {
    const ops = await opsAfterCompile(buildCrossFormerGraph(tiny, randomCrossFormerWeights(tiny, 2), { inputSize: [24, 40] }));
    expect(ops.get('relu') ?? 0).toBe(0);
    expect(ops.get('gather') ?? 0).toBe(0);
    // LayerNorms left per run: patch norm, norm1 + norm2 per block, one per merge, the final norm
    expect(ops.get('layerNorm')).toBe(1 + 2 * 4 + 1 + 1);
  });

  it('is batch-polymorphic on non-divisible, non-square inputs', async () => {
    const model = buildCrossFormerGraph(tiny, randomCrossFormerWeights(tiny, 3), { inputSize: [24, 40], outputs: ['logits', 'stage0'] });
    expect(model.blocks.map((b) => [b.kind, b.groupHeight, b.groupWidth, b.paddedHeight, b.paddedWidth])).toEqual([
      ['SDA', 4, 4, 8, 12],
      ['LDA', 4, 4, 8, 16],
      ['SDA', 3, 3, 3, 6],
      ['SDA', 3, 3, 3, 6],
    ]);
    const exe = await createReferenceBackend().compile(model.graph);
    const one = tensor('float32', [1, 3, 24, 40], Float32Array.from({ length: 3 * 24 * 40 }, (_, i) => Math.sin(i)));
    const two = tensor('float32', [2, 3, 24, 40], new Float32Array(2 * 3 * 24 * 40));
    (two.data as Float32Array).set(one.data as Float32Array);
    const a = await exe.run({ input: one });
    const b = await exe.run({ input: two });
    expect(b['stage0']!.shape).toEqual([2, 6, 10, 32]);
    const la = Array.from(a['logits']!.data as Float32Array);
    Array.from(b['logits']!.data as Float32Array)
      .slice(0, 10)
      .forEach((v, i) => expect(Math.abs(v - la[i]!)).toBeLessThan(1e-6));
  });

  it('counts parameters like the official code, and MACs like its flops() minus the folded position-bias MLPs', () => {
    const { parameters, macs } = modelComplexity(tiny);
    expect(parameters).toBe(164786); // shared fixture manifest: num_params
    // The official flops() (4,822,400 in the manifest) also counts each block's DPB MLP once per group,
    // N*(2d + 2d^2 + d*heads) with N = group tokens: 3,840 here. Folding makes that a compile-time cost.
    const dpb = (groups: number, n: number, d: number, heads: number) => groups * n * (2 * d + 2 * d * d + d * heads);
    expect(macs + 2 * dpb(4, 16, 2, 2) + 2 * dpb(1, 16, 4, 4)).toBe(4822400);
    expect(crossFormerWeightShapes(tiny).length).toBe(124); // the official state_dict's 124 entries
  });
});
