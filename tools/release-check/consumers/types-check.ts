// A TypeScript user, strict: every public entry's declarations resolve and type the calls.
import { buildModelGraph, createReferenceBackend, parsePreprocessSpec, type ModelConfig, type WeightMap } from '@swin/core';
import { findVariant } from '@swin/variants';
import { loadModel } from '@swin/pipeline';
import { loadWeights } from '@swin/weights';
import { readWeightsFile } from '@swin/weights/node';
import { exportOnnx } from '@swin/backend-onnx';
import { createOnnxBackend } from '@swin/backend-onnx/node';
import { createOnnxBackend as createOnnxWebBackend } from '@swin/backend-onnx/web';
import { createTfjsBackend } from '@swin/backend-tfjs';
import { createTfjsNodeBackend } from '@swin/backend-tfjs/node';
import { createWebGpuBackend } from '@swin/backend-webgpu';

export async function typed(bytes: Uint8Array): Promise<number> {
  const loaded = loadWeights(bytes);
  const config: ModelConfig = loaded.config;
  const weights: WeightMap = loaded.weights;
  const built = buildModelGraph(config, weights, { inputSize: [224, 224], outputs: ['logits'] });
  const backend = createReferenceBackend();
  const exe = await backend.compile(built.graph);
  const variantDim: number = findVariant('swin-t').config.embed_dim;
  void [loadModel, readWeightsFile, exportOnnx, createOnnxBackend, createOnnxWebBackend, createTfjsBackend, createTfjsNodeBackend, createWebGpuBackend, parsePreprocessSpec, exe];
  return variantDim;
}
