import { ConfigError, MODEL_FAMILIES, familyOf, type ModelFamily } from '@swin/core';
import { listModelVariants, type ModelVariant } from './model-variants.js';
import { VARIANT_COMPLEXITY } from './variant-complexity.js';
import { SOURCE_NAMES, VARIANT_SOURCES, type VariantSource } from './variant-sources.js';

/** One place a variant is published, under the name it has there. */
export interface CatalogSource {
  readonly source: VariantSource;
  /** official: the variant id; timm: the model name with its pretrained tag; torchvision: the builder; huggingface: the model id. */
  readonly name: string;
  /** official: the release file (Swin V1 / V2) or the page linking the weights (CrossFormer); huggingface: the model page. */
  readonly url?: string;
  /** False for torchvision's own training (other weights than the official release). */
  readonly officialWeights: boolean;
  /** Config keys this source's models differ in (torchvision's window rule). */
  readonly config?: Readonly<Record<string, unknown>>;
  readonly note?: string;
}

/** A variant, where it is published, and what it costs at its training size. */
export interface CatalogEntry {
  readonly id: string;
  readonly family: ModelFamily;
  /** The training size [height, width] (config.img_size): parameters and MACs are counted there. */
  readonly size: readonly [number, number];
  readonly classes: number;
  /** Every source that publishes it, official first; empty for a configuration nobody released (e.g. swin-t-384-1k). */
  readonly sources: readonly CatalogSource[];
  /** Parameters (every learned tensor) and MACs per image at `size`: core's modelComplexity (variant-complexity.ts). */
  readonly parameters: number;
  readonly macs: number;
}

/** Which entries variantCatalog returns: one family, and/or the variants one source publishes. */
export interface CatalogFilter {
  readonly family?: ModelFamily;
  /** Keeps the variants this source publishes, with only this source's names. */
  readonly source?: VariantSource;
}

function officialSource(v: ModelVariant): CatalogSource | undefined {
  if (v.checkpoint) return { source: 'official', name: v.id, url: v.checkpoint.url, officialWeights: true };
  if ('weightsPage' in v) return { source: 'official', name: v.id, url: v.weightsPage, officialWeights: true, note: 'Google Drive / Baidu links on that page, no direct download' };
  return undefined;
}

function sourcesOf(v: ModelVariant): CatalogSource[] {
  const official = officialSource(v);
  const others = SOURCE_NAMES.filter((s) => s.variant === v.id).map(
    ({ source, name, officialWeights, config, note }): CatalogSource => ({
      source,
      name,
      ...(source === 'huggingface' ? { url: `https://huggingface.co/${name}` } : {}),
      officialWeights,
      ...(config ? { config } : {}),
      ...(note ? { note } : {}),
    }),
  );
  return official ? [official, ...others] : others;
}

/** The counted parameters and MACs of a variant id; a variant missing from the generated table is a bug (a test regenerates it). */
function complexityOf(id: string): { parameters: number; macs: number } {
  const c = VARIANT_COMPLEXITY[id];
  if (!c) throw new ConfigError(`variant '${id}' has no row in variant-complexity.ts: regenerate it (pnpm --filter @swin/variants run write-complexity)`);
  return c;
}

function entryOf(v: ModelVariant): CatalogEntry {
  const size = familyOf(v.config).imageSize(v.config);
  return { id: v.id, family: v.config.family, size, classes: v.config.num_classes, sources: sourcesOf(v), ...complexityOf(v.id) };
}

/** Throws unless `family` / `source` are known values (the error lists them). */
function checkCatalogFilter(filter: { family?: string; source?: string }): CatalogFilter {
  const families = MODEL_FAMILIES.map((f) => f.id as string);
  if (filter.family !== undefined && !families.includes(filter.family)) {
    throw new ConfigError(`family: expected ${families.join('|')}, found '${filter.family}'`);
  }
  if (filter.source !== undefined && !(VARIANT_SOURCES as readonly string[]).includes(filter.source)) {
    throw new ConfigError(`source: expected ${VARIANT_SOURCES.join('|')}, found '${filter.source}'`);
  }
  return filter as CatalogFilter;
}

/**
 * Every variant of every family (Swin V1, Swin V2, CrossFormer, in listModelVariants' order) with the
 * sources that publish it, its training size, parameters and MACs there. `filter.family` keeps one
 * family; `filter.source` keeps the variants that source publishes, listing only its names.
 */
export function variantCatalog(filter: CatalogFilter = {}): CatalogEntry[] {
  const { family, source } = checkCatalogFilter(filter);
  return listModelVariants()
    .filter((v) => family === undefined || v.config.family === family)
    .map(entryOf)
    .map((e) => (source === undefined ? e : { ...e, sources: e.sources.filter((s) => s.source === source) }))
    .filter((e) => source === undefined || e.sources.length > 0);
}
