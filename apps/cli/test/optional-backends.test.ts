// The install hint for optional backends: the packages, the versions from the CLI's manifest, and
// the CLI's own directory as the prefix (the published flow is run end to end by tools/release-check).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importOptionalBackend, installCommandFor, OPTIONAL_BACKEND_PACKAGES } from '../src/optional-backends.js';

const CLI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('optional backends', () => {
  it('names the packages with the manifest ranges, installed beside the CLI without dev dependencies', () => {
    const cmd = installCommandFor('webgpu');
    expect(cmd.startsWith(`npm install --omit=dev --save-prod --prefix ${CLI_DIR} `)).toBe(true);
    // webgpu: the optional peer range; @swin/backend-webgpu: a workspace link here, so no range
    expect(cmd).toContain(`'webgpu@^0.6.2'`);
    expect(cmd.endsWith(' @swin/backend-webgpu \'webgpu@^0.6.2\'')).toBe(true);
    expect(installCommandFor('tfjs-wasm')).toContain(`'@tensorflow/tfjs-backend-wasm@^4.22.0'`);
  });

  it('covers every backend the CLI does not ship', () => {
    expect(Object.keys(OPTIONAL_BACKEND_PACKAGES).sort()).toEqual(['tfjs', 'tfjs-wasm', 'webgpu']);
  });

  it('imports an installed backend module', async () => {
    const mod = await importOptionalBackend<{ createTfjsNodeBackend: unknown }>('tfjs', '@swin/backend-tfjs/node');
    expect(typeof mod.createTfjsNodeBackend).toBe('function');
  });
});
