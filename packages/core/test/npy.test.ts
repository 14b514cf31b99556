import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FormatError, parseNpy, serializeNpy, tensor } from '../src/index.js';

const fixture = fileURLToPath(new URL('./fixtures/preprocess/noise_37x29_down/tensor.npy', import.meta.url));

function npyWithHeader(header: string, body: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(10 + head.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, head.length, true);
  out.set(head, 10);
  out.set(body, 10 + head.length);
  return out;
}

describe('parseNpy', () => {
  it('reads a Node Buffer (a view into a shared pool) as exactly its own elements', () => {
    const buf = readFileSync(fixture);
    // Small files come from Node's pool: the view does not start at 0 of its ArrayBuffer.
    const a = parseNpy(buf);
    expect(a.data.length).toBe(a.shape.reduce((n, d) => n * d, 1));
    const fromCopy = parseNpy(new Uint8Array(buf));
    expect(Array.from(a.data as Float32Array)).toEqual(Array.from(fromCopy.data as Float32Array));
  });

  it('reads a view at an odd offset of a larger buffer', () => {
    const bytes = serializeNpy(tensor('float32', [2, 3], Float32Array.from([1, 2, 3, 4, 5, 6])));
    const big = new Uint8Array(bytes.length + 13);
    big.set(bytes, 7);
    const a = parseNpy(big.subarray(7, 7 + bytes.length));
    expect(Array.from(a.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("refuses a header naming 'descr' twice (numpy keeps the last, a regex the first)", () => {
    const body = new Uint8Array(8);
    const bytes = npyWithHeader("{'descr': '<f4', 'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n", body);
    expect(() => parseNpy(bytes)).toThrow(FormatError);
    expect(() => parseNpy(bytes)).toThrow(/'descr' appears 2 times/);
    const twiceShape = npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'shape': (1,), }\n", body);
    expect(() => parseNpy(twiceShape)).toThrow(/'shape' appears 2 times/);
  });
});
