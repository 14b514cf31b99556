// @swin/variants: the papers' named configurations and the official release tables: Swin V1,
// Swin V2 and CrossFormer.
export * from './variant-table.js';
export * from './variants.js';
export * from './swin-v2-variants.js';
export * from './crossformer-variants.js';
export * from './model-variants.js';
export * from './variant-sources.js';
export * from './imagenet-1k-classes.js';
export * from './variant-catalog.js';
