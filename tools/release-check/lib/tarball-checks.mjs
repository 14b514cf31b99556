// What a published tarball must and must not hold: no `workspace:` ranges, no test or bench
// files, built dist with source maps, README + LICENSE, entry points that exist, and no relative
// link in a shipped Markdown file that points outside the tarball.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const DEP_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
const FORBIDDEN_FILE = /(^|\/)(test|tests|bench|__tests__|fixtures)\/|\.(test|spec|bench)\.[cm]?[jt]sx?$|(^|\/)vitest\.config\./;
const REQUIRED_METADATA = ['repository', 'homepage', 'bugs', 'keywords', 'license', 'engines'];

function listFiles(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p, base) : [relative(base, p).split(sep).join('/')];
  });
}

function exportTargets(exportsField) {
  if (typeof exportsField === 'string') return [exportsField];
  if (!exportsField || typeof exportsField !== 'object') return [];
  return Object.values(exportsField).flatMap(exportTargets);
}

/** Markdown link targets that are neither absolute URLs nor anchors. */
function relativeLinks(markdown) {
  const links = [];
  for (const m of markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|^\s*\[[^\]]+\]:\s*(\S+)/gm)) {
    const target = m[1] ?? m[2];
    if (!/^([a-z][a-z0-9+.-]*:|#)/i.test(target)) links.push(target);
  }
  return links;
}

/** Returns the problems of one unpacked tarball (`dir` is its package/ directory). */
export function checkTarball(dir) {
  const problems = [];
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const files = listFiles(dir);
  for (const field of DEP_FIELDS) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (String(range).startsWith('workspace:')) problems.push(`${field}.${name} is '${range}'`);
    }
  }
  for (const field of REQUIRED_METADATA) if (pkg[field] === undefined) problems.push(`no '${field}' in package.json`);
  if (pkg.repository && !pkg.repository.directory) problems.push('repository has no directory');
  for (const f of files) if (FORBIDDEN_FILE.test(f)) problems.push(`ships ${f}`);
  for (const f of ['README.md', 'LICENSE']) if (!files.includes(f)) problems.push(`no ${f}`);
  const js = files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
  if (js.length === 0) problems.push('no dist/*.js');
  for (const f of js) if (!files.includes(`${f}.map`)) problems.push(`no source map for ${f}`);
  for (const target of [pkg.main, pkg.types, ...exportTargets(pkg.exports), ...Object.values(typeof pkg.bin === 'string' ? { b: pkg.bin } : (pkg.bin ?? {}))]) {
    if (target && !existsSync(join(dir, target))) problems.push(`entry ${target} is missing`);
  }
  for (const [key, entry] of Object.entries(pkg.exports ?? {})) {
    if (entry && typeof entry === 'object' && entry.import && entry.default !== entry.import) problems.push(`exports['${key}'] has no 'default' beside 'import'`);
  }
  for (const md of files.filter((f) => f.endsWith('.md'))) {
    for (const link of relativeLinks(readFileSync(join(dir, md), 'utf8'))) {
      const target = normalize(join(dirname(md), link.split('#')[0]));
      if (target.startsWith('..') || !existsSync(join(dir, target))) problems.push(`${md} links ${link}, which is not in the tarball`);
    }
  }
  return problems.map((p) => `${pkg.name}: ${p}`);
}
