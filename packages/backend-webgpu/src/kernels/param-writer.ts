/**
 * Packs a kernel's scalar parameters into 32-bit words. Shaders read them from one
 * `array<vec4<u32>, K>` uniform (see wgslPrelude), so every kernel shares one layout rule and
 * shapes travel as data: one pipeline serves every size.
 */
export class ParamWriter {
  private readonly words: number[] = [];
  private readonly f32 = new Float32Array(1);
  private readonly u32 = new Uint32Array(this.f32.buffer);

  /** Appends an unsigned integer; returns its word index. */
  u(v: number): number {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`kernel parameter ${v} is not a u32`);
    this.words.push(v >>> 0);
    return this.words.length - 1;
  }

  /** Appends a signed integer (two's complement). */
  i(v: number): number {
    if (!Number.isInteger(v)) throw new RangeError(`kernel parameter ${v} is not an i32`);
    this.words.push(v >>> 0);
    return this.words.length - 1;
  }

  /** Appends a float (its f32 bits). */
  f(v: number): number {
    this.f32[0] = v;
    this.words.push(this.u32[0]!);
    return this.words.length - 1;
  }

  /** Appends `values` padded with zeros to `length` words. */
  list(values: readonly number[], length: number, fill = 0): void {
    if (values.length > length) throw new RangeError(`kernel parameter list of ${values.length} exceeds ${length}`);
    for (let i = 0; i < length; i++) this.u(values[i] ?? fill);
  }

  /** The words, padded to whole vec4s and to at least `minWords`. */
  finish(minWords: number): Uint32Array {
    const n = Math.max(minWords, this.words.length);
    const out = new Uint32Array(Math.ceil(n / 4) * 4);
    out.set(this.words);
    return out;
  }
}
