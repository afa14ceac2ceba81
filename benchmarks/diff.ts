/**
 * Benchmark of `kubereach diff`: two 10,000-pod / 1,000-policy configurations that differ
 * in one policy, diffed in well under a second beyond loading.
 *
 * The clusters are built at the model level (no YAML), so the time measured is exactly the analysis:
 * compiling both sides (compilePair) and comparing them (diffIndexes). `benchDiff()` returns the
 * timings; `npm run bench` (benchmarks/run.ts, the lead's) can call it and print them.
 *
 * Shape: 100 namespaces x 100 pods, 20 apps per namespace (5 replicas each, told apart only by a
 * pod-template-hash label no selector reads, so they collapse into classes), a unique IP per pod,
 * and 10 policies per namespace: a default deny, a chain of app -> app allows, a cross-namespace
 * allow by team label, a per-namespace ipBlock allow and an egress policy with DNS and 0.0.0.0/0
 * except the cluster range. The "after" side edits one rule of one policy (a port), as a typical
 * pull request does.
 */
import { performance } from 'node:perf_hooks';
import { compilePair, diffIndexes, type IndexPair, type ReachabilityDiff } from '../packages/core/src/diff/index.js';
import { loadCluster } from '../packages/core/src/pipeline/load-cluster.js';
import { generate } from './gen/generate-cluster.js';
import { renderCluster } from './gen/render.js';
import type { Cluster, Endpoint, LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from '../packages/core/src/model/types.js';
import { parseCidr, type Cidr } from '../packages/core/src/net/ip.js';
import { endpoint } from '../test/reference/build.js';

const LOC = { file: 'bench.yaml', line: 1, col: 1, doc: 0 };

function sel(matchLabels: Record<string, string>): LabelSelector {
  return { matchLabels, matchExpressions: [] };
}

function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if (typeof c === 'string') throw new Error(text);
  return c;
}

function tcp(port: number): PolicyPort {
  return { protocol: 'TCP', port, endPort: null, location: LOC };
}

function rule(index: number, peers: PolicyPeer[] | null, ports: PolicyPort[] | null): PolicyRule {
  return { index, peers, ports, location: LOC };
}

function pods(podSelector: LabelSelector | null, namespaceSelector: LabelSelector | null = null): PolicyPeer {
  return { kind: 'pods', podSelector, namespaceSelector, location: LOC };
}

function np(ns: string, name: string, podSelector: LabelSelector, ingress: PolicyRule[], egress: PolicyRule[], types: [boolean, boolean]): NetworkPolicy {
  return { namespace: ns, name, podSelector, isolatesIngress: types[0], isolatesEgress: types[1], ingress, egress, location: LOC };
}

export interface DiffBenchShape {
  readonly namespaces: number;
  readonly podsPerNamespace: number;
  readonly appsPerNamespace: number;
  readonly policiesPerNamespace: number;
}

export const DEFAULT_SHAPE: DiffBenchShape = { namespaces: 100, podsPerNamespace: 100, appsPerNamespace: 20, policiesPerNamespace: 10 };

/**
 * What the "after" side changes: `rule` edits one port of one rule of one policy (the typical pull
 * request: only the sources that rule names are compared); `isolation` drops one namespace's default
 * deny (the worst case for one policy: the ingress isolation of 100 pods changes, so every source's
 * row is computed and compared).
 */
export type DiffBenchEdit = 'none' | 'rule' | 'isolation';

/** The cluster of the benchmark, before (`none`) or after an edit. */
export function benchCluster(shape: DiffBenchShape = DEFAULT_SHAPE, edit: DiffBenchEdit = 'none'): Cluster {
  const edited = edit === 'rule';
  const endpoints: Endpoint[] = [];
  const policies: NetworkPolicy[] = [];
  const namespaces = [];
  for (let n = 0; n < shape.namespaces; n++) {
    const ns = `ns-${n}`;
    namespaces.push({ name: ns, labels: { 'kubernetes.io/metadata.name': ns, team: `t${n % 10}` }, location: null });
    for (let i = 0; i < shape.podsPerNamespace; i++) {
      const app = `app-${i % shape.appsPerNamespace}`;
      const name = `${app}-${i}`;
      endpoints.push(
        endpoint(
          ns,
          name,
          { app, tier: i % 2 === 0 ? 'web' : 'api', 'pod-template-hash': `h${i}` },
          {
            ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
            ips: [`10.${n >> 2}.${(n & 3) * 64 + (i >> 8)}.${i & 255}`],
          },
        ),
      );
    }
    const p: NetworkPolicy[] = [np(ns, 'default-deny', sel({}), [], [], [true, false])];
    if (edit === 'isolation' && n === shape.namespaces >> 1) p[0] = np(ns, 'default-deny', sel({ app: 'none' }), [], [], [true, false]);
    const chain = shape.policiesPerNamespace - 4;
    for (let j = 0; j < chain; j++) {
      const port = edited && n === shape.namespaces >> 1 && j === 1 ? 9443 : 8080;
      p.push(
        np(
          ns,
          `allow-${j}`,
          sel({ app: `app-${j + 1}` }),
          [rule(0, [pods(sel({ app: `app-${j}` }))], [tcp(port), { protocol: 'TCP', port: 'http', endPort: null, location: LOC }])],
          [],
          [true, false],
        ),
      );
    }
    p.push(np(ns, 'from-team', sel({ app: 'app-1' }), [rule(0, [pods(null, sel({ team: `t${(n + 1) % 10}` }))], [tcp(9090)])], [], [true, false]));
    p.push(
      np(
        ns,
        'from-range',
        sel({ app: 'app-0' }),
        [rule(0, [{ kind: 'ipBlock', cidr: cidr(`10.${n >> 2}.${(n & 3) * 64}.0/18`), except: [], location: LOC }], [tcp(443)])],
        [],
        [true, false],
      ),
    );
    p.push(
      np(
        ns,
        'egress',
        sel({ app: 'app-0' }),
        [],
        [
          rule(0, [pods(null, sel({ 'kubernetes.io/metadata.name': 'kube-system' }))], [{ protocol: 'UDP', port: 53, endPort: null, location: LOC }]),
          rule(1, [{ kind: 'ipBlock', cidr: cidr('0.0.0.0/0'), except: [cidr('10.0.0.0/8')], location: LOC }], null),
        ],
        [false, true],
      ),
    );
    p.push(np(ns, 'metrics', sel({}), [rule(0, [pods(sel({}), sel({ team: 't0' }))], [tcp(9100)])], [], [true, false]));
    policies.push(...p.slice(0, shape.policiesPerNamespace));
  }
  return { namespaces, endpoints, nodes: [], services: [], policies, others: [] };
}

export interface DiffBenchResult {
  readonly pods: number;
  readonly policies: number;
  /** compilePair: both sides compiled with aligned IP atoms. */
  readonly compileMs: number;
  /** diffIndexes: rows computed (lazily) and compared. */
  readonly diffMs: number;
  readonly totalMs: number;
  readonly rowsBefore: number;
  readonly rowsAfter: number;
  readonly changes: number;
  /** The first run's total (cold: includes JIT warm-up, as a one-shot CLI run sees it). */
  readonly firstRunMs: number;
}

function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

/** Builds the two clusters (not timed), then times compile and diff; the best of `runs`, and the first. */
/** Best of `runs`: each run compiles both sides (compilePair) and diffs them (diffIndexes), timed apart. */
function bestOfRuns(before: Cluster, after: Cluster, pods: number, runs: number): DiffBenchResult {
  let best: DiffBenchResult | null = null;
  let firstRunMs = -1;
  for (let r = 0; r < runs; r++) {
    const [pair, compileMs] = timed((): IndexPair => compilePair(before, after, { ipblockPods: 'match' }));
    const [d, diffMs] = timed((): ReachabilityDiff => diffIndexes(pair));
    if (firstRunMs < 0) firstRunMs = compileMs + diffMs;
    const res: DiffBenchResult = {
      pods,
      policies: before.policies.length,
      compileMs,
      diffMs,
      totalMs: compileMs + diffMs,
      rowsBefore: pair.before.rowCount,
      rowsAfter: pair.after.rowCount,
      changes: d.added.length + d.removed.length + d.changed.length,
      firstRunMs,
    };
    if (best === null || res.totalMs < best.totalMs) best = res;
  }
  return best!;
}

export function benchDiff(shape: DiffBenchShape = DEFAULT_SHAPE, runs = 5, edit: Exclude<DiffBenchEdit, 'none'> = 'rule'): DiffBenchResult {
  const before = benchCluster(shape, 'none');
  return bestOfRuns(before, benchCluster(shape, edit), before.endpoints.length, runs);
}

export interface GeneratedDiffResult extends DiffBenchResult {
  /** Which policy the generator's variant changed, and how. */
  readonly change: string;
  /** Loading both sides (JSON text -> Cluster), for scale: not part of the diff analysis. */
  readonly loadMs: number;
}

/**
 * The same measurement on the benchmark generator's clusters (benchmarks/gen): the base cluster and
 * its variant K (one NetworkPolicy changed: a rule added or dropped, or a port added), loaded from
 * JSON text like `kubectl get -o json` output. Loading is timed apart from the analysis.
 */
export function benchDiffGenerated(variant = 1, pods = 10_000, policies = 1_000, runs = 3): GeneratedDiffResult {
  const base = generate({ pods, policies, seed: 1 });
  const changed = generate({ pods, policies, seed: 1, variant });
  const [[before, after], loadMs] = timed(() => [
    loadCluster([{ name: 'base.json', text: renderCluster(base.objects, 'json') }]).cluster,
    loadCluster([{ name: `variant-${variant}.json`, text: renderCluster(changed.objects, 'json') }]).cluster,
  ]);
  const podCount = before.endpoints.reduce((n, e) => n + Math.max(1, e.podCount), 0);
  const change = changed.variant === null ? 'none' : `${changed.variant.change} on policy #${changed.variant.index}`;
  return { ...bestOfRuns(before, after, podCount, runs), change, loadMs };
}

// `npx tsx benchmarks/diff.ts` prints both results
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const edit of ['rule', 'isolation'] as const) {
    const r = benchDiff(DEFAULT_SHAPE, 5, edit);
    console.log(
      `diff ${r.pods} pods / ${r.policies} policies, one policy edited (${edit}): compile ${r.compileMs.toFixed(1)} ms + diff ${r.diffMs.toFixed(1)} ms = ${r.totalMs.toFixed(1)} ms ` +
        `(best of 5; first run ${r.firstRunMs.toFixed(1)} ms; rows ${r.rowsBefore}/${r.rowsAfter}, ${r.changes} changed pairs)`,
    );
  }
  for (const variant of [1, 2, 3]) {
    const g = benchDiffGenerated(variant);
    console.log(
      `generated ${g.pods} pods / ${g.policies} policies, variant ${variant} (${g.change}): load ${g.loadMs.toFixed(0)} ms; ` +
        `compile ${g.compileMs.toFixed(1)} ms + diff ${g.diffMs.toFixed(1)} ms = ${g.totalMs.toFixed(1)} ms (best of 3; first run ${g.firstRunMs.toFixed(1)} ms; rows ${g.rowsBefore}/${g.rowsAfter}, ${g.changes} changed pairs)`,
    );
  }
}
