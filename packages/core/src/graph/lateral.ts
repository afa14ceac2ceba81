/**
 * Lateral-movement chains: shortest hop-by-hop paths from an endpoint to a goal (another endpoint,
 * an address, a sensitive target, or any pod of a namespace), each hop with its connections and the
 * rule that allows it. Used by `kubereach paths` and the LATERAL_PATH finding.
 */
import * as B from '../compile/bitset.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { ConnectionSet } from '../net/connection-set.js';
import { allowEvidence, type Evidence } from '../audit/network/evidence.js';
import type { Target } from '../targets/resolve.js';
import { reachTarget } from '../targets/reach.js';
import { classGraph, reachableClasses, shortestChain, type ClassGraph, type HopFilter } from './paths.js';

export type PathGoal =
  | { readonly kind: 'entity'; readonly entity: IndexEntity }
  | { readonly kind: 'target'; readonly target: Target }
  | { readonly kind: 'namespace'; readonly namespace: string };

export interface Hop {
  readonly from: string;
  readonly to: string;
  readonly conn: ConnectionSet;
  readonly evidence: Evidence;
}

export interface PathOptions {
  readonly maxHops?: number;
  readonly filter?: HopFilter;
  /** Reuse one graph for many searches. */
  readonly graph?: ClassGraph;
}

type EndpointEntity = Extract<IndexEntity, { kind: 'endpoint' }>;

function repOf(index: ReachabilityIndex, cls: number): EndpointEntity {
  const i = index.compiled.classes.members[cls]![0]!;
  return index.entities[i] as EndpointEntity;
}

function restrict(conn: ConnectionSet, f: HopFilter | undefined): ConnectionSet {
  return f === undefined ? conn : conn.intersect(ConnectionSet.port(f.protocol, f.port));
}

/** The final hop from a class to the goal, when the class reaches it directly. */
function finalHop(index: ReachabilityIndex, from: EndpointEntity, goal: PathGoal, f: HopFilter | undefined): { to: IndexEntity; label: string; conn: ConnectionSet } | null {
  switch (goal.kind) {
    case 'entity': {
      const conn = restrict(index.connectionsBetween(from, goal.entity), f);
      return conn.isEmpty() ? null : { to: goal.entity, label: goal.entity.id, conn };
    }
    case 'target': {
      const hits = reachTarget(index, from, goal.target).map((h) => ({ ...h, conn: restrict(h.conn, f) })).filter((h) => !h.conn.isEmpty());
      const h = hits[0];
      return h === undefined ? null : { to: h.dst, label: `${goal.target.label} ${h.address}`, conn: h.conn };
    }
    case 'namespace': {
      const ns = index.compiled.classes.byNamespace.get(goal.namespace) ?? [];
      const reach = reachableClasses(index, from.bit, f);
      for (const c of ns) {
        if (!B.has(reach, c)) continue;
        const to = repOf(index, c);
        if (to.index === from.index) continue;
        const conn = restrict(index.connectionsBetween(from, to), f);
        if (!conn.isEmpty()) return { to, label: to.id, conn };
      }
      return null;
    }
    default: {
      const never: never = goal;
      return never;
    }
  }
}

/** Shortest chain of hops from src to the goal; [] never (a direct connection is one hop); null when none. */
export function findPath(index: ReachabilityIndex, src: EndpointEntity, goal: PathGoal, options: PathOptions = {}): Hop[] | null {
  const f = options.filter;
  const maxHops = options.maxHops ?? 6;
  const goalCache = new Map<number, boolean>();
  const isGoal = (c: number) => {
    let r = goalCache.get(c);
    if (r === undefined) goalCache.set(c, (r = finalHop(index, c === src.bit ? src : repOf(index, c), goal, f) !== null));
    return r;
  };
  const g = options.graph ?? classGraph(index, f);
  const chain = shortestChain(g, src.bit, isGoal, maxHops - 1);
  if (chain === null) return null;
  const hops: Hop[] = [];
  let cur: EndpointEntity = src;
  for (const c of chain.slice(1)) {
    const next = repOf(index, c);
    const conn = restrict(index.connectionsBetween(cur, next), f);
    hops.push({ from: cur.id, to: next.id, conn, evidence: allowEvidence(index, cur, next, conn, next.id) });
    cur = next;
  }
  const last = finalHop(index, cur, goal, f)!;
  if (!(goal.kind === 'entity' && last.to.kind === 'endpoint' && last.to.index === cur.index)) {
    hops.push({ from: cur.id, to: last.label, conn: last.conn, evidence: allowEvidence(index, cur, last.to, last.conn, last.label) });
  }
  return hops;
}
