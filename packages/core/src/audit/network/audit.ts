/**
 * The network audit: findings proved from the ReachabilityIndex, never from the mere
 * presence of a policy. Ids are a stable contract:
 *
 * | id                                  | severity        | raised when                                                   |
 * |-------------------------------------|-----------------|---------------------------------------------------------------|
 * | METADATA_REACHABLE                  | high            | a workload can reach a metadata address on some port          |
 * | CONTROL_PLANE_REACHABLE             | high / low      | a workload outside kube-system reaches a control-plane port   |
 * | NAMESPACE_NO_DEFAULT_DENY_INGRESS   | medium          | some workload of a namespace is not ingress-isolated          |
 * | NAMESPACE_NO_DEFAULT_DENY_EGRESS    | medium          | some workload of a namespace is not egress-isolated           |
 * | WORKLOAD_IN_SYSTEM_NAMESPACE        | medium          | user workloads in kube-public / unmarked in kube-system        |
 * | LATERAL_PATH                        | high            | an exposed workload reaches a sensitive target only via hops   |
 * | HOSTNETWORK_UNRESTRICTED            | medium          | a workload outside kube-system uses hostNetwork: no policy holds it |
 * | EXPOSED_SENSITIVE_WORKLOAD          | high            | an admitted entry point reaches kube-system, or a workload that reaches metadata / control plane |
 */
import type { IndexEntity, ReachabilityIndex } from '../../evaluate/index.js';
import type { Endpoint } from '../../model/types.js';
import type { Finding, Severity } from '../finding.js';
import { resolveTargets, type Target, type TargetOptions } from '../../targets/resolve.js';
import { portsSet, reachTarget, targetKey, type TargetHit } from '../../targets/reach.js';
import type { Row } from '../../evaluate/rows.js';
import { describeRanges, rangeToCidrs, type Range } from '../../net/describe-ranges.js';
import { formatIP } from '../../net/ip.js';
import type { ConnectionSet } from '../../net/connection-set.js';
import { allowEvidence, lazyEvidence } from '../../query/evidence.js';
import { isolationFindings } from './isolation.js';
import { hostNetworkFindings } from './host-network.js';
import { lateralFindings } from './lateral.js';
import { exposedSensitiveFindings } from './exposed.js';
import { entryPoints } from '../../services/entry-points.js';
import { systemNamespaceFindings } from './system-namespace.js';

/** Where the network audit's targets are: extra metadata and control-plane addresses, the cloud. */
export type NetworkAuditOptions = TargetOptions;

type Endpointish = Extract<IndexEntity, { kind: 'endpoint' }>;

function workloads(index: ReachabilityIndex): Endpointish[] {
  return index.entities.filter((e): e is Endpointish => e.kind === 'endpoint');
}

/**
 * Per entity table and target: the rows of the source bits at the last audit and their hits. An
 * incremental update keeps the entity table, so an audit run again after it (`kubereach watch`)
 * takes the hits of every source whose row the update did not replace from the last run.
 */
const hitLineage = new WeakMap<readonly IndexEntity[], Map<string, { readonly rows: (Row | undefined)[]; readonly hits: (TargetHit[] | undefined)[] }>>();

/** reachTarget per source class: its answer depends on the source's row alone (targets are addresses). */
function classHits(index: ReachabilityIndex, target: Target): (src: IndexEntity) => TargetHit[] {
  let lineage = hitLineage.get(index.entities);
  if (lineage === undefined) hitLineage.set(index.entities, (lineage = new Map()));
  const key = targetKey(target);
  const prev = lineage.get(key);
  const size = index.compiled.u.size;
  const cur = { rows: new Array<Row | undefined>(size), hits: new Array<TargetHit[] | undefined>(size) };
  lineage.set(key, cur);
  return (src) => {
    const b = src.bit;
    let hits = cur.hits[b];
    if (hits !== undefined) return hits;
    const row = index.row(b);
    hits = prev !== undefined && prev.rows[b] === row ? prev.hits[b] : undefined;
    hits ??= reachTarget(index, src, target);
    cur.rows[b] = row;
    cur.hits[b] = hits;
    return hits;
  };
}

/** A hit's connections restricted to its ports of one severity, kept with the (memoised) hit. */
const bySeverityMemo = new WeakMap<TargetHit, Map<Severity, ConnectionSet>>();

function severityConn(h: TargetHit, severity: Severity): ConnectionSet {
  let m = bySeverityMemo.get(h);
  if (m === undefined) bySeverityMemo.set(h, (m = new Map()));
  let c = m.get(severity);
  if (c === undefined) m.set(severity, (c = h.conn.intersect(portsSet(h.ports!.filter((q) => q.severity === severity)))));
  return c;
}

function metadataFindings(index: ReachabilityIndex, target: Target): Finding[] {
  const out: Finding[] = [];
  const hitsOf = classHits(index, target);
  for (const src of workloads(index)) {
    // host-network pods use the node's network: no NetworkPolicy can hold them back, so what the
    // policies say proves nothing; they are HOSTNETWORK_UNRESTRICTED (host-network.ts) instead
    if (src.endpoint.hostNetwork) continue;
    const hits = hitsOf(src);
    if (hits.length === 0) continue;
    const h = hits[0]!;
    const ev = lazyEvidence(() => allowEvidence(index, src, h.dst, h.conn, h.address));
    out.push({
      id: 'METADATA_REACHABLE',
      severity: 'high',
      subject: src.id,
      message: `${src.id} can reach the cloud metadata service at ${hits.map((x) => x.address).join(', ')} (${h.conn.toString()}), where node credentials can be read.`,
      get evidence() {
        return ev.text;
      },
      fix: `Deny egress to ${hits.map((x) => x.address).join(', ')}: add an egress NetworkPolicy for ${src.endpoint.namespace} whose ipBlock excepts 169.254.169.254/32 (and fd00:ec2::254/128), or a cluster-wide Admin-tier Deny to those addresses.`,
      get location() {
        return ev.location ?? src.endpoint.location;
      },
    });
  }
  return out;
}

/**
 * With no control-plane address known, every outside address is a candidate, and a finding per
 * workload would repeat one guess dozens of times: one finding per namespace instead, at medium
 * (low when only the API server port is reached), naming the addresses assumed (as CIDRs) and how to
 * narrow them.
 */
function assumedControlPlaneFindings(index: ReachabilityIndex, target: Target): Finding[] {
  const byNs = new Map<string, { srcs: Endpointish[]; labels: Set<string>; ranges: Range[]; high: boolean; first: { src: Endpointish; hit: TargetHit } }>();
  const atoms = index.compiled.ipAtoms;
  const hitsOf = classHits(index, target);
  for (const src of workloads(index)) {
    if (src.endpoint.namespace === 'kube-system') continue;
    const hits = hitsOf(src);
    if (hits.length === 0) continue;
    const ns = src.endpoint.namespace;
    let g = byNs.get(ns);
    if (g === undefined) byNs.set(ns, (g = { srcs: [], labels: new Set(), ranges: [], high: false, first: { src, hit: hits[0]! } }));
    g.srcs.push(src);
    for (const h of hits) {
      if (h.dst.kind === 'external') g.ranges.push([atoms.start(h.dst.atom), atoms.end(h.dst.atom)]);
      for (const p of h.ports ?? []) {
        g.labels.add(`${p.label} TCP ${p.lo === p.hi ? p.lo : `${p.lo}-${p.hi}`}`);
        if (p.severity === 'high') g.high = true;
      }
    }
  }
  const out: Finding[] = [];
  for (const [ns, g] of byNs) {
    const d = g.first.hit.dst;
    // a range cut at other targets' addresses can take a dozen CIDRs: then one address of it stands for it
    const cidrs = d.kind === 'external' ? rangeToCidrs(atoms.start(d.atom), atoms.end(d.atom)) : [];
    const label = d.kind !== 'external' ? g.first.hit.address : cidrs.length <= 3 ? cidrs.join(', ') : formatIP(atoms.start(d.atom));
    const first = g.first;
    const ev = lazyEvidence(() => allowEvidence(index, first.src, d, first.hit.conn, label));
    const names = g.srcs.map((s) => s.id);
    out.push({
      id: 'CONTROL_PLANE_REACHABLE',
      severity: g.high ? 'medium' : 'low',
      subject: `namespace ${ns}`,
      message:
        `${names.length === 1 ? names[0] : `${names.length} workloads of ${ns} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''})`} can reach ${[...g.labels].join(', ')} on ${describeRanges(g.ranges)}. ` +
        'No control-plane address is known from the input, so every address outside the pod network was assumed to be one; narrow it with --control-plane-ip, Node objects with a control-plane role in the input, or --live.',
      get evidence() {
        return ev.text;
      },
      fix: `Deny egress from ${ns} to the control-plane and node addresses on these ports (an egress NetworkPolicy with ipBlock except, or an Admin-tier Deny); only kube-system components need them.`,
      get location() {
        return ev.location ?? first.src.endpoint.location;
      },
    });
  }
  return out;
}

function controlPlaneFindings(index: ReachabilityIndex, target: Target): Finding[] {
  if (!target.known) return assumedControlPlaneFindings(index, target);
  const out: Finding[] = [];
  const hitsOf = classHits(index, target);
  for (const src of workloads(index)) {
    if (src.endpoint.namespace === 'kube-system') continue;
    const hits = hitsOf(src);
    const bySeverity = new Map<Severity, { labels: Set<string>; first: (typeof hits)[number]; conn: ConnectionSet }>();
    for (const h of hits) {
      for (const p of h.ports ?? []) {
        const e = bySeverity.get(p.severity) ?? {
          labels: new Set<string>(),
          first: h,
          conn: severityConn(h, p.severity),
        };
        e.labels.add(`${p.label} TCP ${p.lo === p.hi ? p.lo : `${p.lo}-${p.hi}`} on ${h.address}`);
        bySeverity.set(p.severity, e);
      }
    }
    for (const [severity, { labels, first, conn }] of bySeverity) {
      const ev = lazyEvidence(() => allowEvidence(index, src, first.dst, conn, first.address));
      const list = [...labels];
      out.push({
        id: 'CONTROL_PLANE_REACHABLE',
        severity,
        subject: src.id,
        message: `${src.id} can reach ${list.slice(0, 4).join(', ')}${list.length > 4 ? ` and ${list.length - 4} more` : ''}.`,
        get evidence() {
          return ev.text;
        },
        fix:
          severity === 'low'
            ? `If ${src.id} does not call the Kubernetes API, deny its egress to the API server (TCP 6443); otherwise allow only that port to the control-plane addresses.`
            : `Deny egress from ${src.endpoint.namespace} to the control-plane and node addresses on these ports (an egress NetworkPolicy with ipBlock except, or an Admin-tier Deny); only kube-system components need them.`,
        get location() {
          return ev.location ?? src.endpoint.location;
        },
      });
    }
  }
  return out;
}

/** Runs every network check; findings sorted by severity (high first), id, subject. */
export function auditNetwork(index: ReachabilityIndex, options: NetworkAuditOptions = {}): Finding[] {
  const targets = resolveTargets(index.compiled.cluster, options);
  const byWord = new Map(targets.map((t) => [t.word, t]));
  const entries = entryPoints(index);
  const findings = [
    ...metadataFindings(index, byWord.get('metadata')!),
    ...controlPlaneFindings(index, byWord.get('control-plane')!),
    ...isolationFindings(index),
    ...systemNamespaceFindings(index.compiled.cluster.endpoints as Endpoint[]),
    ...hostNetworkFindings(index, targets),
    ...lateralFindings(index, targets, entries),
    ...exposedSensitiveFindings(index, entries, targets),
  ];
  return sortFindings(findings);
}

const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

/** Sorts findings in place by severity (high first), id and subject; returns the list. */
export function sortFindings(list: Finding[]): Finding[] {
  return list.sort(
    (a, b) => RANK[a.severity] - RANK[b.severity] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0),
  );
}
