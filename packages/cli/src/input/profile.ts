/**
 * The CNI profile flags shared by every analysing command: `--cni generic|cilium|calico` (default:
 * detected from the input), and the DNS map Cilium's toFQDNs rules resolve through: `--dns FILE`
 * (lines `NAME IP [IP...]`, `#` comments) and repeatable `--resolve NAME=IP[,IP...]`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isIP } from 'node:net';
import { CNIS, compile, formatDiagnostic, type Cluster, type CompileOptions, type Cni, type ReachabilityIndex } from '@kubereach/core';
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

export async function compileOptionsFrom(flags: ProfileFlags, io: CliIO): Promise<CompileOptions> {
  let cni: Cni | null = null;
  if (flags.cni !== undefined) {
    if (!(CNIS as readonly string[]).includes(flags.cni)) throw new UsageError(`--cni '${flags.cni}': expected one of ${CNIS.join(', ')}`);
    cni = flags.cni as Cni;
  }
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
    addAll(dns, r.slice(0, eq), r.slice(eq + 1).split(',').filter((s) => s !== ''), `--resolve '${r}'`);
  }
  return { cni, dns, ...(flags.ipblockPods === undefined ? {} : { ipblockPods: flags.ipblockPods }) };
}

/** Compiles with the profile flags (plus extra options), printing the compile-time caveats on stderr. */
export async function compileWithProfile(cluster: Cluster, flags: ProfileFlags, io: CliIO, extra: CompileOptions = {}): Promise<ReachabilityIndex> {
  const index = compile(cluster, { ...(await compileOptionsFrom(flags, io)), ...extra });
  reportProfile(index, io);
  return index;
}

/** The compile-time caveats, and the profile when it is not the generic one (stated in text outputs' stderr). */
export function reportProfile(index: ReachabilityIndex, io: CliIO): void {
  for (const w of index.compiled.warnings) io.stderr(`${formatDiagnostic(w)}\n`);
}

/** One line naming the profile, for every output: `cni profile: cilium (detected: 2 Cilium policies in the input)`. */
export function profileLine(index: ReachabilityIndex): string {
  const p = index.compiled.profile;
  return `cni profile: ${p.cni} (${p.source})`;
}
