// @swin/variants: the paper's named Swin V1 configurations and the official release table.
export * from './variant-table.js';
export * from './variants.js';
