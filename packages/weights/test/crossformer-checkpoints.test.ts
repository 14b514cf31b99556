import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SwinError, relativeOffsets, relativePositionIndex, tensor, type TensorData } from '@swin/core';
import { loadTensorWeights, readCheckpoint } from '../src/index.js';
import { FIXTURES } from './helpers/fixtures.js';

// Official CrossFormer checkpoints: cros_* (trained with the 2021 code, which stores each block's
// table of relative offsets `attn.biases` and its `attn.relative_position_index`) and cros_pp_*
// (the current code: no buffers; CPE and ACL weights). Key names are the official modules'.

const weightsOf = (name: string) => readCheckpoint(new Uint8Array(readFileSync(join(FIXTURES, name, 'weights.safetensors')))).tensors;

/** The buffers the 2021 code registered (persistent) for every block of group size `g` per stage. */
function with2021Buffers(weights: ReadonlyMap<string, TensorData>, groupOf: (stage: number) => number): Map<string, TensorData> {
  const out = new Map<string, TensorData>();
  for (const [name, t] of weights) {
    out.set(name, t);
    const m = /^(layers\.(\d+)\.blocks\.\d+\.attn)\.proj\.bias$/.exec(name);
    if (!m) continue;
    const g = groupOf(Number(m[2]));
    out.set(`${m[1]}.biases`, relativeOffsets(g, g));
    const index = relativePositionIndex(g, g);
    out.set(`${m[1]}.relative_position_index`, tensor('int64', index.shape, BigInt64Array.from(index.data, (v) => BigInt(v))));
  }
  return out;
}

describe('official CrossFormer checkpoints', () => {
  it('cros_*: the 2021 code\'s attn.biases and relative_position_index are verified and dropped', () => {
    // cf_official_t32: 8x8 then 4x4 tokens with group 4.
    const weights = with2021Buffers(weightsOf('cf_official_t32'), () => 4);
    const loaded = loadTensorWeights(weights, { config: { img_size: 32, group_size: [4, 4], crs_interval: [2, 1] } });
    expect(loaded.family).toBe('crossformer');
    expect(loaded.droppedBuffers.filter((n) => n.endsWith('.attn.biases'))).toHaveLength(4);
    expect(loaded.droppedBuffers.filter((n) => n.endsWith('.relative_position_index'))).toHaveLength(4);
    expect(loaded.warnings).toEqual([]);
    expect([...loaded.weights.keys()].some((n) => n.endsWith('.biases') || n.endsWith('relative_position_index'))).toBe(false);
    // A table that is not the recomputed one is reported, and the recomputed one is used.
    const bad = new Map(weights);
    bad.set('layers.0.blocks.1.attn.biases', tensor('float32', [49, 2], new Float32Array(98)));
    expect(loadTensorWeights(bad).warnings.join('\n')).toMatch(/derived buffer 'layers\.0\.blocks\.1\.attn\.biases' differs from the recomputed one in \d+ of 98 entries/);
  });

  it('cros_pp_*: CPE and ACL weights are read, and the options inferred from them', () => {
    const loaded = loadTensorWeights(weightsOf('cfpp_rand_cpe_acl_rect_40x56'), { config: { num_heads: [1, 2], img_size: [40, 56] } });
    expect(loaded.config).toMatchObject({ family: 'crossformer', use_cpe: true, use_acl: true, img_size: [40, 56] });
    expect(loaded.weights.has('layers.0.blocks.2.ex_conv.weight')).toBe(true);
    expect(loaded.weights.has('layers.1.blocks.0.cpe.weight')).toBe(true);
    expect(loaded.warnings).toEqual([]);
  });

  it('a recognised CrossFormer++ checkpoint with weights outside the inferred architecture is an error naming them', () => {
    const weights = new Map(weightsOf('cfpp_rand_3stage_alter_pad1_adaptive'));
    // An amplitude cooling layer where the official rule has none (the last block of a stage).
    for (const [k, shape] of [['ex_conv.weight', [64, 1, 3, 3]], ['ex_conv.bias', [64]]] as const) {
      weights.set(`layers.2.blocks.1.${k}`, tensor('float32', [...shape], new Float32Array(shape.reduce((a: number, b: number) => a * b, 1))));
    }
    expect(() => loadTensorWeights(weights)).toThrow(
      expect.objectContaining({
        code: 'UNEXPECTED_WEIGHT',
        message: expect.stringMatching(/2 weights are not part of the crossformer architecture .*'layers\.2\.blocks\.1\.ex_conv\.weight' \[64,1,3,3\], 'layers\.2\.blocks\.1\.ex_conv\.bias' \[64\]/),
      }),
    );
    expect(() => loadTensorWeights(weights)).toThrow(SwinError);
  });
});
