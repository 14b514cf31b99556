import { tensor, toFloat32, type TensorData } from '../../tensor/tensor.js';

/**
 * The clamp bound of Swin V2's logit scale: ln(100), as the official code writes it,
 * torch.log(torch.tensor(1 / 0.01)): a float32 tensor, so the bound is ln(100) rounded to float32
 * (4.6051702...) even when the model runs in float64.
 */
export const LOGIT_SCALE_MAX = Math.fround(Math.log(100));

/**
 * Per-head multipliers of the cosine similarities, exp(min(logit_scale, ln 100)), from the
 * [nH, 1, 1] parameter. They depend only on the weights, so they are computed here once, in float64,
 * rather than in the graph (the op set has no min).
 */
export function clampedLogitScale(logitScale: TensorData): TensorData<'float32'> {
  const src = toFloat32(logitScale).data;
  return tensor('float32', [src.length], src.map((v) => Math.exp(Math.min(v, LOGIT_SCALE_MAX))));
}
