/**
 * Turns the common input flags into a compiled index: read bytes (files, folders, stdin), load them
 * with the core, print every diagnostic with its file:line:col, and stop with exit 2 on errors.
 *
 * Never silently wrong: what the answers cannot account for (policy kinds kubereach does not
 * simulate, objects dropped by --ignore-invalid, policies in namespaces without endpoints) is one
 * warning on stderr and a `caveats` list every machine-readable output carries. Input that cannot
 * give a meaningful answer at all (nothing, or policies without any endpoint) is an error.
 */
import {
  escapeControl,
  formatDiagnostic,
  formatLocation,
  hasErrors,
  inputCaveats,
  loadCluster,
  unmodelledPolicies,
  type Cluster,
  type CniProfile,
  type InputSource,
  type Diagnostic,
  type LoadOptions,
  type LoadResult,
  type ReachabilityIndex,
} from '@kubereach/core';
import { EXIT, UsageError, type CliIO } from '../io.js';
import type { Progress } from '../progress.js';
import { readInputs } from './read.js';
import { compileLoaded, profileFor, type ProfileFlags } from './profile.js';

export interface InputFlags extends ProfileFlags {
  readonly filename?: string[];
  readonly namespace?: string;
  readonly ignoreInvalid?: boolean;
  readonly verbose?: boolean;
  /** Unmodelled policy kinds are an error instead of a warning. */
  readonly strict?: boolean;
  /** Accept input with no objects, or with policies but no endpoint (answers are then vacuous). */
  readonly allowEmpty?: boolean;
  /** Read the cluster of the current kubeconfig context (input/live). */
  readonly live?: boolean;
  /** Kubeconfig files: for --live the ones used, for the audit the ones whose permissions it checks. */
  readonly kubeconfig?: string[];
  readonly context?: string;
  /** -A: with --live, every namespace (also the default for --live without -n). */
  readonly allNamespaces?: boolean;
  /** Evaluate Calico staged policies as if they were enforced. */
  readonly staged?: boolean;
}

export interface LoadedCluster {
  readonly cluster: Cluster;
  /** One line each, no `warning:` prefix: the caveats every output format carries. */
  readonly caveats: readonly string[];
  /** The kubeconfig files a --live read used (empty without --live). */
  readonly kubeconfigFiles?: readonly string[];
}

/** What -f and --live read, before loading. */
export interface Input {
  readonly sources: InputSource[];
  /** Caveats of the live read (kinds it could not list, a namespace limit); empty for files. */
  readonly caveats: string[];
  readonly kubeconfigFiles: string[];
}

/** The namespace a live read is limited to: -n when given (it has no default), none with -A. */
export function liveNamespace(flags: InputFlags): string | undefined {
  return flags.allNamespaces ? undefined : flags.namespace;
}

/** -f paths and, with --live, the cluster (one source after the files); live caveats are printed as warnings. */
export async function readInput(flags: InputFlags, io: CliIO): Promise<Input> {
  const paths = flags.filename ?? [];
  if (paths.length === 0 && !flags.live) throw new UsageError('no input: give -f PATH (a file, a folder, or - for stdin), repeatable, or --live');
  if (flags.allNamespaces && !flags.live) throw new UsageError('-A (--all-namespaces) is for a live read: give --live too');
  if (flags.context !== undefined && !flags.live) throw new UsageError('--context selects the cluster to read: give --live too');
  if (flags.allNamespaces && flags.namespace !== undefined) throw new UsageError('-n and -A exclude each other');
  const { sources, skipped } = paths.length === 0 ? { sources: [], skipped: [] } : await readFiles(paths, io);
  if (!flags.live) return { sources, caveats: skipped, kubeconfigFiles: [] };
  const { readLive } = await import('./live/index.js');
  const live = await readLive({ kubeconfig: flags.kubeconfig, context: flags.context, liveNamespace: liveNamespace(flags) }, io);
  for (const c of live.listing.caveats) io.stderr(`warning: ${c}\n`);
  return { sources: [...sources, live.source], caveats: [...skipped, ...live.listing.caveats], kubeconfigFiles: [...live.kubeconfig.files] };
}

export interface Loaded extends LoadedCluster {
  readonly index: ReachabilityIndex;
}

/** Load options from the input flags. */
export function loadOptions(flags: InputFlags): LoadOptions {
  return { defaultNamespace: flags.namespace ?? 'default', ignoreInvalid: flags.ignoreInvalid ?? false };
}

/** Diagnostics shown per file before the rest are counted: a broken file must not bury the others. */
export const MAX_DIAGNOSTICS_PER_FILE = 20;

/** Prints diagnostics, at most MAX_DIAGNOSTICS_PER_FILE per file, then how many more that file has. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], io: CliIO): void {
  const shown = new Map<string, number>();
  for (const d of diagnostics) {
    const file = d.location?.file ?? '';
    const n = (shown.get(file) ?? 0) + 1;
    shown.set(file, n);
    if (n <= MAX_DIAGNOSTICS_PER_FILE) io.stderr(`${formatDiagnostic(d)}\n`);
  }
  for (const [file, n] of shown) {
    if (n > MAX_DIAGNOSTICS_PER_FILE)
      io.stderr(`${escapeControl(file) || 'input'}: ${n - MAX_DIAGNOSTICS_PER_FILE} more diagnostics not shown (${n} in all)\n`);
  }
}

/**
 * Reads the -f paths into sources; read problems are a usage error (exit 2). Folders left out on
 * purpose (Helm charts, kustomizations) and dangling symlinks are warnings now and caveats of every output (`skipped`).
 */
export async function readFiles(paths: readonly string[], io: CliIO): Promise<{ sources: InputSource[]; skipped: string[] }> {
  const { sources, errors, skipped } = await readInputs(paths, { stdin: io.readStdin, cwd: io.cwd });
  // paths are input too: escaped, so a file name cannot act on the terminal
  if (errors.length > 0) throw new UsageError(escapeControl(errors.join('\n'), true));
  for (const s of skipped) io.stderr(`warning: ${escapeControl(s)}\n`);
  return { sources, skipped };
}

/** readFiles, for callers that carry the skipped folders themselves or not at all. */
export async function readSources(paths: readonly string[], io: CliIO): Promise<InputSource[]> {
  return (await readFiles(paths, io)).sources;
}

/**
 * Prints a load's diagnostics and decides whether the input can be used. `side` names the input in
 * messages when a command reads two (diff). Returns the caveats the outputs must carry, the CNI
 * profile statement first (`profile`: null when the caller states the profile itself, as diff does
 * for its two sides at once; absent: the one the flags choose for this input).
 */
export function settleLoad(
  res: LoadResult,
  flags: InputFlags,
  io: CliIO,
  again: (opts: LoadOptions) => LoadResult,
  side: string | null = null,
  profile?: CniProfile | null,
): LoadedCluster {
  const prefix = side === null ? '' : `${side}: `;
  printDiagnostics(res.diagnostics, io);
  const cluster = res.cluster;
  if (flags.verbose) {
    const kinds = Object.entries(res.stats.byKind).sort(([a], [b]) => (a < b ? -1 : 1));
    io.stderr(`${prefix}loaded ${res.stats.documents} objects: ${kinds.map(([k, n]) => `${escapeControl(k)} ${n}`).join(', ')}\n`);
    const others = new Map<string, number>();
    for (const o of cluster.others) others.set(o.kind, (others.get(o.kind) ?? 0) + 1);
    if (others.size > 0) io.stderr(`${prefix}kept aside (not modelled): ${[...others].map(([k, n]) => `${escapeControl(k)} ${n}`).join(', ')}\n`);
  }
  const skippedDocs = res.stats.skipped;
  if (skippedDocs.length > 0) {
    const files = new Set(skippedDocs.map((l) => l.file)).size;
    io.stderr(
      `${prefix}skipped ${skippedDocs.length} document${skippedDocs.length === 1 ? '' : 's'} that ${skippedDocs.length === 1 ? 'is' : 'are'} not Kubernetes objects (no apiVersion and kind) in ${files} file${files === 1 ? '' : 's'} found in folders${flags.verbose ? ':' : '; -v lists them'}\n`,
    );
    if (flags.verbose) for (const l of skippedDocs) io.stderr(`  ${formatLocation(l)}\n`);
  }
  if (hasErrors(res.diagnostics)) {
    const n = res.diagnostics.filter((d) => d.severity === 'error').length;
    // offer --ignore-invalid only when it would actually get past every error (it drops invalid
    // objects; it cannot repair a file that does not parse)
    const helps = !flags.ignoreInvalid && !hasErrors(again({ ...loadOptions(flags), ignoreInvalid: true }).diagnostics);
    const hint = helps ? '; fix them, or pass --ignore-invalid to leave the invalid objects out with a warning' : '; fix them';
    throw new UsageError(`${prefix}${n} error${n === 1 ? '' : 's'} in the input${hint}`, EXIT.badInput);
  }
  if (flags.strict) {
    const unmodelled = unmodelledPolicies(cluster);
    if (unmodelled.length > 0) {
      throw new UsageError(
        `${prefix}--strict: the input holds policies kubereach does not model (${unmodelled.map((k) => `${k.count} ${k.kind} (${k.group})`).join(', ')}); their traffic rules would be ignored`,
      );
    }
  }
  if (!flags.allowEmpty) {
    const policies = cluster.policies.length + (cluster.adminPolicies?.length ?? 0) + (cluster.calico?.policies.length ?? 0);
    if (res.stats.documents === 0) {
      throw new UsageError(
        `${prefix}the input holds no Kubernetes objects; check the -f paths and the command that produced them (pass --allow-empty to accept empty input)`,
      );
    }
    if (cluster.endpoints.length === 0 && policies > 0) {
      throw new UsageError(
        `${prefix}the input has ${policies} ${policies === 1 ? 'policy' : 'policies'} but no pods or workloads, so every reachability answer would be vacuous. ` +
          'Add the workloads with another -f (Deployments, StatefulSets, DaemonSets, Pods...), or give a cluster dump ' +
          '(kubectl get ns,pods,deploy,sts,ds,netpol,nodes,svc -A -o yaml); --allow-empty accepts the input as it is',
      );
    }
  }
  const caveats = inputCaveats(cluster, profile === null ? undefined : (profile ?? profileFor(cluster, flags))).map((c) => c.message);
  const dropped = res.diagnostics.filter((d) => d.code === 'POLICY_IGNORED');
  for (const d of dropped) caveats.push(`${d.object ?? 'an object'} was left out (--ignore-invalid): ${d.message}`);
  for (const c of caveats) io.stderr(`${prefix}warning: ${escapeControl(c)}\n`);
  return { cluster, caveats: side === null ? caveats : caveats.map((c) => `${side}: ${c}`) };
}

/** With `progress`: its stage 0 is reading and modelling (drawn once the input is read). */
export async function loadClusterFrom(flags: InputFlags, io: CliIO, progress: Progress | null = null): Promise<LoadedCluster> {
  const input = await readInput(flags, io);
  const sources = input.sources;
  if (progress !== null) {
    progress.input(sources.reduce((n, src) => n + src.text.length, 0));
    progress.stage(0);
  }
  const settled = settleLoad(loadCluster(sources, loadOptions(flags)), flags, progress?.io ?? io, (opts) => loadCluster(sources, opts));
  return { cluster: settled.cluster, caveats: [...input.caveats, ...settled.caveats], kubeconfigFiles: input.kubeconfigFiles };
}

/** With `progress`: its stages 0 (reading and modelling) and 1 (compiling). */
export async function loadIndex(flags: InputFlags, io: CliIO, progress: Progress | null = null): Promise<Loaded> {
  const loaded = await loadClusterFrom(flags, io, progress);
  progress?.stage(1);
  return { ...loaded, ...(await compileLoaded(loaded, flags, progress?.io ?? io, { staged: flags.staged ?? false })) };
}
