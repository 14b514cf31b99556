import { defineConfig } from 'vitest/config';

// The e2e test builds the page and drives Chromium through every backend: minutes, not seconds.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 900_000, hookTimeout: 900_000 } });
