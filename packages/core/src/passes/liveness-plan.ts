import type { Graph } from '../graph/graph.js';
import { DTYPE_BYTES } from '../tensor/dtype.js';
import { shapeSize } from '../tensor/tensor.js';

/** When each node output dies, and which reusable buffer slot holds it. */
export interface LivenessPlan {
  /** Index of the last node reading each value (graph outputs: Infinity). */
  readonly lastUse: ReadonlyMap<string, number>;
  /** Values whose last reader is node i, so their storage can be released after it runs. */
  readonly releaseAfter: readonly (readonly string[])[];
  /** Slot index for every node output. Values with disjoint lifetimes share slots. */
  readonly slotOf: ReadonlyMap<string, number>;
  /** Bytes each slot needs at the graph's nominal batch (scale linearly with batch when dynamicBatch). */
  readonly slotBytes: readonly number[];
  /** Sum of slot sizes versus one buffer per value: how much reuse saves. */
  readonly totalBytes: number;
  readonly unpooledBytes: number;
}

/** Computes lifetimes of node outputs and a best-fit assignment of them to reusable slots. */
export function planLiveness(graph: Graph): LivenessPlan {
  const lastUse = new Map<string, number>();
  graph.nodes.forEach((node, i) => {
    for (const n of node.inputs) if (n !== '') lastUse.set(n, i);
  });
  for (const o of graph.outputs) lastUse.set(o.name, Infinity);
  const releaseAfter: string[][] = graph.nodes.map(() => []);
  const produced = new Set(graph.nodes.map((n) => n.output));
  // releaseAfter has one list per node, and a finite lastUse is a node index.
  for (const [name, i] of lastUse) if (Number.isFinite(i) && produced.has(name)) releaseAfter[i]!.push(name);

  const slotBytes: number[] = [];
  const free: number[] = [];
  const slotOf = new Map<string, number>();
  let unpooled = 0;
  graph.nodes.forEach((node, i) => {
    const info = graph.values.get(node.output)!;
    const bytes = shapeSize(info.shape) * DTYPE_BYTES[info.dtype];
    unpooled += bytes;
    // Best fit among free slots; grow the largest free slot when none is big enough. Every index in
    // free is a slot already in slotBytes, and free is non-empty where free[0] is read.
    let best = -1;
    for (const s of free) if (slotBytes[s]! >= bytes && (best < 0 || slotBytes[s]! < slotBytes[best]!)) best = s;
    if (best < 0 && free.length) {
      best = free.reduce((a, s) => (slotBytes[s]! > slotBytes[a]! ? s : a), free[0]!);
      slotBytes[best] = bytes;
    }
    if (best < 0) {
      best = slotBytes.length;
      slotBytes.push(bytes);
    } else free.splice(free.indexOf(best), 1);
    slotOf.set(node.output, best);
    if (!lastUse.has(node.output)) free.push(best); // never read: free at once
    for (const dead of releaseAfter[i]!) { // i < nodes.length = releaseAfter.length
      const s = slotOf.get(dead);
      if (s !== undefined) free.push(s);
    }
  });
  return {
    lastUse,
    releaseAfter,
    slotOf,
    slotBytes,
    totalBytes: slotBytes.reduce((a, b) => a + b, 0),
    unpooledBytes: unpooled,
  };
}
