/**
 * The connectivity matrix: every ordered pair of entities with something allowed, in the
 * `SRC => DST : CONNS` shape np-guard's netpol-analyzer also prints (so outputs compare line by line).
 * Order: external ranges first (IPv4 then IPv6, ascending), then endpoints by id; the same for
 * destinations. Loopback and address-to-address pairs are not listed; an endpoint with replicas is
 * listed to itself (`W => W`) when two of its replicas can connect (np-guard's netpol-analyzer
 * never prints such lines).
 */
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import type { ConnectionSet } from '../net/connection-set.js';

export interface MatrixEntry {
  readonly src: IndexEntity;
  readonly dst: IndexEntity;
  readonly conn: ConnectionSet;
}

/** Entities in matrix order. */
export function orderedEntities(index: ReachabilityIndex): IndexEntity[] {
  const ext = index.entities.filter((e) => e.kind === 'external');
  const eps = index.entities.filter((e) => e.kind === 'endpoint').sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [...ext, ...eps];
}

export interface MatrixOptions {
  /** Include external address ranges as sources and destinations (default true). */
  readonly external?: boolean;
}

export function matrix(index: ReachabilityIndex, options: MatrixOptions = {}): MatrixEntry[] {
  const ents = orderedEntities(index).filter((e) => options.external !== false || e.kind === 'endpoint');
  const out: MatrixEntry[] = [];
  for (const src of ents) {
    for (const dst of ents) {
      if (src === dst && !index.hasReplicas(src)) continue;
      if (src.kind === 'external' && dst.kind === 'external') continue;
      const conn = index.connectionsBetween(src, dst);
      if (!conn.isEmpty()) out.push({ src, dst, conn });
    }
  }
  return out;
}

/** One matrix line in text form. */
export function matrixLine(e: MatrixEntry): string {
  return `${e.src.id} => ${e.dst.id} : ${e.conn.toString()}`;
}
