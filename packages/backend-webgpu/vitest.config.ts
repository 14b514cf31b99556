import { defineConfig } from 'vitest/config';

// Dawn (Node WebGPU) crashes once V8 optimizes the code that drives it unless node runs with
// --max-opt=2, so every test file runs in a forked worker started with that flag. Files run one
// at a time: SwiftShader already spreads each dispatch over every core.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    execArgv: ['--max-opt=2'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
