// Checks every family's builder tests share.
import { expect } from 'vitest';
import { ALL_OPS, WeightError, countOps, createReferenceBackend, type FamilyModel, type KernelTableExecutable, type OpName, type TensorData } from '../../src/index.js';

/** Building without weight `name` is a WeightError naming it with the shape it expected. */
export function expectMissingWeightNamed(build: (weights: Map<string, TensorData>) => unknown, weights: Map<string, TensorData>, name: string, shape: readonly number[]): void {
  weights.delete(name);
  expect(() => build(weights)).toThrow(WeightError);
  expect(() => build(weights)).toThrow(`missing weight '${name}': expected shape ${JSON.stringify(shape)}`);
}

/** The ops a model runs per call after the reference backend's compile (constants folded); checks first that it uses every weight and only ops of the contract. */
export async function opsAfterCompile(model: FamilyModel<unknown, unknown>): Promise<Map<OpName, number>> {
  expect(model.unusedWeights).toEqual([]);
  for (const op of countOps(model.graph).keys()) expect(ALL_OPS).toContain(op);
  const exe = (await createReferenceBackend().compile(model.graph)) as KernelTableExecutable;
  return countOps(exe.graph);
}
