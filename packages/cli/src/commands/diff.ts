/**
 * `kubereach diff`: what a change opens or closes.
 *
 *   kubereach diff BEFORE AFTER                  two paths, each read like -f (file, folder or -)
 *   kubereach diff --base REF [-f PATH]...       PATHs (default .) at REF against the working tree
 *   kubereach diff --base REF --head REF2 [-f PATH]...   the same PATHs at two refs
 *
 * Exit codes as diff(1): 0 no change, 1 changes, 2 bad input. With --fail-on-new KIND, 1 only when
 * the change adds reachability of that kind (sensitive targets, or any), so CI can gate widening
 * without blocking tightening.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  auditNetwork,
  buildDiffReport,
  lint,
  clusterEdits,
  diffPair,
  diffRows,
  editsFor,
  escapeControl,
  profileStatement,
  isEmptyDiff,
  loadCluster,
  opensReachability,
  podDiff,
  resolveTargets,
  sortFindings,
  type Edit,
  type InputSource,
} from '@kubereach/core';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { loadOptions, readFiles, readInput, readSources, settleLoad, type InputFlags, type LoadedCluster } from '../input/load.js';
import { compileOptionsFrom, reportWarnings } from '../input/profile.js';
import { checkRef, readAtRef } from '../input/git.js';
import { editText, renderDiff, rowKey, type DiffFormat } from '../format/diff.js';
import { findingSource, guarded, parseMaxEdges, writeReport } from './report.js';
import { caveats as pairCaveats } from './caveats.js';
import { VERSION } from '../version.js';
import { Progress } from '../progress.js';

export interface DiffFlags extends InputFlags {
  readonly output?: DiffFormat | 'html';
  readonly explain?: boolean;
  readonly base?: string;
  readonly head?: string;
  readonly failOnNew?: 'sensitive' | 'any';
  /** -o html: the most edges the page may draw. */
  readonly maxEdges?: string;
  /** `pods`: one line per pair of pods (ns/pod[Pod]), as `matrix --endpoints pods`; `workloads` (default). */
  readonly endpoints?: 'workloads' | 'pods';
}

/** Loads one side from sources; diagnostics are printed with the side's name, errors stop with exit 2. */
function loadSide(side: string, sources: readonly InputSource[], flags: DiffFlags, io: CliIO): LoadedCluster {
  // the profile is stated once for both sides, after diffPair has chosen it
  return settleLoad(loadCluster([...sources], loadOptions(flags)), flags, io, (opts) => loadCluster([...sources], opts), side, null);
}

/** The two sides' sources, by mode. */
async function readSides(
  before: string | undefined,
  after: string | undefined,
  flags: DiffFlags,
  io: CliIO,
): Promise<[string, InputSource[], string, InputSource[], string[]]> {
  const paths = flags.filename ?? [];
  if (flags.live) {
    // the cluster now against a snapshot (or any manifests): `kubereach diff last-week.json --live`
    if (flags.base !== undefined) throw new UsageError('--live compares the cluster with BEFORE; it does not combine with --base');
    if (before === undefined || after !== undefined)
      throw new UsageError('with --live, give one path: kubereach diff BEFORE --live (the cluster is the after side)');
    if (paths.length > 0) throw new UsageError('with --live, give the before side as BEFORE, not with -f');
    const live = await readInput({ ...flags, filename: [] }, io);
    return ['before', await readSources([before], io), 'cluster', live.sources, live.caveats.map((c) => `cluster: ${c}`)];
  }
  if (flags.base === undefined) {
    if (flags.head !== undefined) throw new UsageError('--head needs --base (the ref to compare it against)');
    if (before === undefined || after === undefined) throw new UsageError('give two paths (kubereach diff BEFORE AFTER), or --base GITREF [-f PATH]...');
    if (paths.length > 0) throw new UsageError('-f is for --base mode; with two paths, give each side as BEFORE and AFTER');
    if (before === '-' && after === '-') throw new UsageError('standard input can be only one side');
    const a = await readFiles([before], io);
    const b = await readFiles([after], io);
    return ['before', a.sources, 'after', b.sources, [...a.skipped.map((s) => `before: ${s}`), ...b.skipped.map((s) => `after: ${s}`)]];
  }
  if (before !== undefined) throw new UsageError('with --base, give the paths with -f, not as arguments');
  const list = paths.length === 0 ? ['.'] : paths;
  if (list.includes('-')) throw new UsageError('--base compares files in git; standard input (-) cannot be one of them');
  await checkRef(flags.base, io.cwd);
  const base = await readAtRef(flags.base, list, io.cwd);
  if (flags.head !== undefined) {
    await checkRef(flags.head, io.cwd);
    const head = await readAtRef(flags.head, list, io.cwd);
    const missing = list.filter((p) => !base.found.has(p) && !head.found.has(p));
    if (missing.length > 0) throw new UsageError(`no manifests at ${missing.join(', ')} in ${flags.base} or ${flags.head}`);
    for (const s of [...base.skipped, ...head.skipped]) io.stderr(`warning: ${s}\n`);
    return [flags.base, base.sources, flags.head, head.sources, [...base.skipped, ...head.skipped]];
  }
  // working tree: a path deleted since the ref is an empty side, not an error
  const present = list.filter((p) => existsSync(resolve(io.cwd, p)));
  const missing = list.filter((p) => !present.includes(p) && !base.found.has(p));
  if (missing.length > 0) throw new UsageError(`${missing.join(', ')}: no such file or directory, here or in ${flags.base}`);
  for (const s of base.skipped) io.stderr(`warning: ${s}\n`);
  const work = present.length === 0 ? { sources: [], skipped: [] } : await readFiles(present, io);
  return [flags.base, base.sources, 'working tree', work.sources, [...base.skipped, ...work.skipped.map((s) => `working tree: ${s}`)]];
}

export async function diffCommand(before: string | undefined, after: string | undefined, flags: DiffFlags, io: CliIO): Promise<number> {
  const pods = flags.endpoints === 'pods';
  if (pods && (flags.output === 'html' || flags.explain === true))
    throw new UsageError(
      `--endpoints pods lists pod pairs in -o text, json or md; ${flags.output === 'html' ? '-o html' : '--explain'} works on workloads (leave --endpoints pods out)`,
    );
  // `diff --staged -f PATH...`: one input, without and with its Calico staged policies enforced
  const stagedOnly = flags.staged === true && before === undefined && flags.base === undefined && flags.live !== true;
  if (stagedOnly && (flags.filename ?? []).length === 0)
    throw new UsageError('diff --staged compares one input without and with its staged policies: give it with -f PATH');
  const [nameA, srcA, nameB, srcB, liveCaveats] = stagedOnly
    ? await readSources(flags.filename ?? [], io).then((s): [string, InputSource[], string, InputSource[], string[]] => ['enforced', s, 'staged', s, []])
    : await readSides(before, after, flags, io);
  const progress = new Progress(io, ['parsing and modelling', 'compiling and diffing']);
  progress.input([...srcA, ...srcB].reduce((n, src) => n + src.text.length, 0));
  progress.stage(0);
  const { cluster: a, caveats: caveatsA } = loadSide(nameA, srcA, flags, progress.io);
  const { cluster: b, caveats: caveatsB } = stagedOnly ? { cluster: a, caveats: [] } : loadSide(nameB, srcB, flags, progress.io);
  const staged = stagedOnly ? { before: false, after: true } : { before: flags.staged ?? false, after: flags.staged ?? false };
  progress.stage(1);
  // When only NetworkPolicies differ the after side is derived from the before side's index (the
  // same answers); the HTML page explains edges and findings with the after side's own file:line,
  // which a derived index does not carry, so it always compiles both sides.
  const { pair, diff: d } = diffPair(a, b, { ...(await compileOptionsFrom(flags, progress.io)), staged }, flags.output !== 'html');
  // one profile for both sides (pairOptions); stated first, as settleLoad does for one input
  const statement = profileStatement(pair.after.profile);
  if (statement !== null) progress.io.stderr(`warning: ${escapeControl(statement)}\n`);
  const caveats = [
    ...(statement === null ? [] : [statement]),
    ...liveCaveats,
    ...caveatsA,
    ...caveatsB,
    ...reportWarnings(pair.before.warnings, progress.io, nameA),
    ...(stagedOnly ? [] : reportWarnings(pair.after.warnings, progress.io, nameB)),
  ];
  progress.end();
  let causes: Map<string, readonly Edit[]> | null = null;
  if (flags.output === 'html') {
    // The page always shows the edits behind each changed edge: a reviewer's first question.
    const edits = clusterEdits(a, b);
    const targets = resolveTargets(b);
    const maxEdges = parseMaxEdges(flags.maxEdges);
    const data = guarded(() =>
      buildDiffReport(pair, d, {
        beforeName: nameA,
        afterName: nameB,
        generator: `kubereach ${VERSION}`,
        targets,
        findings: sortFindings([...auditNetwork(pair.after), ...lint(pair.after)]),
        findingSource,
        causes: (src, dst) => editsFor(pair, edits, src, dst).map((e) => editText(e)),
        caveats,
        maxEdges,
        notes: pairCaveats,
      }),
    );
    writeReport(data, 'html', io);
  } else if (flags.explain) {
    const edits = clusterEdits(a, b);
    causes = new Map(diffRows(d).map((r) => [rowKey(r), editsFor(pair, edits, r.src, r.dst)]));
  }
  // pod by pod, a pod added to a workload is a change even where no workload pair changed
  const shown = pods ? podDiff(pair, d) : d;
  if (flags.output !== 'html') io.stdout(renderDiff(shown, flags.output ?? 'text', causes, caveats));
  if (flags.failOnNew !== undefined) return opensReachability(shown, flags.failOnNew) ? EXIT.negative : EXIT.ok;
  return isEmptyDiff(shown) ? EXIT.ok : EXIT.negative;
}
