import { describe, expect, it } from 'vitest';
import { FormatError } from '@swin/core';
import { memoryByteSource, PyDict, PySet, PyTuple, TORCH_ALLOWED_GLOBALS, unpickle, type PyValue } from '../src/index.js';
import { ByteCursor } from '../src/bytes/byte-cursor.js';
import { P, pickle } from './helpers/craft.js';
import { thrownSwinError } from './helpers/thrown.js';

function run(bytes: Uint8Array, persistentLoad?: (pid: PyValue) => PyValue): PyValue {
  return unpickle(new ByteCursor(memoryByteSource(bytes), 0, bytes.length), { label: 'test.pkl', globals: TORCH_ALLOWED_GLOBALS, persistentLoad });
}

const error = (f: () => unknown) => thrownSwinError<FormatError>(f);

describe('safe unpickler', () => {
  it('builds containers and scalars', () => {
    const v = run(pickle(P.proto(2), P.emptyDict(), P.unicode('a'), P.mark(), P.int1(1), P.int1(2), P.tuple(), P.setitem(), P.stop()));
    expect(v).toBeInstanceOf(PyDict);
    const t = (v as PyDict).entries.get('a');
    expect(t).toBeInstanceOf(PyTuple);
    expect((t as PyTuple).items).toEqual([1, 2]);
  });

  it('reads protocol 2 text opcodes, longs, floats and the memo', () => {
    const bin = pickle(P.proto(2), P.mark(), P.raw(0x49, ...Buffer.from('01\n')), P.raw(0x4c, ...Buffer.from('-12345678901234567890L\n')), P.raw(0x8a, 2, 0x00, 0x80), P.raw(0x47, 0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18), P.raw(0x71, 0), P.raw(0x68, 0), P.list(), P.stop());
    expect(run(bin)).toEqual([true, -12345678901234567890n, -32768, Math.PI, Math.PI]);
  });

  it('makes sets through the allow-list', () => {
    const v = run(pickle(P.proto(2), P.global('builtins', 'set'), P.mark(), P.int1(3), P.list(), P.tuple1(), P.reduce(), P.stop()));
    expect(v).toBeInstanceOf(PySet);
  });

  it.each([
    ['GLOBAL os.system', pickle(P.proto(2), P.global('os', 'system'), P.unicode('echo pwned'), P.tuple1(), P.reduce(), P.stop()), 'os.system', 2],
    ['GLOBAL posix.system', pickle(P.proto(2), P.global('posix', 'system'), P.unicode('id'), P.tuple1(), P.reduce(), P.stop()), 'posix.system', 2],
    ['STACK_GLOBAL builtins.eval', pickle(P.proto(4), P.shortUnicode('builtins'), P.memoize(), P.shortUnicode('eval'), P.memoize(), P.stackGlobal(), P.unicode('1+1'), P.tuple1(), P.reduce(), P.stop()), 'builtins.eval', 20],
    ['INST subprocess.Popen', pickle(P.proto(2), P.mark(), P.unicode('ls'), P.raw(0x69, ...Buffer.from('subprocess\nPopen\n')), P.stop()), 'subprocess.Popen', 10],
    ['a model class', pickle(P.proto(2), P.global('__main__', 'Net'), P.emptyTuple(), P.newobj(), P.stop()), '__main__.Net', 2],
    ['torch.load itself', pickle(P.proto(2), P.global('torch', 'load'), P.stop()), 'torch.load', 2],
  ])('refuses %s and names it', (_, bytes, name, offset) => {
    const e = error(() => run(bytes));
    expect(e.code).toBe('UNSAFE_PICKLE');
    expect(e.message).toContain(`'${name}'`);
    expect(e.message).toContain(`at byte offset ${offset}`);
    expect(e.offset).toBe(offset);
  });

  it('refuses the copyreg extension registry', () => {
    expect(error(() => run(pickle(P.proto(2), P.raw(0x82, 1), P.stop()))).code).toBe('UNSAFE_PICKLE');
  });

  it('calls nothing that is only a value', () => {
    const e = error(() => run(pickle(P.proto(2), P.global('torch', 'FloatStorage'), P.emptyTuple(), P.reduce(), P.stop())));
    expect(e.message).toContain("global 'torch.FloatStorage' cannot be called");
  });

  it('checks argument types of allowed functions', () => {
    const e = error(() => run(pickle(P.proto(2), P.global('torch._utils', '_rebuild_tensor_v2'), P.mark(), P.unicode('x'), P.int1(0), P.tuple(), P.reduce(), P.stop())));
    expect(e.message).toContain('expected a storage');
  });

  it.each([
    ['a string longer than the data', pickle(P.proto(2), P.raw(0x58, 0xff, 0xff, 0xff, 0x7f), P.stop()), /truncated/],
    ['an 8-byte length of 2^52', pickle(P.proto(4), P.raw(0x8e, 0, 0, 0, 0, 0, 0, 0x10, 0), P.stop()), /truncated/],
    ['a huge LONG4', pickle(P.proto(2), P.raw(0x8b, 0, 0, 0, 0x40), P.stop()), /exceeds the limit/],
    ['a memo index never stored', pickle(P.proto(2), P.raw(0x6a, 0xff, 0xff, 0xff, 0xff), P.stop()), /never stored/],
    ['stack underflow', pickle(P.proto(2), P.tuple1(), P.stop()), /stack underflow/],
    ['no STOP', pickle(P.proto(2), P.emptyDict()), /truncated/],
    ['an unknown opcode', pickle(P.proto(2), P.raw(0xff), P.stop()), /unsupported pickle opcode 0xff/],
    ['an unhashable key', pickle(P.proto(2), P.emptyDict(), P.emptyList(), P.int1(1), P.setitem(), P.stop()), /unhashable/],
    ['protocol 9', pickle(P.raw(0x80, 9), P.stop()), /protocol 9/],
    ['invalid UTF-8', pickle(P.proto(2), P.raw(0x8c, 2, 0xc3, 0x28), P.stop()), /UTF-8/],
  ])('rejects %s with a typed error and an offset', (_, bytes, message) => {
    const e = error(() => run(bytes));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(message);
    expect(e.offset).toBeGreaterThanOrEqual(0);
  });

  it('handles deep nesting without recursion', () => {
    const depth = 100_000;
    const bytes = new Uint8Array(2 + 2 * depth + 1);
    bytes.set(P.proto(2));
    bytes.fill(P.mark()[0]!, 2, 2 + depth);
    bytes.fill(P.list()[0]!, 2 + depth, 2 + 2 * depth);
    bytes[bytes.length - 1] = P.stop()[0]!;
    let v = run(bytes);
    let n = 0;
    while (Array.isArray(v) && v.length === 1) {
      v = v[0]!;
      n++;
    }
    expect(n).toBe(depth - 1);
  });
});
