/**
 * The CNI profile flags shared by every analysing command: `--cni generic|cilium|calico` (default:
 * detected from the input), and the DNS map Cilium's toFQDNs rules resolve through: `--dns FILE`
 * (lines `NAME IP [IP...]`, `#` comments) and repeatable `--resolve NAME=IP[,IP...]`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isIP } from 'node:net';
import {
  CNIS,
  cniProfile,
  compile,
  formatDiagnostic,
  warningCaveats,
  type Cluster,
  type CompileOptions,
  type Cni,
  type CniProfile,
  type ReachabilityIndex,
} from '@kubereach/core';
import { UsageError, type CliIO } from '../io.js';

export interface ProfileFlags {
  readonly cni?: string;
  readonly dns?: string;
  readonly resolve?: string[];
  readonly ipblockPods?: 'match' | 'ignore';
}

function normaliseName(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

function addAll(map: Map<string, string[]>, name: string, ips: readonly string[], where: string): void {
  if (name === '' || !/^[a-z0-9_*.-]+$/i.test(name)) throw new UsageError(`${where}: ${JSON.stringify(name)} is not a DNS name`);
  for (const ip of ips) if (isIP(ip) === 0) throw new UsageError(`${where}: ${JSON.stringify(ip)} is not an IP address`);
  const key = normaliseName(name);
  const list = map.get(key) ?? [];
  for (const ip of ips) if (!list.includes(ip)) list.push(ip);
  map.set(key, list);
}

/** Parses a DNS map file (exported for tests). */
export function parseDnsFile(text: string, file: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const [name, ...ips] = line.split(/\s+/);
    if (ips.length === 0) throw new UsageError(`${file}:${i + 1}:1: expected NAME IP [IP...], got ${JSON.stringify(raw.trim())}`);
    addAll(map, name!, ips, `${file}:${i + 1}:1`);
  });
  return map;
}

/** The --cni flag: a CNI, or null (detect from the input). */
export function cniFrom(flags: ProfileFlags): Cni | null {
  if (flags.cni === undefined) return null;
  if (!(CNIS as readonly string[]).includes(flags.cni)) throw new UsageError(`--cni '${flags.cni}': expected one of ${CNIS.join(', ')}`);
  return flags.cni as Cni;
}

/**
 * The profile the answers for this input will be computed under: the same choice compile() makes
 * from the same flags, known before compiling so the load can state it with the input's caveats.
 */
export function profileFor(cluster: Cluster, flags: ProfileFlags): CniProfile {
  return cniProfile(cluster, cniFrom(flags), flags.ipblockPods);
}

export async function compileOptionsFrom(flags: ProfileFlags, io: CliIO): Promise<CompileOptions> {
  const cni = cniFrom(flags);
  const dns = new Map<string, string[]>();
  if (flags.dns !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, flags.dns), 'utf8');
    } catch (e) {
      throw new UsageError(`--dns ${flags.dns}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    for (const [name, ips] of parseDnsFile(text, flags.dns)) addAll(dns, name, ips, flags.dns);
  }
  for (const r of flags.resolve ?? []) {
    const eq = r.indexOf('=');
    if (eq <= 0) throw new UsageError(`--resolve '${r}': expected NAME=IP[,IP...]`);
    addAll(
      dns,
      r.slice(0, eq),
      r
        .slice(eq + 1)
        .split(',')
        .filter((s) => s !== ''),
      `--resolve '${r}'`,
    );
  }
  return { cni, dns, ...(flags.ipblockPods === undefined ? {} : { ipblockPods: flags.ipblockPods }) };
}

/**
 * THE way a command compiles its loaded input: with the profile flags (plus extra options). The
 * compile-time warnings are printed on stderr and joined to the load's caveats, so every output
 * format carries them with the profile statement the load already put first.
 */
export async function compileLoaded(
  loaded: { readonly cluster: Cluster; readonly caveats: readonly string[] },
  flags: ProfileFlags,
  io: CliIO,
  extra: CompileOptions = {},
): Promise<{ index: ReachabilityIndex; caveats: string[] }> {
  const index = compile(loaded.cluster, { ...(await compileOptionsFrom(flags, io)), ...extra });
  return { index, caveats: [...loaded.caveats, ...reportWarnings(index.warnings, io)] };
}

/** Prints compile-time warnings (with `side: ` before them when a command reads two inputs); returns them as caveat lines. */
export function reportWarnings(warnings: ReachabilityIndex['warnings'], io: CliIO, side: string | null = null): string[] {
  const prefix = side === null ? '' : `${side}: `;
  for (const w of warnings) io.stderr(`${prefix}${formatDiagnostic(w)}\n`);
  return warningCaveats(warnings).map((c) => `${prefix}${c}`);
}
