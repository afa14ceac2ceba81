/**
 * Exposure to pods and namespaces that do not exist yet: what a NetworkPolicy rule admits beyond the
 * pods of the input. A rule `namespaceSelector: {matchLabels: {team: payments}}` admits every future
 * namespace so labelled; `namespaceSelector: {}` admits the whole cluster. This is np-guard's
 * netpol-analyzer "exposure analysis", in its shape, computed from the same index: which policies
 * select an endpoint in a direction comes from the compiled policy refs (the engine decided it);
 * the rules are read from those policies.
 *
 * Each distinct rule peer (namespace selector, pod selector) is a *representative peer*: the pods that
 * selector could match in the future. A peer without a namespaceSelector lives in its policy's
 * namespace. Peers with selectors that admit every namespace and every pod are not representative:
 * their rule's connections are the endpoint's *entire-cluster* exposure. A representative whose both
 * selectors are plain labels (no expressions, neither empty) and which some input pod matches is
 * dropped: that pod already stands for it.
 *
 * | rule peer (nsSelector, podSelector)     | exposure                                             |
 * |-----------------------------------------|------------------------------------------------------|
 * | rule without from/to                     | entire-cluster (and every address: in the matrix)    |
 * | ({}, nil) or ({}, {})                    | entire-cluster                                       |
 * | (nil, S)                                 | `<policy ns>/[pod with {S}]` (S empty: `[all pods]`)  |
 * | (N, nil) / (N, {})                       | `[namespace with {N}]/[all pods]` (N only the metadata.name label: its value) |
 * | (N, S)                                   | `[namespace with {N}]/[pod with {S}]`; N empty: `[all namespaces]` |
 * | ipBlock                                  | (addresses: in the matrix)                           |
 *
 * An endpoint's connections to a representative are the union of its rules (in policies selecting it
 * in that direction) whose peer is that representative's selectors exactly (requirements compared as
 * sets; `k In [v]` equals `k=v`), or empty selectors, or no peers at all. A line is kept when it differs
 * from the entire-cluster exposure. Named ports stay names when the far end is a representative
 * (its ports are unknown), and resolve on the endpoint for ingress rules. An endpoint no policy
 * isolates in a direction is *not protected* there: exposed to everything.
 *
 * Admin tiers (ClusterNetworkPolicy / AdminNetworkPolicy / BaselineAdminNetworkPolicy) are not part of
 * this view yet: when the cluster has any, `adminTiers` is true and the caller must say so.
 */
import { escapeControl as txt } from '../text/escape.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import type { Endpoint, LabelRequirement, LabelSelector, Labels, NetworkPolicy, PolicyRule, Protocol } from '../model/types.js';
import { ConnectionSet } from '../net/connection-set.js';
import { METADATA_NAME_LABEL } from '../model/infrastructure.js';

/** Connections with named ports kept as names (a representative's ports are unknown). */
export class ExposureConn {
  private constructor(
    readonly set: ConnectionSet,
    /** protocol -> sorted names */
    readonly named: Readonly<Record<Protocol, readonly string[]>>,
  ) {}

  static readonly NONE = new ExposureConn(ConnectionSet.NONE, { TCP: [], UDP: [], SCTP: [] });
  static readonly ALL = new ExposureConn(ConnectionSet.ALL, { TCP: [], UDP: [], SCTP: [] });

  static of(set: ConnectionSet, named: Record<Protocol, string[]> = { TCP: [], UDP: [], SCTP: [] }): ExposureConn {
    const norm = (l: string[]) => [...new Set(l)].sort();
    return new ExposureConn(set, { TCP: norm(named.TCP), UDP: norm(named.UDP), SCTP: norm(named.SCTP) });
  }

  union(o: ExposureConn): ExposureConn {
    return ExposureConn.of(this.set.union(o.set), { TCP: [...this.named.TCP, ...o.named.TCP], UDP: [...this.named.UDP, ...o.named.UDP], SCTP: [...this.named.SCTP, ...o.named.SCTP] });
  }

  isEmpty(): boolean {
    return this.set.isEmpty() && this.named.TCP.length + this.named.UDP.length + this.named.SCTP.length === 0;
  }

  equals(o: ExposureConn): boolean {
    return this.set.equals(o.set) && (['TCP', 'UDP', 'SCTP'] as const).every((p) => this.named[p].join(',') === o.named[p].join(','));
  }

  /** `All Connections`, `No Connections`, or `TCP 80,8000-9000,http,UDP 53`: numbers, then names, per protocol. */
  toString(): string {
    const names = this.named.TCP.length + this.named.UDP.length + this.named.SCTP.length;
    if (names === 0 || this.set.isAll()) return this.set.toString();
    const parts: string[] = [];
    for (const p of ['TCP', 'UDP', 'SCTP'] as const) {
      const ranges = this.set.rangesOf(p).map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`));
      const all = [...ranges, ...this.named[p]];
      if (all.length > 0) parts.push(`${p} ${all.join(',')}`);
    }
    return parts.join(',');
  }

  toJSON(): string {
    return this.toString();
  }
}

/** A representative peer: the pods a rule's selectors could match, existing or not. */
export interface RepresentativePeer {
  readonly namespaceSelector: LabelSelector;
  /** Empty: all pods. */
  readonly podSelector: LabelSelector;
  /** The policy's namespace when the rule had no namespaceSelector; null otherwise. */
  readonly namespace: string | null;
}

export type ExposurePeer = { readonly kind: 'entire-cluster' } | ({ readonly kind: 'representative' } & RepresentativePeer) | { readonly kind: 'external'; readonly entity: IndexEntity };

export interface ExposureLine {
  readonly endpoint: IndexEntity;
  readonly direction: 'ingress' | 'egress';
  readonly peer: ExposurePeer;
  readonly conn: ExposureConn | ConnectionSet;
}

export interface ExposureResult {
  readonly egress: readonly ExposureLine[];
  readonly ingress: readonly ExposureLine[];
  /** Endpoints no NetworkPolicy isolates in a direction. */
  readonly unprotected: readonly { readonly endpoint: IndexEntity; readonly direction: 'ingress' | 'egress' }[];
  /** True when the cluster has admin-tier policies, which this view does not take into account. */
  readonly adminTiers: boolean;
}

const EMPTY: LabelSelector = { matchLabels: {}, matchExpressions: [] };
const isEmptySel = (s: LabelSelector | null): boolean => s === null || (Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0);

/** A selector as sorted requirement strings (`k=v` for matchLabels and single-value In). */
function requirements(s: LabelSelector): string[] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(s.matchLabels)) out.push([k, `${k}=${v}`]);
  for (const r of s.matchExpressions) out.push([r.key, requirementText(r)]);
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)).map((x) => x[1]);
}

function requirementText(r: LabelRequirement): string {
  if (r.operator === 'In' && r.values.length === 1) return `${r.key}=${r.values[0]}`;
  const vals = [...r.values].sort().join(',');
  switch (r.operator) {
    case 'In':
      return `${r.key} in (${vals})`;
    case 'NotIn':
      return `${r.key} notin (${vals})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    default: {
      const never: never = r.operator;
      return String(never);
    }
  }
}

const selectorKey = (s: LabelSelector): string => requirements(s).join('&');

/** A rule's selector matches a representative's exactly, or is empty (matches everything). */
function fullMatch(rule: LabelSelector, rep: LabelSelector): boolean {
  return isEmptySel(rule) || selectorKey(rule) === selectorKey(rep);
}

function labelsMatch(matchLabels: Labels, labels: Labels): boolean {
  for (const k in matchLabels) if (labels[k] !== matchLabels[k]) return false;
  return true;
}

/** The connections of a rule's ports; named ports resolve on `dst` when given, else stay names. */
function ruleConn(rule: PolicyRule, dst: Endpoint | null): ExposureConn {
  if (rule.ports === null) return ExposureConn.ALL;
  let set = ConnectionSet.NONE;
  const named: Record<Protocol, string[]> = { TCP: [], UDP: [], SCTP: [] };
  for (const p of rule.ports) {
    if (p.port === null) set = set.union(ConnectionSet.protocol(p.protocol));
    else if (typeof p.port === 'number') set = set.union(ConnectionSet.port(p.protocol, p.port, p.endPort ?? p.port));
    else if (dst === null) named[p.protocol].push(p.port);
    else {
      const cp = dst.ports.find((x) => x.name === p.port && x.protocol === p.protocol);
      if (cp !== undefined) set = set.union(ConnectionSet.port(p.protocol, cp.port));
    }
  }
  return ExposureConn.of(set, named);
}

interface PolicyScan {
  readonly clusterWide: { ingress: ExposureConn; egress: ExposureConn };
}

/** Rules of a policy in a direction it takes part in. */
function rulesOf(pol: NetworkPolicy, dir: 'ingress' | 'egress'): readonly PolicyRule[] {
  if (dir === 'ingress') return pol.isolatesIngress ? pol.ingress : [];
  return pol.isolatesEgress ? pol.egress : [];
}

export function exposure(index: ReachabilityIndex): ExposureResult {
  const cluster = index.compiled.cluster;
  const policies = cluster.policies;
  const byName = new Map(policies.map((p) => [`${p.namespace}/${p.name}`, p]));
  const nsLabels = new Map(cluster.namespaces.map((n) => [n.name, n.labels]));
  const labelsOfNs = (ns: string): Labels => nsLabels.get(ns) ?? { [METADATA_NAME_LABEL]: ns };

  // 1. cluster-wide exposure per policy, and the representative peers (first definition wins)
  const scans = new Map<NetworkPolicy, PolicyScan>();
  const reps = new Map<string, RepresentativePeer>();
  for (const pol of policies) {
    const clusterWide = { ingress: ExposureConn.NONE, egress: ExposureConn.NONE };
    for (const dir of ['ingress', 'egress'] as const) {
      for (const rule of rulesOf(pol, dir)) {
        if (rule.peers === null) {
          clusterWide[dir] = clusterWide[dir].union(ruleConn(rule, null));
          continue;
        }
        const found: RepresentativePeer[] = [];
        let wide = false;
        for (const peer of rule.peers) {
          if (peer.kind !== 'pods') continue;
          if (peer.namespaceSelector !== null && isEmptySel(peer.namespaceSelector) && isEmptySel(peer.podSelector)) {
            // the whole cluster: this rule's other selectors add nothing to report
            wide = true;
            break;
          }
          const ns = peer.namespaceSelector ?? { matchLabels: { [METADATA_NAME_LABEL]: pol.namespace }, matchExpressions: [] };
          found.push({ namespaceSelector: ns, podSelector: peer.podSelector ?? EMPTY, namespace: peer.namespaceSelector === null ? pol.namespace : null });
        }
        if (wide) clusterWide[dir] = clusterWide[dir].union(ruleConn(rule, null));
        else for (const r of found) {
          const key = `${selectorKey(r.namespaceSelector)}/${selectorKey(r.podSelector)}`;
          if (!reps.has(key)) reps.set(key, r);
        }
      }
    }
    scans.set(pol, { clusterWide });
  }
  // 2. a representative that an input pod matches by plain labels is that pod
  for (const [key, r] of reps) {
    const plain = r.namespaceSelector.matchExpressions.length === 0 && r.podSelector.matchExpressions.length === 0;
    if (!plain || Object.keys(r.namespaceSelector.matchLabels).length === 0 || Object.keys(r.podSelector.matchLabels).length === 0) continue;
    const matched = cluster.endpoints.some((e) => {
      const podLabels = e.pods !== undefined && e.pods.length > 0 ? e.pods.map((p) => p.labels) : [e.labels];
      return labelsMatch(r.namespaceSelector.matchLabels, labelsOfNs(e.namespace)) && podLabels.some((l) => labelsMatch(r.podSelector.matchLabels, l));
    });
    if (matched) reps.delete(key);
  }
  const repList = [...reps.values()];

  // 3. per endpoint and direction: the policies that select it (the engine's refs), then the lines
  const egress: ExposureLine[] = [];
  const ingress: ExposureLine[] = [];
  const unprotected: { endpoint: IndexEntity; direction: 'ingress' | 'egress' }[] = [];
  const exposed = new Set<IndexEntity>();
  const refs = index.compiled.policyRefs.filter((r) => r.tier === 'NetworkPolicy' && r.isolates);
  for (const en of index.entities) {
    if (en.kind !== 'endpoint') continue;
    for (const dir of ['egress', 'ingress'] as const) {
      const out = dir === 'egress' ? egress : ingress;
      const selecting = refs.filter((r) => r.direction === dir && r.subjects.has(en.bit)).map((r) => byName.get(r.policy)!);
      if (selecting.length === 0) {
        unprotected.push({ endpoint: en, direction: dir });
        out.push({ endpoint: en, direction: dir, peer: { kind: 'entire-cluster' }, conn: ExposureConn.ALL });
        exposed.add(en);
        continue;
      }
      // named ports of ingress rules resolve on the endpoint itself (it is the destination)
      let wide = ExposureConn.NONE;
      for (const p of selecting) wide = wide.union(dir === 'ingress' ? clusterWideOn(p, en.endpoint) : scans.get(p)!.clusterWide[dir]);
      if (!wide.isEmpty()) {
        out.push({ endpoint: en, direction: dir, peer: { kind: 'entire-cluster' }, conn: wide });
        exposed.add(en);
      }
      for (const rep of repList) {
        let conn = ExposureConn.NONE;
        for (const pol of selecting) {
          for (const rule of rulesOf(pol, dir)) {
            if (!ruleMatchesRep(rule, pol, rep)) continue;
            conn = conn.union(ruleConn(rule, dir === 'ingress' ? en.endpoint : null));
          }
        }
        if (wide.isEmpty() ? conn.isEmpty() : conn.equals(wide)) continue;
        out.push({ endpoint: en, direction: dir, peer: { kind: 'representative', ...rep }, conn });
        exposed.add(en);
      }
    }
  }
  // 4. an exposed endpoint's connections with addresses outside the cluster, from the index
  for (const en of exposed) {
    for (const x of index.entities) {
      if (x.kind !== 'external') continue;
      const out = index.connectionsBetween(en, x);
      if (!out.isEmpty()) egress.push({ endpoint: en, direction: 'egress', peer: { kind: 'external', entity: x }, conn: out });
      const inn = index.connectionsBetween(x, en);
      if (!inn.isEmpty()) ingress.push({ endpoint: en, direction: 'ingress', peer: { kind: 'external', entity: x }, conn: inn });
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sortLines = (l: ExposureLine[]) => l.sort((a, b) => cmp(a.endpoint.id, b.endpoint.id) || cmp(exposurePeerText(a.peer), exposurePeerText(b.peer)));
  return { egress: sortLines(egress), ingress: sortLines(ingress), unprotected, adminTiers: (cluster.adminPolicies ?? []).length > 0 };
}

/** Ingress cluster-wide connections of a policy, named ports resolved on the destination endpoint. */
function clusterWideOn(pol: NetworkPolicy, dst: Endpoint): ExposureConn {
  let conn = ExposureConn.NONE;
  for (const rule of rulesOf(pol, 'ingress')) {
    const wide =
      rule.peers === null ||
      rule.peers.some((p) => p.kind === 'pods' && p.namespaceSelector !== null && isEmptySel(p.namespaceSelector) && isEmptySel(p.podSelector));
    if (wide) conn = conn.union(ruleConn(rule, dst));
  }
  return conn;
}

function ruleMatchesRep(rule: PolicyRule, pol: NetworkPolicy, rep: RepresentativePeer): boolean {
  if (rule.peers === null) return true;
  for (const peer of rule.peers) {
    if (peer.kind !== 'pods') continue;
    const nsMatch = peer.namespaceSelector === null ? rep.namespace === pol.namespace : fullMatch(peer.namespaceSelector, rep.namespaceSelector);
    if (!nsMatch) continue;
    if (peer.podSelector === null || fullMatch(peer.podSelector, rep.podSelector)) return true;
  }
  return false;
}

/** The label selector as netpol-analyzer writes it: `k=v,...` then expressions as Go structs. */
function selectorText(s: LabelSelector): string {
  const parts: string[] = [];
  const ml = Object.keys(s.matchLabels).sort();
  if (ml.length > 0) parts.push(ml.map((k) => `${k}=${s.matchLabels[k]}`).join(','));
  if (s.matchExpressions.length > 0) {
    parts.push(
      s.matchExpressions
        .map((r) => `{Key:${r.key},Operator:${r.operator},Values:[${r.values.join(' ')}],}`)
        .sort()
        .join(','),
    );
  }
  return parts.join(',');
}

/** `entire-cluster`, `ns/[pod with {app=x}]`, `[namespace with {team=payments}]/[all pods]`, or an address range. */
export function exposurePeerText(p: ExposurePeer): string {
  switch (p.kind) {
    case 'entire-cluster':
      return 'entire-cluster';
    case 'external':
      return p.entity.id;
    case 'representative': {
      const ns = p.namespaceSelector;
      const nsKeys = Object.keys(ns.matchLabels);
      const nsText =
        nsKeys.length === 1 && nsKeys[0] === METADATA_NAME_LABEL && ns.matchExpressions.length === 0
          ? ns.matchLabels[METADATA_NAME_LABEL]!
          : isEmptySel(ns)
            ? '[all namespaces]'
            : `[namespace with {${selectorText(ns)}}]`;
      const podText = isEmptySel(p.podSelector) ? '[all pods]' : `[pod with {${selectorText(p.podSelector)}}]`;
      return `${nsText}/${podText}`;
    }
    default: {
      const never: never = p;
      return String(never);
    }
  }
}

/** The exposure section in netpol-analyzer's text shape (after the matrix and a blank line). */
export function exposureText(r: ExposureResult): string {
  // names and selector values come from the input: escaped, so each line stays one line
  const width = Math.max(0, ...[...r.egress, ...r.ingress].map((l) => txt(l.endpoint.id).length));
  const line = (l: ExposureLine, arrow: string) => `${txt(l.endpoint.id).padEnd(width)} \t${arrow} \t${txt(exposurePeerText(l.peer))} : ${l.conn.toString()}`;
  let out = 'Exposure Analysis Result:\n';
  if (r.egress.length > 0) out += `Egress Exposure:\n${r.egress.map((l) => line(l, '=>')).join('\n')}\n`;
  if (r.ingress.length > 0) out += `${r.egress.length > 0 ? '\n' : ''}Ingress Exposure:\n${r.ingress.map((l) => line(l, '<=')).join('\n')}\n`;
  const un = r.unprotected.map((u) => `${txt(u.endpoint.id)} is not protected on ${u.direction === 'ingress' ? 'Ingress' : 'Egress'}`).sort();
  if (un.length > 0) out += `\nWorkloads not protected by network policies:\n${un.join('\n')}\n`;
  return out;
}

/** Selectors as data: `{matchLabels, matchExpressions}`; the namespace of a rule without a namespaceSelector by name. */
export function exposureJson(r: ExposureResult): unknown {
  const peer = (p: ExposurePeer): unknown => {
    switch (p.kind) {
      case 'entire-cluster':
        return { kind: 'entire-cluster' };
      case 'external':
        return { kind: 'external', range: p.entity.id };
      case 'representative':
        return { kind: 'selector', text: exposurePeerText(p), namespace: p.namespace, namespaceSelector: p.namespaceSelector, podSelector: p.podSelector };
      default: {
        const never: never = p;
        return never;
      }
    }
  };
  const line = (l: ExposureLine) => ({ endpoint: l.endpoint.id, peer: peer(l.peer), conn: l.conn.toString() });
  return {
    egress: r.egress.map(line),
    ingress: r.ingress.map(line),
    unprotected: r.unprotected.map((u) => ({ endpoint: u.endpoint.id, direction: u.direction })),
    adminTiersConsidered: !r.adminTiers,
  };
}
