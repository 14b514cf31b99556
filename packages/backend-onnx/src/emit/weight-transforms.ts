import { ShapeError, allocArray, dimAt, shapeSize, toFloat32, type TensorData } from '@swin/core';

// Export-time rewrites of constant weights, so the runtime graph does less work.

/** Swaps the last two axes of a constant (b^T for matmul with transB). */
export function transposeLastTwo(t: TensorData): TensorData {
  const r = t.shape.length;
  const rows = dimAt(t.shape, r - 2, 'transposed constant');
  const cols = dimAt(t.shape, r - 1, 'transposed constant');
  const batch = shapeSize(t.shape.slice(0, -2));
  const src = t.data as unknown as ArrayLike<number | bigint>;
  const out = allocArray(t.dtype, src.length) as unknown as { [i: number]: number | bigint };
  for (let b = 0; b < batch; b++) {
    const o = b * rows * cols;
    // src holds batch * rows * cols values: o + i * cols + j stays inside it.
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[o + j * rows + i] = src[o + i * cols + j]!;
  }
  return { dtype: t.dtype, shape: [...t.shape.slice(0, -2), cols, rows], data: out as unknown as TensorData['data'] };
}

/** Rows [from, to) of a 2-D (or first-axis) constant: a view, or a copy with every value times `scale`. */
export function rowBlock(t: TensorData, from: number, to: number, scale = 1): TensorData<'float32'> {
  const inner = shapeSize(t.shape.slice(1));
  const f = toFloat32(t).data.subarray(from * inner, to * inner);
  const data = scale === 1 ? f : copyScalingFirst(f, f.length, scale);
  return { dtype: 'float32', shape: [to - from, ...t.shape.slice(1)], data };
}

/** A float32 copy of a constant with its first `rows` rows (first axis) times `scale`: q's rows of a qkv weight or bias. */
export function scaleRows(t: TensorData, rows: number, scale: number): TensorData<'float32'> {
  const inner = shapeSize(t.shape.slice(1));
  const data = copyScalingFirst(toFloat32(t).data, rows * inner, scale);
  return { dtype: 'float32', shape: [...t.shape], data };
}

/**
 * The projection's bias with v's bias folded in: proj(attn @ (v + bv)) = proj(attn @ v) + W_proj bv,
 * since every row of attn (a softmax) sums to 1. Accumulated in float64; float32 [out].
 */
export function foldValueBias(projWeight: TensorData, projBias: TensorData | undefined, valueBias: Float32Array): TensorData<'float32'> {
  const outF = dimAt(projWeight.shape, 0, 'projection weight');
  const inF = dimAt(projWeight.shape, 1, 'projection weight');
  if (valueBias.length !== inF) throw new ShapeError(`value bias has ${valueBias.length} entries, the projection takes ${inF}`);
  const w = toFloat32(projWeight).data;
  const b = projBias ? toFloat32(projBias).data : undefined;
  const data = new Float32Array(outF);
  for (let o = 0; o < outF; o++) {
    let sum = b ? b[o]! : 0; // o < outF, the bias's length (checked by the graph's shapes)
    // o * inF + i < outF * inF = w.length; i < inF = valueBias.length
    for (let i = 0; i < inF; i++) sum += w[o * inF + i]! * valueBias[i]!;
    data[o] = sum;
  }
  return { dtype: 'float32', shape: [outF], data };
}

/**
 * A copy of `src` with its first `count` values times `scale` (each product rounded to float32).
 * Copied whole, then scaled in place by a loop: `Float32Array.from(src, mapFn)` first collects
 * every value as a boxed number on the JS heap (Node 20: about 9x the array's bytes for a
 * 2304x768 qkv weight, and 100x slower), which for every block's qkv weight had added 100-300 MB
 * to the peak memory of creating a session.
 */
function copyScalingFirst(src: Float32Array, count: number, scale: number): Float32Array {
  const out = new Float32Array(src);
  const end = Math.min(count, out.length);
  // i < end <= out.length: every read is in range.
  for (let i = 0; i < end; i++) out[i] = out[i]! * scale;
  return out;
}
