/**
 * Where the conformance data lives (the shared conformance data, beside the repository, read at test time and never
 * copied) and how its input folders are read: every .yaml/.yml/.json below a folder, sorted, named
 * relative to the netpol-analyzer root, as `kubectl -f DIR` would take them.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InputFile } from './workload-names.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BASE = join(ROOT, '..', 'shared', 'conformance', 'netpol-analyzer');
/** Cilium's connectivity-test scenarios (cilium-cli connectivity/), with their upstream verdicts. */
export const CILIUM_BASE = join(ROOT, '..', 'shared', 'conformance', 'cilium-connectivity');

export function inputFiles(dir: string): InputFile[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return inputFiles(p);
      return /\.(ya?ml|json)$/.test(f) ? [{ name: p.slice(BASE.length + 1), text: readFileSync(p, 'utf8') }] : [];
    });
}
