/** Where the real answer depends on the CNI, the verdict says so instead of guessing silently. */
import type { IndexEntity } from '@kubereach/core';

export function caveats(src: IndexEntity, dst: IndexEntity): string[] {
  const out: string[] = [];
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
