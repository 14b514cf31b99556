// Protocol Buffers wire format, reader side: walks the fields of one message. Used to inspect
// ONNX files (ours in tests, the torch export in benchmarks), never on a hot path.
import { FormatError } from '@swin/core';

/** One field as read off the wire. Length-delimited values are views into the input (no copy). */
export type ProtoField =
  | { readonly field: number; readonly wire: 0; readonly value: bigint }
  | { readonly field: number; readonly wire: 1; readonly value: DataView }
  | { readonly field: number; readonly wire: 2; readonly value: Uint8Array }
  | { readonly field: number; readonly wire: 5; readonly value: DataView };

/** Iterates over the fields of a message, in wire order. */
export function* readProtoFields(bytes: Uint8Array, baseOffset = 0): Generator<ProtoField> {
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (at >= bytes.length) throw new FormatError('truncated protobuf varint', baseOffset + at);
      // at < bytes.length: checked on the line above.
      const b = bytes[at++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new FormatError('protobuf varint longer than 10 bytes', baseOffset + at);
    }
  };
  while (at < bytes.length) {
    const start = at;
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { field, wire, value: varint() };
    else if (wire === 2) {
      const len = Number(varint());
      if (at + len > bytes.length) throw new FormatError(`protobuf field ${field}: length ${len} runs past the message end`, baseOffset + start);
      yield { field, wire, value: bytes.subarray(at, at + len) };
      at += len;
    } else if (wire === 5 || wire === 1) {
      const n = wire === 5 ? 4 : 8;
      if (at + n > bytes.length) throw new FormatError(`protobuf field ${field}: truncated fixed${n * 8}`, baseOffset + start);
      const value = new DataView(bytes.buffer, bytes.byteOffset + at, n);
      at += n;
      yield wire === 5 ? { field, wire: 5, value } : { field, wire: 1, value };
    } else {
      throw new FormatError(`protobuf: unsupported wire type ${wire} for field ${field}: expected 0, 1, 2 or 5`, baseOffset + start);
    }
  }
}

/** Decodes a packed (or single) repeated varint field value into numbers. */
export function readPackedVarints(bytes: Uint8Array): bigint[] {
  const out: bigint[] = [];
  let at = 0;
  while (at < bytes.length) {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[at++];
      if (b === undefined) throw new FormatError('truncated packed varint', at);
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
    }
    out.push(result);
  }
  return out;
}

/** Decodes UTF-8. */
export function readUtf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
