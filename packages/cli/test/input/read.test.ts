import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../src/input/read.js';

let dir: string;
const stdin = async () => 'from stdin';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubereach-read-'));
  mkdirSync(join(dir, 'm', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'm', 'b.yaml'), 'b');
  writeFileSync(join(dir, 'm', 'a.json'), 'a');
  writeFileSync(join(dir, 'm', 'sub', 'c.yml'), 'c');
  writeFileSync(join(dir, 'm', 'notes.txt'), 'ignored');
  symlinkSync(join(dir, 'm'), join(dir, 'm', 'sub', 'loop')); // a symlink loop must not hang
  writeFileSync(join(dir, 'big.yaml'), 'x'.repeat(2000));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readInputs', () => {
  it('reads a folder recursively, manifests only, in sorted order, names as given, marked as found by walking', async () => {
    const r = await readInputs(['m'], { stdin, cwd: dir });
    expect(r.errors).toEqual([]);
    expect(r.sources).toEqual([
      { name: join('m', 'a.json'), text: 'a', walked: true },
      { name: join('m', 'b.yaml'), text: 'b', walked: true },
      { name: join('m', 'sub', 'c.yml'), text: 'c', walked: true },
    ]);
  });

  it('reads files and stdin (-) in the order given', async () => {
    const r = await readInputs([join(dir, 'm', 'b.yaml'), '-'], { stdin });
    expect(r.sources.map((s) => s.name)).toEqual([join(dir, 'm', 'b.yaml'), '<stdin>']);
    expect(r.sources[1]!.text).toBe('from stdin');
  });

  it('reports a missing path, a second -, and a file over the size limit', async () => {
    const r = await readInputs(['nope.yaml', '-', '-', 'big.yaml'], { stdin, cwd: dir, maxBytes: 1000 });
    expect(r.errors).toEqual([
      'nope.yaml: no such file or directory',
      '-: standard input can be given only once',
      'big.yaml: INPUT_TOO_LARGE: 0 MiB is over the limit of 0 MiB; split the input',
    ]);
    expect(r.sources.map((s) => s.name)).toEqual(['<stdin>']);
  });
});
