import type { OnnxNode } from '../onnx/onnx-model.js';

/** Static shape of a value (nominal batch), when known. */
export type ShapeLookup = (name: string) => readonly number[] | undefined;

function sameShape(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((d, i) => d === b[i]);
}

const hasAllowZero = (n: OnnxNode) => n.attributes.some((a) => a.name === 'allowzero' && a.value === 1);

/**
 * Peephole clean-up after translation, node by node:
 * - Reshape of a Reshape reads the first one's input (a reshape only reinterprets row-major data);
 * - a Reshape to the shape its input already has disappears;
 * - nodes nobody reads disappear.
 * Because every value's dim 0 scales with the batch, equal nominal shapes are equal at any batch.
 */
export function simplifyOnnxGraph(nodes: readonly OnnxNode[], graphOutputs: ReadonlySet<string>, shapeOf: ShapeLookup): OnnxNode[] {
  const producer = new Map<string, OnnxNode>();
  const replaced = new Map<string, string>();
  const resolve = (name: string): string => {
    let n = name;
    for (let next = replaced.get(n); next !== undefined; next = replaced.get(n)) n = next;
    return n;
  };
  const kept: OnnxNode[] = [];
  for (const original of nodes) {
    let node: OnnxNode = { ...original, inputs: original.inputs.map((i) => (i === '' ? i : resolve(i))) };
    // A Reshape has its data and shape inputs and one output; a node without them is left as it is.
    const [data, shape] = node.inputs;
    const [out] = node.outputs;
    if (node.opType === 'Reshape' && node.domain === '' && !hasAllowZero(node) && data !== undefined && shape !== undefined && out !== undefined) {
      const src = producer.get(data);
      const srcData = src && src.opType === 'Reshape' && src.domain === '' && !hasAllowZero(src) ? src.inputs[0] : undefined;
      const input = srcData ?? data;
      if (srcData !== undefined) node = { ...node, inputs: [srcData, shape] };
      if (!graphOutputs.has(out) && sameShape(shapeOf(input), shapeOf(out))) {
        replaced.set(out, input);
        continue;
      }
    }
    for (const o of node.outputs) producer.set(o, node);
    kept.push(node);
  }
  // Dead-node sweep, outputs first.
  const live = new Set(graphOutputs);
  const result: OnnxNode[] = [];
  for (const node of [...kept].reverse()) {
    if (!node.outputs.some((o) => live.has(o))) continue;
    for (const inp of node.inputs) if (inp !== '') live.add(inp);
    result.push(node);
  }
  return result.reverse();
}
