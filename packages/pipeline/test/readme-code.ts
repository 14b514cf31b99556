import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The first ```js block after a heading line of packages/pipeline/README.md that starts with `heading`: tests run the README's code as written. */
export function readmeExample(heading: string): string {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const at = readme.indexOf(`\n${heading}`);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !block) throw new Error(`README has no js example under ${heading}`);
  return block[1]!;
}
