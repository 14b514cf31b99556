import { describe, expect, it } from 'vitest';
import { SOURCE_NAMES, findSourceName, findVariant, listModelVariants } from '../src/index.js';

describe('variants by their timm, torchvision and Hugging Face names', () => {
  it('every source name is a variant that exists, and names are unique', () => {
    const ids = new Set(listModelVariants().map((v) => v.id));
    for (const s of SOURCE_NAMES) expect(ids.has(s.variant), `${s.source} ${s.name} -> ${s.variant}`).toBe(true);
    expect(new Set(SOURCE_NAMES.map((s) => s.name)).size).toBe(SOURCE_NAMES.length);
  });

  it("timm's Swin V2 names carry the release's window, size, head and pretrained windows", () => {
    const v = findVariant('swinv2_base_window12to24_192to384.ms_in22k_ft_in1k');
    expect(v.config).toMatchObject({ family: 'swin_v2', img_size: 384, window_size: 24, num_classes: 1000, pretrained_window_sizes: [12, 12, 12, 6] });
    // The tag-less timm name is its first pretrained tag.
    expect(findVariant('swinv2_large_window12_192').config).toMatchObject({ img_size: 192, window_size: 12, num_classes: 21841, pretrained_window_sizes: [0, 0, 0, 0] });
    expect(findVariant('swinv2_tiny_window16_256').id).toBe('swinv2-t-256-w16-1k');
    for (const name of ['window8', 'window16', 'window12to16', 'window12to24']) expect(SOURCE_NAMES.some((s) => s.source === 'timm' && s.name.includes(`_${name}_`))).toBe(true);
  });

  it("torchvision's swin_t/s/b and swin_v2_t/s/b keep its window rule; Hugging Face ids work with or without hf:", () => {
    expect(findVariant('swin_v2_t').config).toMatchObject({ family: 'swin_v2', img_size: 256, window_size: 8, window_rule: 'torchvision' });
    expect(findVariant('swinv2-t-256-w8-1k').config).toMatchObject({ window_rule: 'official' });
    expect(findVariant('swin_t').config).toMatchObject({ family: 'swin_v1', img_size: 224, window_size: 7, window_rule: 'torchvision' });
    expect(findVariant('swin-t').config).toMatchObject({ window_rule: 'official' });
    // torchvision trained its own weights: its own id, never the official file.
    expect(findVariant('swin_t')).toMatchObject({ id: 'swin_t', checkpoint: undefined });
    expect(findVariant('swinv2_tiny_window8_256.ms_in1k').checkpoint?.url).toMatch(/swinv2_tiny_patch4_window8_256\.pth$/);
    expect(findSourceName('hf:microsoft/swinv2-tiny-patch4-window8-256')?.variant).toBe('swinv2-t-256-w8-1k');
    expect(findVariant('microsoft/swin-base-patch4-window12-384-in22k').id).toBe('swin-b-384-22k');
    expect(findSourceName('swinv2_huge_window8_256')).toBeUndefined();
  });
});
