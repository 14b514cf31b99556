import type { HuggingFaceNames } from '../huggingface-names.js';

/** Swin V1 in transformers (SwinModel / SwinForImageClassification). */
export const SWIN_V1_HUGGING_FACE_NAMES: HuggingFaceNames = {
  prefix: 'swin.',
  label: 'Swin',
  // No marker: the names transformers' Swin and Swin V2 share are Swin's unless Swin V2's marker is there.
  blockRenames: [
    [/^layernorm_before\./, 'norm1.'],
    [/^layernorm_after\./, 'norm2.'],
    [/^attention\.self\.relative_position_(bias_table|index)$/, 'attn.relative_position_$1'],
    [/^attention\.output\.dense\./, 'attn.proj.'],
    [/^intermediate\.dense\./, 'mlp.fc1.'],
    [/^output\.dense\./, 'mlp.fc2.'],
  ],
  attentionBias: 'qkv',
};
