// Two copies of @swin/core in one process (npm nests a second one on mixed versions) share one
// backend registry: a backend registered through one copy is found by the other.
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '../src/index.js';
import { createBackend, listBackends, registerBackend } from '../src/backend/backend-registry.js';

describe('backend registry', () => {
  it('is shared by a second copy of the module', async () => {
    // a query string makes the loader evaluate the file again: a separate module instance
    const specifier = '../src/backend/backend-registry.js?second-copy';
    const copy = (await import(/* @vite-ignore */ specifier)) as typeof import('../src/backend/backend-registry.js');
    expect(copy.registerBackend).not.toBe(registerBackend);
    copy.registerBackend('from-the-copy', () => ({ ...createReferenceBackend(), name: 'from-the-copy' }));
    expect(listBackends()).toContain('from-the-copy');
    expect((await createBackend('from-the-copy')).name).toBe('from-the-copy');
    registerBackend('from-the-original', createReferenceBackend);
    expect(copy.hasBackend('from-the-original')).toBe(true);
    expect(copy.listBackends()[0]).toBe('reference');
  });
});
