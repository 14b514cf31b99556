import { broadcastShapes } from '../broadcast.js';
import { dimAt } from '../../tensor/shape-dims.js';
import { shapeSize, stridesOf, type TensorData } from '../../tensor/tensor.js';
import { asFloat32 } from './as-float32.js';

function batchOffsets(batchShape: readonly number[], outBatch: readonly number[], matrixSize: number): Int32Array {
  const rank = outBatch.length;
  const padded = [...new Array<number>(rank - batchShape.length).fill(1), ...batchShape];
  const strides = stridesOf(padded).map((s, i) => (padded[i] === 1 ? 0 : s * matrixSize));
  const n = shapeSize(outBatch);
  const out = new Int32Array(n);
  const idx = new Array<number>(rank).fill(0);
  // a < rank = idx.length = strides.length = outBatch.length.
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let a = 0; a < rank; a++) off += idx[a]! * strides[a]!;
    out[i] = off;
    for (let a = rank - 1; a >= 0; a--) {
      if (++idx[a]! < outBatch[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

/** Batched matmul with float64 accumulation (a @ b, or a @ b^T). */
export function matmulKernel(a: TensorData, b: TensorData, transB: boolean): TensorData<'float32'> {
  const ad = asFloat32(a);
  const bd = asFloat32(b);
  const m = dimAt(a.shape, -2, 'matmul a');
  const k = dimAt(a.shape, -1, 'matmul a');
  const n = dimAt(b.shape, transB ? -2 : -1, 'matmul b');
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const outBatch = broadcastShapes(aBatch, bBatch);
  const aOffs = batchOffsets(aBatch, outBatch, m * k);
  const bOffs = batchOffsets(bBatch, outBatch, k * n);
  const out = new Float32Array(shapeSize(outBatch) * m * n);
  const acc = new Float64Array(n);
  // b^T rows are contiguous, so transB is dot products; they are done four columns at a time so
  // each load of a[i, p] serves four products (the reference must stay fast enough to be the
  // oracle for full-size models). Plain b is walked row by row (i-k-j order).
  // In range: bi < aOffs.length = bOffs.length (both over outBatch); a batch's a is m x k from
  // its offset and b is k x n (n x k transposed), with i < m, p < k, j < n = acc.length.
  for (let bi = 0; bi < aOffs.length; bi++) {
    const ao = aOffs[bi]!;
    const bo = bOffs[bi]!;
    const oo = bi * m * n;
    if (transB) {
      for (let i = 0; i < m; i++) {
        const arow = ao + i * k;
        let j = 0;
        for (; j + 4 <= n; j += 4) {
          const b0 = bo + j * k;
          const b1 = b0 + k;
          const b2 = b1 + k;
          const b3 = b2 + k;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let p = 0; p < k; p++) {
            const av = ad[arow + p]!;
            s0 += av * bd[b0 + p]!;
            s1 += av * bd[b1 + p]!;
            s2 += av * bd[b2 + p]!;
            s3 += av * bd[b3 + p]!;
          }
          const o = oo + i * n + j;
          out[o] = s0;
          out[o + 1] = s1;
          out[o + 2] = s2;
          out[o + 3] = s3;
        }
        for (; j < n; j++) {
          const brow = bo + j * k;
          let s = 0;
          for (let p = 0; p < k; p++) s += ad[arow + p]! * bd[brow + p]!;
          out[oo + i * n + j] = s;
        }
      }
    } else {
      for (let i = 0; i < m; i++) {
        const arow = ao + i * k;
        acc.fill(0);
        for (let p = 0; p < k; p++) {
          const av = ad[arow + p]!;
          if (av === 0) continue;
          const brow = bo + p * n;
          for (let j = 0; j < n; j++) acc[j]! += av * bd[brow + j]!;
        }
        for (let j = 0; j < n; j++) out[oo + i * n + j] = acc[j]!;
      }
    }
  }
  return { dtype: 'float32', shape: [...outBatch, m, n], data: out };
}
