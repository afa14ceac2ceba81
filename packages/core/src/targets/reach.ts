/**
 * Which endpoints can reach a sensitive target, on which ports: the engine's answer from a source to
 * the external range holding each target address, restricted to the target's ports. Targets are
 * addresses (hostNetwork control-plane pods and nodes are reached at the node's IP), so only the
 * source's side decides, as for any address outside the pod network.
 */
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { ConnectionSet } from '../net/connection-set.js';
import type { Target } from './resolve.js';
import type { ComponentPort } from './well-known.js';

export interface TargetHit {
  /** The address (or, when the target's addresses are unknown, the external range) reached. */
  readonly address: string;
  readonly dst: IndexEntity;
  /** Allowed connections to it, restricted to the target's ports. */
  readonly conn: ConnectionSet;
  /** The component ports reached (null for metadata: any port). */
  readonly ports: readonly ComponentPort[] | null;
}

export function portsSet(ports: readonly ComponentPort[]): ConnectionSet {
  return ports.reduce((acc, p) => acc.union(ConnectionSet.port('TCP', p.lo, p.hi)), ConnectionSet.NONE);
}

/** Every (address, ports) of a target that src can reach; one hit per address (or range when unknown). */
export function reachTarget(index: ReachabilityIndex, src: IndexEntity, target: Target): TargetHit[] {
  const want = target.ports === null ? ConnectionSet.ALL : portsSet(target.ports);
  const dsts: { address: string; dst: IndexEntity }[] = target.known
    ? target.addresses.flatMap((a) => {
        const d = index.addressEntity(a.address);
        return d === null ? [] : [{ address: a.address, dst: d }];
      })
    : index.entities.filter((e) => e.kind === 'external').map((e) => ({ address: e.id, dst: e }));
  const hits: TargetHit[] = [];
  for (const { address, dst } of dsts) {
    const conn = index.connectionsBetween(src, dst).intersect(want);
    if (conn.isEmpty()) continue;
    const ports = target.ports === null ? null : target.ports.filter((p) => !conn.intersect(ConnectionSet.port('TCP', p.lo, p.hi)).isEmpty());
    hits.push({ address, dst, conn, ports });
  }
  return hits;
}
