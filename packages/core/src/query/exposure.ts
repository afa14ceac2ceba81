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
 * Admin tiers (AdminNetworkPolicy / BaselineAdminNetworkPolicy, ClusterNetworkPolicy) take part the
 * way the engine orders them: for an endpoint, a direction and a peer (the entire cluster, or a
 * representative), Admin policies selecting the endpoint by priority, rules in order, the first rule
 * whose peer matches decides each port (Allow / Deny / Pass); Pass and the undecided go to the
 * NetworkPolicies when one isolates the endpoint (their union decides, the rest is denied), else to
 * the Baseline policies (first match again), then are allowed. An admin peer matches a representative
 * as a NetworkPolicy peer does (same selectors, or empty ones); its `namespaces`/`pods` peers are
 * representatives too. An endpoint an admin policy selects in a direction is protected there. An
 * admin `namedPort` carries no protocol: toward a representative it stays a protocol-less name.
 */
import { escapeControl as txt } from '../text/escape.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import type { Endpoint, LabelRequirement, LabelSelector, Labels, NetworkPolicy, PolicyRule, Protocol } from '../model/types.js';
import type { AdminPolicy, AdminRule } from '../model/admin/types.js';
import { adminPolicyName } from '../compile/admin-policy.js';
import { isKubernetesNetworkPolicy } from '../compile/block.js';
import { ConnectionSet, formatRanges } from '../net/connection-set.js';
import { METADATA_NAME_LABEL } from '../model/infrastructure.js';

/** Name buckets: per protocol, and `any` for an admin-tier `namedPort` (it carries no protocol). */
export type NameBucket = Protocol | 'any';
const BUCKETS: readonly NameBucket[] = ['TCP', 'UDP', 'SCTP', 'any'];
/** Named ports per protocol bucket. */
export type Named = Readonly<Record<NameBucket, readonly string[]>>;
const NO_NAMES: Named = { TCP: [], UDP: [], SCTP: [], any: [] };

/** Connections with named ports kept as names (a representative's ports are unknown). */
export class ExposureConn {
  private constructor(
    readonly set: ConnectionSet,
    /** bucket -> sorted names */
    readonly named: Named,
  ) {}

  static readonly NONE = new ExposureConn(ConnectionSet.NONE, NO_NAMES);
  static readonly ALL = new ExposureConn(ConnectionSet.ALL, NO_NAMES);

  /** The exposure connections of a connection set and named ports. */
  static of(set: ConnectionSet, named: Partial<Record<NameBucket, readonly string[]>> = {}): ExposureConn {
    const norm = (l: readonly string[] | undefined) => [...new Set(l ?? [])].sort();
    return new ExposureConn(set, { TCP: norm(named.TCP), UDP: norm(named.UDP), SCTP: norm(named.SCTP), any: norm(named.any) });
  }

  /** Connections in either. */
  union(o: ExposureConn): ExposureConn {
    return ExposureConn.of(this.set.union(o.set), {
      TCP: [...this.named.TCP, ...o.named.TCP],
      UDP: [...this.named.UDP, ...o.named.UDP],
      SCTP: [...this.named.SCTP, ...o.named.SCTP],
      any: [...this.named.any, ...o.named.any],
    });
  }

  /** The numeric part cut to `set`; names kept only where `keepName` says. */
  restrict(set: ConnectionSet, keepName: (bucket: NameBucket, name: string) => boolean): ExposureConn {
    const named: Record<NameBucket, string[]> = { TCP: [], UDP: [], SCTP: [], any: [] };
    for (const b of BUCKETS) for (const n of this.named[b]) if (keepName(b, n)) named[b].push(n);
    return ExposureConn.of(this.set.intersect(set), named);
  }

  /** How many named ports it holds. */
  nameCount(): number {
    return this.named.TCP.length + this.named.UDP.length + this.named.SCTP.length + this.named.any.length;
  }

  /** Whether nothing is exposed. */
  isEmpty(): boolean {
    return this.set.isEmpty() && this.nameCount() === 0;
  }

  /** Whether both hold the same connections and names. */
  equals(o: ExposureConn): boolean {
    return this.set.equals(o.set) && BUCKETS.every((p) => this.named[p].join(',') === o.named[p].join(','));
  }

  /** `All Connections`, `No Connections`, or `TCP 80,8000-9000,http,UDP 53,local-port`: numbers, then names, per protocol; protocol-less names last. */
  toString(): string {
    if (this.nameCount() === 0 || this.set.isAll()) return this.set.toString();
    const parts: string[] = [];
    for (const p of ['ICMP', 'ICMPv6'] as const) {
      const r = this.set.rangesOf(p);
      if (r.length > 0) parts.push(`${p} ${formatRanges(p, r)}`);
    }
    for (const p of ['TCP', 'UDP', 'SCTP'] as const) {
      const ranges = this.set.rangesOf(p).map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`));
      const all = [...ranges, ...this.named[p]];
      if (all.length > 0) parts.push(`${p} ${all.join(',')}`);
    }
    if (this.named.any.length > 0) parts.push(this.named.any.join(','));
    return parts.join(',');
  }

  /** The JSON form, as `toString`. */
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

/** A peer of an exposure line: an existing entity, a representative of pods or namespaces that do not exist yet, or all of the cluster. */
export type ExposurePeer =
  | { readonly kind: 'entire-cluster' }
  | ({ readonly kind: 'representative' } & RepresentativePeer)
  | { readonly kind: 'external'; readonly entity: IndexEntity };

/** One exposure line: an endpoint, a peer and the connections between them. */
export interface ExposureLine {
  readonly endpoint: IndexEntity;
  readonly direction: 'ingress' | 'egress';
  readonly peer: ExposurePeer;
  readonly conn: ExposureConn | ConnectionSet;
}

/** What the policies admit beyond the input, per endpoint: egress and ingress lines. */
export interface ExposureResult {
  readonly egress: readonly ExposureLine[];
  readonly ingress: readonly ExposureLine[];
  /** Endpoints no NetworkPolicy isolates and no admin-tier policy selects in a direction. */
  readonly unprotected: readonly { readonly endpoint: IndexEntity; readonly direction: 'ingress' | 'egress' }[];
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
  const named: Record<NameBucket, string[]> = { TCP: [], UDP: [], SCTP: [], any: [] };
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

/** Rules of a policy in a direction it takes part in. */
function rulesOf(pol: NetworkPolicy, dir: 'ingress' | 'egress'): readonly PolicyRule[] {
  if (dir === 'ingress') return pol.isolatesIngress ? pol.ingress : [];
  return pol.isolatesEgress ? pol.egress : [];
}

/** What a peer is asked about: a pod no specific selector picks (`entire-cluster`), or a representative. */
type Probe = { readonly kind: 'entire' } | { readonly kind: 'rep'; readonly rep: RepresentativePeer };

const nameSelector = (ns: string): LabelSelector => ({ matchLabels: { [METADATA_NAME_LABEL]: ns }, matchExpressions: [] });
/** A peer every pod of every namespace matches. */
const isWide = (ns: LabelSelector | null, pod: LabelSelector | null): boolean => ns !== null && isEmptySel(ns) && isEmptySel(pod);

/** A pod peer (its namespace and pod selectors) matches a probe: wide, or the representative's selectors exactly (or empty). */
function peerMatches(ns: LabelSelector, pod: LabelSelector | null, probe: Probe): boolean {
  if (isWide(ns, pod)) return true;
  if (probe.kind === 'entire') return false;
  return fullMatch(ns, probe.rep.namespaceSelector) && (pod === null || fullMatch(pod, probe.rep.podSelector));
}

function npRuleMatches(rule: PolicyRule, pol: NetworkPolicy, probe: Probe): boolean {
  if (rule.peers === null) return true;
  return rule.peers.some((p) => p.kind === 'pods' && peerMatches(p.namespaceSelector ?? nameSelector(pol.namespace), p.podSelector, probe));
}

function adminRuleMatches(rule: AdminRule, probe: Probe): boolean {
  return rule.peers.some((p) =>
    p.kind === 'namespaces'
      ? peerMatches(p.namespaceSelector, null, probe)
      : p.kind === 'pods'
        ? peerMatches(p.namespaceSelector, p.podSelector, probe)
        : false,
  );
}

/** An admin rule's ports; a namedPort resolves on `dst` (any protocol) when given, else stays a protocol-less name. */
function adminRuleConn(rule: AdminRule, dst: Endpoint | null): ExposureConn {
  if (rule.ports === null) return ExposureConn.ALL;
  let set = ConnectionSet.NONE;
  const any: string[] = [];
  for (const p of rule.ports) {
    if (p.kind === 'number') set = set.union(ConnectionSet.port(p.protocol, p.port));
    else if (p.kind === 'range') set = set.union(ConnectionSet.port(p.protocol, p.start, p.end));
    else if (dst === null) any.push(p.name);
    else for (const cp of dst.ports) if (cp.name === p.name) set = set.union(ConnectionSet.port(cp.protocol, cp.port));
  }
  return ExposureConn.of(set, { any });
}

/**
 * What is still undecided when a tier is entered: numeric connections, and names not yet decided
 * (`*` closes every name: a rule without ports decided them all).
 */
interface Flow {
  readonly set: ConnectionSet;
  readonly closed: ReadonlySet<string>;
}
const isOpen = (closed: ReadonlySet<string>, b: NameBucket, n: string): boolean => !closed.has('*') && !closed.has(`${b}/${n}`) && !closed.has(`any/${n}`);
const namesOf = (c: ExposureConn): [NameBucket, string][] =>
  (['TCP', 'UDP', 'SCTP', 'any'] as const).flatMap((b) => c.named[b].map((n): [NameBucket, string] => [b, n]));

/**
 * One first-match tier (Admin or Baseline policies, by priority, rules in order): the connections it
 * accepts, and what goes on to the next tier (undecided, or passed).
 */
function firstMatchTier(
  policies: readonly AdminPolicy[],
  dir: 'ingress' | 'egress',
  probe: Probe,
  dst: Endpoint | null,
  flow: Flow,
): { accepted: ExposureConn; next: Flow } {
  let open = flow.set;
  const closed = new Set(flow.closed);
  let accepted = ExposureConn.NONE;
  let passed = ConnectionSet.NONE;
  const passedNames: string[] = [];
  for (const pol of policies) {
    for (const rule of dir === 'ingress' ? pol.ingress : pol.egress) {
      if (!adminRuleMatches(rule, probe)) continue;
      const c = adminRuleConn(rule, dst);
      const part = c.restrict(open, (b, n) => isOpen(closed, b, n));
      if (rule.action === 'Accept') accepted = accepted.union(part);
      else if (rule.action === 'Pass') {
        passed = passed.union(part.set);
        for (const [b, n] of namesOf(part)) passedNames.push(`${b}/${n}`);
      }
      open = open.subtract(c.set);
      for (const [b, n] of namesOf(c)) closed.add(`${b}/${n}`);
      if (rule.ports === null) closed.add('*');
    }
  }
  for (const k of passedNames) closed.delete(k);
  if (!passed.isEmpty() || passedNames.length > 0) closed.delete('*');
  return { accepted, next: { set: open.union(passed), closed } };
}

interface Selecting {
  readonly admin: readonly AdminPolicy[];
  readonly np: readonly NetworkPolicy[];
  readonly baseline: readonly AdminPolicy[];
}

/**
 * The connections an endpoint has with a probe in a direction, through the tiers as the engine
 * orders them: Admin (first match; Pass and the undecided go on) -> NetworkPolicy (when one isolates
 * the endpoint: the union of its rules matching the probe, the rest denied) -> Baseline (first
 * match) -> allowed. Named ports resolve on the endpoint for ingress and stay names toward a probe.
 */
function probeConn(sel: Selecting, en: Endpoint, dir: 'ingress' | 'egress', probe: Probe): ExposureConn {
  const dst = dir === 'ingress' ? en : null;
  const admin = firstMatchTier(sel.admin, dir, probe, dst, { set: ConnectionSet.ALL, closed: new Set() });
  if (sel.np.length > 0) {
    let np = ExposureConn.NONE;
    for (const pol of sel.np) for (const rule of rulesOf(pol, dir)) if (npRuleMatches(rule, pol, probe)) np = np.union(ruleConn(rule, dst));
    return admin.accepted.union(np.restrict(admin.next.set, (b, n) => isOpen(admin.next.closed, b, n)));
  }
  const base = firstMatchTier(sel.baseline, dir, probe, dst, admin.next);
  return admin.accepted.union(base.accepted).union(ExposureConn.of(base.next.set));
}

/** What the policies admit beyond the input: pods and namespaces that do not exist yet, in netpol-analyzer's shape. */
export function exposure(index: ReachabilityIndex): ExposureResult {
  const cluster = index.compiled.cluster;
  const policies = cluster.policies;
  const admins = cluster.adminPolicies ?? [];
  const byName = new Map(policies.map((p) => [`${p.namespace}/${p.name}`, p]));
  const adminByName = new Map(admins.map((p) => [adminPolicyName(p), p]));
  const nsLabels = new Map(cluster.namespaces.map((n) => [n.name, n.labels]));
  const labelsOfNs = (ns: string): Labels => nsLabels.get(ns) ?? { [METADATA_NAME_LABEL]: ns };

  // 1. the representative peers of every rule (first definition wins); wide peers are entire-cluster
  const reps = new Map<string, RepresentativePeer>();
  const addRep = (r: RepresentativePeer) => {
    const key = `${selectorKey(r.namespaceSelector)}/${selectorKey(r.podSelector)}`;
    if (!reps.has(key)) reps.set(key, r);
  };
  for (const pol of policies) {
    for (const dir of ['ingress', 'egress'] as const) {
      for (const rule of rulesOf(pol, dir)) {
        if (rule.peers === null) continue;
        const pods = rule.peers.filter((p) => p.kind === 'pods');
        // the whole cluster: this rule's other selectors add nothing to report
        if (pods.some((p) => isWide(p.namespaceSelector, p.podSelector))) continue;
        for (const p of pods)
          addRep({
            namespaceSelector: p.namespaceSelector ?? nameSelector(pol.namespace),
            podSelector: p.podSelector ?? EMPTY,
            namespace: p.namespaceSelector === null ? pol.namespace : null,
          });
      }
    }
  }
  for (const pol of admins) {
    for (const rule of [...pol.ingress, ...pol.egress]) {
      for (const p of rule.peers) {
        if (p.kind !== 'namespaces' && p.kind !== 'pods') continue;
        const pod = p.kind === 'pods' ? p.podSelector : EMPTY;
        if (!isWide(p.namespaceSelector, pod)) addRep({ namespaceSelector: p.namespaceSelector, podSelector: pod, namespace: null });
      }
    }
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
  // this view reads Kubernetes NetworkPolicies only (the command states that caveat for the rest)
  const npRefs = index.compiled.policyRefs.filter((r) => isKubernetesNetworkPolicy(r) && r.isolates);
  const adminRefs = index.compiled.policyRefs.filter((r) => (r.tier === 'Admin' || r.tier === 'Baseline') && adminByName.has(r.policy));
  const byPriority = (a: AdminPolicy, b: AdminPolicy) => a.priority - b.priority;
  for (const en of index.entities) {
    if (en.kind !== 'endpoint') continue;
    for (const dir of ['egress', 'ingress'] as const) {
      const out = dir === 'egress' ? egress : ingress;
      const np = npRefs.filter((r) => r.direction === dir && r.subjects.has(en.bit)).map((r) => byName.get(r.policy)!);
      const adm = adminRefs.filter((r) => r.direction === dir && r.subjects.has(en.bit)).map((r) => adminByName.get(r.policy)!);
      const sel: Selecting = {
        np,
        admin: adm.filter((p) => p.tier === 'Admin').sort(byPriority),
        baseline: adm.filter((p) => p.tier === 'Baseline').sort(byPriority),
      };
      if (np.length === 0 && adm.length === 0) {
        unprotected.push({ endpoint: en, direction: dir });
        out.push({ endpoint: en, direction: dir, peer: { kind: 'entire-cluster' }, conn: ExposureConn.ALL });
        exposed.add(en);
        continue;
      }
      const wide = probeConn(sel, en.endpoint, dir, { kind: 'entire' });
      if (!wide.isEmpty()) {
        out.push({ endpoint: en, direction: dir, peer: { kind: 'entire-cluster' }, conn: wide });
        exposed.add(en);
      }
      for (const rep of repList) {
        const conn = probeConn(sel, en.endpoint, dir, { kind: 'rep', rep });
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
  return { egress: sortLines(egress), ingress: sortLines(ingress), unprotected };
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
    // the admin tiers are part of this view (kept for readers of the earlier output, where they were not)
    adminTiersConsidered: true,
  };
}
