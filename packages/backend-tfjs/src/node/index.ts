// Node entry: tfjs-backend-cpu and tfjs-backend-wasm (SIMD, single-threaded in Node), registered
// in core's registry as 'tfjs' and 'tfjs-wasm'.
export * from './tfjs-node-backends.js';
