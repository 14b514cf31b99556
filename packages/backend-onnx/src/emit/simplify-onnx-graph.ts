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
    while (replaced.has(n)) n = replaced.get(n)!;
    return n;
  };
  const kept: OnnxNode[] = [];
  for (const original of nodes) {
    let node: OnnxNode = { ...original, inputs: original.inputs.map((i) => (i === '' ? i : resolve(i))) };
    if (node.opType === 'Reshape' && node.domain === '' && !hasAllowZero(node)) {
      const src = producer.get(node.inputs[0]!);
      if (src && src.opType === 'Reshape' && src.domain === '' && !hasAllowZero(src)) node = { ...node, inputs: [src.inputs[0]!, node.inputs[1]!] };
      const out = node.outputs[0]!;
      if (!graphOutputs.has(out) && sameShape(shapeOf(node.inputs[0]!), shapeOf(out))) {
        replaced.set(out, node.inputs[0]!);
        continue;
      }
    }
    for (const o of node.outputs) producer.set(o, node);
    kept.push(node);
  }
  // Dead-node sweep, outputs first.
  const live = new Set(graphOutputs);
  const result: OnnxNode[] = [];
  for (let i = kept.length - 1; i >= 0; i--) {
    const node = kept[i]!;
    if (!node.outputs.some((o) => live.has(o))) continue;
    for (const inp of node.inputs) if (inp !== '') live.add(inp);
    result.push(node);
  }
  return result.reverse();
}
