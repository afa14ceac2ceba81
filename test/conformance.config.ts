import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// The conformance runners read ../shared (outside the repository), so they are not part of the
// fresh-clone `npm test`; .ci/run runs them with this config.
export default mergeConfig(base, defineConfig({
  test: { include: ['test/conformance/**/*.test.ts'], exclude: ['**/node_modules/**'] },
}));
