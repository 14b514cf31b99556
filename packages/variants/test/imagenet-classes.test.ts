import { describe, expect, it } from 'vitest';
import { IMAGENET_1K_CLASSES } from '../src/index.js';

describe('IMAGENET_1K_CLASSES', () => {
  it('has 1000 distinct names in logit order', () => {
    expect(IMAGENET_1K_CLASSES).toHaveLength(1000);
    expect(new Set(IMAGENET_1K_CLASSES).size).toBe(1000);
    // well-known indices of the standard synset order
    expect(IMAGENET_1K_CLASSES[0]).toBe('tench');
    expect(IMAGENET_1K_CLASSES[207]).toBe('golden retriever');
    expect(IMAGENET_1K_CLASSES[281]).toBe('tabby');
    expect(IMAGENET_1K_CLASSES[999]).toBe('toilet tissue');
  });
});
