// Reads the import graph of the workspace from source text: every `import ... from '...'`,
// `export ... from '...'` and `import('...')` with a literal specifier, type-only ones included
// (a type import is still a dependency a reader must follow, and it becomes a runtime one the day
// someone imports a value the same way).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One workspace package: its folder name (`core`, `cli`), npm name and root. */
export interface WorkspacePackage {
  readonly dir: string;
  readonly name: string;
  readonly root: string;
}

/** One import: from a file (relative to the repo root) to a specifier. */
export interface ImportEdge {
  readonly from: string;
  readonly specifier: string;
}

const IMPORT_RE = /(?:^|[\s;}])(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[\s;}])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Strips comments so commented-out imports do not count (strings with // inside are rare in imports). */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The import specifiers in a TypeScript source text. */
export function importSpecifiers(code: string): string[] {
  const out: string[] = [];
  for (const m of stripComments(code).matchAll(IMPORT_RE)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

/** Every file under `dir` whose name matches `pattern` (TypeScript by default), recursively; none when `dir` does not exist. */
export function sourceFiles(dir: string, pattern = /\.(ts|tsx|mts)$/): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p, pattern));
    else if (pattern.test(entry) && !entry.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/** The workspace packages under packages/ and apps/. */
export function workspacePackages(repoRoot: string): WorkspacePackage[] {
  const out: WorkspacePackage[] = [];
  for (const group of ['packages', 'apps']) {
    const base = join(repoRoot, group);
    if (!existsSync(base)) continue;
    for (const dir of readdirSync(base).sort()) {
      const manifest = join(base, dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name;
      out.push({ dir, name, root: join(base, dir) });
    }
  }
  return out;
}

/** Resolves a relative specifier ('./x.js' written for './x.ts') to a file that exists, or undefined. */
export function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** The file-level graph of relative imports among `files`: file -> the files it imports. */
export function relativeImportGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const targets: string[] = [];
    for (const s of importSpecifiers(readFileSync(f, 'utf8'))) {
      if (!s.startsWith('.')) continue;
      const t = resolveRelative(f, s);
      if (t) targets.push(t);
    }
    graph.set(f, targets);
  }
  return graph;
}

/**
 * The import cycles of a graph: each strongly connected component with more than one file (or a
 * file importing itself), as one shortest cycle through it so the message shows a path to cut.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's strongly connected components, iterative over a recursion-free stack.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const visit = (root: string) => {
    const work: [string, number][] = [[root, 0]];
    idx.set(root, index);
    low.set(root, index++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      const next = graph.get(v) ?? [];
      if (i < next.length) {
        top[1]++;
        const w = next[i]!;
        if (!graph.has(w)) continue;
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(v)!));
      if (low.get(v) === idx.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(comp);
      }
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return components.map((comp) => shortestCycle(graph, new Set(comp)));
}

/** A shortest cycle inside one strongly connected component (breadth-first from its first file). */
function shortestCycle(graph: ReadonlyMap<string, readonly string[]>, comp: ReadonlySet<string>): string[] {
  const start = [...comp].sort()[0]!;
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!comp.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0]!)!);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** Path of `file` relative to `root`, with forward slashes, for messages. */
export function shortPath(root: string, file: string): string {
  return relative(root, file).split('\\').join('/');
}
