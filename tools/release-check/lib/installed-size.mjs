// Bytes on disk under a directory (files' sizes, symlinks not followed), with the largest
// packages of its node_modules named.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function bytesUnder(path) {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return 0;
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, name) => sum + bytesUnder(join(path, name)), 0);
}

function packagesIn(nodeModules) {
  let entries;
  try {
    entries = readdirSync(nodeModules);
  } catch {
    return [];
  }
  return entries.filter((n) => !n.startsWith('.')).flatMap((n) => (n.startsWith('@') ? readdirSync(join(nodeModules, n)).map((m) => `${n}/${m}`) : [n]));
}

/** Total bytes of `dir`, and the four largest packages of `dir/node_modules` (or of `dir` itself when it is a node_modules). */
export function installedSize(dir) {
  const total = bytesUnder(dir);
  const nm = dir.endsWith('node_modules') ? dir : join(dir, 'node_modules');
  const top = packagesIn(nm).map((n) => [n, bytesUnder(join(nm, n))]).sort((a, b) => b[1] - a[1]).slice(0, 4);
  return { total, top };
}

export function formatMB(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
