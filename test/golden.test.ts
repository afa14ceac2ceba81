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

const READINGS = [
  ['match', 'expected-matrix.txt'],
  ['ignore', 'expected-matrix-ipblock-pods-ignore.txt'],
] as const;

// every scenario has the default reading; the external-only reading where the scenario has its file
const cases = subdirs(ROOT).flatMap((name) =>
  READINGS.filter(([mode, file]) => mode === 'match' || existsSync(join(ROOT, name, file))).map(([mode, file]) => ({ name, mode, file })),
);

test('every scenario has its expected matrix', () => {
  for (const name of subdirs(ROOT)) expect(existsSync(join(ROOT, name, 'expected-matrix.txt')), name).toBe(true);
});

describe.each(cases)('scenario $name, ipblock-pods=$mode', ({ name, mode, file }) => {
  test('matrix', () => {
    const dir = join(ROOT, name);
    const { cluster, diagnostics } = loadCluster(sourcesUnder(dir));
    expect(hasErrors(diagnostics), JSON.stringify(diagnostics)).toBe(false);
    const path = join(dir, file);
    const got =
      matrix(compile(cluster, { ipblockPods: mode }))
        .map(matrixLine)
        .join('\n') + '\n';
    if (UPDATE) writeFileSync(path, got);
    expect(got).toBe(readFileSync(path, 'utf8'));
  });
});
