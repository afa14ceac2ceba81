/**
 * Golden scenarios: fixtures/scenarios/<name>/*.yaml with expected matrices written by hand
 * (expected-matrix.txt; expected-matrix-ipblock-pods-ignore.txt for the external-only reading).
 * After an intended change, KUBEREACH_UPDATE_GOLDEN=1 rewrites them — then review the diff by hand.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compile, hasErrors, loadCluster, matrix, matrixLine } from '../packages/core/src/index.js';
import { REPO, sourcesUnder, subdirs } from './support/fixtures.js';

const ROOT = join(REPO, 'fixtures/scenarios');
const UPDATE = process.env['KUBEREACH_UPDATE_GOLDEN'] === '1';

describe.each(subdirs(ROOT))('scenario %s', (name) => {
  const dir = join(ROOT, name);
  const { cluster, diagnostics } = loadCluster(sourcesUnder(dir));
  test.each([
    ['match', 'expected-matrix.txt'],
    ['ignore', 'expected-matrix-ipblock-pods-ignore.txt'],
  ] as const)('ipblock-pods=%s', (mode, file) => {
    const path = join(dir, file);
    if (!existsSync(path) && !UPDATE) return expect(mode).toBe('ignore'); // the ignore reading is optional per scenario
    expect(hasErrors(diagnostics), JSON.stringify(diagnostics)).toBe(false);
    const got = matrix(compile(cluster, { ipblockPods: mode })).map(matrixLine).join('\n') + '\n';
    if (UPDATE) writeFileSync(path, got);
    expect(got).toBe(readFileSync(path, 'utf8'));
  });
});
