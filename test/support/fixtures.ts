/** Reading fixture folders in tests: every .yaml/.yml/.json below a folder, sorted, as InputSources. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InputSource } from '../../packages/core/src/load/types.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (/\.(ya?ml|json)$/.test(name) && name !== 'expected.json') out.push(p);
  }
  return out;
}

/** Sources named relative to the repository root, as a user running from there would see them. */
export function sourcesUnder(dir: string): InputSource[] {
  return filesUnder(dir).map((p) => ({ name: relative(REPO, p), text: readFileSync(p, 'utf8') }));
}

/** Immediate subfolders, sorted. */
export function subdirs(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort();
}
