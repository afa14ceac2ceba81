/**
 * `kubereach stats`: counts and per-stage timings. JSON is one flat object (pods, workloads, classes,
 * policies, allowedPairs, totalPairs, timings, ...). On a terminal, work over a second shows a
 * progress bar on stderr (progress.ts).
 */
import { performance } from 'node:perf_hooks';
import { indexStats, loadCluster } from '@kubereach/core';
import { EXIT, type CliIO } from '../io.js';
import { loadOptions, readInput, settleLoad, type InputFlags } from '../input/load.js';
import { compileLoaded } from '../input/profile.js';
import { Progress } from '../progress.js';

export { progressBar } from '../progress.js';

export interface StatsFlags extends InputFlags {
  readonly output?: 'text' | 'json';
}

export async function statsCommand(flags: StatsFlags, io: CliIO): Promise<number> {
  const t0 = performance.now();
  let last = t0;
  const timings: Record<string, number> = {};
  const progress = new Progress(io, ['parsing and modelling', 'compiling', 'building the index', 'counting pairs']);
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round((now - last) * 10) / 10;
    last = now;
  };
  const input = await readInput(flags, io);
  const sources = input.sources;
  lap('read');
  progress.input(sources.reduce((n, src) => n + src.text.length, 0));
  progress.stage(0);
  const settled = settleLoad(loadCluster(sources, loadOptions(flags)), flags, progress.io, (opts) => loadCluster(sources, opts));
  const cluster = settled.cluster;
  const loadCaveats = [...input.caveats, ...settled.caveats];
  lap('load');
  progress.stage(1);
  const { index, caveats } = await compileLoaded({ cluster, caveats: loadCaveats }, flags, progress.io);
  lap('compile');
  progress.stage(2);
  index.materialize();
  lap('index');
  progress.stage(3);
  const stats = indexStats(index);
  lap('pairs');
  timings['total'] = Math.round((performance.now() - t0) * 10) / 10;
  progress.end();
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
