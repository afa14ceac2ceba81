/**
 * How a workload's ingress treats sources outside the cluster, from the index: a NodePort or
 * LoadBalancer finding says "limited by a NetworkPolicy" only when some outside address or port is
 * actually refused. An isolating policy whose rule is `ingress: [{}]` admits everyone, and saying it
 * limits anything would be wrong.
 */
import type { IndexEntity, ReachabilityIndex } from '../../evaluate/index.js';

/** `open`: no policy isolates its ingress; `admits-all`: isolated, but every outside address on every port is allowed; `limited`: some are refused. */
export type OutsideIngress = 'open' | 'admits-all' | 'limited';

/** How each workload's ingress treats sources outside the cluster: `open` (not isolated), `admits-all` (some rule admits every address) or `limited`; null for an unknown id. */
export function outsideIngress(index: ReachabilityIndex): (endpointId: string) => OutsideIngress | null {
  const externals = index.entities.filter((e) => e.kind === 'external');
  // an entity's own id names it (resolve's first lookup): a table of ids, built once, spares
  // resolve's name tables (every pod IP and short name) for the usual caller, which passes ids
  let byId: Map<string, IndexEntity> | undefined;
  return (id) => {
    byId ??= new Map(index.entities.map((x) => [x.id, x]));
    let e = byId.get(id);
    if (e === undefined) {
      try {
        e = index.resolve(id);
      } catch {
        return null;
      }
    }
    if (!index.isIngressIsolated(e)) return 'open';
    return externals.every((x) => index.connectionsBetween(x, e).isAll()) ? 'admits-all' : 'limited';
  };
}
