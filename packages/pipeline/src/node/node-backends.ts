import { registerBackend } from '@swin/core';
import { importOptional, type BackendProviders } from '../backend-choice.js';

// Specifiers held in variables: these packages are optional peers, resolved at run time only when
// a backend is asked for, so an app ships (and installs) only the backends it uses.
const ONNX_NODE = '@swin/backend-onnx/node';
const TFJS_NODE = '@swin/backend-tfjs/node';
const TFJS_CORE = '@tensorflow/tfjs-core';
const WEBGPU_NODE = '@swin/backend-webgpu/node';

// Their types, imported as types only: nothing is loaded until a backend is asked for.
type TfjsCore = typeof import('@tensorflow/tfjs-core');
type TfjsNode = typeof import('@swin/backend-tfjs/node');
type WebGpuNode = typeof import('@swin/backend-webgpu/node');

async function registerTfjs(): Promise<void> {
  const tf = await importOptional<TfjsCore>(() => import(TFJS_CORE), TFJS_CORE, 'the tfjs backends');
  // tfjs advises installing tfjs-node on stderr at first use; production mode keeps it quiet.
  tf.env().set('PROD', true);
  const mod = await importOptional<TfjsNode>(() => import(TFJS_NODE), '@swin/backend-tfjs', 'the tfjs backends');
  mod.registerTfjsNodeBackends();
}

/** Node: onnxruntime-node first, then tfjs on wasm, then the always-present reference. */
export const NODE_BACKENDS: BackendProviders = {
  providers: [
    { name: 'onnx', register: async () => void (await importOptional(() => import(ONNX_NODE), '@swin/backend-onnx', "backend 'onnx'")) },
    { name: 'tfjs', register: registerTfjs },
    { name: 'tfjs-wasm', register: registerTfjs },
    {
      name: 'webgpu',
      // Dawn crashes once V8 fully optimizes hot code: the process must run with --max-opt=2
      // (relaunchWithDawnFlags / runInDawnProcess from @swin/backend-webgpu/node arrange it).
      unavailable: async () => {
        const mod = await importOptional<WebGpuNode>(() => import(WEBGPU_NODE), '@swin/backend-webgpu', "backend 'webgpu'");
        return mod.isDawnSafeProcess() ? null : 'Dawn needs node started with --max-opt=2 (relaunchWithDawnFlags() from @swin/backend-webgpu/node does it)';
      },
      register: async () => {
        const mod = await importOptional<WebGpuNode>(() => import(WEBGPU_NODE), '@swin/backend-webgpu', "backend 'webgpu'");
        registerBackend('webgpu', () => mod.createNodeWebGpuBackend());
      },
    },
    { name: 'reference', register: async () => undefined },
  ],
  autoOrder: ['onnx', 'tfjs-wasm', 'reference'],
};
