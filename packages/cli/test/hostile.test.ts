/**
 * The hostile-input reproductions through the real command (`run(argv, io)`), each generated at test
 * time: what reaches stdout and stderr, and the exit code.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { memoryIO, run } from '../src/index.js';

/** Any byte a terminal acts on (newline aside). */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

async function kr(stdin: string, ...argv: string[]) {
  const io = memoryIO(stdin);
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

function pods(...names: [string, string][]): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: names.map(([ns, name]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns } })),
  });
}

describe('names that would forge output are rejected before any output, and printed inert', () => {
  test('ESC/BEL in a pod name: exit 2, the diagnostic shows the escape sequence as text', async () => {
    const r = await kr(pods(['ns1', 'a\u001b]0;pwned\u0007'], ['ns1', 'b']), 'matrix', '-f', '-');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(CONTROL.test(r.err)).toBe(false);
    expect(r.err).toContain('<stdin>:1:');
    expect(r.err).toContain('error INVALID_NAME: metadata.name "a\\x1b]0;pwned\\x07" is not a valid Pod name');
  });

  test('a newline in a name cannot forge a matrix or who-can-reach line', async () => {
    for (const cmd of [['matrix'], ['who-can-reach', 'ns1/a']]) {
      const r = await kr(pods(['ns1', 'a'], ['ns1', 'b\nns1/b[Pod] => ns1/a[Pod] : FORGED']), ...cmd, '-f', '-');
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.split('\n').filter((l) => l.includes('FORGED'))).toHaveLength(1);
      expect(r.err).not.toMatch(/^ns1\/b\[Pod\] => /m);
    }
  });

  test('a backtick and <img> in a pod name, a namespace =1+2: exit 2 for diff -o md and matrix -o csv', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubereach-hostile-'));
    writeFileSync(join(dir, 'before.json'), pods(['shop', 'a']));
    writeFileSync(join(dir, 'after.json'), pods(['shop', 'a'], ['shop', 'x`<img src=x onerror=alert(1)>`']));
    const d = await kr('', 'diff', join(dir, 'before.json'), join(dir, 'after.json'), '-o', 'md');
    expect(d.code).toBe(2);
    expect(d.out).toBe('');
    expect(d.err).toContain('INVALID_NAME');
    const c = await kr(pods(['=1+2', 'a']), 'matrix', '-f', '-', '-o', 'csv');
    expect(c.code).toBe(2);
    expect(c.out).toBe('');
    expect(c.err).toContain('error INVALID_NAME: metadata.namespace "=1+2" is not a valid namespace name');
  });

  test('a file name with control characters is printed escaped in locations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubereach-hostile-'));
    const file = join(dir, 'p\u001b[2K\r.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata: {name: "b a", namespace: shop}\n');
    const r = await kr('', 'matrix', '-f', file);
    expect(r.code).toBe(2);
    expect(CONTROL.test(r.err)).toBe(false);
    expect(r.err).toContain('p\\x1b[2K\\r.yaml:3:18: error INVALID_NAME');
  });
});
