/**
 * `npm run bench`: stage timings and memory per cluster size, the engine against the naive reference
 * evaluator, point-query latency, and the diff benchmark. Ratios are measured within one run (the
 * machine is shared and noisy; absolute times are indicative only).
 *
 *   npm run bench                       sizes 1k, 10k, 50k (realistic) + 2k adversarial
 *   npm run bench -- --full             adds 75k and 150k realistic (a doubling) and 10k adversarial
 *   npm run bench -- --sizes 1000,5000  chosen sizes
 *   npm run bench -- --repeat 5         each size 5 times (default 1, 5 with --full): the median run, with the range
 *   npm run bench -- --calico 150000    that size NetworkPolicy-only and with tiers and 10% Calico policies
 *                                       (gen/calico.ts), alternating, --repeat times (default 3): the ratio,
 *                                       in CPU time and in wall time
 *
 * Then the performance targets (benchmarks/targets.ts), at 15k pods, or 150k with --full: each ratio
 * printed with its goal beside it.
 *
 * Results go to benchmarks/results/latest.json and a Markdown table on stdout (copied into the README).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generate, renderCluster } from './generate.js';
import { benchDiff } from './diff.js';
import { WATCH_TARGET_MS, type WatchBenchResult } from './watch.js';
import { runTargets, targetsTable } from './targets.js';
import { mulberry32 as rng } from './gen/prng.js';
import {
  compile,
  indexStats,
  loadCluster,
  replacePolicy,
  whoCanReach,
  type IndexEntity,
  type Protocol,
  type ReachabilityIndex,
} from '../packages/core/src/index.js';
import { referenceAllowed, type Ref } from '../test/reference/evaluator.js';
import { DEFAULT_LIMITS } from '../packages/core/src/load/limits.js';
import { fastParseList, type ItemSink } from '../packages/core/src/load/json-fast.js';
import { readShape } from '../packages/core/src/model/read-shapes.js';

const { values } = parseArgs({
  options: {
    full: { type: 'boolean' },
    sizes: { type: 'string' },
    quick: { type: 'boolean' },
    one: { type: 'string' },
    repeat: { type: 'string' },
    calico: { type: 'string' },
  },
});

function ms(t0: number): number {
  return Math.round((performance.now() - t0) * 10) / 10;
}

function mb(n: number): number {
  return Math.round(n / 1048576);
}

interface SizeResult {
  shape: string;
  pods: number;
  workloads: number;
  classes: number;
  policies: number;
  rows: number;
  jsonMB: number;
  parseModelMs: number;
  /**
   * The JSON pass alone on the same text (its items discarded), timed after everything else: the
   * load streams items into the model as they are parsed, so the two stages cannot be timed apart in
   * one pass; model is the difference.
   */
  parseOnlyMs: number;
  compileMs: number;
  indexMs: number;
  pairsMs: number;
  endToEndMs: number;
  /**
   * CPU time of end to end, in user and kernel mode (GC helper threads included): on this shared VM
   * wall time mixes in the machine's speed and the kernel's page-fault cost, which CPU time splits out.
   */
  endToEndUserMs: number;
  endToEndSysMs: number;
  /** Fastest and slowest end to end over the repeats (this result is the median run). */
  endToEndRangeMs?: [number, number];
  repeats?: number;
  canQueryUs: number;
  whoCanReachMs: number;
  /** The first who-can-reach of an index: it also builds the answer order and row table, once per index. */
  whoCanReachFirstMs: number;
  /** One policy edited (a rule dropped): replacePolicy plus recomputing the rows it touched. */
  incrementalMs: number;
  incrementalTouched: number;
  incrementalFullCompileMs: number;
  heapPlusBuffersMB: number;
  peakRssMB: number;
  allowedPairs: number;
  totalPairs: number;
}

function endpoints(index: ReachabilityIndex): IndexEntity[] {
  return index.entities.filter((e) => e.kind === 'endpoint');
}

/**
 * One size in a process of its own (see main): its heap starts empty, its peak RSS is its own, and the
 * generator's objects are garbage before the clock starts.
 */
function runSizeInChild(pods: number, shape: 'realistic' | 'adversarial', calico = 0): SizeResult {
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, [...process.execArgv, '--expose-gc', script, '--one', `${pods}:${shape}:${calico}`], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as SizeResult;
}

function runSize(pods: number, shape: 'realistic' | 'adversarial', calico = 0): SizeResult {
  const text = renderCluster(generate({ pods, seed: 1, shape, calico }).objects, 'json');
  // the generator's objects are garbage: collected now, so the clock starts on a heap holding the
  // text alone, as in the command after it read its input (the child runs with --expose-gc)
  (globalThis as { gc?: () => void }).gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { cluster } = loadCluster([{ name: `${shape}-${pods}.json`, text }]);
  const parseModelMs = ms(t0);
  let t = performance.now();
  const index = compile(cluster);
  const compileMs = ms(t);
  t = performance.now();
  // the full index, every row (the adversarial shape has a row per pod: that is the point of it)
  index.materialize();
  const indexMs = ms(t);
  t = performance.now();
  const stats = indexStats(index);
  const pairsMs = ms(t);
  const endToEndMs = ms(t0);
  const cpu = process.cpuUsage(cpu0);
  const eps = endpoints(index);
  const r = rng(7);
  const N = 200_000;
  const pick = () => eps[Math.floor(r() * eps.length)]!;
  const q = Array.from({ length: 1000 }, () => [pick(), pick(), 1 + Math.floor(r() * 65535)] as const);
  for (const [a, b, p] of q) index.allows(a, b, 'TCP', p); // warm the rows these touch
  t = performance.now();
  let yes = 0;
  for (let i = 0; i < N; i++) {
    const [a, b, p] = q[i % q.length]!;
    if (index.allows(a, b, 'TCP', p)) yes++;
  }
  const canQueryUs = Math.round(((performance.now() - t) / N) * 1000 * 1000) / 1000;
  t = performance.now();
  whoCanReach(index, { kind: 'entity', entity: pick() });
  const whoCanReachFirstMs = ms(t);
  t = performance.now();
  const W = 20;
  for (let i = 0; i < W; i++) whoCanReach(index, { kind: 'entity', entity: pick() });
  const whoCanReachMs = Math.round(((performance.now() - t) / W) * 100) / 100;
  // incremental update: drop the first ingress rule of a policy in the middle of the list
  const editable = cluster.policies.filter((p) => p.ingress.length >= 1);
  const victim = editable[Math.floor(editable.length / 3)];
  let incrementalMs = -1;
  let incrementalTouched = -1;
  let incrementalFullCompileMs = -1;
  if (victim !== undefined) {
    const after = { ...victim, ingress: victim.ingress.slice(1) };
    t = performance.now();
    const up = replacePolicy(index, victim, after);
    up.index.materialize();
    incrementalMs = ms(t);
    incrementalTouched = up.touchedSources;
    t = performance.now();
    compile({ ...cluster, policies: cluster.policies.map((p) => (p === victim ? after : p)) }).materialize();
    incrementalFullCompileMs = ms(t);
    if (!up.incremental) process.stderr.write(`incremental update fell back: ${up.reason}\n`);
  }
  const mem = process.memoryUsage();
  void yes;
  t = performance.now();
  const discard: ItemSink = { items: [], duplicates: [], item: () => undefined };
  if (fastParseList(text, DEFAULT_LIMITS.maxDepth, readShape, discard) === null) throw new Error('the generated JSON left the fast path');
  const parseOnlyMs = ms(t);
  return {
    shape,
    pods,
    workloads: cluster.endpoints.length,
    classes: index.compiled.classes.count,
    policies: cluster.policies.length,
    rows: index.rowCount,
    jsonMB: Math.round(text.length / 1048576),
    parseModelMs,
    parseOnlyMs,
    compileMs,
    indexMs,
    pairsMs,
    endToEndMs,
    endToEndUserMs: Math.round(cpu.user / 100) / 10,
    endToEndSysMs: Math.round(cpu.system / 100) / 10,
    canQueryUs,
    whoCanReachMs,
    whoCanReachFirstMs,
    incrementalMs,
    incrementalTouched,
    incrementalFullCompileMs,
    heapPlusBuffersMB: mb(mem.heapUsed + mem.arrayBuffers),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    allowedPairs: stats.allowedPairs,
    totalPairs: stats.totalPairs,
  };
}

interface VsReference {
  pods: number;
  policies: number;
  workloads: number;
  cells: number;
  engineMs: number;
  referenceSampleCells: number;
  referenceSampleMs: number;
  referenceExtrapolatedMs: number;
  ratio: number;
  disagreements: number;
}

/**
 * The task: allowed(src, dst, protocol, port) for every ordered pair of endpoints and every probe
 * port (each port a policy names, plus 1 and 65535, on TCP and UDP). The engine does all of it
 * including compilation; the reference answers a random sample of the same cells, and its time is
 * extrapolated per cell (it has no shared work to amortise: each answer scans every policy).
 */
function engineVsReference(pods: number, policies: number): VsReference {
  const gen = generate({ pods, policies, seed: 3, shape: 'realistic' });
  const { cluster } = loadCluster([{ name: 'vs-ref.json', text: renderCluster(gen.objects, 'json') }]);
  const portSet = new Set<number>([1, 65535]);
  for (const p of cluster.policies)
    for (const r of [...p.ingress, ...p.egress]) for (const x of r.ports ?? []) if (typeof x.port === 'number') portSet.add(x.port);
  const probes: [Protocol, number][] = [...portSet].flatMap((p) => [['TCP', p] as [Protocol, number], ['UDP', p] as [Protocol, number]]);
  const t0 = performance.now();
  const index = compile(cluster);
  const eps = endpoints(index);
  let allowed = 0;
  for (const a of eps) for (const b of eps) for (const [proto, port] of probes) if (index.allows(a, b, proto, port)) allowed++;
  const engineMs = ms(t0);
  const cells = eps.length * eps.length * probes.length;
  const r = rng(11);
  const sample = Math.min(20_000, cells);
  const picks = Array.from({ length: sample }, () => {
    const a = eps[Math.floor(r() * eps.length)]!;
    const b = eps[Math.floor(r() * eps.length)]!;
    const [proto, port] = probes[Math.floor(r() * probes.length)]!;
    return { a, b, proto, port };
  });
  const t1 = performance.now();
  const refAnswers = picks.map(({ a, b, proto, port }) =>
    referenceAllowed(cluster, { kind: 'endpoint', id: a.id } as Ref, { kind: 'endpoint', id: b.id } as Ref, proto, port, { ipblockPods: 'match' }),
  );
  const referenceSampleMs = ms(t1);
  let disagreements = 0;
  picks.forEach(({ a, b, proto, port }, i) => {
    if (index.allows(a, b, proto, port) !== refAnswers[i]) disagreements++;
  });
  const referenceExtrapolatedMs = Math.round((referenceSampleMs / sample) * cells);
  void allowed;
  return {
    pods,
    policies: cluster.policies.length,
    workloads: eps.length,
    cells,
    engineMs,
    referenceSampleCells: sample,
    referenceSampleMs,
    referenceExtrapolatedMs,
    ratio: Math.round(referenceExtrapolatedMs / engineMs),
    disagreements,
  };
}

/**
 * The Calico budget: one size NetworkPolicy-only and with tiers and 10% Calico policies, alternating
 * in rounds (a drift of this shared machine lands on both), each in a child process; the ratio of the
 * median end-to-end times, and round by round, in CPU time (user + kernel: what the run itself spent,
 * which the shared machine's load does not inflate the way it inflates wall time) and in wall time.
 */
function calicoRatio(pods: number, repeat: number): void {
  const cpuOf = (r: SizeResult) => Math.round((r.endToEndUserMs + r.endToEndSysMs) * 10) / 10;
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  const rounds: [SizeResult, SizeResult][] = [];
  for (let r = 0; r < repeat; r++) {
    const np = runSizeInChild(pods, 'realistic', 0);
    const ca = runSizeInChild(pods, 'realistic', 0.1);
    process.stderr.write(
      `round ${r + 1}: NetworkPolicy-only ${cpuOf(np)} ms CPU / ${np.endToEndMs} ms wall, with Calico ${cpuOf(ca)} ms CPU / ${ca.endToEndMs} ms wall (CPU x${ratio(cpuOf(ca), cpuOf(np)).toFixed(2)}, wall x${ratio(ca.endToEndMs, np.endToEndMs).toFixed(2)})\n`,
    );
    rounds.push([np, ca]);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const np = median(rounds.map((r) => r[0].endToEndMs));
  const ca = median(rounds.map((r) => r[1].endToEndMs));
  const npCpu = median(rounds.map((r) => cpuOf(r[0])));
  const caCpu = median(rounds.map((r) => cpuOf(r[1])));
  const out = {
    node: process.version,
    date: new Date().toISOString(),
    pods,
    repeat,
    networkPolicyOnly: rounds.map((r) => r[0]),
    withCalico: rounds.map((r) => r[1]),
    medianEndToEndMs: { networkPolicyOnly: np, withCalico: ca },
    medianEndToEndCpuMs: { networkPolicyOnly: npCpu, withCalico: caCpu },
    ratio: ratio(ca, np),
    ratioPerRound: rounds.map((r) => ratio(r[1].endToEndMs, r[0].endToEndMs)),
    cpuRatio: ratio(caCpu, npCpu),
    cpuRatioPerRound: rounds.map((r) => ratio(cpuOf(r[1]), cpuOf(r[0]))),
  };
  writeFileSync(fileURLToPath(new URL('./results/calico.json', import.meta.url)), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(
    `${pods.toLocaleString('en')} pods, realistic: NetworkPolicy-only median ${npCpu} ms CPU / ${np} ms wall, with tiers and 10% Calico policies median ${caCpu} ms CPU / ${ca} ms wall: CPU x${out.cpuRatio}, wall x${out.ratio} (round by round CPU x${out.cpuRatioPerRound.join(', x')}; wall x${out.ratioPerRound.join(', x')}; ${repeat} rounds)\n`,
  );
}

function main(): void {
  if (values.one !== undefined) {
    const [n, shape, calico] = values.one.split(':');
    process.stdout.write(JSON.stringify(runSize(Number(n), shape as 'realistic' | 'adversarial', Number(calico ?? 0))));
    return;
  }
  if (values.calico !== undefined) {
    calicoRatio(Number(values.calico), Number(values.repeat ?? 3));
    return;
  }
  const sizes: [number, 'realistic' | 'adversarial'][] = values.sizes
    ? values.sizes.split(',').map((s) => [Number(s), 'realistic'])
    : values.quick
      ? [[1000, 'realistic']]
      : [
          [1000, 'realistic'],
          [10_000, 'realistic'],
          [50_000, 'realistic'],
          [2000, 'adversarial'],
          ...(values.full
            ? ([
                [75_000, 'realistic'],
                [150_000, 'realistic'],
                [10_000, 'adversarial'],
              ] as [number, 'realistic' | 'adversarial'][])
            : []),
        ];
  // the performance targets first, each a ratio within this run (benchmarks/targets.ts); the table is
  // on stderr at once, and in the summary below
  const targets = runTargets(values.full ? 150_000 : 15_000);
  process.stderr.write(`targets: ${JSON.stringify(targets.raw)}\n${targetsTable(targets.rows)}\n`);
  const vs = engineVsReference(2000, 200);
  process.stderr.write(
    `engine vs reference at 2,000 pods / ${vs.policies} policies: ${vs.ratio}x (${vs.disagreements} disagreements in ${vs.referenceSampleCells} sampled cells)\n`,
  );
  const results: SizeResult[] = [];
  // each size N times, each in a process of its own; the median run (by end to end) is reported whole.
  // The sizes run in rounds (every size once, then again), not size after size: this shared machine's
  // speed drifts over minutes, and a drift must not land on one size of a ratio only.
  const repeat = Number(values.repeat ?? (values.full ? 5 : 1));
  const rounds: SizeResult[][] = [];
  for (let r = 0; r < repeat; r++) rounds.push(sizes.map(([n, shape]) => runSizeInChild(n, shape)));
  for (const [i, [n, shape]] of sizes.entries()) {
    const runs = rounds.map((round) => round[i]!).sort((a, b) => a.endToEndMs - b.endToEndMs);
    const res: SizeResult = {
      ...runs[Math.floor((runs.length - 1) / 2)]!,
      endToEndRangeMs: [runs[0]!.endToEndMs, runs[runs.length - 1]!.endToEndMs],
      repeats: repeat,
    };
    process.stderr.write(`${shape} ${n}: ${JSON.stringify(res)}\n`);
    results.push(res);
  }
  const diff = benchDiff(undefined, 3);
  process.stderr.write(`diff 10k/1k: ${JSON.stringify(diff)}\n`);
  // watch: event on the API server -> printed change, through the real client (a process of its own)
  const watchPods = values.quick ? 1000 : 10_000;
  const watch = JSON.parse(
    execFileSync(
      process.execPath,
      [
        ...process.execArgv,
        fileURLToPath(new URL('./watch.ts', import.meta.url)),
        '--pods',
        String(watchPods),
        '--policies',
        String(watchPods / 10),
        '--events',
        '10',
      ],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    ),
  ) as WatchBenchResult;
  process.stderr.write(`watch ${watchPods / 1000}k: ${JSON.stringify(watch)} (target: median under ${WATCH_TARGET_MS} ms)\n`);
  // growth: each realistic size against the one with half its pods, stage by stage
  const growth = results
    .filter((r) => r.shape === 'realistic')
    .flatMap((r) => {
      const half = results.find((h) => h.shape === 'realistic' && h.pods * 2 === r.pods);
      if (half === undefined) return [];
      const x = (a: number, b: number) => Math.round((a / b) * 100) / 100;
      // the same ratio within each round (the two sizes ran minutes apart at most)
      const i = results.indexOf(r);
      const h = results.indexOf(half);
      const perRound = rounds.map((round) => x(round[i]!.endToEndMs, round[h]!.endToEndMs)).sort((a, b) => a - b);
      return [
        {
          from: half.pods,
          to: r.pods,
          endToEnd: x(r.endToEndMs, half.endToEndMs),
          endToEndPerRound: perRound,
          user: x(r.endToEndUserMs, half.endToEndUserMs),
          sys: x(r.endToEndSysMs, half.endToEndSysMs),
          parseModel: x(r.parseModelMs, half.parseModelMs),
          compile: x(r.compileMs, half.compileMs),
          index: x(r.indexMs, half.indexMs),
          pairs: x(r.pairsMs, half.pairsMs),
          allowedPairs: x(r.allowedPairs, half.allowedPairs),
        },
      ];
    });
  for (const g of growth) process.stderr.write(`growth ${g.from} -> ${g.to}: ${JSON.stringify(g)}\n`);
  const out = { node: process.version, date: new Date().toISOString(), engineVsReference: vs, sizes: results, growth, diff, watch, targets };
  const file = fileURLToPath(new URL('./results/latest.json', import.meta.url));
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  const lines = [
    '| cluster | pods | workloads | classes | rows | policies | parse+model | compile | index | pairs | end to end | `can` query | who-can-reach | one policy changed (vs full) | heap+buffers | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.shape} | ${r.pods.toLocaleString('en')} | ${r.workloads.toLocaleString('en')} | ${r.classes.toLocaleString('en')} | ${r.rows.toLocaleString('en')} | ${r.policies.toLocaleString('en')} | ${r.parseModelMs} ms (parse ${r.parseOnlyMs} ms) | ${r.compileMs} ms | ${r.indexMs} ms | ${r.pairsMs} ms | ${r.endToEndMs} ms${r.repeats !== undefined && r.repeats > 1 ? ` (${r.endToEndRangeMs![0]}-${r.endToEndRangeMs![1]})` : ''} | ${r.canQueryUs} µs | ${r.whoCanReachMs} ms (first ${r.whoCanReachFirstMs} ms) | ${r.incrementalMs < 0 ? 'n/a' : `${r.incrementalMs} ms (${r.incrementalFullCompileMs} ms)`} | ${r.heapPlusBuffersMB} MB | ${r.peakRssMB} MB |`,
    ),
    '',
    `Engine vs reference evaluator (2,000 pods, ${vs.policies} policies, ${vs.cells.toLocaleString('en')} cells): **${vs.ratio}x** faster (engine ${vs.engineMs} ms for every cell including compilation; reference ${vs.referenceSampleMs} ms for ${vs.referenceSampleCells.toLocaleString('en')} sampled cells, extrapolated to ${vs.referenceExtrapolatedMs} ms; ${vs.disagreements} disagreements).`,
    '',
    ...growth.map(
      (g) =>
        `Doubling the pods (${g.from.toLocaleString('en')} -> ${g.to.toLocaleString('en')}, realistic): end to end x${g.endToEnd} (parse+model x${g.parseModel}, compile x${g.compile}, index x${g.index}, pairs x${g.pairs}); ${g.endToEndPerRound.length > 1 ? `round by round x${g.endToEndPerRound.join(', x')}; ` : ''}CPU time in user mode x${g.user}, in the kernel x${g.sys}; the allowed pairs themselves grow x${g.allowedPairs}.`,
    ),
    ...(growth.length > 0 ? [''] : []),
    `Watch at ${watch.pods.toLocaleString('en')} pods / ${watch.policies.toLocaleString('en')} policies, event on the API server to printed change (median, wall / CPU): policy ${watch.policy.medianMs} / ${watch.policy.medianCpuMs} ms (${watch.policy.printed} of ${watch.policy.events} events changed something, ${watch.policy.incremental} of them applied incrementally), pod ${watch.pod.medianMs} / ${watch.pod.medianCpuMs} ms (${watch.pod.printed} of ${watch.pod.events}, ${watch.pod.incremental} incremental), one-pod endpoint relabelled ${watch.singlePod.medianMs} / ${watch.singlePod.medianCpuMs} ms (${watch.singlePod.printed} of ${watch.singlePod.events}, ${watch.singlePod.incremental} incremental), namespace labels ${watch.namespace.medianMs} / ${watch.namespace.medianCpuMs} ms (${watch.namespace.printed} of ${watch.namespace.events}, ${watch.namespace.incremental} incremental); every event, printed or not: policy ${watch.policy.medianAllMs} / ${watch.policy.medianAllCpuMs} ms, pod ${watch.pod.medianAllMs} / ${watch.pod.medianAllCpuMs} ms, one-pod endpoint ${watch.singlePod.medianAllMs} / ${watch.singlePod.medianAllCpuMs} ms, namespace ${watch.namespace.medianAllMs} / ${watch.namespace.medianAllCpuMs} ms; all ${watch.medianMs} ms against the target of a median under ${WATCH_TARGET_MS} ms: ${watch.medianMs !== null && watch.medianMs < WATCH_TARGET_MS ? 'met' : 'NOT met'} (policy events ${watch.policy.medianMs !== null && watch.policy.medianMs < WATCH_TARGET_MS ? 'under' : 'over'} it, pod events ${watch.pod.medianMs !== null && watch.pod.medianMs < WATCH_TARGET_MS ? 'under' : 'over'} it); start (list, index, audit) ${watch.startMs} ms.`,
    '',
    'Targets (each a ratio measured in this run, every command end to end in a process of its own):',
    '',
    targetsTable(targets.rows),
    '',
    `Diff of two ${diff.pods.toLocaleString('en')}-pod / ${diff.policies.toLocaleString('en')}-policy configurations differing in one policy: compile both ${Math.round(diff.compileMs)} ms + diff ${Math.round(diff.diffMs)} ms = ${Math.round(diff.totalMs)} ms (best of 3; first run ${Math.round(diff.firstRunMs)} ms).`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
