import { FormatError } from '../errors.js';
import { shapeSize, tensor, type TensorData } from '../tensor/tensor.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Largest header we accept: numpy writes < 1 KiB; a bigger claim is a corrupt or hostile file. */
const MAX_HEADER = 1 << 16;

const DESCR: Record<string, { dtype: TensorData['dtype'] | 'float64'; bytes: number }> = {
  '<f4': { dtype: 'float32', bytes: 4 },
  '<f8': { dtype: 'float64', bytes: 8 },
  '<f2': { dtype: 'float16', bytes: 2 },
  '<i4': { dtype: 'int32', bytes: 4 },
  '<i8': { dtype: 'int64', bytes: 8 },
};

/** An array read from .npy: float64 files stay float64 here (for comparisons), others are tensors. */
export interface NpyArray {
  readonly dtype: TensorData['dtype'] | 'float64';
  readonly shape: number[];
  readonly data: Float32Array | Float64Array | Uint16Array | Int32Array | BigInt64Array;
}

/** Parses a little-endian, C-order .npy (versions 1-3). */
export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) throw new FormatError('not a .npy file: expected the \\x93NUMPY magic', 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = dv.getUint8(6);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new FormatError('truncated .npy header', 8);
    headerLen = dv.getUint32(8, true);
    start = 12;
  } else throw new FormatError(`unsupported .npy version ${major}: expected 1, 2 or 3`, 6);
  if (headerLen > MAX_HEADER || start + headerLen > bytes.length) throw new FormatError(`.npy header length ${headerLen} exceeds the file`, 8);
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  for (const key of ['descr', 'fortran_order', 'shape']) {
    // numpy's literal_eval keeps the last of a repeated key; a reader taking the first would differ.
    const times = header.split(`'${key}'`).length - 1;
    if (times > 1) throw new FormatError(`malformed .npy header: key '${key}' appears ${times} times, expected once: ${header.trim()}`, start);
  }
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new FormatError(`malformed .npy header: ${header.trim()}`, start);
  const kind = DESCR[descr === '|f2' ? '<f2' : descr];
  if (!kind) throw new FormatError(`unsupported .npy dtype '${descr}': expected one of ${Object.keys(DESCR).join(', ')}`, start);
  if (fortran === 'True') throw new FormatError('Fortran-ordered .npy is not supported: save with np.ascontiguousarray', start);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new FormatError(`malformed .npy shape (${shapeText})`, start);
  const dataStart = start + headerLen;
  const count = shapeSize(shape);
  const need = count * kind.bytes;
  if (bytes.length - dataStart !== need) {
    throw new FormatError(`.npy data is ${bytes.length - dataStart} bytes, expected ${need} for shape (${shape.join(',')}) of ${descr}`, dataStart);
  }
  // A fresh ArrayBuffer of exactly the data: `bytes` may be a view (a Node Buffer from the shared
  // pool, whose own slice() is a view too), so neither its .buffer nor its slice() would do.
  const copy = new ArrayBuffer(need);
  new Uint8Array(copy).set(bytes.subarray(dataStart, dataStart + need));
  const data =
    kind.dtype === 'float32' ? new Float32Array(copy)
    : kind.dtype === 'float64' ? new Float64Array(copy)
    : kind.dtype === 'float16' ? new Uint16Array(copy)
    : kind.dtype === 'int32' ? new Int32Array(copy)
    : new BigInt64Array(copy);
  return { dtype: kind.dtype, shape, data };
}

/** The .npy contents as a tensor; float64 is rounded to float32. */
export function npyToTensor(a: NpyArray): TensorData {
  if (a.dtype === 'float64') return tensor('float32', a.shape, Float32Array.from(a.data as Float64Array));
  return tensor(a.dtype, a.shape, a.data as never);
}

/** Serializes a tensor (or float64 array) as .npy version 1.0. */
export function serializeNpy(a: NpyArray | TensorData): Uint8Array {
  const descr = { float32: '<f4', float64: '<f8', float16: '<f2', int32: '<i4', int64: '<i8' }[a.dtype];
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = new TextEncoder().encode(header);
  const body = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const out = new Uint8Array(10 + head.length + body.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, head.length, true);
  out.set(head, 10);
  out.set(body, 10 + head.length);
  return out;
}
