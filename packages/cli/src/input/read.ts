/**
 * The bytes side of input loading (the core only sees text): `-f PATH` as kubectl takes it — a file,
 * a folder (searched recursively for .yaml, .yml and .json, in sorted order so a run is
 * reproducible), or `-` for standard input. Problems reading are messages (the CLI exits 2); problems
 * *in* the text are the core's diagnostics.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { InputSource } from '@kubereach/core';

/** Same bound as the core's default maxSourceBytes: checked here before a huge file is read at all. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

const EXTENSIONS = ['.yaml', '.yml', '.json'];

export interface ReadIO {
  readonly stdin: () => Promise<string>;
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
    if (names.has(k)) return `${shown} is a kustomization: its files are bases and patches, so it was not read; run \`kubectl kustomize ${shown} | kubereach ... -f -\``;
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
      sources.push({ name: '<stdin>', text: await io.stdin() });
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
      const info = await stat(childAbs).catch(() => null); // follows symlinks; a dangling one is skipped
      if (info === null) continue;
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
    sources.push({ name: shown, text: await readFile(abs, 'utf8') });
  } catch (e) {
    errors.push(`${shown}: ${describe(e)}`);
  }
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
