// The uniform layout function: offsets by WGSL's uniform address space rules, checked on known
// cases and then against a real WGSL compiler (Dawn): a shader copies every field out of the
// struct it was given, and the words that come back must be the values that were packed.

import { SwinError } from '@swin/core';
import { describe, expect, it } from 'vitest';
import { placeUniforms, uniformLayout, type PlacedUniform, type UniformScalar } from '../src/kernels/uniform-layout.js';
import { createDawnGpu } from '../src/node/index.js';

/** Every kind of field, in an order that needs each alignment rule. */
const MIXED = {
  a: 'u32',
  b: 'vec3<f32>',
  c: 'f32',
  d: 'vec2<i32>',
  e: 'u32',
  f: { list: 'u32', length: 6 },
  g: 'vec4<u32>',
  h: 'i32',
  pair: { struct: 'Pair', fields: { lo: 'vec2<u32>', hi: 'f32' } },
  k: 'vec2<f32>',
} as const;

const MIXED_VALUES = { a: 7, b: [1.5, -2, 0.25], c: 3.75, d: [-1, 2147483647], e: 0xffffffff, f: [1, 2, 3, 4, 5, 6], g: [9, 8, 7, 6], h: -2147483648, pair: { lo: [11, 12], hi: 0.5 }, k: [0.5, -0.125] };

function offsets(fields: Parameters<typeof placeUniforms>[0]): Record<string, number> {
  return Object.fromEntries(placeUniforms(fields).fields.map((f) => [f.name, f.offset]));
}

describe('uniform layout (WGSL uniform address space rules)', () => {
  it('places each field at the next offset its alignment allows', () => {
    // vec3 aligns to 16 and a scalar after it fills its fourth slot; vec2 aligns to 8; a list is
    // array<vec4<T>, n> (align 16, stride 16); a nested struct aligns to 16 and takes its size
    // rounded up to 16 (Pair is 12 bytes: k follows 16 bytes after it); the struct size rounds up to 16.
    expect(offsets(MIXED)).toEqual({ a: 0, b: 16, c: 28, d: 32, e: 40, f: 48, g: 80, h: 96, pair: 112, k: 128 });
    expect(placeUniforms(MIXED).byteSize).toBe(144);
    const pair = placeUniforms(MIXED).fields.find((f) => f.name === 'pair');
    expect(pair?.kind === 'struct' && pair.members.map((m) => [m.name, m.offset])).toEqual([
      ['lo', 0],
      ['hi', 8],
    ]);
    expect(offsets({ x: 'u32', y: 'vec2<f32>', z: 'vec4<i32>' })).toEqual({ x: 0, y: 8, z: 16 });
    expect(placeUniforms({ x: 'u32' }).byteSize).toBe(16);
    expect(placeUniforms({ x: { list: 'f32', length: 5 } }).byteSize).toBe(32);
  });

  it('writes the structs (nested ones first, once), the binding and list accessors', () => {
    const map = { struct: 'Map', fields: { size: 'vec2<u32>' } } as const;
    const { wgsl } = uniformLayout({ n: 'u32', dims: { list: 'i32', length: 6 }, a: map, b: map });
    expect(wgsl.indexOf('struct Map {\n  size: vec2<u32>,\n}')).toBe(0);
    expect(wgsl.split('struct Map').length).toBe(2);
    expect(wgsl).toContain('struct Params {\n  n: u32,\n  dims: array<vec4<i32>, 2>,\n  @align(16) @size(16) a: Map,\n  @align(16) @size(16) b: Map,\n}');
    expect(wgsl).toContain('@group(0) @binding(0) var<uniform> P: Params;');
    expect(wgsl).toContain('fn dimsAt(i: u32) -> i32 { return P.dims[i >> 2u][i & 3u]; }');
  });

  it('packs values at their offsets: u32, two-complement i32, f32 bits, list slots past the length zero', () => {
    const words = uniformLayout(MIXED).pack(MIXED_VALUES);
    expect(words.length).toBe(36);
    const f32 = new Float32Array(words.buffer);
    const i32 = new Int32Array(words.buffer);
    expect(words[0]).toBe(7);
    expect([f32[4], f32[5], f32[6], f32[7]]).toEqual([1.5, -2, 0.25, 3.75]);
    expect([i32[8], i32[9], words[10]]).toEqual([-1, 2147483647, 0xffffffff]);
    expect(Array.from(words.subarray(12, 20))).toEqual([1, 2, 3, 4, 5, 6, 0, 0]);
    expect(Array.from(words.subarray(20, 24))).toEqual([9, 8, 7, 6]);
    expect(i32[24]).toBe(-2147483648);
    expect([words[28], words[29], f32[30]]).toEqual([11, 12, 0.5]);
    expect([f32[32], f32[33]]).toEqual([0.5, -0.125]);
  });

  it('refuses values the types cannot hold and declarations WGSL cannot have', () => {
    const layout = uniformLayout({ n: 'u32', s: 'i32', v: 'vec2<u32>' });
    const err = (() => {
      try {
        layout.pack({ n: 2 ** 32, s: 0, v: [0, 0] });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SwinError);
    expect((err as SwinError).code).toBe('UNSUPPORTED_OP');
    expect((err as SwinError).message).toContain("'n' is 4294967296, which is not a u32");
    expect(() => layout.pack({ n: -1, s: 0, v: [0, 0] })).toThrow(/not a u32/);
    expect(() => layout.pack({ n: 1.5, s: 0, v: [0, 0] })).toThrow(/not a u32/);
    expect(() => layout.pack({ n: 0, s: 2 ** 31, v: [0, 0] })).toThrow(/not a i32/);
    expect(() => layout.pack({ n: 0, s: 0, v: [0, 0, 0] })).toThrow(/'v' \(vec2<u32>\) takes 2 value\(s\), got 3/);
    expect(() => placeUniforms({})).toThrow(/at least one field/);
    expect(() => placeUniforms({ 'a-b': 'u32' })).toThrow(/not a plain WGSL identifier/);
    expect(() => placeUniforms({ l: { list: 'u32', length: 0 } })).toThrow(/not a positive integer/);
    expect(() => placeUniforms({ s: { struct: 'S', fields: { l: { list: 'u32', length: 4 } } } })).toThrow(/top-level fields only/);
    expect(() => uniformLayout({ a: { struct: 'S', fields: { x: 'u32' } }, b: { struct: 'S', fields: { y: 'u32' } } })).toThrow(/two different uniform structs are named 'S'/);
  });

  it('agrees with Dawn: a shader reading every field gets back exactly the packed words', async () => {
    const layout = uniformLayout(MIXED);
    // Every scalar in declaration order (into nested structs), as its u32 bits, with its byte offset.
    const reads: string[] = [];
    const wantOffsets: number[] = [];
    const walk = (fields: readonly PlacedUniform[], path: string, base: number) => {
      for (const f of fields) {
        if (f.kind === 'struct') {
          walk(f.members, `${path}${f.name}.`, base + f.offset);
          continue;
        }
        const bits = (scalar: UniformScalar, e: string) => (scalar === 'u32' ? e : `bitcast<u32>(${e})`);
        for (let i = 0; i < f.count; i++) {
          const read = f.kind === 'list' ? `${f.name}At(${i}u)` : f.kind === 'vector' ? `P.${path}${f.name}[${i}]` : `P.${path}${f.name}`;
          reads.push(bits(f.scalar, read));
          wantOffsets.push(base + f.offset + 4 * i);
        }
      }
    };
    walk(layout.fields, '', 0);
    const code = `${layout.wgsl}
@group(0) @binding(1) var<storage, read_write> O: array<u32>;
@compute @workgroup_size(1)
fn main() {
${reads.map((r, i) => `  O[${i}] = ${r};`).join('\n')}
}`;
    const packed = layout.pack(MIXED_VALUES);
    const want = wantOffsets.map((o) => packed[o / 4]);
    expect(reads.length).toBe(24);

    const { gpu, adapterOptions } = await createDawnGpu();
    const adapter = await gpu.requestAdapter(adapterOptions);
    const device = await adapter!.requestDevice();
    try {
      const module = device.createShaderModule({ code });
      const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      const uniforms = device.createBuffer({ size: packed.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(uniforms, 0, packed);
      const out = device.createBuffer({ size: reads.length * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
      const readback = device.createBuffer({ size: reads.length * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: uniforms } },
          { binding: 1, resource: { buffer: out } },
        ],
      });
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(1);
      pass.end();
      encoder.copyBufferToBuffer(out, 0, readback, 0, reads.length * 4);
      device.queue.submit([encoder.finish()]);
      await readback.mapAsync(GPUMapMode.READ);
      expect(Array.from(new Uint32Array(readback.getMappedRange().slice(0)))).toEqual(want);
      readback.unmap();
    } finally {
      device.destroy();
    }
  });
});
