import { makeZip, P, pickle } from './craft.js';

// Builders of files that are small on disk but ask for a lot of memory when read: the classes the
// hardening issue found (a data.pkl of one repeated opcode, MEMOIZE/MARK floods, deflated-zero
// storages far larger than the tensors viewing them). Shared by the memory tests and the fuzzer.

const enc = new TextEncoder();

function i32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

/**
 * A data.pkl of `count` copies of a 1-byte opcode after a short prefix, then STOP. Each opcode
 * creates a value (`)` an empty tuple, `}` a dict, `]` a list, `(` a MARK, `\x8f` an empty set,
 * `2` DUP, `\x94` MEMOIZE of what the prefix pushed).
 */
export function opcodeFlood(op: number, count: number, prefix: number[] = [0x80, 0x04, 0x4e]): Uint8Array {
  const out = new Uint8Array(prefix.length + count + 1);
  out.set(prefix, 0);
  out.fill(op, prefix.length, prefix.length + count);
  out[out.length - 1] = 0x2e;
  return out;
}

/** A torch zip checkpoint around a data.pkl, deflated as any zip tool would (so a 63 MiB pickle is ~64 KB). */
export function deflatedTorchZip(pkl: Uint8Array, storages: [string, Uint8Array][] = []): Uint8Array {
  return makeZip([['archive/data.pkl', pkl], ...storages.map(([k, d]) => [`archive/data/${k}`, d] as const), ['archive/version', enc.encode('3\n')]], true);
}

/** One float32 tensor of a crafted state dict: a view of `viewNumel` elements over a storage of `storageNumel`. */
export interface CraftedTensor {
  readonly name: string;
  readonly key: string;
  readonly storageNumel: number;
  readonly viewNumel: number;
  readonly offset?: number;
}

/** The data.pkl torch.save writes for an OrderedDict of float32 tensors (protocol 2, as torch). */
export function stateDictPickle(tensors: readonly CraftedTensor[]): Uint8Array {
  const ops: number[][] = [P.proto(2), P.global('collections', 'OrderedDict'), P.emptyTuple(), P.reduce()];
  for (const t of tensors) {
    ops.push(
      P.unicode(t.name),
      P.global('torch._utils', '_rebuild_tensor_v2'),
      P.mark(),
      // persistent id ('storage', torch.FloatStorage, key, 'cpu', numel)
      P.mark(), P.shortUnicode('storage'), P.global('torch', 'FloatStorage'), P.unicode(t.key), P.shortUnicode('cpu'), [0x4a, ...i32(t.storageNumel)], P.tuple(), [0x51],
      [0x4a, ...i32(t.offset ?? 0)],
      P.mark(), [0x4a, ...i32(t.viewNumel)], P.tuple(),
      P.mark(), P.int1(1), P.tuple(),
      [0x89],
      P.global('collections', 'OrderedDict'), P.emptyTuple(), P.reduce(),
      P.tuple(),
      P.reduce(),
      P.setitem(),
    );
  }
  ops.push(P.stop());
  return pickle(...ops);
}

/** A checkpoint whose storages are deflated zeros: `count` storages of `storageBytes` each, viewed `viewNumel` elements at a time. */
export function deflatedZeroStorages(count: number, storageBytes: number, viewNumel: number): Uint8Array {
  const numel = storageBytes / 4;
  const tensors: CraftedTensor[] = Array.from({ length: count }, (_, i) => ({ name: `t${i}`, key: String(i), storageNumel: numel, viewNumel }));
  const zeros = new Uint8Array(storageBytes);
  return deflatedTorchZip(stateDictPickle(tensors), tensors.map((t) => [t.key, zeros]));
}
