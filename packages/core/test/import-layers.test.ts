// The workspace's import structure, checked on every `npm test`:
// - no import cycle among the files of any package's src/;
// - packages depend only downward (docs/DESIGN.md): apps -> backends / weights / variants -> core,
//   and backends never import each other. A package may list what else it may import (its benches
//   apart, when only they need it).

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, importSpecifiers, relativeImportGraph, shortPath, sourceFiles, workspacePackages, type WorkspacePackage } from './helpers/import-graph.js';

const REPO = resolve(import.meta.dirname, '../../..');

/**
 * Each package's layer (by folder name); a package imports only lower layers, plus what its
 * `mayImport` lists. A package not listed here (a new one) sits with pipeline, between the backends
 * and the apps.
 */
const PACKAGE_LAYERS: Record<string, { readonly layer: number; readonly mayImport?: readonly string[]; readonly benchMayImport?: readonly string[] }> = {
  core: { layer: 0 },
  weights: { layer: 1 },
  variants: { layer: 1 },
  // Its CPU benchmark builds our files from the state_dict PyTorch's export was made of, read with
  // @swin/weights (bench/ only: the backend itself never reads checkpoints).
  'backend-onnx': { layer: 1, benchMayImport: ['weights'] },
  'backend-tfjs': { layer: 1 },
  'backend-webgpu': { layer: 1 },
  // The conformance suite checks backends on real checkpoints, read with @swin/weights.
  conformance: { layer: 1, mayImport: ['weights'] },
  // Loads a model and picks a backend for apps; imports backends only through the registry.
  pipeline: { layer: 2 },
  cli: { layer: 3 },
  web: { layer: 3 },
};
const UNLISTED_LAYER = 2;

/** TypeScript and plain JavaScript modules (benches are often .mjs). */
const MODULE_FILE = /\.(ts|tsx|mts|js|mjs)$/;

/** The folders scanned for package edges; cycles are checked in src/ only. */
const EDGE_FOLDERS = ['src', 'bench'];

const packages = workspacePackages(REPO);
const byName = new Map(packages.map((p) => [p.name, p]));

/** Package edges out of `pkg`: [file relative to the package, imported package folder]. */
function packageEdges(pkg: WorkspacePackage): [string, string][] {
  const out: [string, string][] = [];
  for (const folder of EDGE_FOLDERS) {
    for (const file of sourceFiles(join(pkg.root, folder), MODULE_FILE)) {
      for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
        const target = importedPackage(pkg, file, spec);
        if (target && target.dir !== pkg.dir) out.push([shortPath(pkg.root, file), target.dir]);
      }
    }
  }
  return out;
}

/** The workspace package a specifier names (by npm name or by a relative path into its folder). */
function importedPackage(from: WorkspacePackage, file: string, spec: string): WorkspacePackage | undefined {
  if (spec.startsWith('.')) {
    const target = resolve(file, '..', spec);
    return packages.find((p) => p !== from && (target === p.root || target.startsWith(p.root + '/')));
  }
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
  return byName.get(name);
}

/** Why the edge pkg -> target breaks the layering, or undefined when it is allowed. */
function layeringViolation(pkg: WorkspacePackage, file: string, target: string): string | undefined {
  const from = PACKAGE_LAYERS[pkg.dir] ?? { layer: UNLISTED_LAYER };
  const to = PACKAGE_LAYERS[target] ?? { layer: UNLISTED_LAYER };
  if (to.layer < from.layer || from.mayImport?.includes(target)) return undefined;
  if (file.startsWith('bench/') && from.benchMayImport?.includes(target)) return undefined;
  const kind = to.layer === from.layer ? 'sideways' : 'upward';
  return `${pkg.dir}/${file} imports ${target}: ${kind} (layer ${from.layer} -> ${to.layer})`;
}

describe('import structure', () => {
  it('finds the workspace packages', () => {
    expect(packages.map((p) => p.dir)).toEqual(expect.arrayContaining(['core', 'weights', 'backend-onnx', 'cli']));
  });

  for (const pkg of packages) {
    it(`${pkg.dir}: no import cycle among src/ files`, () => {
      const files = sourceFiles(join(pkg.root, 'src'));
      const cycles = findCycles(relativeImportGraph(files)).map((c) => c.map((f) => shortPath(pkg.root, f)).join(' -> '));
      expect(cycles).toEqual([]);
    });

    it(`${pkg.dir}: imports only lower layers`, () => {
      const violations = packageEdges(pkg)
        .map(([file, target]) => layeringViolation(pkg, file, target))
        .filter((v): v is string => v !== undefined);
      expect(violations).toEqual([]);
    });
  }

  it('the checker finds a planted cycle and a planted upward edge', () => {
    const a = '/virtual/a.ts';
    const b = '/virtual/b.ts';
    const c = '/virtual/c.ts';
    expect(findCycles(new Map([[a, [b]], [b, [c]], [c, [a]]]))).toEqual([[a, b, c, a]]);
    expect(findCycles(new Map([[a, [b]], [b, [c]], [c, []]]))).toEqual([]);
    const core = byName.get('@swin/core')!;
    expect(layeringViolation(core, 'src/x.ts', 'weights')).toMatch(/upward/);
    const onnx = packages.find((p) => p.dir === 'backend-onnx')!;
    expect(layeringViolation(onnx, 'src/x.ts', 'backend-tfjs')).toMatch(/sideways/);
    expect(layeringViolation(onnx, 'src/x.ts', 'weights')).toMatch(/sideways/);
    expect(layeringViolation(onnx, 'bench/x.mjs', 'weights')).toBeUndefined();
    expect(importSpecifiers(`import type { A } from './a.js';\nexport { b } from "../b.js";\nconst c = await import('./c.js');\n// import { d } from './d.js';`)).toEqual([
      './a.js',
      '../b.js',
      './c.js',
    ]);
  });
});
