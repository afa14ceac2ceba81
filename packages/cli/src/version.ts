import { readFileSync } from 'node:fs';

// bundle.mjs defines it (the single-file bundle has no package.json beside it)
declare const KUBEREACH_VERSION: string | undefined;

/** The package version, printed by --version and in SARIF: packages/cli/package.json's. */
export const VERSION: string =
  typeof KUBEREACH_VERSION === 'string'
    ? KUBEREACH_VERSION
    : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
