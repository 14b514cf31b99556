import { join } from 'node:path';
import { listModelVariants, SOURCE_NAMES } from '@swin/variants';
import { describe, expect, it } from 'vitest';
import { FIXTURES, swin } from './cli-helpers.js';

describe('swin info without a checkpoint: the variant catalogue', () => {
  it('lists every variant with its sources, parameters and MACs at its training size', () => {
    const r = swin(['info']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\S+\s+(swin_v1|swin_v2|crossformer)\s/.test(l));
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(listModelVariants().map((v) => v.id));
    expect(r.stdout).toMatch(/^swin-t-224-1k\s+swin_v1\s+224x224\s+28,288,354\s+4\.494 G$/m);
    expect(r.stdout).toMatch(/^swinv2-b-384-w24-22kto1k\s+swin_v2\s+384x384\s+87,918,816\s+54\.748 G$/m);
    expect(r.stdout).toMatch(/^\s+torchvision\s+swin_v2_t \(window_rule="torchvision"; own weights\)$/m);
    expect(r.stdout).toMatch(/^\s+huggingface\s+microsoft\/swinv2-large-patch4-window12to24-192to384-22kto1k-ft$/m);
  });

  it('--family and --source filter; --json is the same entries', () => {
    const r = swin(['info', '--family', 'swin_v2', '--source', 'timm', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const entries = JSON.parse(r.stdout) as { id: string; family: string; sources: { source: string; name: string }[] }[];
    expect(entries.every((e) => e.family === 'swin_v2' && e.sources.every((s) => s.source === 'timm'))).toBe(true);
    expect(entries.flatMap((e) => e.sources.map((s) => s.name))).toEqual(SOURCE_NAMES.filter((s) => s.source === 'timm' && s.variant.startsWith('swinv2-')).map((s) => s.name));
  });

  it('bad values and flags that do not fit are a bad command line (exit 2, one line)', () => {
    const cases: [string[], RegExp][] = [
      [['info', '--family', 'vit'], /--family: expected swin_v1\|swin_v2\|crossformer, found 'vit'/],
      [['info', '--source', 'hf'], /--source: expected official\|timm\|torchvision\|huggingface, found 'hf'/],
      [['info', join(FIXTURES, 'v1_rand_t32_w4/weights.safetensors'), '--source', 'timm'], /--family and --source filter the variant list/],
    ];
    for (const [args, pattern] of cases) {
      const r = swin(args);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.code).toBe(2);
    }
  });
});
