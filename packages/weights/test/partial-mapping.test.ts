import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SwinError, tensor, type TensorData } from '@swin/core';
import { loadTensorWeights, readCheckpoint } from '../src/index.js';
import { readWeightsFile } from '../src/node/index.js';
import { readFixture } from './helpers/fixtures.js';
import { findPython } from './helpers/find-python.js';

// A checkpoint that is recognised but not fully mapped is an error, never a warning: running it
// would give wrong answers with exit 0.

function errorOf(f: () => unknown): SwinError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SwinError);
    return e as SwinError;
  }
  throw new Error('expected an error');
}

const canonical = readCheckpoint(readFixture('schemes', 'canonical.safetensors')).tensors;

describe('partial mappings are errors', () => {
  it("head.bias without head.weight is a missing weight, not a headless model", () => {
    const tensors = new Map<string, TensorData>([...canonical].filter(([n]) => n !== 'head.weight'));
    const e = errorOf(() => loadTensorWeights(tensors));
    expect(e.code).toBe('MISSING_WEIGHT');
    expect(e.message).toMatch(/missing weight 'head\.weight': the checkpoint has 'head\.bias' \[10\]/);
    const noBias = new Map<string, TensorData>([...canonical].filter(([n]) => n !== 'head.bias'));
    expect(errorOf(() => loadTensorWeights(noBias)).message).toMatch(/missing weight 'head\.bias'/);
    // Without both, the model is headless, as before.
    const headless = new Map<string, TensorData>([...canonical].filter(([n]) => !n.startsWith('head.')));
    expect(loadTensorWeights(headless).config.num_classes).toBe(0);
    // And dropping the head on request still works.
    expect(loadTensorWeights(canonical, { numClasses: 0 }).weights.has('head.bias')).toBe(false);
  });

  it('a weight the inferred architecture lacks is an error naming it', () => {
    const tensors = new Map<string, TensorData>(canonical);
    tensors.set('layers.0.blocks.0.attn.extra_gate', tensor('float32', [4], new Float32Array(4)));
    const e = errorOf(() => loadTensorWeights(tensors));
    expect(e.code).toBe('UNEXPECTED_WEIGHT');
    expect(e.message).toMatch(/1 weights are not part of the swin_v1 architecture .*'layers\.0\.blocks\.0\.attn\.extra_gate' \[4\]/);
  });

  describe("torchvision's swin_v2 state dict (recognised as Swin V2, its qkv.bias not mapped)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'swin-tv2-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('is refused naming the unmapped qkv biases', { timeout: 120_000 }, () => {
      const file = join(dir, 'tv_swin_v2.pth');
      // A small torchvision Swin V2 (the swin_v2_t blocks, 32 px), saved by PyTorch.
      const script = [
        'import sys, torch',
        'from torchvision.models.swin_transformer import SwinTransformer, SwinTransformerBlockV2, PatchMergingV2',
        'torch.manual_seed(0)',
        'm = SwinTransformer(patch_size=[4, 4], embed_dim=16, depths=[2, 2], num_heads=[1, 2], window_size=[4, 4], num_classes=10, block=SwinTransformerBlockV2, downsample_layer=PatchMergingV2)',
        'torch.save(m.state_dict(), sys.argv[1])',
      ].join('\n');
      execFileSync(findPython(), ['-c', script, file], { stdio: ['ignore', 'ignore', 'inherit'] });
      const e = errorOf(() => readWeightsFile(file));
      expect(e.code).toBe('UNEXPECTED_WEIGHT');
      expect(e.message).toMatch(/weights are not part of the swin_v2 architecture/);
      expect(e.message).toMatch(/'layers\.0\.blocks\.0\.attn\.qkv\.bias' \[48\]/);
    });
  });
});
