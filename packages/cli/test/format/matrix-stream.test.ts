/**
 * The matrix is written as it is made: a large cluster's output can exceed the longest string the
 * runtime builds (and its pairs the memory an array of them takes), so the renderer yields chunks,
 * the command writes them in batches through `writeChunks`, and the writer waits for stdout to drain
 * whenever a write says its buffer is full. These tests hold that structure at a small size.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { compile, ConnectionSet, loadCluster, matrix, matrixEntries, podMatrix, podMatrixEntries } from '@kubereach/core';
import { matrixChunks, MATRIX_FORMATS, renderMatrix, type MatrixRow } from '../../src/format/matrix.js';
import { memoryIO, run } from '../../src/index.js';
import { writeChunks } from '../../src/io.js';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');

function rows(n: number): MatrixRow[] {
  return Array.from({ length: n }, (_, i) => ({
    src: { id: `ns/a-${i}[Pod]` },
    dst: { id: `ns/"b\n${i}"[Pod]` },
    conn: i % 2 === 0 ? ConnectionSet.port('TCP', 80) : ConnectionSet.ALL,
  }));
}

describe('matrix chunks', () => {
  test('-o json is byte for byte JSON.stringify(value, null, 2) of the whole matrix, empty arrays too', () => {
    for (const [n, caveats] of [
      [0, []],
      [1, ['a "caveat"\nwith a newline']],
      [3, ['one', 'two']],
    ] as const) {
      const r = rows(n);
      const endpoints = n === 0 ? [] : ['0.0.0.0-255.255.255.255[External]', ...r.map((e) => e.src.id)];
      const expected = `${JSON.stringify(
        { endpoints, connections: r.map((e) => ({ src: e.src.id, dst: e.dst.id, conn: e.conn.toString() })), caveats },
        null,
        2,
      )}\n`;
      expect(renderMatrix(r, endpoints, 'json', caveats)).toBe(expected);
    }
  });

  test('every format yields the pairs as they come: the chunks before a failing pair are out already', () => {
    for (const format of MATRIX_FORMATS) {
      if (format === 'dot') continue; // dot reads the pairs once for its node list before the edges
      const lazy: Iterable<MatrixRow> = {
        *[Symbol.iterator]() {
          yield* rows(2);
          throw new Error('pair 3');
        },
      };
      const seen: string[] = [];
      expect(() => {
        for (const c of matrixChunks(lazy, [], format)) seen.push(c);
      }).toThrow('pair 3');
      // both lines of the two pairs were yielded before the third pair was asked for
      expect(seen.join('')).toContain('ns/a-1');
      expect(seen.join('')).toContain('ns/a-0');
    }
  });

  test('one chunk per pair (no joined string) in text, csv and md', () => {
    const r = rows(5);
    expect([...matrixChunks(r, [], 'text')]).toHaveLength(5);
    expect([...matrixChunks(r, [], 'csv')]).toHaveLength(1 + 5);
    expect([...matrixChunks(r, [], 'md')]).toHaveLength(1 + 5);
  });
});

describe('writeChunks', () => {
  test('batches chunks, and awaits drain after every write that reports a full buffer', async () => {
    const events: string[] = [];
    let written = '';
    const io = memoryIO('', {
      stdout: (t: string) => {
        written += t;
        events.push(`write ${t.length}`);
        return false; // always "full": every write must be followed by a drain before the next one
      },
      drain: async () => {
        await Promise.resolve();
        events.push('drain');
      },
    });
    const chunk = 'x'.repeat(1000);
    const chunks = Array.from({ length: 200 }, (_, i) => `${i}:${chunk}\n`);
    await writeChunks(io, chunks);
    expect(written).toBe(chunks.join(''));
    const writes = events.filter((e) => e.startsWith('write'));
    // 200 KB in batches of at least 64 Ki UTF-16 units: 4 writes, not 200 and not 1
    expect(writes.length).toBe(4);
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]).toMatch(/^write /);
      expect(events[i + 1]).toBe('drain');
    }
  });

  test('a stream that is never full is not waited on, and an empty output writes nothing', async () => {
    let drains = 0;
    let writes = 0;
    const io = memoryIO('', {
      stdout: () => {
        writes++;
        return true;
      },
      drain: async () => {
        drains++;
      },
    });
    await writeChunks(io, ['a', 'b']);
    await writeChunks(io, []);
    expect([writes, drains]).toEqual([1, 0]);
  });
});

describe('kubereach matrix writes through the draining writer', () => {
  function demo() {
    const files = ['cluster.yaml', 'policies.yaml'].map((f) => ({ name: f, text: readFileSync(join(ROOT, 'fixtures/demo', f), 'utf8') }));
    return compile(loadCluster(files).cluster);
  }

  test('the pair iterables give exactly the arrays, pass after pass', () => {
    const index = demo();
    for (const external of [true, false]) {
      const pods = podMatrix(index, { external });
      const lazy = podMatrixEntries(index, { external });
      expect(pods.length).toBeGreaterThan(10);
      expect([...lazy]).toEqual(pods);
      expect([...lazy]).toEqual(pods);
      const eps = matrix(index, { external });
      expect(eps.length).toBeGreaterThan(10);
      expect([...matrixEntries(index, { external })]).toEqual(eps);
    }
  });

  for (const endpoints of ['pods', 'workloads'] as const)
    for (const format of MATRIX_FORMATS)
      test(`--endpoints ${endpoints} -o ${format}: a stdout that is always full is drained after every write, output unchanged`, async () => {
        const argv = ['matrix', '-f', 'fixtures/demo', '--endpoints', endpoints, '-o', format];
        const plain = memoryIO('', { cwd: ROOT });
        expect(await run(argv, plain)).toBe(0);
        let drains = 0;
        const out: string[] = [];
        const full = memoryIO('', {
          cwd: ROOT,
          stdout: (t: string) => {
            out.push(t);
            return false;
          },
          drain: async () => {
            drains++;
          },
        });
        expect(await run(argv, full)).toBe(0);
        expect(out.join('')).toBe(plain.out());
        expect(plain.out().length).toBeGreaterThan(500);
        expect(drains).toBe(out.length);
        expect(drains).toBeGreaterThan(0);
      });
});
