import { MODEL_FAMILIES, type ModelFamily } from '@swin/core';
import { VARIANT_SOURCES, variantCatalog, type CatalogEntry, type VariantSource } from '@swin/variants';
import { UsageError } from '../cli-errors.js';

/** `--family` / `--source` as given on the command line (checked here: a bad value is a bad command line). */
export interface VariantListingFlags {
  readonly family?: string;
  readonly source?: string;
  readonly json: boolean;
}

/** A flag's value when it is one of `choices` (undefined when not given); any other is a bad command line. */
function choice<T extends string>(value: string | undefined, choices: readonly T[], flag: string): T | undefined {
  if (value === undefined || (choices as readonly string[]).includes(value)) return value as T | undefined;
  throw new UsageError(`--${flag}: expected ${choices.join('|')}, found '${value}'`);
}

/** MACs for people: G above 0.1 G, else M. */
export function formatMacs(macs: number): string {
  return macs >= 1e8 ? `${(macs / 1e9).toFixed(3)} G` : `${(macs / 1e6).toFixed(3)} M`;
}

function entryLines(e: CatalogEntry): string[] {
  const head = `${e.id.padEnd(26)} ${e.family.padEnd(12)} ${`${e.size[0]}x${e.size[1]}`.padEnd(8)} ${e.parameters.toLocaleString('en-US').padStart(12)} ${formatMacs(e.macs).padStart(11)}`;
  const sources = e.sources.map((s) => {
    const where = s.source === 'official' ? (s.url ?? s.name) : s.name;
    const extra = [s.config ? Object.entries(s.config).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ') : '', s.officialWeights ? '' : 'own weights'].filter(Boolean);
    return `    ${s.source.padEnd(12)} ${where}${extra.length ? ` (${extra.join('; ')})` : ''}`;
  });
  return [head, ...(sources.length ? sources : ['    (no published weights: a configuration only)'])];
}

/** `swin info` without a checkpoint: every variant of every family, its sources, parameters and MACs at its training size. */
export function printVariantCatalog(flags: VariantListingFlags): void {
  const family = choice<ModelFamily>(flags.family, MODEL_FAMILIES.map((f) => f.id), 'family');
  const source = choice<VariantSource>(flags.source, VARIANT_SOURCES, 'source');
  const entries = variantCatalog({ ...(family ? { family } : {}), ...(source ? { source } : {}) });
  if (flags.json) {
    console.log(JSON.stringify(entries, null, 2));
    return;
  }
  console.log(`${'variant'.padEnd(26)} ${'family'.padEnd(12)} ${'size'.padEnd(8)} ${'parameters'.padStart(12)} ${'MACs'.padStart(11)}`);
  for (const e of entries) for (const line of entryLines(e)) console.log(line);
  console.log(`${entries.length} variants; MACs per image at the training size (what the papers call FLOPs)`);
}
