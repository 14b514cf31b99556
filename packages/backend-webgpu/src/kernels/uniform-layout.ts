// A kernel declares its uniforms once, by name and type; from that one declaration come the WGSL
// `struct Params` its shader reads (as `P.<name>`) and the packing of the values into the bytes
// the runtime uploads. Offsets follow WGSL's layout rules for the uniform address space, so the
// shader and the packing cannot disagree.

import { BackendError } from '@swin/core';

/** The 32-bit scalar types a uniform field may hold. */
export type UniformScalar = 'u32' | 'i32' | 'f32';

/** A vector of 2, 3 or 4 of those scalars. */
export type UniformVector = `vec${2 | 3 | 4}<${UniformScalar}>`;

/**
 * A list of `length` scalars indexed at run time (dims and strides of a rank walk). Uniform arrays
 * need a 16-byte element stride, so it is stored as `array<vec4<T>, ceil(length / 4)>` and read
 * through the generated accessor `<name>At(i: u32) -> T`. Top level only.
 */
export interface UniformList {
  readonly list: UniformScalar;
  readonly length: number;
}

/** A nested WGSL struct (a group of fields several kernels share, such as a window map). */
export interface UniformStruct<F extends UniformFields = UniformFields> {
  readonly struct: string;
  readonly fields: F;
}

export type UniformFieldType = UniformScalar | UniformVector | UniformList | UniformStruct;

/** A declaration: field name -> type, in struct order. */
export type UniformFields = { readonly [name: string]: UniformFieldType };

/** The values a declaration takes: a number per scalar, an array per vector or list, an object per struct. */
export type UniformValues<F extends UniformFields> = {
  readonly [K in keyof F]: F[K] extends UniformScalar ? number : F[K] extends UniformStruct<infer G> ? UniformValues<G> : readonly number[];
};

interface PlacedBase {
  readonly name: string;
  /** WGSL type as written in the struct. */
  readonly wgslType: string;
  /** Byte offset in the enclosing struct, and the WGSL alignment and size it was placed by. */
  readonly offset: number;
  readonly align: number;
  readonly size: number;
  /** `@align(..) @size(..) ` where the uniform rules need more than the type's own alignment or size, else ''. */
  readonly attributes: string;
}

/** A scalar, vector or list field: `count` scalars (vector width or list length) of one type. */
export interface PlacedValue extends PlacedBase {
  readonly kind: 'scalar' | 'vector' | 'list';
  readonly scalar: UniformScalar;
  readonly count: number;
}

/** A nested struct field; member offsets are relative to the struct. */
export interface PlacedStruct extends PlacedBase {
  readonly kind: 'struct';
  readonly struct: UniformStruct;
  readonly members: readonly PlacedUniform[];
}

export type PlacedUniform = PlacedValue | PlacedStruct;

/** Where every field of a declaration lives, and the struct's size. */
export interface UniformPlacement {
  readonly fields: readonly PlacedUniform[];
  /** Struct size in bytes, rounded up to 16 (the granularity of uniform structs and bindings). */
  readonly byteSize: number;
  /** The largest member alignment (AlignOf the struct). */
  readonly align: number;
  /** SizeOf the struct by the general rule: the end of its last member rounded up to its alignment. */
  readonly naturalSize: number;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*$/;
const SCALARS: readonly UniformScalar[] = ['u32', 'i32', 'f32'];

function roundUp(align: number, n: number): number {
  return Math.ceil(n / align) * align;
}

/** One field at `offset`: alignment, size and WGSL spelling by WGSL's uniform address space rules. */
function place(name: string, type: UniformFieldType, end: number, nested: boolean): PlacedUniform {
  if (typeof type === 'object' && 'struct' in type) {
    // In the uniform address space a struct member must start at a multiple of 16 and leave
    // roundUp(16, SizeOf(S)) bytes before the next member. WGSL computes offsets from the type's
    // own alignment and size, so where those are smaller the member says so with @align / @size
    // (implementations that relax the uniform rules would otherwise place it elsewhere).
    const inner = placeUniforms(type.fields, true);
    const align = roundUp(16, inner.align);
    const size = roundUp(16, inner.naturalSize);
    const attributes = `${align > inner.align ? `@align(${align}) ` : ''}${size > inner.naturalSize ? `@size(${size}) ` : ''}`;
    return { kind: 'struct', name, wgslType: type.struct, struct: type, members: inner.fields, offset: roundUp(align, end), align, size, attributes };
  }
  if (typeof type === 'object') {
    if (nested) throw new RangeError(`uniform list '${name}' inside a struct: lists are top-level fields only`);
    if (!Number.isInteger(type.length) || type.length < 1) throw new RangeError(`uniform list '${name}' length ${type.length} is not a positive integer`);
    const vec4s = Math.ceil(type.length / 4);
    // array<vec4<T>, n>: element align 16, stride 16 (uniform arrays need a stride that is a multiple of 16).
    return { kind: 'list', name, wgslType: `array<vec4<${type.list}>, ${vec4s}>`, scalar: type.list, count: type.length, offset: roundUp(16, end), align: 16, size: 16 * vec4s, attributes: '' };
  }
  const scalar = SCALARS.find((s) => type === s || type.endsWith(`<${s}>`));
  if (!scalar) throw new RangeError(`uniform '${name}' has type '${String(type)}', not a 32-bit scalar, vector, list or struct`);
  if (type === scalar) return { kind: 'scalar', name, wgslType: type, scalar, count: 1, offset: roundUp(4, end), align: 4, size: 4, attributes: '' };
  const width = Number(type.charAt(3));
  // vec2: align 8, size 8; vec3: align 16, size 12 (a following scalar fills its fourth slot); vec4: 16, 16.
  const align = width === 2 ? 8 : 16;
  return { kind: 'vector', name, wgslType: type, scalar, count: width, offset: roundUp(align, end), align, size: 4 * width, attributes: '' };
}

/** Places the fields in declaration order by WGSL's rules: each at the next offset its alignment allows. */
export function placeUniforms(fields: UniformFields, nested = false): UniformPlacement {
  if (Object.keys(fields).length === 0) throw new RangeError('a uniform struct needs at least one field (WGSL has no empty structs)');
  const placed: PlacedUniform[] = [];
  let end = 0;
  for (const [name, type] of Object.entries(fields)) {
    if (!IDENTIFIER.test(name)) throw new RangeError(`uniform name '${name}' is not a plain WGSL identifier`);
    const f = place(name, type, end, nested);
    placed.push(f);
    end = f.offset + f.size;
  }
  const align = Math.max(...placed.map((f) => f.align));
  return { fields: placed, byteSize: roundUp(16, end), align, naturalSize: roundUp(align, end) };
}

/** A kernel's uniform declaration: its WGSL and its packer. */
export interface UniformLayout<F extends UniformFields> extends UniformPlacement {
  /** The struct declarations, the binding `P` at group 0 binding 0, and an accessor per list. */
  readonly wgsl: string;
  /** The struct's bytes as 32-bit words (every field is 32-bit based, so offsets are whole words). */
  pack(values: UniformValues<F>): Uint32Array<ArrayBuffer>;
}

/** WGSL declarations of `Params` and of every struct it nests (members' structs first, each once). */
function structDeclarations(name: string, fields: readonly PlacedUniform[], seen: Map<string, UniformStruct>, out: string[]): void {
  for (const f of fields) {
    if (f.kind !== 'struct') continue;
    const known = seen.get(f.struct.struct);
    if (known === f.struct) continue;
    if (known) throw new RangeError(`two different uniform structs are named '${f.struct.struct}'`);
    seen.set(f.struct.struct, f.struct);
    structDeclarations(f.struct.struct, f.members, seen, out);
  }
  out.push(`struct ${name} {`, ...fields.map((f) => `  ${f.attributes}${f.name}: ${f.wgslType},`), '}');
}

/** Declares a kernel's uniforms: `uniformLayout({ rows: 'u32', eps: 'f32', dims: { list: 'u32', length: 6 } })`. */
export function uniformLayout<const F extends UniformFields>(fields: F): UniformLayout<F> {
  const placement = placeUniforms(fields);
  const lines: string[] = [];
  structDeclarations('Params', placement.fields, new Map(), lines);
  lines.push('@group(0) @binding(0) var<uniform> P: Params;');
  for (const f of placement.fields) {
    if (f.kind === 'list') lines.push(`fn ${f.name}At(i: u32) -> ${f.scalar} { return P.${f.name}[i >> 2u][i & 3u]; }`);
  }
  const wgsl = `${lines.join('\n')}\n`;
  return {
    ...placement,
    wgsl,
    pack(values) {
      const words = new Uint32Array(placement.byteSize / 4);
      packFields(placement.fields, values, words, 0, '');
      return words;
    },
  };
}

const F32 = new Float32Array(1);
const F32_BITS = new Uint32Array(F32.buffer);

/** The 32-bit word of one scalar, refusing what the type cannot hold (a typed error naming the field). */
function word(scalar: UniformScalar, v: number, field: string): number {
  if (scalar === 'f32') {
    F32[0] = v;
    return F32_BITS[0] ?? 0;
  }
  const [lo, hi] = scalar === 'u32' ? [0, 0xffffffff] : [-0x80000000, 0x7fffffff];
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new BackendError('UNSUPPORTED_OP', `webgpu: kernel uniform '${field}' is ${v}, which is not a ${scalar}: the tensor is too large for this kernel`);
  }
  return v >>> 0;
}

type PackedValue = number | readonly number[] | PackedStruct;
interface PackedStruct {
  readonly [name: string]: PackedValue;
}

function isList(v: PackedValue | undefined): v is readonly number[] {
  return Array.isArray(v);
}

function packFields(fields: readonly PlacedUniform[], values: PackedStruct, words: Uint32Array, base: number, path: string): void {
  for (const f of fields) {
    const v = values[f.name];
    const where = `${path}${f.name}`;
    if (f.kind === 'struct') {
      if (v === undefined || typeof v === 'number' || isList(v)) throw new RangeError(`uniform '${where}' (${f.wgslType}) takes an object of its fields`);
      packFields(f.members, v, words, base + f.offset, `${where}.`);
      continue;
    }
    const list = typeof v === 'number' ? [v] : isList(v) ? v : undefined;
    if (list === undefined || list.length !== f.count) {
      throw new RangeError(`uniform '${where}' (${f.wgslType}) takes ${f.count} value(s), got ${list === undefined ? 'none' : list.length}`);
    }
    list.forEach((x, i) => (words[(base + f.offset) / 4 + i] = word(f.scalar, x, where)));
  }
}
