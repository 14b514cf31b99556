// The typed error a call throws, for tests that check its code, weight name or offset.
import { expect } from 'vitest';
import { SwinError } from '@swin/core';

/** The SwinError (of subclass E) that `f` throws; fails the test when it throws something else or nothing. */
export function thrownSwinError<E extends SwinError = SwinError>(f: () => unknown): E {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SwinError);
    return e as E;
  }
  throw new Error('expected a SwinError, but nothing was thrown');
}
