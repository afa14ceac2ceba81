/** Where the real answer depends on the CNI, the verdict says so instead of guessing silently. */
import type { IndexEntity, ReachabilityIndex } from '@kubereach/core';

/** How many pods an endpoint with replicas stands for, in words. */
function replicaCount(e: Extract<IndexEntity, { kind: 'endpoint' }>): string {
  const n = Math.max(e.endpoint.replicas ?? 1, e.endpoint.podCount);
  return e.endpoint.kind === 'DaemonSet' && e.endpoint.podCount <= 1 ? 'one pod per node' : `${n} replicas`;
}

export function caveats(index: ReachabilityIndex, src: IndexEntity, dst: IndexEntity): string[] {
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
    if (e.kind === 'endpoint' && e.endpoint.hostNetwork) {
      out.push(
        `the ${role} ${e.id} uses hostNetwork: most CNIs do not apply NetworkPolicies to host-network pods (its traffic looks like the node's); the answer assumes they do`,
      );
    }
  }
  return out;
}
