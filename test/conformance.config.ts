import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The conformance runners read the shared conformance data (outside the repository), so they are not part of the
// fresh-clone `npm test`; .ci/run runs them with this config. Built by spreading, not mergeConfig:
// mergeConfig concatenates arrays, which would keep the base config's `test/conformance/**` exclude.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/conformance/**/*.test.ts'], exclude: ['**/node_modules/**'] },
});
