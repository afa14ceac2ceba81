/**
 * Benchmark of `kubereach watch --live`: the time from an object change on the API server to the
 * printed reachability change, at 10,000 pods / 1,000 policies (the generator's realistic shape).
 *
 * The server is the tests' local HTTPS API server (packages/cli/test/live/fake-apiserver.ts) and the
 * command runs in-process through the real client, so a measured event crosses the whole path: the
 * server writes the event to the watch stream, the client parses it, the engine applies it
 * (replacePolicy for a policy, a new compile otherwise), diffs the indexes, re-audits, and the line
 * is printed. Each change is made only after the previous one printed.
 *
 * Events: policies deleted then created again (replacePolicy), pods relabelled (any pod: almost always
 * one of a workload's replicas, which a selector then tells apart from the others, so the workload is
 * listed pod by pod and the cluster compiled again), pods that are their endpoint's only pod
 * relabelled (replaceEndpoint, in place), and namespaces stripped of their labels (replaceNamespace).
 * The command runs with -v, so every event is matched to its own `applied ...` line; an event that
 * changes no reachability and no finding prints no change (`printed` is the number that did). Both
 * are timed: the medians of the printed events, and of all of them (`medianAllMs`).
 *
 *   npx tsx benchmarks/watch.ts [--pods 10000] [--policies 1000] [--events 20]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCluster } from '../packages/core/src/index.js';
import { generate } from './generate.js';
import { mulberry32 as rng } from './gen/prng.js';
import { memoryIO, run } from '../packages/cli/src/index.js';
import { FakeApiServer, makeCerts, type Obj } from '../packages/cli/test/live/fake-apiserver.js';
import { TOKEN, writeKubeconfig } from '../packages/cli/test/live/support.js';

/** The target: median time from an event to its printed change at 10k pods / 1k policies. */
export const WATCH_TARGET_MS = 50;

export interface WatchKindResult {
  readonly events: number;
  /** Events that printed a change (only these are timed). */
  readonly printed: number;
  /** Of those, the ones applied by the incremental update (rows of untouched sources kept). */
  readonly incremental: number;
  /** Wall time from the change on the server to the printed line. */
  readonly medianMs: number | null;
  /** Over every event, printed or not (to its `applied` line). */
  readonly medianAllMs: number | null;
  readonly medianAllCpuMs: number | null;
  readonly p90Ms: number | null;
  /** CPU time (user + system) of this process over the same interval: the work, without the waiting a shared machine adds. */
  readonly medianCpuMs: number | null;
}

export interface WatchBenchResult {
  readonly pods: number;
  readonly policies: number;
  /** From starting the command to its first watch stream open (list, load, compile, audit). */
  readonly startMs: number;
  readonly policy: WatchKindResult;
  readonly pod: WatchKindResult;
  /** Pods that are their endpoint's only pod (a bare pod, a one-replica workload) relabelled. */
  readonly singlePod: WatchKindResult;
  readonly namespace: WatchKindResult;
  /** Median wall time over every printed event. */
  readonly medianMs: number | null;
}

function quantile(xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))]! * 10) / 10;
}

interface Timing {
  readonly wall: number;
  readonly cpu: number;
  readonly incremental: boolean;
  readonly printed: boolean;
}

function summary(all: readonly Timing[], events: number): WatchKindResult {
  const times = all.filter((t) => t.printed);
  const wall = times.map((t) => t.wall);
  return {
    events,
    printed: times.length,
    incremental: times.filter((t) => t.incremental).length,
    medianMs: quantile(wall, 0.5),
    p90Ms: quantile(wall, 0.9),
    medianCpuMs: quantile(
      times.map((t) => t.cpu),
      0.5,
    ),
    medianAllMs: quantile(
      all.map((t) => t.wall),
      0.5,
    ),
    medianAllCpuMs: quantile(
      all.map((t) => t.cpu),
      0.5,
    ),
  };
}

export async function benchWatch(pods = 10_000, policies = 1_000, events = 20): Promise<WatchBenchResult> {
  const g = generate({ pods, policies, seed: 1 });
  const objects = g.objects as unknown as Obj[];
  const certs = await makeCerts();
  const server = await new FakeApiServer(certs, objects, { tokens: [TOKEN] }).start();
  const dir = mkdtempSync(join(tmpdir(), 'kubereach-watch-bench-'));
  const kubeconfig = writeKubeconfig(dir, 'config', { server: server.url, certs });
  const ctl = new AbortController();
  // -v: every applied event gets an `applied TYPE Kind ns/name: ...` line on stderr, printed change or
  // not, so each change is matched to its own line (a slow event is never timed as the next one)
  const applied: { text: string; at: number; cpu: NodeJS.CpuUsage }[] = [];
  let pending = '';
  const io = memoryIO('', {
    signal: ctl.signal,
    stdout: () => {},
    stderr: (t: string) => {
      pending += t;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.startsWith('applied ')) applied.push({ text: line, at: performance.now(), cpu: process.cpuUsage() });
      }
    },
  });
  const t0 = performance.now();
  const done = run(['watch', '--live', '-v', '-o', 'json', '--kubeconfig', kubeconfig], io);
  while (server.watchCount === 0) await new Promise((r) => setTimeout(r, 10));
  const startMs = Math.round(performance.now() - t0);
  // let every stream open
  await new Promise((r) => setTimeout(r, 500));

  /** Makes one change and waits for its `applied` line (printed: false when it changed nothing). */
  const timeOne = async (what: string, act: () => void, waitMs = 120_000): Promise<Timing> => {
    const from = applied.length;
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    act();
    let hit: (typeof applied)[number] | undefined;
    while ((hit = applied.slice(from).find((a) => a.text.startsWith(`applied ${what}:`))) === undefined && performance.now() - start < waitMs)
      await new Promise((r) => setTimeout(r, 1));
    if (hit === undefined) throw new Error(`no applied line for ${what}`);
    const c = { user: hit.cpu.user - cpu0.user, system: hit.cpu.system - cpu0.system };
    return {
      wall: hit.at - start,
      cpu: (c.user + c.system) / 1000,
      incremental: hit.text.includes(', incremental, '),
      printed: !hit.text.includes(': 0 pairs changed, 0 findings changed'),
    };
  };
  const pick = rng(7);
  const nps = objects.filter((o) => o['kind'] === 'NetworkPolicy');
  const pol: Timing[] = [];
  for (let i = 0; i < events; i++) {
    const p = nps[Math.floor(pick() * nps.length)]!;
    const m = p['metadata'];
    const del = await timeOne(`DELETED NetworkPolicy ${m.namespace}/${m.name}`, () =>
      server.remove('networking.k8s.io/v1', 'NetworkPolicy', m.namespace, m.name),
    );
    pol.push(del);
    pol.push(await timeOne(`ADDED NetworkPolicy ${m.namespace}/${m.name}`, () => server.apply(p)));
  }
  const podObjs = objects.filter((o) => o['kind'] === 'Pod');
  const podTimes: Timing[] = [];
  for (let i = 0; i < events / 2; i++) {
    const p = podObjs[Math.floor(pick() * podObjs.length)]!;
    const relabelled = { ...p, metadata: { ...p['metadata'], labels: { ...p['metadata'].labels, 'bench-moved': String(i), app: `bench-${i}` } } };
    podTimes.push(await timeOne(`MODIFIED Pod ${p['metadata'].namespace}/${p['metadata'].name}`, () => server.apply(relabelled)));
  }
  // pods that are the only pod of their endpoint: the model's endpoints of one Pod object
  const single = new Set(
    loadCluster([{ name: 'c', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) }], { ignoreInvalid: true })
      .cluster.endpoints.filter((e) => e.podCount === 1)
      .map((e) => `${e.namespace}/${e.pods?.[0]?.name ?? e.name}`),
  );
  const singles = podObjs.filter((p) => single.has(`${p['metadata'].namespace}/${p['metadata'].name}`));
  const singleTimes: Timing[] = [];
  for (let i = 0; i < events / 2 && singles.length > 0; i++) {
    const p = singles[Math.floor(pick() * singles.length)]!;
    const relabelled = { ...p, metadata: { ...p['metadata'], labels: { ...p['metadata'].labels, 'bench-moved': String(i), app: `bench-single-${i}` } } };
    singleTimes.push(await timeOne(`MODIFIED Pod ${p['metadata'].namespace}/${p['metadata'].name}`, () => server.apply(relabelled)));
  }
  const nss = objects.filter((o) => o['kind'] === 'Namespace' && !String(o['metadata'].name).startsWith('kube-'));
  const nsTimes: Timing[] = [];
  for (let i = 0; i < events / 4; i++) {
    const n = nss[Math.floor(pick() * nss.length)]!;
    // every label but the name dropped: the namespaceSelectors that picked it out no longer do
    const relabelled = { ...n, metadata: { ...n['metadata'], labels: { 'kubernetes.io/metadata.name': n['metadata'].name, 'bench-moved': String(i) } } };
    nsTimes.push(await timeOne(`MODIFIED Namespace ${n['metadata'].name}`, () => server.apply(relabelled)));
  }
  ctl.abort();
  await done;
  await server.stop();
  return {
    pods: g.options.pods,
    policies: nps.length,
    startMs,
    policy: summary(pol, events * 2),
    pod: summary(podTimes, Math.floor(events / 2)),
    singlePod: summary(singleTimes, singleTimes.length),
    namespace: summary(nsTimes, Math.floor(events / 4)),
    medianMs: quantile(
      [...pol, ...podTimes, ...singleTimes, ...nsTimes].filter((t) => t.printed).map((t) => t.wall),
      0.5,
    ),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, d: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i < 0 ? d : Number(process.argv[i + 1]);
  };
  const r = await benchWatch(arg('pods', 10_000), arg('policies', 1_000), arg('events', 20));
  writeFileSync(1, `${JSON.stringify({ ...r, targetMedianMs: WATCH_TARGET_MS }, null, 2)}\n`);
}
