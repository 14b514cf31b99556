import { describe, expect, it } from 'vitest';
import { relativePositionIndex, tensor, type TensorData } from '@swin/core';
import { convertWeights, detectScheme, loadTensorWeights, loadWeights, readCheckpoint, writeSafetensors, type NamingScheme } from '../src/index.js';
import { readFixture } from './helpers/fixtures.js';

// The same weights saved in every scheme (fixtures/schemes, made by tools/reference with PyTorch)
// must convert to the canonical tensors, bit for bit.

const canonical = readCheckpoint(readFixture('schemes', 'canonical.safetensors')).tensors;
const canonicalFp16 = readCheckpoint(readFixture('schemes', 'canonical_fp16.safetensors')).tensors;
const canonicalBf16 = readCheckpoint(readFixture('schemes', 'canonical_bf16.safetensors')).tensors;

function expectIdentical(actual: ReadonlyMap<string, TensorData>, expected: ReadonlyMap<string, TensorData>): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [name, want] of expected) {
    const got = actual.get(name)!;
    expect(got.shape, name).toEqual(want.shape);
    expect(got.dtype, name).toBe(want.dtype);
    expect(Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength).equals(Buffer.from(want.data.buffer, want.data.byteOffset, want.data.byteLength)), name).toBe(true);
  }
}

const files: [string, NamingScheme, string[], ReadonlyMap<string, TensorData>][] = [
  ['official.pth', 'official', ['model'], canonical],
  ['official_legacy.pth', 'official', ['model'], canonical],
  ['official_fp16.pth', 'official', ['model'], canonicalFp16],
  ['official_bf16.pth', 'official', ['model'], canonicalBf16],
  ['state_dict_module_prefix.pth', 'official', ['state_dict', 'module.'], canonical],
  ['torchvision.pth', 'torchvision', [], canonical],
  ['timm_new.pth', 'timm', [], canonical],
  ['hf_pytorch_model.bin', 'huggingface', [], canonical],
  ['hf_model.safetensors', 'huggingface', [], canonical],
  ['views.pth', 'huggingface', [], canonical],
  ['canonical.safetensors', 'official', [], canonical],
];

describe('every scheme converts to identical canonical tensors', () => {
  it.each(files)('%s (%s)', (file, scheme, wrappers, expected) => {
    const { bytes, plan } = convertWeights(readFixture('schemes', file));
    expect(plan.scheme).toBe(scheme);
    expect(plan.wrappers).toEqual(wrappers);
    expect(plan.warnings).toEqual([]);
    const out = readCheckpoint(bytes);
    expect(out.metadata['family']).toBe('swin_v1');
    expect(JSON.parse(out.metadata['config']!)).toMatchObject({ embed_dim: 16, depths: [2, 2], num_heads: [1, 2], window_size: 4, img_size: 32, num_classes: 10 });
    expect(out.metadata['source_scheme']).toBe(scheme);
    // The writer's float32 output of a half checkpoint widens exactly; compare as float32.
    const want = expected === canonical ? canonical : readCheckpoint(writeSafetensors(expected, {}, 'float32')).tensors;
    expectIdentical(out.tensors, want);
  });

  it('drops and verifies every derived buffer', () => {
    const official = loadWeights(readFixture('schemes', 'official.pth'));
    expect([...official.droppedBuffers].sort()).toEqual([
      'layers.0.blocks.0.attn.relative_position_index',
      'layers.0.blocks.1.attn.relative_position_index',
      'layers.0.blocks.1.attn_mask',
      'layers.1.blocks.0.attn.relative_position_index',
      'layers.1.blocks.1.attn.relative_position_index',
    ]);
    const tv = loadWeights(readFixture('schemes', 'torchvision.pth'));
    expect(tv.droppedBuffers).toHaveLength(4);
  });
});

describe('output dtypes round as PyTorch does', () => {
  it.each([
    ['float16', canonicalFp16],
    ['bfloat16', canonicalBf16],
  ] as const)('%s output equals torch .to(%s)', (dtype, expected) => {
    const { bytes } = convertWeights(readFixture('schemes', 'official.pth'), { dtype });
    const out = readCheckpoint(bytes);
    expect(out.metadata['dtype']).toBe(dtype);
    // bfloat16 files load widened to float32; compare against the fixture loaded the same way.
    expectIdentical(out.tensors, expected);
  });
});

describe('scheme detection', () => {
  it('names the evidence', () => {
    expect(detectScheme(['features.0.0.weight'])).toMatchObject({ scheme: 'torchvision' });
    expect(detectScheme(['swin.embeddings.patch_embeddings.projection.weight'])).toMatchObject({ scheme: 'huggingface' });
    expect(detectScheme(['embeddings.patch_embeddings.projection.weight', 'encoder.layers.0.blocks.0.layernorm_before.weight'])).toMatchObject({ scheme: 'huggingface' });
    expect(detectScheme(['patch_embed.proj.weight', 'head.fc.weight'])).toMatchObject({ scheme: 'timm' });
    expect(detectScheme(['layers.0.blocks.0.norm1.weight', 'layers.1.blocks.0.norm1.weight', 'layers.1.downsample.norm.weight'])).toMatchObject({ scheme: 'timm' });
    expect(detectScheme(['layers.0.blocks.0.norm1.weight', 'layers.0.downsample.norm.weight', 'layers.1.blocks.0.norm1.weight'])).toMatchObject({ scheme: 'official' });
  });

  it('maps a headless Hugging Face SwinModel (no swin. prefix) too', () => {
    const hf = readCheckpoint(readFixture('schemes', 'hf_model.safetensors')).tensors;
    const bare = new Map([...hf].filter(([n]) => !n.startsWith('classifier.')).map(([n, t]) => [n.replace(/^swin\./, ''), t]));
    const r = loadTensorWeights(bare);
    expect(r.scheme).toBe('huggingface');
    expect(r.config!.num_classes).toBe(0);
    expect(r.weights.get('layers.0.blocks.0.attn.qkv.weight')!.data).toEqual(canonical.get('layers.0.blocks.0.attn.qkv.weight')!.data);
  });

  it('refuses a Hugging Face block missing one of query/key/value', () => {
    const hf = readCheckpoint(readFixture('schemes', 'hf_model.safetensors')).tensors;
    hf.delete('swin.encoder.layers.1.blocks.0.attention.self.key.weight');
    expect(() => loadTensorWeights(hf)).toThrow(/missing weight 'swin.encoder.layers.1.blocks.0.attention.self.key.weight'/);
  });
});

describe('derived buffers are checked against recomputed ones', () => {
  it('warns on a relative_position_index that differs, and drops it', () => {
    const t = new Map(canonical);
    const index = relativePositionIndex(4, 4).data;
    const wrong = BigInt64Array.from(index, (v, i) => BigInt(i === 17 ? v + 1 : v));
    t.set('layers.0.blocks.0.attn.relative_position_index', tensor('int64', [16, 16], wrong));
    const r = loadTensorWeights(readCheckpoint(writeSafetensors(t)).tensors);
    expect(r.droppedBuffers).toEqual(['layers.0.blocks.0.attn.relative_position_index']);
    expect(r.warnings).toEqual([expect.stringContaining("'layers.0.blocks.0.attn.relative_position_index' differs from the recomputed one in 1 of 256 entries")]);
    expect(r.weights.has('layers.0.blocks.0.attn.relative_position_index')).toBe(false);
  });
});
