import type { HuggingFaceNames } from '../huggingface-names.js';

/** Swin V2 in transformers (Swinv2Model / Swinv2ForImageClassification). */
export const SWIN_V2_HUGGING_FACE_NAMES: HuggingFaceNames = {
  prefix: 'swinv2.',
  label: 'Swin V2',
  classes: 'Swinv2*',
  marker: /^swinv2\.|\.attention\.self\.continuous_position_bias_mlp\./,
  blockRenames: [
    // Swin V2 applies these norms after attention / after the MLP (post-norm); transformers kept V1's names.
    [/^layernorm_before\./, 'norm1.'],
    [/^layernorm_after\./, 'norm2.'],
    [/^attention\.self\.logit_scale$/, 'attn.logit_scale'],
    [/^attention\.self\.continuous_position_bias_mlp\.(0\.weight|0\.bias|2\.weight)$/, 'attn.cpb_mlp.$1'],
    // Derived buffers: renamed so core can read the windows off them; they are never weights.
    [/^attention\.self\.relative_(coords_table|position_index)$/, 'attn.relative_$1'],
    [/^attention\.output\.dense\./, 'attn.proj.'],
    [/^intermediate\.dense\./, 'mlp.fc1.'],
    [/^output\.dense\./, 'mlp.fc2.'],
  ],
  // Swin V2 learns no key bias (the official code adds zeros there).
  attentionBias: 'q-v',
};
