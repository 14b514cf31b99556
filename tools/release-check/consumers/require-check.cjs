// A CommonJS user: require() of every published library entry (Node >= 20.19 loads ES modules
// through require), and a value from one of them.
const entries = {
  '@swin/pipeline': ['loadModel'],
  '@swin/core': ['buildModelGraph', 'createReferenceBackend', 'preprocessImages'],
  '@swin/variants': ['findVariant'],
  '@swin/weights': ['loadWeights', 'readSafetensors'],
  '@swin/weights/node': ['readWeightsFile'],
  '@swin/backend-onnx': ['exportOnnx', 'createOnnxRuntimeBackend'],
  '@swin/backend-tfjs': ['createTfjsBackend'],
  '@swin/backend-webgpu': ['createWebGpuBackend'],
  '@swin/conformance': ['allOpCases'],
};
for (const [id, names] of Object.entries(entries)) {
  const mod = require(id);
  for (const name of names) {
    if (typeof mod[name] !== 'function') throw new Error(`require('${id}').${name} is ${typeof mod[name]}, expected a function`);
  }
}
const { findVariant } = require('@swin/variants');
console.log(`require() ok: ${Object.keys(entries).length} entries; swin-t embed_dim ${findVariant('swin-t').config.embed_dim}`);
