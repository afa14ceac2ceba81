/**
 * Admin-tier conformance with np-guard's netpol-analyzer `connlist`: every
 * connlist entry of the shared conformance data, netpol-analyzer/cases.json whose input folder holds
 * AdminNetworkPolicy or BaselineAdminNetworkPolicy objects, compiled with `ipblockPods: 'ignore'`
 * (their tool reads ipBlocks and `networks` as cluster-external only) and compared as a SET of lines
 * with the expected txt listing, after exactly the NetworkPolicy runner's normalisations (imported
 * from connlist-lines.ts and workload-names.ts, not copied): CONNS as port sets, external sides as
 * address sets, our IPv6 lines dropped (their tool skips IPv6 `networks` with a warning), their
 * `{ingress-controller}` lines dropped, `ns/D-<hash>[ReplicaSet]` read as `ns/D[Deployment]`, our
 * lines of a workload to itself (between its replicas) dropped (their tool never lists them).
 *
 * Which entries are compared:
 * - plain listings (no analyzer option, or only `supportedOnLiveCluster`);
 * - focused listings: `focusWorkloads` (lines with a focus workload at either end; with
 *   `focusDirection: egress` at the source only; with `focusWorkloadPeers` the other end among those)
 *   and `focusConn` (`PROTO-PORT`: their listing is `SRC => DST` under a `Permitted connections on
 *   PROTO PORT:` header; ours is the pairs whose connection set contains that port). Both are filters
 *   of the same matrix, applied to our lines only.
 * - out of scope (asserted, counted, not compared), with the reason: `exposureAnalysis` (a different report: which workloads are exposed to
 *   arbitrary namespaces/addresses; kubereach has no such listing) and `multipleNetworksEnabled`
 *   (user-defined networks and virtual machines, not modelled).
 * Known differences (known-differences.ts) are checked precisely (difference-check.ts).
 *
 * Run: npx vitest run --config test/conformance.config.ts test/conformance/admin.test.ts
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, hasErrors, loadCluster, matrix, matrixLine, type Cluster, type MatrixEntry, type Protocol } from '@kubereach/core';
import { coalesceExternal, isIPv6External, parseListing, type ConnLine } from './connlist-lines.js';
import { checkDifference, minus, setOf } from './difference-check.js';
import { KNOWN_DIFFERENCES } from './known-differences.js';
import { inputKinds, rawObjects, replicaSetRenames } from './workload-names.js';
import { BASE, inputFiles } from './shared-data.js';

const ADMIN_KINDS = new Set(['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']);

interface CaseEntry {
  readonly testDirName: string;
  readonly inputDir: string;
  readonly expectedOutputFiles: readonly string[];
  readonly focusWorkloads?: readonly string[];
  readonly focusWorkloadPeers?: readonly string[];
  readonly focusDirection?: string;
  readonly focusConn?: string;
  readonly exposureAnalysis?: boolean;
  readonly multipleNetworksEnabled?: boolean;
  readonly [option: string]: unknown;
}

const txtOf = (c: CaseEntry): string => {
  const t = c.expectedOutputFiles.find((f) => f.endsWith('.txt'));
  if (t === undefined) throw new Error(`${c.testDirName}: no expected txt output`);
  return t;
};

/** Why a case is not compared, or null. */
function skipReason(c: CaseEntry): string | null {
  if (c.exposureAnalysis === true) return 'exposureAnalysis: a different report, compared by exposure.test.ts';
  if (c.multipleNetworksEnabled === true) return 'multipleNetworksEnabled: user-defined networks and VMs not modelled';
  const known = new Set([
    'testDirName',
    'inputDir',
    'outputFormats',
    'expectedOutputFiles',
    'supportedOnLiveCluster',
    'focusWorkloads',
    'focusWorkloadPeers',
    'focusDirection',
    'focusConn',
  ]);
  const unknown = Object.keys(c).filter((k) => !known.has(k));
  return unknown.length > 0 ? `options ${unknown.join(', ')}` : null;
}

const adminCases: CaseEntry[] = (JSON.parse(readFileSync(join(BASE, 'cases.json'), 'utf8')) as { connlist: CaseEntry[] }).connlist.filter((c) =>
  rawObjects(inputFiles(join(BASE, c.inputDir))).some((o) => ADMIN_KINDS.has(String(o['kind']))),
);

/** A focus filter on our matrix, as their options define it. */
function focusFilter(c: CaseEntry): (e: MatrixEntry) => boolean {
  const name = (e: MatrixEntry['src']): string | null => (e.kind === 'endpoint' ? e.endpoint.name : null);
  const inList = (list: readonly string[] | undefined, x: MatrixEntry['src']): boolean => list === undefined || list.includes(name(x) ?? '\u0000');
  const focus = c.focusWorkloads;
  const peers = c.focusWorkloadPeers;
  const egressOnly = c.focusDirection === 'egress';
  if (c.focusDirection !== undefined && c.focusDirection !== 'egress') throw new Error(`${c.testDirName}: focusDirection ${c.focusDirection} not handled`);
  return (e) => {
    if (focus === undefined) return true;
    const fromFocus = inList(focus, e.src) && inList(peers, e.dst);
    const toFocus = !egressOnly && inList(focus, e.dst) && inList(peers, e.src);
    return fromFocus || toFocus;
  };
}

interface Evaluated {
  readonly cluster: Cluster;
  readonly adminObjects: number;
  readonly ours: readonly ConnLine[];
  readonly theirs: Set<string>;
}

function evaluate(c: CaseEntry, alter: (cl: Cluster) => Cluster = (cl) => cl): Evaluated {
  const files = inputFiles(join(BASE, c.inputDir));
  const objects = rawObjects(files);
  const kinds = inputKinds(objects);
  const loaded = loadCluster(files);
  expect(hasErrors(loaded.diagnostics), JSON.stringify(loaded.diagnostics.filter((d) => d.severity === 'error'))).toBe(false);
  const cluster = alter(loaded.cluster);
  const index = compile(cluster, { ipblockPods: 'ignore' });
  const txt = txtOf(c);

  // focusConn: `PROTO-PORT`; their lines carry no CONNS, so both sides are written with that one port
  let conn: { protocol: Protocol; port: number } | null = null;
  if (c.focusConn !== undefined) {
    const m = /^(tcp|udp|sctp)-(\d+)$/.exec(c.focusConn);
    if (m === null) throw new Error(`${c.testDirName}: focusConn ${c.focusConn}`);
    conn = { protocol: m[1]!.toUpperCase() as Protocol, port: Number(m[2]) };
  }
  const keep = focusFilter(c);
  const entries = matrix(index).filter((e) => keep(e) && (conn === null || e.conn.contains(conn.protocol, conn.port)));
  const text = entries.map((e) => (conn === null ? matrixLine(e) : `${e.src.id} => ${e.dst.id} : ${conn.protocol} ${conn.port}`)).join('\n');
  let ours = parseListing(text, `${c.testDirName} (kubereach)`).filter((l) => !isIPv6External(l.src) && !isIPv6External(l.dst) && l.src !== l.dst);
  ours = coalesceExternal(ours, `${c.testDirName} (kubereach)`);

  let theirText = readFileSync(join(BASE, txt), 'utf8');
  if (conn !== null) {
    const [head, ...rest] = theirText.split('\n');
    expect(head, `${txt} header`).toBe(`Permitted connections on ${conn.protocol} ${conn.port}:`);
    theirText = rest.map((l) => (l.trim() === '' ? l : `${l.trimEnd()} : ${conn!.protocol} ${conn!.port}`)).join('\n');
  }
  let theirs = parseListing(theirText, txt);
  if (theirs.some((l) => l.src === '{ingress-controller}') && !kinds.has('Ingress') && !kinds.has('Route')) {
    throw new Error(`${c.testDirName}: {ingress-controller} lines without an Ingress or Route in the input`);
  }
  theirs = theirs.filter((l) => l.src !== '{ingress-controller}');
  const renames = replicaSetRenames(objects);
  theirs = theirs.map((l) => ({ src: renames.get(l.src) ?? l.src, dst: renames.get(l.dst) ?? l.dst, conn: l.conn }));
  const adminObjects = objects.filter((o) => ADMIN_KINDS.has(String(o['kind']))).length;
  return { cluster, adminObjects, ours, theirs: setOf(coalesceExternal(theirs, txt)) };
}

type Outcome = 'agree' | 'known difference' | 'out of scope';
const outcomes = new Map<string, Outcome>();
const skipReasons = new Map<string, number>();
const caseKey = (c: CaseEntry): string => basename(txtOf(c), '.txt');

describe('netpol-analyzer connlist conformance: admin tiers', () => {
  it('finds the admin cases: 54 plain, 4 focused, 22 with unmodelled options', () => {
    expect(adminCases.length).toBe(80);
    expect(adminCases.filter((c) => skipReason(c) === null && c.focusConn === undefined && c.focusWorkloads === undefined).length).toBe(54);
    expect(adminCases.filter((c) => skipReason(c) === null).length).toBe(58);
    expect(new Set(adminCases.map(caseKey)).size).toBe(80);
  });

  it('notices a changed answer: anp_test_1 with its Admin Deny turned into Accept differs', () => {
    const c = adminCases.find((x) => x.testDirName === 'anp_test_1_deny_traffic_at_cluster_level' && skipReason(x) === null)!;
    const r = evaluate(c, (cl) => ({
      ...cl,
      adminPolicies: (cl.adminPolicies ?? []).map((p) => ({
        ...p,
        ingress: p.ingress.map((x) => ({ ...x, action: x.action === 'Deny' ? ('Accept' as const) : x.action })),
        egress: p.egress.map((x) => ({ ...x, action: x.action === 'Deny' ? ('Accept' as const) : x.action })),
      })),
    }));
    expect(minus(setOf(r.ours), r.theirs).length).toBeGreaterThan(0);
  });

  for (const c of adminCases) {
    it(caseKey(c), () => {
      const skip = skipReason(c);
      if (skip !== null) {
        // outside what a connection listing can be compared with (asserted, not skipped)
        expect(c.exposureAnalysis === true || c.multipleNetworksEnabled === true).toBe(true);
        outcomes.set(caseKey(c), 'out of scope');
        skipReasons.set(skip, (skipReasons.get(skip) ?? 0) + 1);
        return;
      }
      const r = evaluate(c);
      // every admin object of the input is in the model: a dropped policy changes every answer
      expect(r.cluster.adminPolicies?.length ?? 0, 'admin policies loaded').toBe(r.adminObjects);

      const known = c.focusConn === undefined && c.focusWorkloads === undefined ? KNOWN_DIFFERENCES.find((k) => k.case === c.testDirName) : undefined;
      const o = setOf(r.ours);
      if (known !== undefined) {
        checkDifference(known.check, r.ours, r.theirs);
        expect(minus(o, r.theirs).length + minus(r.theirs, o).length, 'still differs').toBeGreaterThan(0);
        outcomes.set(caseKey(c), 'known difference');
        return;
      }
      expect({ onlyOurs: minus(o, r.theirs), onlyTheirs: minus(r.theirs, o) }).toEqual({ onlyOurs: [], onlyTheirs: [] });
      outcomes.set(caseKey(c), 'agree');
    });
  }

  afterAll(() => {
    const n = (x: Outcome): number => [...outcomes.values()].filter((y) => y === x).length;
    const reasons = [...skipReasons].map(([r, k]) => `${k} ${r}`).join('; ');
    const failed = adminCases.length - outcomes.size;
    console.log(
      `admin conformance: ${n('agree')} agree, ${n('known difference')} known differences, ${n('out of scope')} out of scope` +
        ` (${reasons || 'none'})${failed > 0 ? `, ${failed} FAILED` : ''}`,
    );
  });
});
