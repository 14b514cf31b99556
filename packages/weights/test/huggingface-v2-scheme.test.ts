import { describe, expect, it } from 'vitest';
import { MODEL_FAMILIES, SWIN_V2_DEFAULTS, inferModelConfig, mergeSwinV2Config, randomSwinV2Weights, tensor, type TensorData } from '@swin/core';
import { fromHuggingFace, huggingFaceNamesOf } from '../src/schemes/huggingface-scheme.js';
import { eagerTensor, materialize, type LazyTensor } from '../src/tensors/lazy-tensor.js';
import { loadTensorWeights } from '../src/index.js';
import { toHuggingFaceV2Names } from './helpers/huggingface-folder.js';

// A Swin V2 in canonical (official) names, and the same tensors under Hugging Face Swinv2 names.
const config = mergeSwinV2Config(SWIN_V2_DEFAULTS, { img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10 });
const canonical = randomSwinV2Weights(config, 5);

/** The canonical weights under Swinv2 names, lazily (as a checkpoint reader hands them over). */
function toHuggingFace(sd: ReadonlyMap<string, TensorData>): Map<string, LazyTensor> {
  return new Map([...toHuggingFaceV2Names(sd)].map(([n, t]) => [n, eagerTensor(t)]));
}

describe('Hugging Face Swin V2 scheme', () => {
  it('maps every Swinv2 name back to the canonical tensor, bit for bit', () => {
    const hf = toHuggingFace(canonical);
    expect(huggingFaceNamesOf([...hf.keys()]).label).toBe('Swin V2');
    const notes: string[] = [];
    const out = materialize(fromHuggingFace(hf, notes));
    expect(notes).toEqual([]);
    expect([...out.keys()].sort()).toEqual([...canonical.keys()].sort());
    for (const [name, want] of canonical) {
      expect(out.get(name)!.shape, name).toEqual(want.shape);
      expect(Array.from(out.get(name)!.data as Float32Array), name).toEqual(Array.from(want.data as Float32Array));
    }
    expect(inferModelConfig(out, { window_size: 4 })).toEqual(config);
  });

  it('is detected and mapped by loadWeights', () => {
    const hf = materialize(toHuggingFace(canonical));
    const r = loadTensorWeights(hf, { config: { window_size: 4, img_size: 32 } });
    expect(r).toMatchObject({ scheme: 'huggingface', family: 'swin_v2', warnings: [] });
    expect(r.schemeReason).toContain('Swin V2');
    expect(r.config).toEqual(config);
    expect([...r.weights.keys()].sort()).toEqual([...canonical.keys()].sort());
    for (const [name, want] of canonical) expect(r.weights.get(name)!.data, name).toEqual(want.data);
  });

  it('names the missing sibling of a split qkv, and drops a key bias with a note', () => {
    const hf = toHuggingFace(canonical);
    hf.delete('swinv2.encoder.layers.1.blocks.0.attention.self.value.weight');
    expect(() => fromHuggingFace(hf, [])).toThrow(/missing weight 'swinv2.encoder.layers.1.blocks.0.attention.self.value.weight'/);
    const withKeyBias = toHuggingFace(canonical);
    withKeyBias.set('swinv2.encoder.layers.0.blocks.0.attention.self.key.bias', eagerTensor(tensor('float32', [16], new Float32Array(16))));
    const notes: string[] = [];
    fromHuggingFace(withKeyBias, notes);
    expect(notes).toEqual([expect.stringMatching(/has no key bias/)]);
  });
});

describe('Hugging Face names in the family descriptors', () => {
  it('tell the families apart: exactly one has no marker, and a marked family is found by its marker alone', () => {
    const families = MODEL_FAMILIES.flatMap((f) => (f.checkpoint.huggingface ? [f.checkpoint.huggingface] : []));
    expect(families.map((f) => f.label)).toEqual(['Swin', 'Swin V2']);
    expect(families.filter((f) => !f.marker)).toHaveLength(1);
    expect(huggingFaceNamesOf(['swinv2.embeddings.norm.weight']).label).toBe('Swin V2');
    expect(huggingFaceNamesOf(['encoder.layers.0.blocks.0.attention.self.continuous_position_bias_mlp.0.weight']).label).toBe('Swin V2');
    expect(huggingFaceNamesOf(['swin.embeddings.norm.weight']).label).toBe('Swin');
  });
});
