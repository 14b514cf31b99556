import type { ElementType, FloatType } from './kernel-types.js';

/**
 * The lines every shader starts with: `enable f16` when needed, the float alias F, and the
 * parameter accessors pu/pi/pf over a uniform of `paramWords` words at binding 0.
 */
export function wgslPrelude(float: FloatType, paramWords: number): string {
  const vec4s = Math.max(1, Math.ceil(paramWords / 4));
  return [
    float === 'f16' ? 'enable f16;' : '',
    `alias F = ${float};`,
    `@group(0) @binding(0) var<uniform> P: array<vec4<u32>, ${vec4s}>;`,
    'fn pu(i: u32) -> u32 { return P[i >> 2u][i & 3u]; }',
    'fn pi(i: u32) -> i32 { return bitcast<i32>(P[i >> 2u][i & 3u]); }',
    'fn pf(i: u32) -> f32 { return bitcast<f32>(P[i >> 2u][i & 3u]); }',
    '',
  ].join('\n');
}

/** WGSL type name of an element type, resolving floats to the alias F. */
export function wgslElement(t: ElementType): string {
  return t === 'i32' ? 'i32' : 'F';
}

/** Declares a storage buffer at `binding`. */
export function storage(binding: number, name: string, elem: string, access: 'read' | 'read_write'): string {
  return `@group(0) @binding(${binding}) var<storage, ${access}> ${name}: array<${elem}>;`;
}
