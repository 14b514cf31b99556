import { GraphBuilder, SeededRandom, shapeSize, tensor, toFloat16, type Graph, type MaybeValue, type OpName, type TensorData } from '@swin/core';
import type { InputFill, OpCase, OpInputSpec } from './op-case.js';

/** A case turned into a runnable graph plus its inputs. */
export interface MaterializedOpCase {
  readonly graph: Graph;
  readonly inputs: Record<string, TensorData>;
  readonly output: string;
}

function draw(rng: SeededRandom, n: number, fill: InputFill): number[] {
  const out = new Array<number>(n);
  switch (fill.kind) {
    case 'normal':
      for (let i = 0; i < n; i++) out[i] = (fill.offset ?? 0) + (fill.scale ?? 1) * rng.normal();
      return out;
    case 'positive':
      for (let i = 0; i < n; i++) out[i] = (fill.floor ?? 0.01) + (fill.scale ?? 1) * Math.abs(rng.normal());
      return out;
    case 'nonzero':
      for (let i = 0; i < n; i++) {
        const v = rng.normal();
        out[i] = (v < 0 ? -1 : 1) * ((fill.floor ?? 0.5) + Math.abs(v));
      }
      return out;
    case 'integers':
      for (let i = 0; i < n; i++) out[i] = fill.low + Math.floor(rng.uniform() * (fill.high - fill.low));
      return out;
    case 'mask':
      for (let i = 0; i < n; i++) out[i] = rng.uniform() < 0.5 ? 0 : -100;
      return out;
    case 'values':
      if (fill.values.length !== n) throw new Error(`case input has ${fill.values.length} values, expected ${n}`);
      return [...fill.values];
  }
}

function makeInput(rng: SeededRandom, spec: OpInputSpec, dtype: 'float32' | 'float16'): TensorData {
  const n = shapeSize(spec.shape);
  if (spec.type === 'int32') return tensor('int32', spec.shape, Int32Array.from(draw(rng, n, spec.fill ?? { kind: 'integers', low: 0, high: 2 })));
  const values = tensor('float32', spec.shape, Float32Array.from(draw(rng, n, spec.fill ?? { kind: 'normal' })));
  return dtype === 'float16' && spec.type !== 'float32' ? toFloat16(values) : values;
}

/** Builds the one-op graph of a case (inputs as graph inputs, static shapes) and draws its seeded inputs. */
export function materializeOpCase(c: OpCase): MaterializedOpCase {
  const rng = new SeededRandom(c.seed);
  const b = new GraphBuilder(false);
  const inputs: Record<string, TensorData> = {};
  const values: MaybeValue[] = c.inputs.map((spec) => {
    if (!spec) return undefined;
    const t = makeInput(rng, spec, c.dtype);
    inputs[spec.name] = t;
    return b.input(spec.name, t.dtype, t.shape);
  });
  const out = b.op(c.op as OpName, values, c.attrs as never, 'out', true);
  b.output(out);
  return { graph: b.build(), inputs, output: out.name };
}
