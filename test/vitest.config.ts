import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// One config for every test of the repository (packages/*/test and test/). Tests import the
// sources directly (the alias), so a test run never depends on a stale dist/.
export default defineConfig({
  root,
  resolve: {
    alias: {
      '@kubereach/core': fileURLToPath(new URL('../packages/core/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/conformance/**', 'test/browser/**'],
    testTimeout: 60_000,
  },
});
