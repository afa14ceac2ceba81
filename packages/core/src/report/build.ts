/**
 * Builds the report's data from one index: every entity becomes a node, every allowed ordered pair
 * of the matrix an edge with its connection set and the two explanation texts `can --explain`
 * prints, findings point at node indexes. Nothing here decides reachability: it reads the index.
 */
import { formatLocation } from '../diagnostics/diagnostic.js';
import { InvalidArgumentError } from '../errors.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import type { Finding } from '../audit/finding.js';
import { matrix, orderedEntities } from '../query/matrix.js';
import { explainPair, policiesSelecting } from '../query/explain.js';
import { renderPairSide } from '../query/explain-text.js';
import { indexStats } from '../query/stats.js';
import { inputCaveats, warningCaveats } from '../pipeline/caveats.js';
import type { Target } from '../targets/resolve.js';
import type { ConnectionSet } from '../net/connection-set.js';
import type { Protocol } from '../model/types.js';
import type { ReportConn, ReportData, ReportEdge, ReportFinding, ReportNode, ReportNodeKind, ReportPolicy } from './types.js';

/** What the report holds: title, generator, targets, findings and notes. */
export interface ReportOptions {
  readonly title?: string;
  readonly generator?: string;
  /** Sensitive targets (resolveTargets): external ranges holding one become metadata / control-plane / node nodes. */
  readonly targets?: readonly Target[];
  readonly findings?: readonly Finding[];
  /** Where each finding comes from, by finding id (default `audit`). */
  readonly findingSource?: (f: Finding) => string;
  /** Caveats the caller printed (unmodelled input, dropped objects); default: the input's own. */
  readonly caveats?: readonly string[];
  /** Refuse (InvalidArgumentError) rather than build a report with more edges than this (default: no limit). */
  readonly maxEdges?: number;
  /** The notes `can` prints for a pair (the CLI passes its own), shown with the edge's explanation. */
  readonly notes?: PairNotes;
}

/** The notes for one pair on one side's index. */
export type PairNotes = (index: ReachabilityIndex, src: IndexEntity, dst: IndexEntity) => readonly string[];

/** Throws when a report would hold more edges than the caller allows: a page that large helps nobody. */
export function checkEdgeCount(edges: number, maxEdges: number | undefined): void {
  if (maxEdges !== undefined && edges > maxEdges) {
    throw new InvalidArgumentError(
      `the report would draw ${edges} edges, more than the limit of ${maxEdges}: report on fewer namespaces or files, or raise the limit`,
    );
  }
}

/** Keeps each distinct connection set once. */
export class ConnTable {
  readonly conns: ReportConn[] = [];
  private readonly ids = new Map<string, number>();
  id(conn: ConnectionSet): number {
    const text = conn.toString();
    let i = this.ids.get(text);
    if (i === undefined) {
      i = this.conns.length;
      const r = (p: Protocol) => conn.rangesOf(p).map((x) => [x[0], x[1]] as const);
      this.conns.push({ text, TCP: r('TCP'), UDP: r('UDP'), SCTP: r('SCTP') });
      this.ids.set(text, i);
    }
    return i;
  }
}

/** Keeps each distinct text once. */
export class TextTable {
  readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();
  id(text: string): number {
    let i = this.ids.get(text);
    if (i === undefined) {
      i = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, i);
    }
    return i;
  }
}

const TARGET_KIND: Readonly<Record<Target['word'], ReportNodeKind>> = {
  metadata: 'metadata',
  'control-plane': 'control-plane',
  etcd: 'control-plane',
  kubelet: 'node',
};
/** When one range holds several targets, the most specific kind names the node. */
const KIND_RANK: Readonly<Record<ReportNodeKind, number>> = { workload: 0, external: 0, node: 1, 'control-plane': 2, metadata: 3 };

function policyOf(p: ReturnType<typeof policiesSelecting>[number]): ReportPolicy {
  return { name: p.policy, tier: p.tier, policyKind: p.policyKind, direction: p.direction, priority: p.priority, location: formatLocation(p.location) };
}

const TIER_RANK: Readonly<Record<string, number>> = { Admin: 0, NetworkPolicy: 1, Baseline: 2 };

/** Ingress first, then by tier in evaluation order, priority and name: the same list whatever the input order. */
function byPolicy(a: ReportPolicy, b: ReportPolicy): number {
  if (a.direction !== b.direction) return a.direction === 'ingress' ? -1 : 1;
  const t = (TIER_RANK[a.tier] ?? 3) - (TIER_RANK[b.tier] ?? 3);
  if (t !== 0) return t;
  const p = (a.priority ?? 0) - (b.priority ?? 0);
  if (p !== 0) return p;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Nodes for every entity of an index, in matrix order (orderedEntities). */
export function reportNodes(index: ReachabilityIndex, targets: readonly Target[]): ReportNode[] {
  const targetsOf = new Map<number, { kind: ReportNodeKind; labels: string[] }>();
  for (const t of targets) {
    for (const a of t.addresses) {
      const e = index.addressEntity(a.address);
      if (e === null || e.kind !== 'external') continue;
      const cur = targetsOf.get(e.index) ?? { kind: 'external' as ReportNodeKind, labels: [] };
      const kind = TARGET_KIND[t.word];
      // a node is drawn as the target only when its range is that one address (the CLI's report cuts
      // each target out as its own range); a wider range only lists the targets it holds
      const [first, last] = e.id.replace(/\[External\]$/, '').split('-');
      if (first === last && KIND_RANK[kind] > KIND_RANK[cur.kind]) cur.kind = kind;
      const label = `${t.label} ${a.address} (${a.source})`;
      if (!cur.labels.includes(label)) cur.labels.push(label);
      targetsOf.set(e.index, cur);
    }
  }
  // matrix order (addresses ascending, then workloads by id), so a report does not depend on the order of the input
  return orderedEntities(index).map((e): ReportNode => {
    if (e.kind === 'endpoint') {
      const ep = e.endpoint;
      const policies = [...policiesSelecting(index, e, 'ingress'), ...policiesSelecting(index, e, 'egress')].map(policyOf).sort(byPolicy);
      return {
        id: e.id,
        kind: 'workload',
        workloadKind: ep.kind,
        namespace: ep.namespace,
        name: ep.name,
        labels: ep.labels,
        addresses: ep.ips,
        pods: Math.max(ep.podCount, ep.replicas ?? 0, 1),
        location: formatLocation(ep.location),
        policies,
        targets: [],
      };
    }
    const range = e.id.replace(/\[External\]$/, '');
    const t = targetsOf.get(e.index);
    return {
      id: e.id,
      kind: t?.kind ?? 'external',
      workloadKind: 'External',
      namespace: null,
      name: range,
      labels: {},
      addresses: [range],
      pods: 0,
      location: null,
      policies: [],
      targets: t?.labels ?? [],
    };
  });
}

/** One edge: the pair's connections and its explanation texts (the same as `can SRC DST --explain`). */
export function reportEdge(
  index: ReachabilityIndex,
  texts: TextTable,
  src: IndexEntity,
  dst: IndexEntity,
  conn: number,
  status: ReportEdge['status'],
  nodeOf: (e: IndexEntity) => number,
  notes?: PairNotes,
): ReportEdge {
  const pair = explainPair(index, src, dst);
  const edge: ReportEdge = {
    src: nodeOf(src),
    dst: nodeOf(dst),
    conn,
    status,
    egress: texts.id(renderPairSide(pair.egress)),
    ingress: texts.id(renderPairSide(pair.ingress)),
  };
  const n = notes?.(index, src, dst) ?? [];
  return n.length === 0 ? edge : { ...edge, notes: n.map((t) => texts.id(t)) };
}

/**
 * Node indexes a finding is about: its subject (an entity id; a namespace: all of its workloads;
 * a policy: the workloads it selects), and for LATERAL_PATH the chain (entity ids, the last one possibly a target label
 * ending in its address).
 */
export function reportFinding(f: Finding, nodes: readonly ReportNode[], index: ReachabilityIndex | null, source: string): ReportFinding {
  const byId = new Map(nodes.map((n, i) => [n.id, i]));
  const subject = byId.get(f.subject);
  // a policy subject (`ns/name[NetworkPolicy]`, as the linter names them): the workloads it selects
  const policy = /^(.*)\[[A-Za-z]*Policy\]$/.exec(f.subject)?.[1];
  const subjectNodes =
    subject !== undefined
      ? [subject]
      : nodes.flatMap((n, i) =>
          n.kind === 'workload' && (n.namespace === f.subject || (policy !== undefined && n.policies.some((p) => p.name === policy))) ? [i] : [],
        );
  const path: number[] = [];
  for (const step of f.path ?? []) {
    let i = byId.get(step);
    if (i === undefined && index !== null) {
      const e = index.addressEntity(step.split(' ').pop() ?? '');
      if (e !== null) i = byId.get(e.id);
    }
    if (i !== undefined) path.push(i);
  }
  return {
    id: f.id,
    severity: f.severity,
    subject: f.subject,
    message: f.message,
    evidence: f.evidence,
    fix: f.fix,
    location: f.location === null ? null : formatLocation(f.location),
    nodes: subjectNodes,
    path,
    source,
  };
}

/**
 * Caveats of the report: the caller's (the CLI passes what it printed as warnings), else the input's
 * own (pipeline/caveats.ts); and the hostNetwork workloads, whose edges depend on the CNI.
 */
export function reportCaveats(index: ReachabilityIndex, given: readonly string[] | undefined): string[] {
  const out = [
    ...(given ?? [...inputCaveats(index.compiled.cluster, index.compiled.profile).map((c) => c.message), ...warningCaveats(index.compiled.warnings)]),
  ];
  const host = index.compiled.cluster.endpoints.filter((e) => e.hostNetwork).map((e) => e.id);
  // under a profile where host-network pods are their node (cilium), the profile statement says so
  if (host.length > 0 && index.compiled.profile.hostNetworkIsPolicySubject) {
    out.push(
      `${host.length} workload${host.length === 1 ? ' uses' : 's use'} hostNetwork (${host.slice(0, 5).join(', ')}${host.length > 5 ? ', ...' : ''}): most CNIs do not apply NetworkPolicies to host-network pods; edges to and from them assume they do`,
    );
  }
  return out;
}

/** The report of one cluster. */
export function buildReport(index: ReachabilityIndex, options: ReportOptions = {}): ReportData {
  const nodes = reportNodes(index, options.targets ?? []);
  const texts = new TextTable();
  const conns = new ConnTable();
  const entries = matrix(index);
  checkEdgeCount(entries.length, options.maxEdges);
  const position = new Map(nodes.map((n, i) => [n.id, i]));
  const nodeOf = (e: IndexEntity) => position.get(e.id)!;
  const edges = entries.map((m) => reportEdge(index, texts, m.src, m.dst, conns.id(m.conn), 'same', nodeOf, options.notes));
  const source = options.findingSource ?? (() => 'audit');
  return {
    format: 'kubereach-report',
    version: 1,
    kind: 'report',
    title: options.title ?? 'kubereach report',
    generator: options.generator ?? 'kubereach',
    nodes,
    edges,
    texts: texts.texts,
    conns: conns.conns,
    findings: (options.findings ?? []).map((f) => reportFinding(f, nodes, index, source(f))),
    stats: indexStats(index),
    caveats: reportCaveats(index, options.caveats),
  };
}
