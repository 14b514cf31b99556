import { describe, expect, it } from 'vitest';
import { tensor, type TensorData } from '@swin/core';
import { loadTensorWeights, readCheckpoint } from '../src/index.js';
import { readFixture } from './helpers/fixtures.js';
import { thrownSwinError } from './helpers/thrown.js';

// A checkpoint that is recognised but not fully mapped is an error, never a warning: running it
// would give wrong answers with exit 0.

const canonical = readCheckpoint(readFixture('schemes', 'canonical.safetensors')).tensors;

describe('partial mappings are errors', () => {
  it("head.bias without head.weight is a missing weight, not a headless model", () => {
    const tensors = new Map<string, TensorData>([...canonical].filter(([n]) => n !== 'head.weight'));
    const e = thrownSwinError(() => loadTensorWeights(tensors));
    expect(e.code).toBe('MISSING_WEIGHT');
    expect(e.message).toMatch(/missing weight 'head\.weight': the checkpoint has 'head\.bias' \[10\]/);
    const noBias = new Map<string, TensorData>([...canonical].filter(([n]) => n !== 'head.bias'));
    expect(thrownSwinError(() => loadTensorWeights(noBias)).message).toMatch(/missing weight 'head\.bias'/);
    // Without both, the model is headless, as before.
    const headless = new Map<string, TensorData>([...canonical].filter(([n]) => !n.startsWith('head.')));
    expect(loadTensorWeights(headless).config.num_classes).toBe(0);
    // And dropping the head on request still works.
    expect(loadTensorWeights(canonical, { numClasses: 0 }).weights.has('head.bias')).toBe(false);
  });

  it('a weight the inferred architecture lacks is an error naming it', () => {
    const tensors = new Map<string, TensorData>(canonical);
    tensors.set('layers.0.blocks.0.attn.extra_gate', tensor('float32', [4], new Float32Array(4)));
    const e = thrownSwinError(() => loadTensorWeights(tensors));
    expect(e.code).toBe('UNEXPECTED_WEIGHT');
    expect(e.message).toMatch(/1 weights are not part of the swin_v1 architecture .*'layers\.0\.blocks\.0\.attn\.extra_gate' \[4\]/);
  });
});
