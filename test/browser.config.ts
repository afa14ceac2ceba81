import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// The browser tests (`npm run test:browser`, run by .ci/run): the report and the playground in
// Debian's Chromium driven by playwright-core. Kept apart so `npm test` needs no browser. One file
// at a time: each starts its own Chromium, and the machine has two cores.
export default defineConfig({
  root,
  resolve: {
    alias: {
      '@kubereach/core': fileURLToPath(new URL('../packages/core/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
