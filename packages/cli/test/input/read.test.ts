import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunksOf } from '../../src/io.js';
import { foreignEncoding, MAX_INPUT_BYTES, readBounded, readInputs } from '../../src/input/read.js';

let dir: string;
const stdin = () => chunksOf('from stdin');
const bin = fileURLToPath(new URL('../../bin/kubereach.js', import.meta.url));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubereach-read-'));
  mkdirSync(join(dir, 'm', 'sub'), { recursive: true });
  writeFileSync(join(dir, 'm', 'b.yaml'), 'b');
  writeFileSync(join(dir, 'm', 'a.json'), 'a');
  writeFileSync(join(dir, 'm', 'sub', 'c.yml'), 'c');
  writeFileSync(join(dir, 'm', 'notes.txt'), 'ignored');
  symlinkSync(join(dir, 'm'), join(dir, 'm', 'sub', 'loop')); // a symlink loop must not hang
  writeFileSync(join(dir, 'big.yaml'), 'x'.repeat(2000));
  mkdirSync(join(dir, 'dangling'));
  writeFileSync(join(dir, 'dangling', 'ok.yaml'), 'ok');
  symlinkSync(join(dir, 'nowhere.yaml'), join(dir, 'dangling', 'gone.yaml'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An endless source of zero bytes, like /dev/zero behind a pipe; counts what was pulled. */
function endless(chunk: number): { chunks: AsyncIterable<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const zeros = new Uint8Array(chunk);
  return {
    chunks: {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          pulled += chunk;
          return { done: false, value: zeros };
        },
      }),
    },
    pulled: () => pulled,
  };
}

describe('readInputs', () => {
  it('reads a folder recursively, manifests only, in sorted order, names as given, marked as found by walking', async () => {
    const r = await readInputs(['m'], { stdin, cwd: dir });
    expect(r.errors).toEqual([]);
    expect(r.skipped).toEqual([]);
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

  it('warns about a dangling symlink in a folder instead of skipping it silently', async () => {
    const r = await readInputs(['dangling'], { stdin, cwd: dir });
    expect(r.errors).toEqual([]);
    expect(r.skipped).toEqual([`${join('dangling', 'gone.yaml')} is a symbolic link to a path that does not exist, so it was not read`]);
    expect(r.sources.map((s) => s.name)).toEqual([join('dangling', 'ok.yaml')]);
  });
});

describe('byte limit on streams (stdin, FIFOs, devices)', () => {
  it('stops an endless stdin one chunk past the limit: INPUT_TOO_LARGE, nothing kept', async () => {
    const src = endless(4096);
    const r = await readInputs(['-'], { stdin: () => src.chunks, maxBytes: 1024 * 1024 });
    expect(r.errors).toEqual(['-: INPUT_TOO_LARGE: standard input is over the limit of 1 MiB (reading stopped there); split the input']);
    expect(r.sources).toEqual([]);
    expect(src.pulled()).toBe(1024 * 1024 + 4096);
  });

  it('accepts a stream of exactly the limit', async () => {
    const r = await readInputs(['-'], { stdin: () => chunksOf('a'.repeat(1000)), maxBytes: 1000 });
    expect(r.errors).toEqual([]);
    expect(r.sources[0]!.text).toHaveLength(1000);
  });

  it('counts bytes of /dev/zero, whose stat size is 0', async () => {
    const r = await readInputs(['/dev/zero'], { stdin, maxBytes: 3 * 1024 * 1024 });
    expect(r.errors).toEqual(['/dev/zero: INPUT_TOO_LARGE: the device is over the limit of 3 MiB (reading stopped there); split the input']);
  });

  it('counts bytes of a FIFO', async () => {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    // the writer sends 2 MiB + 1 byte; the reader's limit is 2 MiB
    const writer = spawn('sh', ['-c', `head -c ${2 * 1024 * 1024 + 1} /dev/zero | tr '\\0' a > '${fifo}'`], { stdio: 'ignore' });
    const r = await readInputs([fifo], { stdin, maxBytes: 2 * 1024 * 1024 });
    writer.kill();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(new RegExp(`^${fifo}: INPUT_TOO_LARGE: the pipe is over the limit of 2 MiB \\(reading stopped there\\); split the input$`));
  });

  it('readBounded keeps every byte up to the limit', async () => {
    const r = await readBounded(chunksOf(new Uint8Array([1, 2, 3])), 3);
    expect(r).toEqual({ ok: true, bytes: Buffer.from([1, 2, 3]) });
    expect(await readBounded(chunksOf(new Uint8Array([1, 2, 3])), 2)).toEqual({ ok: false, read: 3 });
  });

  it('the real command: `cat /dev/zero | kubereach stats -f -` stops at 512 MiB with exit 2, not unbounded memory', () => {
    // The exact reproduction: an endless pipe. Before, memory grew without bound (15 GB in 60 s).
    const r = spawnSync('sh', ['-c', `cat /dev/zero | node '${bin}' stats -f -`], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `kubereach: -: INPUT_TOO_LARGE: standard input is over the limit of ${MAX_INPUT_BYTES / 1048576} MiB (reading stopped there); split the input\n`,
    );
  });
});

describe('the reported 540 MB pipe', () => {
  it('`head -c 540000000 big.yaml | kubereach stats -f -` is INPUT_TOO_LARGE with exit 2, not exit 3 on a string too long', () => {
    // The exact reproduction, generated here: 540,000,000 bytes of YAML text through a pipe. Before,
    // the whole text was decoded into one string past V8's limit and the command crashed (exit 3).
    const big = `yes 'apiVersion: v1' | head -c 540000000`;
    const r = spawnSync('sh', ['-c', `${big} | node '${bin}' stats -f -`], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `kubereach: -: INPUT_TOO_LARGE: standard input is over the limit of ${MAX_INPUT_BYTES / 1048576} MiB (reading stopped there); split the input\n`,
    );
  });
});

describe('encodings', () => {
  it('names UTF-16 and UTF-32 input instead of reading it as one meaningless string', async () => {
    const text = 'apiVersion: v1\nkind: Namespace\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    writeFileSync(join(dir, 'utf16.yaml'), le);
    const r = await readInputs(['utf16.yaml'], { stdin, cwd: dir });
    expect(r.errors).toEqual([
      'utf16.yaml: INPUT_ENCODING: the file is UTF-16LE (byte-order mark FF FE), not UTF-8; convert it, e.g. iconv -f UTF-16LE -t UTF-8',
    ]);
    expect(foreignEncoding(Buffer.from(text, 'utf16le'))).toBe('UTF-16LE (NUL bytes)');
    expect(foreignEncoding(Buffer.from(text, 'utf16le').swap16())).toBe('UTF-16BE (NUL bytes)');
    expect(foreignEncoding(Buffer.from([0, 0, 0xfe, 0xff]))).toBe('UTF-32BE (byte-order mark 00 00 FE FF)');
    expect(foreignEncoding(Buffer.from([0x61, 0, 0, 0]))).toBe('UTF-32LE (NUL bytes)');
    expect(foreignEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBeNull(); // the UTF-8 BOM is UTF-8
    expect(foreignEncoding(Buffer.from(text))).toBeNull();
    const bin = await readInputs(['-'], { stdin: () => chunksOf(new Uint8Array([0, 0, 0, 0, 1])) });
    expect(bin.errors).toEqual(['-: INPUT_ENCODING: standard input is not UTF-8 text (it starts with NUL bytes)']);
  });
});
