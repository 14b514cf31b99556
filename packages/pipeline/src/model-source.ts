import { MODEL_FAMILIES, SwinError, type TensorData } from '@swin/core';
import { findVariant, listModelVariants, type ModelVariant } from '@swin/variants';
import type { ModelSource } from './types.js';

/** A source, told apart: what loadModel does with it depends only on its kind. */
export type ResolvedSource =
  | { readonly kind: 'variant'; readonly variant: ModelVariant }
  | { readonly kind: 'hf'; readonly repo: string; readonly revision: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'blob'; readonly blob: Blob }
  | { readonly kind: 'weights'; readonly weights: ReadonlyMap<string, TensorData> };

const HF_REPO = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

function knownVariantNames(): string {
  return listModelVariants().map((v) => v.id).join(', ');
}

/** Variant names are looked up first; a name-shaped string that is not one lists the known ones. */
export function resolveSource(source: ModelSource, isNode: boolean): ResolvedSource {
  if (source instanceof Map) return { kind: 'weights', weights: source as ReadonlyMap<string, TensorData> };
  if (source instanceof Uint8Array) return { kind: 'bytes', bytes: source };
  if (source instanceof ArrayBuffer) return { kind: 'bytes', bytes: new Uint8Array(source) };
  if (typeof Blob !== 'undefined' && source instanceof Blob) return { kind: 'blob', blob: source };
  if (source instanceof URL) return resolveSource(source.href, isNode);
  if (typeof source !== 'string') throw new SwinError('INVALID_ARGUMENT', `model source: expected a variant name, hf:<repo>, URL, path, bytes, Blob or weights map, found ${Object.prototype.toString.call(source)}`);
  if (source.startsWith('hf:')) {
    const [repo, revision = 'main', ...rest] = source.slice(3).split('@');
    if (!repo || !HF_REPO.test(repo) || rest.length > 0 || !revision) throw new SwinError('INVALID_ARGUMENT', `model source '${source}': expected hf:<owner>/<repo>[@revision]`);
    return { kind: 'hf', repo, revision };
  }
  if (/^https?:\/\//i.test(source)) return { kind: 'url', url: source };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) throw new SwinError('INVALID_ARGUMENT', `model source '${source}': only http(s) URLs can be downloaded`);
  // A variant name: a family's variant prefix (swin-, swinv2-, crossformer-) and more name characters.
  if (/^[\w-]+$/.test(source) && MODEL_FAMILIES.some((f) => source.toLowerCase().startsWith(f.variants.prefix) && source.length > f.variants.prefix.length)) {
    try {
      return { kind: 'variant', variant: findVariant(source) };
    } catch (err) {
      // A file of that name still wins in Node; otherwise the error lists every variant.
      if (!isNode) throw new SwinError('INVALID_CONFIG', `unknown variant '${source}': expected one of ${knownVariantNames()}`, { cause: err });
      return { kind: 'path', path: source };
    }
  }
  if (isNode) return { kind: 'path', path: source };
  // In a page or worker, a relative string is a URL relative to it.
  const here = (globalThis as { location?: { href: string } }).location?.href;
  if (here) return { kind: 'url', url: new URL(source, here).href };
  throw new SwinError('INVALID_ARGUMENT', `model source '${source}': expected a variant name (${knownVariantNames()}), hf:<repo>, or an http(s) URL`);
}

/** The error for a source that is neither a file nor a variant (Node): a bare name lists the variants, a path says it is missing. */
export function unknownVariantOrPath(path: string): SwinError {
  if (/[\\/.]/.test(path)) return new SwinError('IO_ERROR', `weights file not found: ${path} (expected a checkpoint path, a variant name such as swin-t, hf:<repo> or a URL)`);
  return new SwinError('IO_ERROR', `no file '${path}' and no variant of that name: expected a checkpoint path or one of ${knownVariantNames()}`);
}
