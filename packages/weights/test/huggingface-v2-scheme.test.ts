import { describe, expect, it } from 'vitest';
import { SWIN_V2_DEFAULTS, inferModelConfig, mergeSwinV2Config, randomSwinV2Weights, tensor, type TensorData } from '@swin/core';
import { fromHuggingFaceV2, isHuggingFaceSwinV2 } from '../src/schemes/huggingface-v2-scheme.js';
import { eagerTensor, materialize, type LazyTensor } from '../src/tensors/lazy-tensor.js';
import { loadTensorWeights } from '../src/index.js';

// A Swin V2 in canonical (official) names, and the same tensors under Hugging Face Swinv2 names.
const config = mergeSwinV2Config(SWIN_V2_DEFAULTS, { img_size: 32, embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, num_classes: 10 });
const canonical = randomSwinV2Weights(config, 5);

function rows(t: TensorData, from: number, to: number): TensorData {
  const cols = t.shape[1]!;
  return tensor('float32', [to - from, cols], (t.data as Float32Array).slice(from * cols, to * cols));
}

function toHuggingFace(sd: ReadonlyMap<string, TensorData>): Map<string, LazyTensor> {
  const out = new Map<string, LazyTensor>();
  const put = (name: string, t: TensorData) => out.set(name, eagerTensor(t));
  for (const [name, t] of sd) {
    let m: RegExpExecArray | null;
    if ((m = /^patch_embed\.proj\.(.+)$/.exec(name))) put(`swinv2.embeddings.patch_embeddings.projection.${m[1]}`, t);
    else if ((m = /^patch_embed\.norm\.(.+)$/.exec(name))) put(`swinv2.embeddings.norm.${m[1]}`, t);
    else if ((m = /^layers\.(\d+)\.blocks\.(\d+)\.(.+)$/.exec(name))) {
      const pre = `swinv2.encoder.layers.${m[1]}.blocks.${m[2]}.`;
      const rest = m[3]!;
      if (rest === 'attn.qkv.weight') {
        const c = t.shape[1]!;
        put(`${pre}attention.self.query.weight`, rows(t, 0, c));
        put(`${pre}attention.self.key.weight`, rows(t, c, 2 * c));
        put(`${pre}attention.self.value.weight`, rows(t, 2 * c, 3 * c));
      } else if (rest === 'attn.q_bias') put(`${pre}attention.self.query.bias`, t);
      else if (rest === 'attn.v_bias') put(`${pre}attention.self.value.bias`, t);
      else {
        const hf = rest
          .replace(/^norm1\./, 'layernorm_before.')
          .replace(/^norm2\./, 'layernorm_after.')
          .replace(/^attn\.logit_scale$/, 'attention.self.logit_scale')
          .replace(/^attn\.cpb_mlp\./, 'attention.self.continuous_position_bias_mlp.')
          .replace(/^attn\.proj\./, 'attention.output.dense.')
          .replace(/^mlp\.fc1\./, 'intermediate.dense.')
          .replace(/^mlp\.fc2\./, 'output.dense.');
        put(pre + hf, t);
      }
    } else if ((m = /^layers\.(\d+)\.downsample\.(.+)$/.exec(name))) put(`swinv2.encoder.layers.${m[1]}.downsample.${m[2]}`, t);
    else if ((m = /^norm\.(.+)$/.exec(name))) put(`swinv2.layernorm.${m[1]}`, t);
    else if ((m = /^head\.(.+)$/.exec(name))) put(`classifier.${m[1]}`, t);
    else throw new Error(`no HF name for ${name}`);
  }
  return out;
}

describe('Hugging Face Swin V2 scheme', () => {
  it('maps every Swinv2 name back to the canonical tensor, bit for bit', () => {
    const hf = toHuggingFace(canonical);
    expect(isHuggingFaceSwinV2([...hf.keys()])).toBe(true);
    const notes: string[] = [];
    const out = materialize(fromHuggingFaceV2(hf, notes));
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
    expect(() => fromHuggingFaceV2(hf, [])).toThrow(/missing weight 'swinv2.encoder.layers.1.blocks.0.attention.self.value.weight'/);
    const withKeyBias = toHuggingFace(canonical);
    withKeyBias.set('swinv2.encoder.layers.0.blocks.0.attention.self.key.bias', eagerTensor(tensor('float32', [16], new Float32Array(16))));
    const notes: string[] = [];
    fromHuggingFaceV2(withKeyBias, notes);
    expect(notes).toEqual([expect.stringMatching(/has no key bias/)]);
  });
});
