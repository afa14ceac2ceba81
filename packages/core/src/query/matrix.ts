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

/** One ordered pair with something allowed, and what. */
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

/** What a matrix includes (external address ranges or not). */
export interface MatrixOptions {
  /** Include external address ranges as sources and destinations (default true). */
  readonly external?: boolean;
}

/** Every ordered pair with something allowed, sources and destinations in {@link orderedEntities} order. */
export function matrix(index: ReachabilityIndex, options: MatrixOptions = {}): MatrixEntry[] {
  return [...matrixEntries(index, options)];
}

/**
 * The pairs of {@link matrix} one at a time, in the same order, without holding them all: a large
 * cluster's matrix can hold more pairs than fit in memory as one array. Iterable more than once
 * (each pass computes the pairs again).
 */
export function matrixEntries(index: ReachabilityIndex, options: MatrixOptions = {}): Iterable<MatrixEntry> {
  const ents = orderedEntities(index).filter((e) => options.external !== false || e.kind === 'endpoint');
  return {
    *[Symbol.iterator]() {
      for (const src of ents) {
        for (const dst of ents) {
          if (src === dst && !index.hasReplicas(src)) continue;
          if (src.kind === 'external' && dst.kind === 'external') continue;
          const conn = index.connectionsBetween(src, dst);
          if (!conn.isEmpty()) yield { src, dst, conn };
        }
      }
    },
  };
}

/** One matrix line in text form. */
export function matrixLine(e: MatrixEntry): string {
  return `${e.src.id} => ${e.dst.id} : ${e.conn.toString()}`;
}

/** One pod of the per-pod listing: its id (`ns/pod[Pod]`) and the entity that stands for it. */
export interface PodEntity {
  readonly id: string;
  readonly entity: IndexEntity;
}

/**
 * Entities pod by pod (network-config-analyzer's `--output_endpoints pods`): a workload endpoint is
 * listed once per Pod object of the input folded into it, as `ns/pod[Pod]`; a workload seen without
 * its pods stays one line under its own id (its pods have no names in the input); addresses as they are.
 */
export function podEntities(index: ReachabilityIndex, options: MatrixOptions = {}): PodEntity[] {
  const out: PodEntity[] = [];
  for (const e of orderedEntities(index)) {
    if (e.kind === 'external') {
      if (options.external !== false) out.push({ id: e.id, entity: e });
      continue;
    }
    const pods = e.endpoint.kind === 'Pod' ? [] : (e.endpoint.pods ?? []);
    if (pods.length === 0) out.push({ id: e.id, entity: e });
    else for (const p of pods) out.push({ id: `${e.endpoint.namespace}/${p.name}[Pod]`, entity: e });
  }
  return out.sort((a, b) =>
    a.entity.kind === b.entity.kind ? (a.entity.kind === 'external' ? 0 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.entity.kind === 'external' ? -1 : 1,
  );
}

/**
 * The matrix pod by pod (see podEntities): two pods of one workload are two endpoints, connected as
 * the policies decide for distinct replicas; a pod is never listed to itself.
 */
export function podMatrix(index: ReachabilityIndex, options: MatrixOptions = {}): { src: string; dst: string; conn: ConnectionSet }[] {
  return [...podMatrixEntries(index, options)];
}

/**
 * The pairs of {@link podMatrix} one at a time, in the same order, without holding them all (a
 * cluster of many pods can have more pairs than fit in memory as one array). Iterable more than once
 * (each pass computes the pairs again).
 */
export function podMatrixEntries(index: ReachabilityIndex, options: MatrixOptions = {}): Iterable<{ src: string; dst: string; conn: ConnectionSet }> {
  const pods = podEntities(index, options);
  return {
    *[Symbol.iterator]() {
      for (const s of pods) {
        for (const d of pods) {
          if (s.id === d.id) continue;
          if (s.entity.kind === 'external' && d.entity.kind === 'external') continue;
          // two pods folded into one endpoint: the endpoint to itself, which the policies decide when it
          // stands for several pods (it does: here are two of them)
          const conn = index.connectionsBetween(s.entity, d.entity);
          if (!conn.isEmpty()) yield { src: s.id, dst: d.id, conn };
        }
      }
    },
  };
}
