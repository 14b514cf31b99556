import type { ElementType, FloatType } from './kernel-types.js';

/**
 * The lines every shader starts with: `enable f16` when needed, the float alias F, and the
 * kernel's uniform struct bound as `P` at binding 0 (see uniform-layout.ts).
 */
export function wgslPrelude(float: FloatType, uniforms: { readonly wgsl: string }): string {
  return [float === 'f16' ? 'enable f16;' : '', `alias F = ${float};`, uniforms.wgsl].join('\n');
}

/** WGSL type name of an element type, resolving floats to the alias F. */
export function wgslElement(t: ElementType): string {
  return t === 'i32' ? 'i32' : 'F';
}

/** Declares a storage buffer at `binding`. */
export function storage(binding: number, name: string, elem: string, access: 'read' | 'read_write'): string {
  return `@group(0) @binding(${binding}) var<storage, ${access}> ${name}: array<${elem}>;`;
}
