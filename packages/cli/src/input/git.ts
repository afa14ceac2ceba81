/**
 * Manifests as they were at a git ref, read with git itself (`kubereach diff --base REF`): the files
 * under the given paths are listed with `git ls-tree` and read with `git show REF:./path`, so the
 * checkout, the index and the working tree are never touched. Paths are relative to the working
 * directory, as `-f` paths are; a folder gives its .yaml/.yml/.json files in sorted order (as
 * readInputs does for the working tree), a file named directly is read whatever its extension.
 */
import { execFile } from 'node:child_process';
import type { InputSource } from '@kubereach/core';
import { UsageError } from '../io.js';
import { MAX_INPUT_BYTES } from './read.js';

const EXTENSIONS = ['.yaml', '.yml', '.json'];

function git(args: readonly string[], cwd: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', [...args], { cwd, maxBuffer: MAX_INPUT_BYTES, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
      resolve({ ok: err === null, stdout, stderr: stderr || (err?.message ?? '') });
    });
  });
}

/** Fails with a usage error (exit 2) unless `ref` names a commit of the repository around `cwd`. */
export async function checkRef(ref: string, cwd: string): Promise<void> {
  if (ref.startsWith('-')) throw new UsageError(`'${ref}' is not a git ref`);
  const r = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd);
  if (!r.ok) {
    const inRepo = await git(['rev-parse', '--is-inside-work-tree'], cwd);
    if (!inRepo.ok) throw new UsageError(`--base/--head need a git repository: ${cwd} is not inside one`);
    throw new UsageError(`'${ref}' is not a commit of this repository`);
  }
}

function normalize(p: string): string {
  return p
    .replace(/\\/g, '/')
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');
}

/** Files (relative to cwd) that `path` names at `ref`; empty when it does not exist there. */
export async function listAtRef(ref: string, path: string, cwd: string): Promise<string[]> {
  const r = await git(['ls-tree', '-r', '--name-only', '-z', ref, '--', path], cwd);
  if (!r.ok) throw new UsageError(`git ls-tree ${ref} -- ${path}: ${r.stderr.trim()}`);
  const names = r.stdout.split('\0').filter((n) => n !== '');
  if (names.length === 1 && normalize(names[0]!) === normalize(path)) return names; // a file, named directly
  return names.filter((n) => EXTENSIONS.some((e) => n.toLowerCase().endsWith(e))).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Folders holding a Helm chart or a kustomization, among listed files (as the working tree walk skips them). */
export function specialFolders(names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of names) {
    const slash = n.lastIndexOf('/');
    const dir = slash < 0 ? '.' : n.slice(0, slash);
    const base = n.slice(slash + 1);
    if (base === 'Chart.yaml' || base === 'Chart.yml')
      out.set(
        dir,
        `${dir} is a Helm chart: its templates are not manifests until rendered, so it was not read; run \`helm template NAME ${dir} | kubereach ... -f -\``,
      );
    else if (/^(kustomization\.ya?ml|Kustomization)$/.test(base) && !out.has(dir))
      out.set(dir, `${dir} is a kustomization: its files are bases and patches, so it was not read; run \`kubectl kustomize ${dir} | kubereach ... -f -\``);
  }
  return out;
}

/**
 * The manifests under `paths` at `ref`, as sources named `REF:path` (so diagnostics and `--explain`
 * locations say which side they come from). Paths missing at the ref contribute nothing.
 */
export async function readAtRef(
  ref: string,
  paths: readonly string[],
  cwd: string,
): Promise<{ sources: InputSource[]; found: Set<string>; skipped: string[] }> {
  const sources: InputSource[] = [];
  const found = new Set<string>();
  const seen = new Set<string>();
  const skipped: string[] = [];
  for (const path of paths) {
    const names = await listAtRef(ref, path, cwd);
    const direct = names.length === 1 && normalize(names[0]!) === normalize(path);
    const special = direct ? new Map<string, string>() : specialFolders(names);
    for (const [, note] of special) skipped.push(`${ref}: ${note}`);
    const inside = (n: string) => [...special.keys()].some((d) => d === '.' || n.startsWith(`${d}/`));
    for (const name of names) {
      found.add(path);
      if (seen.has(name) || inside(name)) continue;
      seen.add(name);
      const r = await git(['show', `${ref}:./${name}`], cwd);
      if (!r.ok) throw new UsageError(`git show ${ref}:${name}: ${r.stderr.trim()}`);
      sources.push({ name: `${ref}:${name}`, text: r.stdout, ...(direct ? {} : { walked: true }) });
    }
  }
  return { sources, found, skipped };
}
