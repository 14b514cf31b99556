import { ConfigError } from '@swin/core';
import { IMAGENET_1K_CLASSES } from '@swin/variants';

/** Parses a JSON array of class names (classes.json, checkpoint metadata), naming where it came from on error. */
export function parseLabelList(text: string, where: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`class names in ${where}: expected JSON, found a syntax error (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string')) throw new ConfigError(`class names in ${where}: expected a JSON array of strings`);
  return parsed as string[];
}

/**
 * Class names for a head of `numClasses`, first found of: the caller's list, the checkpoint's
 * `classes` metadata, a list found beside it (classes.json, a hub config), ImageNet-1k for 1000
 * classes. None: undefined ("class N" is printed). A list of the wrong length is an error.
 */
export function chooseLabels(numClasses: number, candidates: readonly { readonly labels: readonly string[] | undefined; readonly where: string }[]): readonly string[] | undefined {
  const all = [...candidates, { labels: numClasses === 1000 ? IMAGENET_1K_CLASSES : undefined, where: 'ImageNet-1k' }];
  const found = all.find((c) => c.labels !== undefined);
  if (!found) return undefined;
  if (found.labels!.length !== numClasses) throw new ConfigError(`class names in ${found.where}: expected ${numClasses} (the head's size), found ${found.labels!.length}`);
  return found.labels;
}
