/**
 * `kubereach stats`: counts and per-stage timings. JSON is one flat object (pods, workloads, classes,
 * policies, allowedPairs, totalPairs, timings, ...). On a terminal, stages that take over a second
 * show progress on stderr.
 */
import { performance } from 'node:perf_hooks';
import { indexStats, loadCluster } from '@kubereach/core';
import { EXIT, type CliIO } from '../io.js';
import { loadOptions, readInput, settleLoad, type InputFlags } from '../input/load.js';
import { compileLoaded } from '../input/profile.js';

/** Stages the bar counts (parse and model, compile, index, pairs), and the input size that shows it from the start. */
const STAGES = 4;
const BIG_INPUT = 8 * 1024 * 1024;

/** `[#####-----] 2/4`: `done` of `total` stages finished, in a bar 20 characters wide. */
export function progressBar(done: number, total: number): string {
  const width = 20;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

export interface StatsFlags extends InputFlags {
  readonly output?: 'text' | 'json';
}

export async function statsCommand(flags: StatsFlags, io: CliIO): Promise<number> {
  const t0 = performance.now();
  let last = t0;
  const timings: Record<string, number> = {};
  // Stages are synchronous, so the bar moves between them. It is shown once the work has taken a
  // second, or from the start when the input is big enough to take that long (about 8 MB of text).
  let big = false;
  let shown = false;
  const progress = (stage: string, done: number) => {
    if (!io.stderrIsTTY || (!big && performance.now() - t0 <= 1000)) return;
    shown = true;
    io.stderr(`\r\u001b[2K${progressBar(done, STAGES)} ${stage}…`);
  };
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round((now - last) * 10) / 10;
    last = now;
  };
  const input = await readInput(flags, io);
  const sources = input.sources;
  lap('read');
  big = sources.reduce((n, src) => n + src.text.length, 0) > BIG_INPUT;
  progress('parsing and modelling', 0);
  const settled = settleLoad(loadCluster(sources, loadOptions(flags)), flags, io, (opts) => loadCluster(sources, opts));
  const cluster = settled.cluster;
  const loadCaveats = [...input.caveats, ...settled.caveats];
  lap('load');
  progress('compiling', 1);
  const { index, caveats } = await compileLoaded({ cluster, caveats: loadCaveats }, flags, io);
  lap('compile');
  progress('building the index', 2);
  index.materialize();
  lap('index');
  progress('counting pairs', 3);
  const stats = indexStats(index);
  lap('pairs');
  timings['total'] = Math.round((performance.now() - t0) * 10) / 10;
  if (shown) io.stderr('\r\u001b[2K');
  const heapMB = Math.round(process.memoryUsage().heapUsed / 1048576);
  if (flags.output === 'json') {
    io.stdout(`${JSON.stringify({ ...stats, heapUsedMB: heapMB, timings, caveats }, null, 2)}\n`);
  } else {
    const pct = (stats.isolationScore * 100).toFixed(1);
    io.stdout(
      [
        `pods            ${stats.pods}`,
        `workloads       ${stats.workloads} in ${stats.namespaces} namespaces`,
        `classes         ${stats.classes} (endpoints no selector can tell apart share one)`,
        `policies        ${stats.policies} NetworkPolicies, ${stats.adminPolicies} admin-tier policies, ${stats.rules} compiled rules`,
        `atoms           ${stats.ipAtoms} IP ranges, ${stats.portAtoms} port ranges`,
        `index rows      ${stats.rows}`,
        `allowed pairs   ${stats.allowedPairs} of ${stats.totalPairs} (isolation score ${pct}%)`,
        `timings (ms)    ${Object.entries(timings)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
        '',
      ].join('\n'),
    );
  }
  return EXIT.ok;
}
