import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '@swin/core';
import { IMAGENET_1K_CLASSES } from '@swin/variants';
import { parseJsonText, readJsonFile } from './input-files.js';

function checkLabels(parsed: unknown, where: string): string[] {
  if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string')) {
    throw new ConfigError(`class names in ${where}: expected a JSON array of strings`);
  }
  return parsed as string[];
}

/**
 * Class names for a head of `numClasses`: an explicit --labels file, else `classes` in the
 * checkpoint's metadata, else classes.json beside the checkpoint, else ImageNet-1k for 1000
 * classes. ImageNet-22k (21841) names are not bundled: those print as "class N". A list of the
 * wrong length is an error naming both lengths.
 */
export function classLabels(numClasses: number, weightsPath: string, metadata: Readonly<Record<string, string>>, labelsPath?: string): (i: number) => string {
  let labels: string[] | undefined;
  let where = '';
  if (labelsPath) {
    labels = checkLabels(readJsonFile(labelsPath, 'class names'), labelsPath);
    where = labelsPath;
  } else if (metadata['classes']) {
    labels = checkLabels(parseJsonText(metadata['classes'], `class names in ${weightsPath} metadata`), `${weightsPath} metadata`);
    where = `${weightsPath} metadata`;
  } else if (existsSync(join(dirname(weightsPath), 'classes.json'))) {
    where = join(dirname(weightsPath), 'classes.json');
    labels = checkLabels(readJsonFile(where, 'class names'), where);
  } else if (numClasses === 1000) {
    labels = [...IMAGENET_1K_CLASSES];
    where = 'ImageNet-1k';
  }
  if (labels && labels.length !== numClasses) {
    throw new ConfigError(`class names in ${where}: expected ${numClasses} (the head's size), found ${labels.length}`);
  }
  return (i) => labels?.[i] ?? `class ${i}`;
}
