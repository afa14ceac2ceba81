/**
 * Notes a verdict carries about itself: where the real answer depends on the CNI (host-network pods,
 * Cilium's L7 rules), and which question an endpoint-to-itself answer is (two replicas, or loopback).
 * The CLI and the playground print the same notes, from here.
 */
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import type { RuleRef } from '../compile/block.js';
import type { ConnectionVerdict } from './explain.js';

/**
 * Cilium L7 rules (http, dns, kafka) on the rules that allowed a connection: the L3/L4 verdict is
 * allowed, but the proxy decides request by request. When another allowing rule has no L7 rules,
 * Cilium's L7 policy is widened to every request (its "wildcard" merge), and the note says so.
 */
export function l7Notes(verdict: ConnectionVerdict): string[] {
  if (!verdict.allowed) return [];
  const out: string[] = [];
  for (const side of [verdict.egress, verdict.ingress]) {
    const rules: RuleRef[] = [];
    for (const s of side.steps) if (s.kind === 'np-allow') rules.push(...s.rules);
    const withL7 = rules.filter((r) => (r.l7 ?? null) !== null);
    if (withL7.length === 0) continue;
    const summary = [...new Set(withL7.map((r) => r.l7!))].join('; ');
    const widened = withL7.length < rules.length ? ' (another allowing rule has no L7 rules, so Cilium lets every request through)' : '';
    out.push(`allowed subject to L7 rules on ${side.direction} of ${side.subject}: ${summary}${widened}`);
  }
  return out;
}

/** How many pods an endpoint with replicas stands for, in words. */
function replicaCount(e: Extract<IndexEntity, { kind: 'endpoint' }>): string {
  const n = Math.max(e.endpoint.replicas ?? 1, e.endpoint.podCount);
  return e.endpoint.kind === 'DaemonSet' && e.endpoint.podCount <= 1 ? 'one pod per node' : `${n} replicas`;
}

/** What the answer assumes about a host-network pod, by CNI profile (compile/profile.ts). */
function hostNetworkNote(index: ReachabilityIndex, role: string, id: string): string {
  const p = index.compiled.profile;
  if (p.hostNetworkIsPolicySubject) {
    return `the ${role} ${id} uses hostNetwork: most CNIs do not apply NetworkPolicies to host-network pods (its traffic looks like the node's); the answer assumes they do`;
  }
  if (p.cni === 'calico') {
    return `the ${role} ${id} uses hostNetwork: under Calico it has no workload endpoint, so no policy applies to it and no selector matches it (its traffic carries the node's address); only HostEndpoints, which kubereach does not model, would protect it: the answer assumes none do`;
  }
  return `the ${role} ${id} uses hostNetwork: under the ${p.cni} profile it is the node, not a pod: no pod policy applies to it or selects it`;
}

/** Notes on a pair: replicas or loopback, host-network ends. */
export function pairNotes(index: ReachabilityIndex, src: IndexEntity, dst: IndexEntity): string[] {
  const out: string[] = [];
  // an endpoint to itself: between two of its replicas, or a pod's loopback; say which was answered
  if (src.kind === 'endpoint' && dst.kind === 'endpoint' && src.index === dst.index) {
    out.push(
      index.hasReplicas(src)
        ? `${src.id} has ${replicaCount(src)}: the answer is for two distinct replicas (a pod to itself is loopback, always allowed)`
        : `${src.id} has one pod: its traffic to itself is loopback, always allowed`,
    );
  }
  for (const [e, role] of [
    [src, 'source'],
    [dst, 'destination'],
  ] as const) {
    if (e.kind === 'endpoint' && e.endpoint.hostNetwork) out.push(hostNetworkNote(index, role, e.id));
  }
  return out;
}
