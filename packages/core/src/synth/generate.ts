/**
 * `generate`: least-privilege NetworkPolicies from the current matrix (freeze today's reachability)
 * or from a list of flows, each verified by applying it to the input and re-running the engine.
 *
 * Every endpoint gets one policy isolating it both ways with its allow lists, plus DNS (UDP and TCP
 * 53 to the kube-dns pods, and on those pods from every pod); every namespace a default deny for
 * pods that come later. The output is a whole NetworkPolicy tier, meant to replace the input's
 * NetworkPolicies (the Admin and Baseline tiers stay). Expected result, checked by
 * `verifyGenerated` with the output in place of the input's NetworkPolicies: the new matrix is the
 * current one (or exactly the flows), except for DNS connections added.
 */
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { compilePair, diffIndexes } from '../diff/diff.js';
import type { Cluster } from '../model/types.js';
import { ConnectionSet } from '../net/connection-set.js';
import { formatIP } from '../net/ip.js';
import { isDnsEndpoint } from '../lint/dns.js';
import { freezePolicies, type GeneratedObject } from './freeze.js';
import { applyText, renderObjects } from './render.js';

/** An allowed flow: what `matrix -o csv` lists (src, dst, connections). */
export interface Flow {
  readonly src: IndexEntity;
  readonly dst: IndexEntity;
  readonly conn: ConnectionSet;
}

const DNS_CONN = ConnectionSet.port('UDP', 53).union(ConnectionSet.port('TCP', 53));

function flowKey(s: IndexEntity, d: IndexEntity): string {
  return `${s.index},${d.index}`;
}

/** Least-privilege NetworkPolicies that allow exactly the given flows (or today's matrix, for null). */
export function generatePolicies(index: ReachabilityIndex, flows: readonly Flow[] | null): GeneratedObject[] {
  const subjects = index.entities.filter((e) => e.kind === 'endpoint').map((e) => e.index);
  let conn: ((s: IndexEntity, d: IndexEntity) => ConnectionSet) | undefined;
  if (flows !== null) {
    const m = new Map<string, ConnectionSet>();
    for (const f of flows) m.set(flowKey(f.src, f.dst), (m.get(flowKey(f.src, f.dst)) ?? ConnectionSet.NONE).union(f.conn));
    conn = (s, d) => m.get(flowKey(s, d)) ?? ConnectionSet.NONE;
  }
  const what = flows === null ? "today's allowed connections (kubereach generate --from current)" : 'the listed flows (kubereach generate --from FLOWS)';
  const policies = freezePolicies(index, {
    subjects,
    directions: ['ingress', 'egress'],
    conn,
    dns: true,
    prefix: 'kubereach',
    comment: `allows exactly ${what}, plus DNS, for`,
  });
  const namespaces = [...new Set(index.compiled.cluster.endpoints.map((e) => e.namespace))].sort();
  const denies: GeneratedObject[] = namespaces.map((ns) => ({
    manifest: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'kubereach-default-deny', namespace: ns },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    comment: `default deny for namespace ${ns}: pods no allow list names get nothing`,
  }));
  return [...denies, ...policies];
}

/** A pair whose connections a generated policy set would change. */
export interface PairChange {
  readonly src: string;
  readonly dst: string;
  readonly expected: ConnectionSet;
  readonly actual: ConnectionSet;
}

/** Generated policies checked by loading them back in place of the input's. */
export interface GenerateVerification {
  /** Pairs whose connections are not what was meant (beyond DNS). Empty: verified. */
  readonly differences: readonly PairChange[];
  /** Pairs that only gained DNS connections. */
  readonly dnsAdded: number;
  /** Pairs compared. */
  readonly pairs: number;
  readonly after: Cluster;
}

/** Applies the rendered policies to the cluster, re-evaluates, and compares with what was meant. */
export function verifyGenerated(index: ReachabilityIndex, text: string, flows: readonly Flow[] | null): GenerateVerification {
  const before = index.compiled.cluster;
  // the generated set is the whole NetworkPolicy tier: least privilege cannot be added to a union
  // that already allows more, so it is verified in place of the input's NetworkPolicies
  const { cluster: after, diagnostics } = applyText(before, '<generated>', text, true);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the generated policies do not load back: ${errors.map((d) => d.message).join('; ')}`);
  const { ipblockPods, cni, dns } = index.compiled.options;
  const pair = compilePair(before, after, { ipblockPods, cni, dns });
  const differences: PairChange[] = [];
  let dnsAdded = 0;
  const dnsOnly = (dst: IndexEntity | undefined, extra: ConnectionSet) =>
    dst !== undefined && dst.kind === 'endpoint' && isDnsEndpoint(dst.endpoint) && extra.subtract(DNS_CONN).isEmpty();
  if (flows === null) {
    const d = diffIndexes(pair);
    const byId = new Map(pair.after.entities.map((e) => [e.id, e]));
    for (const a of d.added) {
      if (dnsOnly(byId.get(a.dst), a.conn)) dnsAdded++;
      else differences.push({ src: a.src, dst: a.dst, expected: ConnectionSet.NONE, actual: a.conn });
    }
    for (const r of d.removed) differences.push({ src: r.src, dst: r.dst, expected: r.conn, actual: ConnectionSet.NONE });
    for (const c of d.changed) {
      if (c.before.subtract(c.after).isEmpty() && dnsOnly(byId.get(c.dst), c.after.subtract(c.before))) dnsAdded++;
      else differences.push({ src: c.src, dst: c.dst, expected: c.before, actual: c.after });
    }
    return { differences, dnsAdded, pairs: pair.after.entities.length ** 2, after };
  }
  // flows: every pair of the re-evaluated cluster against the flow that covers it
  const m = new Map<string, ConnectionSet>();
  for (const f of flows) m.set(flowKey(f.src, f.dst), (m.get(flowKey(f.src, f.dst)) ?? ConnectionSet.NONE).union(f.conn));
  const original = (e: IndexEntity): IndexEntity | null =>
    e.kind === 'endpoint' ? index.entities[e.index]! : index.addressEntity(formatIP(pair.after.compiled.ipAtoms.start(e.atom)));
  let pairs = 0;
  for (const s of pair.after.entities) {
    for (const d of pair.after.entities) {
      if ((s.kind === 'external' && d.kind === 'external') || pair.after.isLoopback(s, d)) continue;
      pairs++;
      const os = original(s);
      const od = original(d);
      const expected = os === null || od === null ? ConnectionSet.NONE : (m.get(flowKey(os, od)) ?? ConnectionSet.NONE);
      const actual = pair.after.connectionsBetween(s, d);
      if (actual.equals(expected)) continue;
      if (expected.subtract(actual).isEmpty() && dnsOnly(d, actual.subtract(expected))) dnsAdded++;
      else differences.push({ src: s.id, dst: d.id, expected, actual });
    }
  }
  return { differences, dnsAdded, pairs, after };
}

/** generatePolicies, rendered with the verification in the header. */
export function generateVerified(
  index: ReachabilityIndex,
  flows: readonly Flow[] | null,
): { text: string; verification: GenerateVerification; objects: GeneratedObject[] } {
  const objects = generatePolicies(index, flows);
  const body = renderObjects(objects);
  const verification = verifyGenerated(index, body, flows);
  const v = verification;
  const header = [
    `kubereach generate: ${objects.length} NetworkPolicies (${objects.filter((o) => (o.manifest['metadata'] as { name: string }).name === 'kubereach-default-deny').length} namespace default denies), meant to replace the input's ${index.compiled.cluster.policies.length} NetworkPolicies (Admin and Baseline tiers stay).`,
    v.differences.length === 0
      ? `verified: applied to the input in place of its NetworkPolicies and re-evaluated, every pair allows exactly ${flows === null ? 'what it allows today' : 'its listed flows'}${v.dnsAdded > 0 ? `, except ${v.dnsAdded} pairs that gain DNS (UDP/TCP 53 to the kube-dns pods)` : ''}.`
      : `NOT verified: applied to the input and re-evaluated, ${v.differences.length} pairs differ from what was meant (listed below); review before applying.`,
    ...v.differences.slice(0, 50).map((d) => `  ${d.src} => ${d.dst}: meant ${d.expected.toString() || 'nothing'}, got ${d.actual.toString() || 'nothing'}`),
  ];
  return { text: renderObjects(objects, header), verification, objects };
}
