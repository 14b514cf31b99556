import { SwinError } from '../errors.js';
import { tensor, type TensorData } from '../tensor/tensor.js';
import { checkRgbImage, type RgbImage } from './rgb-image.js';

/**
 * The float32 value of each 8-bit level before mean and std. Without a factor, pixel / 255 rounded
 * to float32 (torchvision's ToTensor, `div(255)`); with one, pixel * factor in float64 then rounded
 * to float32 (transformers' image processors: `image.astype(float64) * rescale_factor`, then
 * `.astype(float32)`). The two can differ in the last bit, hence both.
 */
function levelValues(rescaleFactor: number | undefined): Float32Array {
  const out = new Float32Array(256);
  for (let v = 0; v < 256; v++) out[v] = rescaleFactor === undefined ? v / 255 : v * rescaleFactor;
  return out;
}

/**
 * Stacks equally sized pictures into a float32 NCHW tensor of (pixel / 255 - mean) / std, or
 * (pixel * rescaleFactor - mean) / std when a factor is given. Each step is rounded to float32 like
 * torchvision's ToTensor then Normalize (`sub_`, `div_`), or transformers' rescale then normalize,
 * so the values equal PyTorch's (or transformers') bit for bit.
 */
export function normalizeToTensor(
  images: readonly RgbImage[],
  mean: readonly [number, number, number],
  std: readonly [number, number, number],
  rescaleFactor?: number,
): TensorData<'float32'> {
  const [first] = images;
  if (!first) throw new SwinError('INVALID_ARGUMENT', 'expected at least one picture to stack');
  const { width, height } = first;
  const plane = width * height;
  const out = new Float32Array(images.length * 3 * plane);
  const m = mean.map((v) => Math.fround(v));
  const s = std.map((v) => Math.fround(v));
  const levels = levelValues(rescaleFactor);
  images.forEach((img, n) => {
    if (img.width !== width || img.height !== height) {
      throw new SwinError('INVALID_ARGUMENT', `picture ${n} is ${img.width}x${img.height}, expected ${width}x${height} like picture 0`);
    }
    checkRgbImage(img, `picture ${n}`);
    // c < 3 = the length of mean and std; i < plane, and img holds 3 * plane bytes (checked above);
    // levels has an entry for each of the 256 byte values.
    for (let c = 0; c < 3; c++) {
      const base = (n * 3 + c) * plane;
      const mc = m[c]!;
      const sc = s[c]!;
      for (let i = 0; i < plane; i++) {
        const unit = levels[img.data[i * 3 + c]!]!;
        out[base + i] = Math.fround(unit - mc) / sc;
      }
    }
  });
  return tensor('float32', [images.length, 3, height, width], out);
}
