import { defineConfig } from 'vite';

// Two pages, one per backend; onnxruntime-web fetches its .wasm at run time (kept out of
// dependency pre-bundling, emitted as assets by the build).
export default defineConfig({
  logLevel: 'warn',
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', rollupOptions: { input: { webgpu: 'webgpu.html', ort: 'ort.html' } } },
});
