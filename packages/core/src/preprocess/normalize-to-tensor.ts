import { SwinError } from '../errors.js';
import { tensor, type TensorData } from '../tensor/tensor.js';
import { checkRgbImage, type RgbImage } from './rgb-image.js';

/**
 * Stacks equally sized pictures into a float32 NCHW tensor of (pixel / 255 - mean) / std. Each step
 * is rounded to float32 like torchvision's ToTensor (`div(255)`) then Normalize (`sub_`, `div_`), so
 * the values equal PyTorch's bit for bit.
 */
export function normalizeToTensor(
  images: readonly RgbImage[],
  mean: readonly [number, number, number],
  std: readonly [number, number, number],
): TensorData<'float32'> {
  const [first] = images;
  if (!first) throw new SwinError('INVALID_ARGUMENT', 'expected at least one picture to stack');
  const { width, height } = first;
  const plane = width * height;
  const out = new Float32Array(images.length * 3 * plane);
  const m = mean.map((v) => Math.fround(v));
  const s = std.map((v) => Math.fround(v));
  images.forEach((img, n) => {
    if (img.width !== width || img.height !== height) {
      throw new SwinError('INVALID_ARGUMENT', `picture ${n} is ${img.width}x${img.height}, expected ${width}x${height} like picture 0`);
    }
    checkRgbImage(img, `picture ${n}`);
    // c < 3 = the length of mean and std; i < plane, and img holds 3 * plane bytes (checked above).
    for (let c = 0; c < 3; c++) {
      const base = (n * 3 + c) * plane;
      const mc = m[c]!;
      const sc = s[c]!;
      for (let i = 0; i < plane; i++) {
        const unit = Math.fround(img.data[i * 3 + c]! / 255);
        out[base + i] = Math.fround(unit - mc) / sc;
      }
    }
  });
  return tensor('float32', [images.length, 3, height, width], out);
}
