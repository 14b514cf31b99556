// createBackend hands its options to the registered factory; factories written without options
// (third-party backends: `() => Backend`) still register and run.
import { describe, expect, it } from 'vitest';
import { SwinError, createBackend, createReferenceBackend, registerBackend, type Backend, type BackendCreateOptions } from '../src/index.js';

describe('createBackend options', () => {
  it('reach the factory', async () => {
    const seen: BackendCreateOptions[] = [];
    registerBackend('records-options', (options) => {
      seen.push(options);
      return { ...createReferenceBackend(), name: 'records-options', ...(options.threads !== undefined ? { threads: options.threads } : {}) };
    });
    expect((await createBackend('records-options', { threads: 3 })).threads).toBe(3);
    expect((await createBackend('records-options')).threads).toBeUndefined();
    expect(seen).toEqual([{ threads: 3 }, {}]);
  });

  it('leave a factory without options working, and it reports no thread setting', async () => {
    const noOptions = (): Backend => ({ ...createReferenceBackend(), name: 'no-options' });
    registerBackend('no-options', noOptions);
    const backend = await createBackend('no-options', { threads: 2 });
    expect(backend.name).toBe('no-options');
    expect(backend.threads).toBeUndefined();
    expect((await createBackend('reference', { threads: 2 })).threads).toBeUndefined();
  });

  it('refuse a thread count that is not a positive integer', async () => {
    for (const threads of [0, -1, 1.5, Number.NaN]) {
      await expect(createBackend('reference', { threads })).rejects.toThrow(SwinError);
    }
    await expect(createBackend('reference', { threads: 0 })).rejects.toThrow(/backend 'reference': threads must be a positive integer, found 0/);
  });
});
