/**
 * The bytes side of input loading (the core only sees text): `-f PATH` as kubectl takes it — a file,
 * a folder (searched recursively for .yaml, .yml and .json, in sorted order so a run is
 * reproducible), or `-` for standard input. Problems reading are messages (the CLI exits 2); problems
 * *in* the text are the core's diagnostics.
 *
 * Every source is read through one byte counter (readBounded) that stops at the limit: a regular
 * file's size is also checked before reading, but stdin, FIFOs and devices report no useful size
 * (`/dev/zero` says 0), so the count while reading is the bound that holds for all of them.
 */
import { createReadStream } from 'node:fs';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { InputSource } from '@kubereach/core';

/** Same bound as the core's default maxSourceBytes: checked here before a huge file is read at all. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/** Chunk size for reading files: fewer, larger chunks for the dumps this tool reads. */
const CHUNK = 1024 * 1024;

const EXTENSIONS = ['.yaml', '.yml', '.json'];

export interface ReadIO {
  /** Standard input as a stream of chunks (read only when `-` is given; stopped at the limit). */
  readonly stdin: () => AsyncIterable<Uint8Array>;
  /** Base for relative paths; the process's working directory when absent. Names stay as given. */
  readonly cwd?: string;
  readonly maxBytes?: number;
}

export interface ReadResult {
  readonly sources: InputSource[];
  readonly errors: string[];
  /** Folders left out on purpose (Helm charts, kustomizations), each with what to run instead. */
  readonly skipped: string[];
}

/**
 * A folder whose YAML is not manifests as it stands: a Helm chart (templates to render) or a
 * kustomization (bases and patches to build). Reading it file by file would give thousands of
 * syntax errors, or manifests without their patches; the user is told what to pipe in instead.
 */
async function sourceFolder(abs: string, shown: string): Promise<string | null> {
  const names = new Set(await readdir(abs).catch(() => [] as string[]));
  if (names.has('Chart.yaml') || names.has('Chart.yml')) {
    return `${shown} is a Helm chart: its templates are not manifests until rendered, so it was not read; run \`helm template NAME ${shown} | kubereach ... -f -\``;
  }
  for (const k of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
    if (names.has(k))
      return `${shown} is a kustomization: its files are bases and patches, so it was not read; run \`kubectl kustomize ${shown} | kubereach ... -f -\``;
  }
  return null;
}

export async function readInputs(paths: readonly string[], io: ReadIO): Promise<ReadResult> {
  const sources: InputSource[] = [];
  const errors: string[] = [];
  const skipped: string[] = [];
  const max = io.maxBytes ?? MAX_INPUT_BYTES;
  const base = io.cwd ?? process.cwd();
  let stdinRead = false;
  for (const path of paths) {
    if (path === '-') {
      if (stdinRead) {
        errors.push('-: standard input can be given only once');
        continue;
      }
      stdinRead = true;
      const read = decode(await readBounded(io.stdin(), max), '-', 'standard input', max);
      if (typeof read === 'string') errors.push(read);
      else sources.push({ name: '<stdin>', text: read.text });
      continue;
    }
    const abs = resolve(base, path);
    let info;
    try {
      info = await stat(abs);
    } catch (e) {
      errors.push(`${path}: ${describe(e)}`);
      continue;
    }
    if (info.isDirectory()) {
      const files: string[] = [];
      await walk(abs, path, files, new Set(), errors, skipped);
      const before = sources.length;
      for (const name of files) await readOne(resolve(base, name), name, max, sources, errors);
      // found by walking, not named: documents that are not Kubernetes objects are skipped, not errors
      for (let i = before; i < sources.length; i++) sources[i] = { ...sources[i]!, walked: true };
    } else {
      await readOne(abs, path, max, sources, errors);
    }
  }
  return { sources, errors, skipped };
}

/** Collects manifest files under a folder; `shown` is the folder as the user wrote it. */
async function walk(abs: string, shown: string, out: string[], visited: Set<string>, errors: string[], skipped: string[]): Promise<void> {
  let real: string;
  try {
    real = await realpath(abs);
    if (visited.has(real)) return; // a symlink loop
    visited.add(real);
    const special = await sourceFolder(abs, shown);
    if (special !== null) {
      skipped.push(special);
      return;
    }
    const entries = await readdir(abs, { withFileTypes: true });
    const names = entries.map((e) => e.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const childAbs = join(abs, name);
      const childShown = join(shown, name);
      const info = await stat(childAbs).catch(() => null); // follows symlinks
      if (info === null) {
        // a dangling symlink (or an entry that vanished): nothing to read, but never a silent skip
        skipped.push(`${childShown} is a symbolic link to a path that does not exist, so it was not read`);
        continue;
      }
      if (info.isDirectory()) await walk(childAbs, childShown, out, visited, errors, skipped);
      else if (info.isFile() && EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext))) out.push(childShown);
    }
  } catch (e) {
    errors.push(`${shown}: ${describe(e)}`);
  }
}

async function readOne(abs: string, shown: string, max: number, sources: InputSource[], errors: string[]): Promise<void> {
  try {
    const info = await stat(abs);
    if (info.size > max) {
      errors.push(`${shown}: INPUT_TOO_LARGE: ${mib(info.size)} is over the limit of ${mib(max)}; split the input`);
      return;
    }
    const what = info.isFile() ? 'the file' : info.isFIFO() ? 'the pipe' : 'the device';
    // a regular file is read into one buffer of its size (chunks joined afterwards would copy a big
    // dump once more); a pipe or device, whose size is unknown, chunk by chunk up to the limit
    const bytes = info.isFile() ? await readFile(abs) : null;
    const bounded: Bounded =
      bytes === null
        ? await readBounded(createReadStream(abs, { highWaterMark: CHUNK }), max)
        : bytes.length > max
          ? { ok: false, read: bytes.length }
          : { ok: true, bytes };
    const read = decode(bounded, shown, what, max);
    if (typeof read === 'string') errors.push(read);
    else sources.push({ name: shown, text: read.text });
  } catch (e) {
    errors.push(`${shown}: ${describe(e)}`);
  }
}

/** The bytes of a stream, or how many were read when it went past `max` (reading stops there). */
export type Bounded = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly read: number };

/**
 * Reads chunks until the end or until more than `max` bytes have arrived. Leaving the loop early
 * ends the iterator, which destroys a Node stream, so an endless source (`cat /dev/zero |`) is not
 * read on and the writer gets EPIPE.
 */
export async function readBounded(chunks: AsyncIterable<Uint8Array>, max: number): Promise<Bounded> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > max) return { ok: false, read: total };
    parts.push(chunk);
  }
  return { ok: true, bytes: Buffer.concat(parts, total) };
}

/**
 * Bytes -> text, or the message saying why not: over the limit, or not UTF-8. YAML and JSON
 * manifests are UTF-8 (kubectl reads nothing else), and no YAML or JSON text contains a NUL
 * character, so a byte-order mark of UTF-16/32 or a NUL among the first bytes means another encoding,
 * which read as UTF-8 would be one meaningless string.
 */
function decode(read: Bounded, shown: string, what: string, max: number): { text: string } | string {
  if (!read.ok) {
    return `${shown}: INPUT_TOO_LARGE: ${what} is over the limit of ${mib(max)} (reading stopped there); split the input`;
  }
  const encoding = foreignEncoding(read.bytes);
  if (encoding !== null) {
    return `${shown}: INPUT_ENCODING: ${what} is ${encoding}, not UTF-8; convert it, e.g. iconv -f ${encoding.split(' ')[0]} -t UTF-8`;
  }
  if (read.bytes.subarray(0, 4).includes(0)) return `${shown}: INPUT_ENCODING: ${what} is not UTF-8 text (it starts with NUL bytes)`;
  try {
    return { text: read.bytes.toString('utf8') };
  } catch {
    // V8's longest string is a little under 512 MiB (0x1fffffe8 code units)
    return `${shown}: INPUT_TOO_LARGE: ${what} is longer than the longest text this runtime can hold; split the input`;
  }
}

/** `UTF-16LE`, `UTF-16BE`, `UTF-32LE`, `UTF-32BE` (with what gave it away), or null for UTF-8. */
export function foreignEncoding(b: Uint8Array): string | null {
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return 'UTF-32LE (byte-order mark FF FE 00 00)';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32BE (byte-order mark 00 00 FE FF)';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'UTF-16LE (byte-order mark FF FE)';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'UTF-16BE (byte-order mark FE FF)';
  if (b.length >= 2 && b[0] !== 0 && b[1] === 0) return b.length >= 4 && b[2] === 0 && b[3] === 0 ? 'UTF-32LE (NUL bytes)' : 'UTF-16LE (NUL bytes)';
  if (b.length >= 2 && b[0] === 0 && b[1] !== 0) return 'UTF-16BE (NUL bytes)';
  if (b.length >= 4 && b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] !== 0) return 'UTF-32BE (NUL bytes)';
  return null;
}

function mib(n: number): string {
  return `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;
}

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return e instanceof Error ? e.message : String(e);
}
