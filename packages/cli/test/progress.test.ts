/**
 * The progress bar of audit, matrix and diff (progress.ts), as stats has had it: on a terminal, for
 * work over a second (here: a 9 MB input, which shows it from the start), stage by stage on stderr
 * from the load phase on, cleared before the output; never when stderr is a pipe or in CI; and the
 * output is the same with and without it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { rmSync } from 'node:fs';
import { memoryIO, run } from '../src/index.js';
import { Progress, progressAllowed } from '../src/progress.js';

const dir = mkdtempSync(join(tmpdir(), 'kubereach-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 9 MB of input (a ConfigMap's data) beside a small cluster, as a multi-megabyte dump would be
const objects = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'a', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c' }] },
    status: { podIP: '10.0.0.1' },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'db', namespace: 'a', labels: { app: 'db' } },
    spec: { containers: [{ name: 'c' }] },
    status: { podIP: '10.0.0.2' },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'blob', namespace: 'a' }, data: { x: 'y'.repeat(9 * 1024 * 1024) } },
];
const deny = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'deny', namespace: 'a' },
  spec: { podSelector: { matchLabels: { app: 'db' } } },
};
const before = join(dir, 'before.json');
const after = join(dir, 'after.json');
writeFileSync(before, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
writeFileSync(after, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...objects, deny] }));

const CLEAR = '\r\u001b[2K';

async function runWith(argv: string[], overrides: Parameters<typeof memoryIO>[1]) {
  const io = memoryIO('', overrides);
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('progress bars of audit, matrix and diff', () => {
  test.each([
    [
      ['audit', '-o', 'json', '-f', after],
      ['[--------------------] 0/3 parsing and modelling…', '[#######-------------] 1/3 compiling…', '[#############-------] 2/3 auditing…'],
    ],
    [
      ['matrix', '-o', 'json', '-f', after],
      ['[--------------------] 0/3 parsing and modelling…', '[#######-------------] 1/3 compiling…', '[#############-------] 2/3 computing the matrix…'],
    ],
    [
      ['diff', before, after, '-o', 'json'],
      ['[--------------------] 0/2 parsing and modelling…', '[##########----------] 1/2 compiling and diffing…'],
    ],
  ])('%j on a terminal: the bar stage by stage from the load on, cleared before the output, which is unchanged', async (argv, frames) => {
    const tty = await runWith(argv, { stderrIsTTY: true });
    const piped = await runWith(argv, {});
    expect(tty.err.split(CLEAR).filter((f) => f !== '')).toEqual(frames);
    expect(tty.err.endsWith(CLEAR)).toBe(true);
    // the same answer and exit code either way; nothing on a piped stderr
    expect(tty.out).toBe(piped.out);
    expect(tty.code).toBe(piped.code);
    expect(piped.err).toBe('');
  });

  test('never in CI (the CI variable set), even on a terminal', async () => {
    for (const argv of [
      ['audit', '-f', after],
      ['matrix', '-f', after],
      ['diff', before, after],
      ['stats', '-f', after],
    ]) {
      const r = await runWith(argv, { stderrIsTTY: true, env: { CI: 'true' } });
      expect([argv[0], r.err]).toEqual([argv[0], '']);
    }
  });

  test("a small input shows the bar only once the work has taken over a second (a clock of the test's own)", () => {
    const io = memoryIO('', { stderrIsTTY: true });
    let t = 0;
    const p = new Progress(io, ['one', 'two', 'three'], () => t);
    p.input(1000);
    p.stage(0);
    t = 1000;
    p.stage(1);
    expect(io.err()).toBe('');
    t = 1001;
    p.stage(2);
    p.end();
    expect(io.err()).toBe(`${CLEAR}[#############-------] 2/3 three…${CLEAR}`);
    // an input over 8 MB shows it from the start
    const big = memoryIO('', { stderrIsTTY: true });
    const q = new Progress(big, ['one', 'two'], () => 0);
    q.input(9 * 1024 * 1024);
    q.stage(0);
    expect(big.err()).toBe(`${CLEAR}[--------------------] 0/2 one…`);
    // what a stage writes clears the bar first
    q.io.stderr('warning: x\n');
    expect(big.err()).toBe(`${CLEAR}[--------------------] 0/2 one…${CLEAR}warning: x\n`);
  });

  test('progressAllowed: a terminal outside CI only', () => {
    const io = (stderrIsTTY: boolean, env: Record<string, string>) => ({ ...memoryIO(), stderrIsTTY, env });
    expect(progressAllowed(io(true, {}))).toBe(true);
    expect(progressAllowed(io(true, { CI: 'false' }))).toBe(true);
    expect(progressAllowed(io(true, { CI: '1' }))).toBe(false);
    expect(progressAllowed(io(true, { CI: 'true' }))).toBe(false);
    expect(progressAllowed(io(false, {}))).toBe(false);
  });
});
