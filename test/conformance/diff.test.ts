/**
 * Conformance with np-guard's netpol-analyzer `diff`.
 *
 * For each `diff` entry of the shared conformance data, netpol-analyzer/cases.json (NetworkPolicy and the
 * admin tiers, AdminNetworkPolicy / BaselineAdminNetworkPolicy; not their multi-network option), both
 * folders are loaded (every .yaml/.yml/.json, recursively), diffed with
 * `ipblockPods: 'ignore'` (their tool treats ipBlocks as cluster-external only) and the generic CNI
 * profile (their tool assumes no CNI; inputs with calico-node pods would otherwise be read as Calico's), and compared with
 * the expected txt listing (`firstDirName` is their ref1 / old, `secondDirName` ref2 / new).
 *
 * Their line: `diff-type: T, source: S, destination: D, ref1: C1, ref2: C2[, workloads-diff-info: ...]`
 * (`old:`/`new:` in one variant). Ours: DiffEntry / ChangedEntry. Both become facts
 * `S => D : C1 -> C2`; the diff type is a function of (C1, C2) on both sides and is checked to be so.
 * Normalisations, notation only (as in connlist.test.ts, whose helpers this reuses):
 * 1. CONNS compared as port sets; external sides as address sets: adjacent ranges of one endpoint
 *    and direction with the same (C1, C2) are merged on both sides (each tool cuts the space its own
 *    way: they print 0.0.0.0-255.255.255.255 where we may cut at the other side's ipBlocks).
 * 2. Our IPv6 external rows are dropped: their tool ignores IPv6. Asserted: no IPv6 ipBlock in either
 *    input, so no IPv4 answer depends on it.
 * 3. Their `{ingress-controller}` rows are dropped: they come from Ingress/Route objects, which
 *    NetworkPolicy does not see and kubereach does not model. Asserted to occur only when an input has
 *    an Ingress or Route.
 * 4. `ns/D-<hash>[ReplicaSet]` (theirs) is renamed `ns/D[Deployment]` (ours) when the input proves
 *    they are the same pods (workload-names.ts).
 * 5. Our rows of a workload to itself (traffic between two of its replicas) are dropped: their tool
 *    never lists an endpoint to itself.
 *
 * Known difference (INPUT_DIFFERENCES below): one input that their YAML parser accepts and the
 * YAML 1.2 spec (and the `yaml` package) does not. The runner proves the parse is the only
 * difference: without the fix exactly the listed files fail with YAML_SYNTAX, and with it the diffs agree.
 *
 * Run: npx vitest run --config test/conformance.config.ts test/conformance/diff.test.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffClusters, loadCluster, type Cluster, type ReachabilityDiff } from '@kubereach/core';
import { canonicalConn, coalesceExternal, isIPv6External, type ConnLine } from './connlist-lines.js';
import { inputKinds, rawObjects, replicaSetRenames } from './workload-names.js';
import { BASE, inputFiles } from './shared-data.js';

interface DiffCase {
  readonly firstDirName: string;
  readonly secondDirName: string;
  readonly expectedOutputFiles: readonly string[];
  readonly formats?: readonly string[];
  readonly [option: string]: unknown;
}

const PLAIN_KEYS = new Set(['firstDirName', 'secondDirName', 'expectedOutputFiles', 'formats']);
const NONE = 'No Connections';

function allCases(): DiffCase[] {
  return (JSON.parse(readFileSync(join(BASE, 'cases.json'), 'utf8')) as { diff: DiffCase[] }).diff;
}

function caseName(c: DiffCase): string {
  return `${c.firstDirName} -> ${c.secondDirName}`;
}

/** A diff fact; `conn` packs `C1 -> C2` (each canonical) so the external-range merge keys on both. */
function fact(src: string, dst: string, before: string, after: string, where: string): ConnLine {
  const canon = (c: string) => (c === NONE ? NONE : canonicalConn(c, where));
  return { src, dst, conn: `${canon(before)} -> ${canon(after)}` };
}

function factText(l: ConnLine): string {
  return `${l.src} => ${l.dst} : ${l.conn}`;
}

/** The diff type both tools derive from (C1, C2). */
function typeOf(before: string, after: string): 'added' | 'removed' | 'changed' {
  return before === NONE ? 'added' : after === NONE ? 'removed' : 'changed';
}

const LINE =
  /^diff-type: (added|removed|changed|non-changed), source: (\S+), destination: (\S+), (?:ref1|old): (.+?), (?:ref2|new): (.+?)(?:, workloads-diff-info: .*)?$/;

/** Their listing as facts; every line but the header must parse (the runner never guesses). */
export function parseTheirs(text: string, what: string): ConnLine[] {
  const out: ConnLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line === '' || line === 'Connectivity diff:') return;
    const m = LINE.exec(line);
    if (m === null) throw new Error(`${what}:${i + 1}: not a diff line: ${JSON.stringify(line)}`);
    const [, type, src, dst, c1, c2] = m as unknown as [string, string, string, string, string, string];
    if (type !== typeOf(c1, c2)) throw new Error(`${what}:${i + 1}: diff-type ${type} does not follow from ${c1} -> ${c2}`);
    out.push(fact(src, dst, c1, c2, `${what}:${i + 1}`));
  });
  return out;
}

function oursAsFacts(d: ReachabilityDiff): ConnLine[] {
  return [
    ...d.added.map((e) => fact(e.src, e.dst, NONE, e.conn.toString(), 'ours')),
    ...d.removed.map((e) => fact(e.src, e.dst, e.conn.toString(), NONE, 'ours')),
    ...d.changed.map((e) => fact(e.src, e.dst, e.before.toString(), e.after.toString(), 'ours')),
  ];
}

/** Merges adjacent IPv4 external ranges with equal (C1, C2); `No Connections` is a valid CONNS here. */
function coalesce(lines: readonly ConnLine[], what: string): ConnLine[] {
  return coalesceExternal(lines, what);
}

interface Evaluated {
  readonly skip: string | null;
  readonly ours: Set<string>;
  readonly theirs: Set<string>;
  readonly dropped: { readonly ipv6: number; readonly ingressController: number; readonly renamed: number; readonly replicas: number };
}

function loadSide(dir: string, fixInput: boolean): { cluster: Cluster; objects: Record<string, unknown>[] } {
  let files = inputFiles(join(BASE, 'tests', dir));
  const known = INPUT_DIFFERENCES.find((k) => k.dir === dir);
  if (known !== undefined) {
    const paths = new Set(known.files.map((f) => join('tests', dir, f)));
    const res = loadCluster(files);
    // the documented parse failures, and only those
    const failing = [...new Set(res.diagnostics.filter((d) => d.code === 'YAML_SYNTAX').map((d) => d.location?.file ?? ''))].sort();
    expect(failing, `${dir}: files failing to parse`).toEqual([...paths].sort());
    if (fixInput) files = files.map((f) => (paths.has(f.name) ? { name: f.name, text: known.fix(f.text) } : f));
  }
  const res = loadCluster(files);
  if (fixInput)
    expect(
      res.diagnostics.filter((d) => d.code === 'YAML_SYNTAX'),
      `${dir}: parse errors left`,
    ).toEqual([]);
  return { cluster: res.cluster, objects: rawObjects(files) };
}

function evaluate(c: DiffCase, alter: (cl: Cluster) => Cluster = (cl) => cl, fixInput = true): Evaluated {
  const dropped = { ipv6: 0, ingressController: 0, renamed: 0, replicas: 0 };
  const empty = { ours: new Set<string>(), theirs: new Set<string>(), dropped };
  const options = Object.keys(c).filter((k) => !PLAIN_KEYS.has(k));
  if (options.length > 0) return { skip: `analyzer option ${options.join(', ')}`, ...empty };
  const txt = c.expectedOutputFiles.find((f) => f.endsWith('.txt'));
  if (txt === undefined) return { skip: 'no expected txt output', ...empty };
  const a = loadSide(c.firstDirName, fixInput);
  const b = loadSide(c.secondDirName, fixInput);
  const kinds = new Set([...inputKinds(a.objects), ...inputKinds(b.objects)]);

  // every NetworkPolicy of the input is in the model, and none has an IPv6 ipBlock (normalisation 2)
  for (const side of [a, b]) {
    expect(side.cluster.policies.length, 'NetworkPolicies loaded').toBe(side.objects.filter((o) => o['kind'] === 'NetworkPolicy').length);
    const v6 = side.cluster.policies.flatMap((p) =>
      [...p.ingress, ...p.egress].flatMap((r) => (r.peers ?? []).filter((x) => x.kind === 'ipBlock' && x.cidr.family === 6)),
    );
    expect(v6, 'IPv6 ipBlocks').toEqual([]);
  }

  const d = diffClusters(alter(a.cluster), alter(b.cluster), { ipblockPods: 'ignore', cni: 'generic' });
  let ours = oursAsFacts(d);
  const n = ours.length;
  ours = ours.filter((l) => !isIPv6External(l.src) && !isIPv6External(l.dst));
  dropped.ipv6 = n - ours.length;
  const withSelf = ours.length;
  ours = ours.filter((l) => l.src !== l.dst);
  dropped.replicas = withSelf - ours.length;

  let theirs = parseTheirs(readFileSync(join(BASE, txt), 'utf8'), txt);
  const ingress = theirs.filter((l) => l.src === '{ingress-controller}');
  if (ingress.length > 0 && !kinds.has('Ingress') && !kinds.has('Route'))
    throw new Error(`${caseName(c)}: {ingress-controller} rows without an Ingress or Route`);
  dropped.ingressController = ingress.length;
  theirs = theirs.filter((l) => l.src !== '{ingress-controller}');
  const renames = new Map([...replicaSetRenames(a.objects), ...replicaSetRenames(b.objects)]);
  const ourIds = new Set([...a.cluster.endpoints, ...b.cluster.endpoints].map((e) => e.id));
  for (const [from, to] of renames) if (!ourIds.has(to)) throw new Error(`${caseName(c)}: ${from} would be renamed ${to}, which kubereach does not list`);
  theirs = theirs.map((l) => {
    const src = renames.get(l.src) ?? l.src;
    const dst = renames.get(l.dst) ?? l.dst;
    if (src !== l.src || dst !== l.dst) dropped.renamed++;
    return { src, dst, conn: l.conn };
  });
  return {
    skip: null,
    ours: new Set(coalesce(ours, `${caseName(c)} (kubereach)`).map(factText)),
    theirs: new Set(coalesce(theirs, txt).map(factText)),
    dropped,
  };
}

interface InputDifference {
  readonly dir: string;
  readonly reason: string;
  /** Files (relative to the case folder) that fail to parse as given. */
  readonly files: readonly string[];
  /** The fix, applied to those files' text only. */
  readonly fix: (text: string) => string;
}

export const INPUT_DIFFERENCES: readonly InputDifference[] = [
  {
    dir: 'acs-security-demos-added-workloads',
    reason:
      'Three Deployments write `args:` as a multi-line flow sequence whose continuation line starts with a TAB ' +
      '(`\t            "-Dlisten=8080",`). YAML 1.2 forbids tabs in indentation (spec 6.1), so the `yaml` package ' +
      'reports YAML_SYNTAX and kubereach drops the three documents (the CLI stops with exit 2); go-yaml, which ' +
      'netpol-analyzer uses, accepts the tab. Replacing the leading tab by spaces, the two diffs agree.',
    files: ['frontend/webapp/deployment.yaml', 'payments/gateway/deployment.yaml', 'payments/visa-processor-v2/deployment.yaml'],
    fix: (text) => text.replace(/^\t+/gm, (tabs) => ' '.repeat(8 * tabs.length)),
  },
];

/**
 * Diff cases where kubereach reports a change netpol-analyzer cannot see, because it is a change in
 * ICMP alone (netpol-analyzer has no ICMP in its vocabulary). Kubernetes: a rule without ports
 * matches all traffic, ICMP included, while a rule listing TCP, UDP and SCTP 1-65535 matches only
 * those protocols (NetworkPolicyPort: "protocol ... TCP, UDP, or SCTP"). The check: their listing
 * has nothing we lack, and every line only we print is a pair whose before and after are equal once
 * the every-ICMP part is dropped (connlist-lines.ts), so the lines differ in ICMP and nothing else.
 */
const ICMP_DIFFERENCES: readonly { readonly case: string; readonly reason: string }[] = [
  {
    case: 'with_end_port_example -> with_end_port_example_new',
    reason:
      'before: NetworkPolicy enable-all-protocols-with-all-ports allows ingress on UDP, TCP and SCTP 1-65535 (no ICMP); ' +
      'after: enable-all-traffic allows `- {}` (every protocol, ICMP included) for tier=frontend pods. kubereach lists ' +
      'the pairs whose ICMP changed; netpol-analyzer, without ICMP, sees All Connections on both sides.',
  },
];

const minus = (x: Set<string>, y: Set<string>): string[] => [...x].filter((l) => !y.has(l)).sort();

type Outcome = 'agree' | 'agree after an input fix' | 'out of scope' | 'agree but for ICMP';
const outcomes = new Map<string, Outcome>();
const skipReasons = new Map<string, number>();
const counts = { ipv6Dropped: 0, ingressControllerDropped: 0, renamed: 0, replicas: 0 };
const cases = allCases();

describe('netpol-analyzer diff conformance', () => {
  it('reads every diff case and parses the listing format', () => {
    expect(cases.length).toBe(47);
    expect(
      parseTheirs(
        'Connectivity diff:\ndiff-type: changed, source: a/x[Pod], destination: 0.0.0.0-9.255.255.255[External], ref1: TCP 80,81, ref2: All Connections, workloads-diff-info: workload a/x[Pod] added\n',
        't',
      ),
    ).toEqual([{ src: 'a/x[Pod]', dst: '0.0.0.0-9.255.255.255[External]', conn: 'TCP 80-81 -> All Connections' }]);
    expect(() => parseTheirs('diff-type: added, source: a, destination: b, ref1: TCP 80, ref2: TCP 81\n', 't')).toThrow('does not follow');
  });

  it('notices a changed answer: dropping a policy on both sides changes the onlineboutique diff', () => {
    const c = cases.find((x) => x.firstDirName === 'onlineboutique_workloads' && x.secondDirName === 'onlineboutique_workloads_changed_netpols')!;
    const r = evaluate(c, (cl) => ({ ...cl, policies: cl.policies.filter((p) => p.name !== 'cartservice-netpol') }));
    expect(r.skip).toBeNull();
    expect(minus(r.ours, r.theirs).length + minus(r.theirs, r.ours).length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(caseName(c), () => {
      const r = evaluate(c);
      if (r.skip !== null) {
        // not a skip: the case is outside what this runner can compare, and that is asserted
        expect(r.skip).toMatch(/^(analyzer option multipleNetworksEnabled|no expected txt output)$/);
        outcomes.set(caseName(c), 'out of scope');
        skipReasons.set(r.skip, (skipReasons.get(r.skip) ?? 0) + 1);
        return;
      }
      counts.ipv6Dropped += r.dropped.ipv6;
      counts.ingressControllerDropped += r.dropped.ingressController;
      counts.renamed += r.dropped.renamed;
      counts.replicas += r.dropped.replicas;
      if (ICMP_DIFFERENCES.some((k) => k.case === caseName(c))) {
        const ours = minus(r.ours, r.theirs);
        expect(minus(r.theirs, r.ours)).toEqual([]);
        expect(ours.length, 'the ICMP difference still exists').toBeGreaterThan(0);
        for (const l of ours) expect(l).toMatch(/ : All Connections -> All Connections$/);
        outcomes.set(caseName(c), 'agree but for ICMP');
        return;
      }
      expect({ onlyOurs: minus(r.ours, r.theirs), onlyTheirs: minus(r.theirs, r.ours) }).toEqual({ onlyOurs: [], onlyTheirs: [] });
      const fixed = INPUT_DIFFERENCES.some((k) => k.dir === c.firstDirName || k.dir === c.secondDirName);
      if (fixed) {
        // the fix is needed: as given, the listings differ (else the entry is stale)
        const raw = evaluate(c, (cl) => cl, false);
        expect(minus(raw.ours, raw.theirs).length + minus(raw.theirs, raw.ours).length, 'differs without the input fix').toBeGreaterThan(0);
      }
      outcomes.set(caseName(c), fixed ? 'agree after an input fix' : 'agree');
    });
  }

  afterAll(() => {
    const n = (o: Outcome): number => [...outcomes.values()].filter((x) => x === o).length;
    const reasons = [...skipReasons].map(([r, k]) => `${k} ${r}`).join('; ');
    const failed = cases.length - outcomes.size;
    console.log(
      `diff conformance: ${n('agree')} agree, ${n('agree after an input fix')} agree after an input fix (YAML tab), ${n('agree but for ICMP')} agree but for ICMP (netpol-analyzer has none), ${n('out of scope')} out of scope (${reasons || 'none'})${failed > 0 ? `, ${failed} FAILED` : ''}` +
        ` [normalised: ${counts.ipv6Dropped} IPv6 rows dropped, ${counts.ingressControllerDropped} {ingress-controller} rows dropped,` +
        ` ${counts.renamed} rows with ReplicaSet->Deployment names, ${counts.replicas} replica-to-replica rows dropped]`,
    );
  });
});
