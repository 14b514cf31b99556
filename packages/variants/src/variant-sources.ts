/** Where checkpoints of a variant are published, each under its own name. */
export const VARIANT_SOURCES = ['official', 'timm', 'torchvision', 'huggingface'] as const;

/** Where a checkpoint of a variant is published under its own name. */
export type VariantSource = (typeof VARIANT_SOURCES)[number];

/** A variant's name in another source: a timm model name, a torchvision builder, a Hugging Face model id. */
export interface SourceName {
  readonly source: VariantSource;
  /** The name there (timm: with its pretrained tag; Hugging Face: the model id). */
  readonly name: string;
  /** The variant it is (an id `findVariant` knows): the same architecture. */
  readonly variant: string;
  /** True when the published file holds the variant's official weights (timm's and Hugging Face's conversions); torchvision trained its own. */
  readonly officialWeights: boolean;
  /** Config keys that differ from the variant's own (torchvision never shrinks the window). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** For people: what is special about it. */
  readonly note?: string;
}

const TIMM_V2: readonly [string, string][] = [
  ['swinv2_tiny_window8_256.ms_in1k', 'swinv2-t-256-w8-1k'],
  ['swinv2_tiny_window16_256.ms_in1k', 'swinv2-t-256-w16-1k'],
  ['swinv2_small_window8_256.ms_in1k', 'swinv2-s-256-w8-1k'],
  ['swinv2_small_window16_256.ms_in1k', 'swinv2-s-256-w16-1k'],
  ['swinv2_base_window8_256.ms_in1k', 'swinv2-b-256-w8-1k'],
  ['swinv2_base_window16_256.ms_in1k', 'swinv2-b-256-w16-1k'],
  ['swinv2_base_window12_192.ms_in22k', 'swinv2-b-192-w12-22k'],
  ['swinv2_base_window12to16_192to256.ms_in22k_ft_in1k', 'swinv2-b-256-w16-22kto1k'],
  ['swinv2_base_window12to24_192to384.ms_in22k_ft_in1k', 'swinv2-b-384-w24-22kto1k'],
  ['swinv2_large_window12_192.ms_in22k', 'swinv2-l-192-w12-22k'],
  ['swinv2_large_window12to16_192to256.ms_in22k_ft_in1k', 'swinv2-l-256-w16-22kto1k'],
  ['swinv2_large_window12to24_192to384.ms_in22k_ft_in1k', 'swinv2-l-384-w24-22kto1k'],
];

// timm's re-hosting of the official V1 release files (the same weights).
const TIMM_V1: readonly [string, string][] = [
  ['swin_tiny_patch4_window7_224.ms_in1k', 'swin-t-224-1k'],
  ['swin_small_patch4_window7_224.ms_in1k', 'swin-s-224-1k'],
  ['swin_base_patch4_window7_224.ms_in1k', 'swin-b-224-1k'],
  ['swin_base_patch4_window12_384.ms_in1k', 'swin-b-384-1k'],
  ['swin_tiny_patch4_window7_224.ms_in22k', 'swin-t-224-22k'],
  ['swin_small_patch4_window7_224.ms_in22k', 'swin-s-224-22k'],
  ['swin_base_patch4_window7_224.ms_in22k', 'swin-b-224-22k'],
  ['swin_base_patch4_window12_384.ms_in22k', 'swin-b-384-22k'],
  ['swin_large_patch4_window7_224.ms_in22k', 'swin-l-224-22k'],
  ['swin_large_patch4_window12_384.ms_in22k', 'swin-l-384-22k'],
  ['swin_large_patch4_window7_224.ms_in22k_ft_in1k', 'swin-l-224-1k'],
  ['swin_large_patch4_window12_384.ms_in22k_ft_in1k', 'swin-l-384-1k'],
];

// Microsoft's Hugging Face conversions of the official releases (SwinForImageClassification / Swinv2ForImageClassification).
const HUGGINGFACE: readonly [string, string][] = [
  ['microsoft/swin-tiny-patch4-window7-224', 'swin-t-224-1k'],
  ['microsoft/swin-small-patch4-window7-224', 'swin-s-224-1k'],
  ['microsoft/swin-base-patch4-window7-224', 'swin-b-224-1k'],
  ['microsoft/swin-base-patch4-window12-384', 'swin-b-384-1k'],
  ['microsoft/swin-base-patch4-window7-224-in22k', 'swin-b-224-22k'],
  ['microsoft/swin-base-patch4-window12-384-in22k', 'swin-b-384-22k'],
  ['microsoft/swin-large-patch4-window7-224', 'swin-l-224-1k'],
  ['microsoft/swin-large-patch4-window12-384', 'swin-l-384-1k'],
  ['microsoft/swin-large-patch4-window7-224-in22k', 'swin-l-224-22k'],
  ['microsoft/swin-large-patch4-window12-384-in22k', 'swin-l-384-22k'],
  ['microsoft/swinv2-tiny-patch4-window8-256', 'swinv2-t-256-w8-1k'],
  ['microsoft/swinv2-tiny-patch4-window16-256', 'swinv2-t-256-w16-1k'],
  ['microsoft/swinv2-small-patch4-window8-256', 'swinv2-s-256-w8-1k'],
  ['microsoft/swinv2-small-patch4-window16-256', 'swinv2-s-256-w16-1k'],
  ['microsoft/swinv2-base-patch4-window8-256', 'swinv2-b-256-w8-1k'],
  ['microsoft/swinv2-base-patch4-window16-256', 'swinv2-b-256-w16-1k'],
  ['microsoft/swinv2-base-patch4-window12-192-22k', 'swinv2-b-192-w12-22k'],
  ['microsoft/swinv2-base-patch4-window12to16-192to256-22kto1k-ft', 'swinv2-b-256-w16-22kto1k'],
  ['microsoft/swinv2-base-patch4-window12to24-192to384-22kto1k-ft', 'swinv2-b-384-w24-22kto1k'],
  ['microsoft/swinv2-large-patch4-window12-192-22k', 'swinv2-l-192-w12-22k'],
  ['microsoft/swinv2-large-patch4-window12to16-192to256-22kto1k-ft', 'swinv2-l-256-w16-22kto1k'],
  ['microsoft/swinv2-large-patch4-window12to24-192to384-22kto1k-ft', 'swinv2-l-384-w24-22kto1k'],
];

const TORCHVISION_NOTE = "torchvision's own training (other weights than the official release); window_rule \"torchvision\": the window never shrinks, the shift is zeroed per axis";
// Its builders: the official architectures under torchvision's window rule.
const TORCHVISION: readonly [string, string][] = [
  ['swin_t', 'swin-t-224-1k'],
  ['swin_s', 'swin-s-224-1k'],
  ['swin_b', 'swin-b-224-1k'],
  ['swin_v2_t', 'swinv2-t-256-w8-1k'],
  ['swin_v2_s', 'swinv2-s-256-w8-1k'],
  ['swin_v2_b', 'swinv2-b-256-w8-1k'],
];

/** Every variant's name in timm, torchvision and Hugging Face (official names are the variant ids themselves). */
export const SOURCE_NAMES: readonly SourceName[] = [
  ...TIMM_V1.map(([name, variant]): SourceName => ({ source: 'timm', name, variant, officialWeights: true })),
  ...TIMM_V2.map(([name, variant]): SourceName => ({ source: 'timm', name, variant, officialWeights: true })),
  // torchvision.models: its own training recipe; the architectures are the official ones with its window rule.
  ...TORCHVISION.map(([name, variant]): SourceName => ({ source: 'torchvision', name, variant, officialWeights: false, config: { window_rule: 'torchvision' }, note: TORCHVISION_NOTE })),
  ...HUGGINGFACE.map(([name, variant]): SourceName => ({ source: 'huggingface', name, variant, officialWeights: true })),
];

/**
 * The source name `name` is (timm names with or without their pretrained tag, the tag-less name
 * meaning the first listed; torchvision builders; Hugging Face ids, with or without `hf:`), or undefined.
 */
export function findSourceName(name: string): SourceName | undefined {
  const n = name.trim().replace(/^hf:/, '');
  return SOURCE_NAMES.find((s) => s.name === n) ?? SOURCE_NAMES.find((s) => s.source === 'timm' && s.name.split('.')[0] === n);
}
