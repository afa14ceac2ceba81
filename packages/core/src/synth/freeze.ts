/**
 * Least-privilege NetworkPolicies that freeze given allowed connections into explicit allow lists
 * behind isolation: for each subject workload, per direction, one rule per distinct connection set
 * listing the peers that have it. Added to a cluster (NetworkPolicies are a union), they isolate the
 * subjects and allow exactly the frozen connections on the subjects' side; the other side is left
 * as it is, so a frozen connection that the other side denies stays denied.
 *
 * Used by `generate` (freeze the current matrix, or a list of flows) and `fix` (freeze a
 * namespace's current traffic behind a default deny, minus what a finding names).
 */
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import type { Direction } from '../compile/block.js';
import type { Endpoint, Protocol } from '../model/types.js';
import type { ConnectionSet } from '../net/connection-set.js';
import { exactSelector, ipBlockPeers, labelsKey, NAME_LABEL, type Json, type JsonObject } from './selectors.js';

type EndpointEntity = Extract<IndexEntity, { kind: 'endpoint' }>;

/** A generated object: the manifest and the comment printed above it. */
export interface GeneratedObject {
  readonly manifest: JsonObject;
  readonly comment: string;
}

export interface FreezeOptions {
  /** Endpoints (entity indexes) to write policies for. */
  readonly subjects: readonly number[];
  readonly directions: readonly Direction[];
  /** The connections to freeze for a pair (src, dst); default: what the index allows. */
  readonly conn?: (src: IndexEntity, dst: IndexEntity) => ConnectionSet;
  /** Add DNS (UDP and TCP 53 to the kube-dns pods; on DNS pods, from every pod). */
  readonly dns: boolean;
  /** Policy names are `${prefix}-${workload name}`. */
  readonly prefix: string;
  /** Comment line above each policy (what it is for). */
  readonly comment: string;
}

const PROTOS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** NetworkPolicy ports for a connection set; null when it is every connection (no ports field). */
export function policyPorts(c: ConnectionSet): Json[] | null {
  if (c.isAll()) return null;
  const out: Json[] = [];
  for (const p of PROTOS) {
    for (const [lo, hi] of c.rangesOf(p)) {
      if (lo === 1 && hi === 65535) out.push({ protocol: p });
      else if (lo === hi) out.push({ protocol: p, port: lo });
      else out.push({ protocol: p, port: lo, endPort: hi });
    }
  }
  return out;
}

export const DNS_PEER: JsonObject = {
  namespaceSelector: { matchLabels: { [NAME_LABEL]: 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
};
const DNS_PORTS: Json[] = [
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
];

function isDns(e: Endpoint): boolean {
  return e.namespace === 'kube-system' && e.labels['k8s-app'] === 'kube-dns';
}

function safeName(s: string): string {
  const n = s
    .toLowerCase()
    .replace(/[^a-z0-9-.]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return n.slice(0, 200) || 'x';
}

/** Peers for a set of entities that share one connection set (null: every peer, so no from/to). */
function peersFor(index: ReachabilityIndex, members: readonly IndexEntity[], subject: EndpointEntity): JsonObject[] | null {
  const { cluster, ipAtoms } = index.compiled;
  const eps = members.filter((m): m is EndpointEntity => m.kind === 'endpoint');
  const ext = members.filter((m): m is Extract<IndexEntity, { kind: 'external' }> => m.kind === 'external');
  const allEndpoints = eps.length === cluster.endpoints.length;
  const allAtoms = ext.length === ipAtoms.count;
  if (allEndpoints && allAtoms) return null;
  const peers: JsonObject[] = [];
  if (allEndpoints) peers.push({ namespaceSelector: {} });
  else {
    const byNs = new Map<string, EndpointEntity[]>();
    for (const e of eps) (byNs.get(e.endpoint.namespace) ?? byNs.set(e.endpoint.namespace, []).get(e.endpoint.namespace)!).push(e);
    const total = new Map<string, number>();
    for (const e of cluster.endpoints) total.set(e.namespace, (total.get(e.namespace) ?? 0) + 1);
    for (const [ns, list] of [...byNs].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const nsSel = { matchLabels: { [NAME_LABEL]: ns } };
      if (list.length === total.get(ns)) {
        peers.push({ namespaceSelector: nsSel });
        continue;
      }
      const seen = new Set<string>();
      for (const e of list) {
        const k = labelsKey(e.endpoint.labels);
        if (seen.has(k)) continue;
        seen.add(k);
        peers.push({ namespaceSelector: nsSel, podSelector: exactSelector(cluster.endpoints, ns, e.endpoint.labels) });
      }
    }
  }
  if (ext.length > 0) {
    const inSet = new Set(eps.map((e) => e.index));
    // a single pod reaching its own address is loopback, always allowed: its IPs need no except
    if (!index.hasReplicas(subject)) inSet.add(subject.index);
    // with --ipblock-pods=match an ipBlock also matches the pods whose IPs it covers: except those not listed
    const podIPs = index.compiled.options.ipblockPods === 'match' ? cluster.endpoints.filter((_, i) => !inSet.has(i)).flatMap((e) => e.ips) : [];
    peers.push(
      ...ipBlockPeers(
        allAtoms
          ? [
              [0n, (1n << 32n) - 1n],
              [1n << 32n, (1n << 32n) + (1n << 128n) - 1n],
            ]
          : ext.map((x) => [ipAtoms.start(x.atom), ipAtoms.end(x.atom)] as const),
        podIPs,
      ),
    );
  }
  return peers;
}

function rulesFor(index: ReachabilityIndex, subject: EndpointEntity, dir: Direction, conn: (s: IndexEntity, d: IndexEntity) => ConnectionSet): JsonObject[] {
  const groups = new Map<string, { conn: ConnectionSet; members: IndexEntity[] }>();
  for (const other of index.entities) {
    if (other === subject && !index.hasReplicas(subject)) continue; // a single pod to itself is loopback: always allowed
    const c = dir === 'egress' ? conn(subject, other) : conn(other, subject);
    if (c.isEmpty()) continue;
    const k = c.toString();
    const g = groups.get(k) ?? groups.set(k, { conn: c, members: [] }).get(k)!;
    g.members.push(other);
  }
  const rules: JsonObject[] = [];
  for (const { conn: c, members } of groups.values()) {
    const rule: JsonObject = {};
    const peers = peersFor(index, members, subject);
    if (peers !== null) rule[dir === 'egress' ? 'to' : 'from'] = peers;
    const ports = policyPorts(c);
    if (ports !== null) rule['ports'] = ports;
    rules.push(rule);
  }
  return rules;
}

/** The policies; one per group of subjects that no selector can tell apart. */
export function freezePolicies(index: ReachabilityIndex, options: FreezeOptions): GeneratedObject[] {
  const conn = options.conn ?? ((s: IndexEntity, d: IndexEntity) => index.connectionsBetween(s, d));
  const { cluster } = index.compiled;
  const seen = new Set<string>();
  const names = new Set<string>();
  const out: GeneratedObject[] = [];
  for (const i of options.subjects) {
    const subject = index.entities[i] as EndpointEntity;
    const ep = subject.endpoint;
    const key = `${ep.namespace}\u0000${labelsKey(ep.labels)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let name = `${options.prefix}-${safeName(ep.name)}`;
    for (let n = 2; names.has(`${ep.namespace}/${name}`); n++) name = `${options.prefix}-${safeName(ep.name)}-${n}`;
    names.add(`${ep.namespace}/${name}`);
    const spec: JsonObject = {
      podSelector: exactSelector(cluster.endpoints, ep.namespace, ep.labels),
      policyTypes: options.directions.map((d) => (d === 'ingress' ? 'Ingress' : 'Egress')),
    };
    for (const dir of options.directions) {
      const rules = rulesFor(index, subject, dir, conn);
      if (options.dns && dir === 'egress' && !isDns(ep)) rules.push({ to: [DNS_PEER], ports: DNS_PORTS });
      if (options.dns && dir === 'ingress' && isDns(ep)) rules.push({ from: [{ namespaceSelector: {} }], ports: DNS_PORTS });
      spec[dir] = rules;
    }
    const sharing = cluster.endpoints.filter((e) => e.namespace === ep.namespace && labelsKey(e.labels) === labelsKey(ep.labels)).map((e) => e.id);
    out.push({
      manifest: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ep.namespace }, spec },
      comment: `${options.comment}: ${sharing.join(', ')}${sharing.length > 1 ? ' (no selector tells these apart)' : ''}`,
    });
  }
  return out;
}
