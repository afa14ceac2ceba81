/**
 * Turns the common input flags into a compiled index: read bytes (files, folders, stdin), load them
 * with the core, print every diagnostic with its file:line:col, and stop with exit 2 on errors.
 */
import { compile, formatDiagnostic, hasErrors, loadCluster, type Cluster, type ReachabilityIndex } from '@kubereach/core';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { readInputs } from './read.js';

export interface InputFlags {
  readonly filename?: string[];
  readonly namespace?: string;
  readonly ignoreInvalid?: boolean;
  readonly verbose?: boolean;
  readonly ipblockPods?: 'match' | 'ignore';
}

export interface Loaded {
  readonly cluster: Cluster;
  readonly index: ReachabilityIndex;
}

export async function loadClusterFrom(flags: InputFlags, io: CliIO): Promise<Cluster> {
  const paths = flags.filename ?? [];
  if (paths.length === 0) throw new UsageError('no input: give -f PATH (a file, a folder, or - for stdin), repeatable');
  const { sources, errors } = await readInputs(paths, { stdin: io.readStdin, cwd: io.cwd });
  if (errors.length > 0) throw new UsageError(errors.join('\n'));
  const res = loadCluster(sources, { defaultNamespace: flags.namespace ?? 'default', ignoreInvalid: flags.ignoreInvalid ?? false });
  for (const d of res.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  if (flags.verbose) {
    const kinds = Object.entries(res.stats.byKind).sort(([a], [b]) => (a < b ? -1 : 1));
    io.stderr(`loaded ${res.stats.documents} objects: ${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
    const others = new Map<string, number>();
    for (const o of res.cluster.others) others.set(o.kind, (others.get(o.kind) ?? 0) + 1);
    if (others.size > 0) io.stderr(`kept aside (not modelled): ${[...others].map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
  }
  if (hasErrors(res.diagnostics)) {
    const n = res.diagnostics.filter((d) => d.severity === 'error').length;
    throw new UsageError(`${n} error${n === 1 ? '' : 's'} in the input; fix them, or pass --ignore-invalid to drop invalid policies with a warning`, EXIT.badInput);
  }
  return res.cluster;
}

export async function loadIndex(flags: InputFlags, io: CliIO): Promise<Loaded> {
  const cluster = await loadClusterFrom(flags, io);
  return { cluster, index: compile(cluster, { ipblockPods: flags.ipblockPods ?? 'match' }) };
}
