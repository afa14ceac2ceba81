/**
 * Peak memory while loading stays within a documented multiple of the input size (README, Input),
 * for each input shape: measured in a child process of its own (the test runner's heap would blur
 * it), as the child's peak resident set minus its resident set with the input text already read,
 * over the input's size. Inputs are generated at test time (test/memory/generate.mjs): 8 MB of JSON, 4 MB of
 * YAML read by the yaml package (about 1 MB/s here), 8 MB of block-style YAML read by the fast path.
 * Nothing here is timed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kubereach-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Measured {
  bytes: number;
  baseline: number;
  peak: number;
  objects: number;
  errors: number;
}

function measure(shape: string, mb: number): Measured & { multiple: number } {
  const file = join(dir, `${shape}.txt`);
  execFileSync(process.execPath, [join(here, 'generate.mjs'), shape, String(mb), file]);
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, 'child.ts'), file], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const m = JSON.parse(out) as Measured;
  return { ...m, multiple: (m.peak - m.baseline) / m.bytes };
}

/** The documented bounds (README, Input): peak memory over input size, per format. */
export const JSON_MULTIPLE = 24;
/** A YAML stream of documents (each composed and modelled before the next is read). */
export const YAML_STREAM_MULTIPLE = 24;
/** One YAML `kind: List` document read by the yaml package: its whole CST exists once. */
export const YAML_LIST_MULTIPLE = 100;
/** Block-style YAML (kubectl's output) read by the fast path (load/yaml-fast.ts), List or stream. */
export const YAML_BLOCK_MULTIPLE = 24;

describe('peak memory while loading is a bounded multiple of the input size', () => {
  it('JSON: a kubectl-style List of pods', () => {
    const m = measure('pods-json', 8);
    expect(m.errors).toBe(0);
    expect(m.objects).toBeGreaterThan(10_000);
    expect(m.multiple, `peak ${(m.peak / 1048576).toFixed(0)} MB - baseline ${(m.baseline / 1048576).toFixed(0)} MB over ${m.bytes} bytes`).toBeLessThanOrEqual(
      JSON_MULTIPLE,
    );
  });

  it('JSON: one policy with hundreds of thousands of one-line ipBlock peers (the smallest objects per byte)', () => {
    const m = measure('peers-json', 8);
    expect(m.errors).toBe(0);
    expect(m.multiple, `peak ${(m.peak / 1048576).toFixed(0)} MB - baseline ${(m.baseline / 1048576).toFixed(0)} MB over ${m.bytes} bytes`).toBeLessThanOrEqual(
      JSON_MULTIPLE,
    );
  });

  it('YAML: a stream of one pod per document', () => {
    const m = measure('pods-yaml-stream', 4);
    expect(m.errors).toBe(0);
    expect(m.objects).toBeGreaterThan(10_000);
    expect(m.multiple, `peak ${(m.peak / 1048576).toFixed(0)} MB - baseline ${(m.baseline / 1048576).toFixed(0)} MB over ${m.bytes} bytes`).toBeLessThanOrEqual(
      YAML_STREAM_MULTIPLE,
    );
  });

  it.each(['pods-yaml-list-block', 'pods-yaml-stream-block'])(
    'YAML in block style only, read by the fast path: %s',
    (shape) => {
      const m = measure(shape, 8);
      expect(m.errors).toBe(0);
      expect(m.objects).toBeGreaterThan(20_000);
      expect(
        m.multiple,
        `peak ${(m.peak / 1048576).toFixed(0)} MB - baseline ${(m.baseline / 1048576).toFixed(0)} MB over ${m.bytes} bytes`,
      ).toBeLessThanOrEqual(YAML_BLOCK_MULTIPLE);
    },
    600_000,
  );

  it('the reported YAML List: 230k small objects in 21.7 MB (kubectl block style) loads within the block-style bound', () => {
    // Reported at 52 s and 2.6 GB; the fast path reads it item by item without the yaml package's CST.
    const m = measure('small-yaml-list', 21.7);
    expect(m.errors).toBe(0);
    expect(m.objects).toBeGreaterThanOrEqual(230_000);
    expect(m.multiple, `peak ${(m.peak / 1048576).toFixed(0)} MB - baseline ${(m.baseline / 1048576).toFixed(0)} MB over ${m.bytes} bytes`).toBeLessThanOrEqual(
      YAML_BLOCK_MULTIPLE,
    );
  }, 600_000);

  it('the reported 100 MB of YAML documents (kubectl block style) loads within the block-style bound', () => {
    // Reported to run past 1.8 GB and time out; each document is read and modelled before the next.
    const m = measure('pods-yaml-stream-block', 100);
    expect(m.errors).toBe(0);
    expect(m.objects).toBeGreaterThan(300_000);
    expect(m.multiple, `peak ${(m.peak / 1048576).toFixed(0)} MB - baseline ${(m.baseline / 1048576).toFixed(0)} MB over ${m.bytes} bytes`).toBeLessThanOrEqual(
      YAML_BLOCK_MULTIPLE,
    );
  }, 600_000);

  it('YAML: one kind: List document (kubectl get -o yaml)', () => {
    const m = measure('pods-yaml-list', 4);
    expect(m.errors).toBe(0);
    expect(m.objects).toBeGreaterThan(10_000);
    expect(m.multiple, `peak ${(m.peak / 1048576).toFixed(0)} MB - baseline ${(m.baseline / 1048576).toFixed(0)} MB over ${m.bytes} bytes`).toBeLessThanOrEqual(
      YAML_LIST_MULTIPLE,
    );
  });
});
