import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError } from '@swin/core';
import { readLocalFile } from '@swin/pipeline';
import { UsageError } from './cli-errors.js';

/** Reads a whole input file (an .npy, a JSON file): a regular file only, its size checked against the memory limit first. */
export const readInputFile = readLocalFile;

/** Reads and parses a JSON file; a syntax error is one line naming the file. */
export function readJsonFile(path: string, what: string): unknown {
  return parseJsonText(new TextDecoder().decode(readInputFile(path, what)), `${what} ${path}`);
}

/** JSON.parse whose error names where the text came from (a file, a checkpoint's metadata entry). */
export function parseJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${where}: expected JSON, found a syntax error (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** A path's identity: device and inode when it exists, and its real path (resolved through symlinks). */
function identity(path: string): { dev?: number; ino?: number; real: string } {
  try {
    const st = statSync(path);
    return { dev: st.dev, ino: st.ino, real: realpathSync(path) };
  } catch {
    // Not there yet: its real path is its real directory plus its name.
    let dir: string;
    try {
      dir = realpathSync(dirname(resolve(path)));
    } catch {
      dir = dirname(resolve(path));
    }
    return { real: join(dir, basename(path)) };
  }
}

/**
 * Refuses, before anything is written, an output that is the same file as one of the inputs (same
 * device and inode, or same real path), or as another output: writing it would destroy the input.
 */
export function refuseOutputOverInputs(outputs: readonly { flag: string; path: string | undefined }[], inputs: readonly { flag: string; path: string | undefined }[]): void {
  const ins = inputs.filter((i): i is { flag: string; path: string } => !!i.path).map((i) => ({ ...i, id: identity(i.path) }));
  const seen: { flag: string; path: string; id: ReturnType<typeof identity> }[] = [];
  for (const o of outputs) {
    if (!o.path) continue;
    const id = identity(o.path);
    for (const other of [...ins, ...seen]) {
      const sameInode = id.ino !== undefined && id.dev === other.id.dev && id.ino === other.id.ino;
      if (sameInode || id.real === other.id.real) {
        throw new UsageError(`${o.flag} ${o.path} is the same file as ${other.flag} ${other.path}: writing it would destroy it; choose another output path`);
      }
    }
    seen.push({ ...o, path: o.path, id });
  }
}
