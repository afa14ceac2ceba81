/**
 * Lateral-movement chains: shortest hop-by-hop paths from an endpoint to a goal (another endpoint,
 * an address, a sensitive target, or any pod of a namespace), each hop with its connections and the
 * rule that allows it. Used by `kubereach paths` and the LATERAL_PATH finding.
 */
import * as B from '../compile/bitset.js';
import { restrictToFilter, type IndexEntity, type ReachabilityIndex } from '../evaluate/index.js';
import type { Row } from '../evaluate/rows.js';
import type { ConnectionSet } from '../net/connection-set.js';
import { allowEvidence, lazyEvidence, type Evidence } from '../query/evidence.js';
import type { Target } from '../targets/resolve.js';
import { targetHits } from '../targets/reach.js';
import { ClassReach, shortestChain, type HopFilter } from './paths.js';

/** Where a path must end: an entity, a well-known target, or any pod of a namespace. */
export type PathGoal =
  | { readonly kind: 'entity'; readonly entity: IndexEntity }
  | { readonly kind: 'target'; readonly target: Target }
  | { readonly kind: 'namespace'; readonly namespace: string };

/** One hop of a path: from one entity to the next, the connections allowed, and why. */
export interface Hop {
  readonly from: string;
  readonly to: string;
  readonly conn: ConnectionSet;
  readonly evidence: Evidence;
}

/** Limits of a path search: the longest chain, and a port every hop must allow. */
export interface PathOptions {
  readonly maxHops?: number;
  readonly filter?: HopFilter;
  /**
   * Reuse the rows of one ClassReach (built for the same filter; it then decides the filter) across many searches.
   * @internal
   */
  readonly reach?: ClassReach;
  /**
   * goalClasses(index, goal, reach) for this goal and reach, shared by many searches.
   * @internal
   */
  readonly goalClasses?: B.Bits;
}

type EndpointEntity = Extract<IndexEntity, { kind: 'endpoint' }>;

function repOf(index: ReachabilityIndex, cls: number): EndpointEntity {
  const i = index.compiled.classes.members[cls]![0]!;
  return index.entities[i] as EndpointEntity;
}

function restrict(conn: ConnectionSet, f: HopFilter | undefined): ConnectionSet {
  return restrictToFilter(conn, f);
}

/** The final hop from a class to the goal, when the class reaches it directly. */
function finalHop(
  index: ReachabilityIndex,
  reach: ClassReach,
  from: EndpointEntity,
  goal: PathGoal,
  f: HopFilter | undefined,
): { to: IndexEntity; label: string; conn: ConnectionSet } | null {
  switch (goal.kind) {
    case 'entity': {
      const conn = restrict(index.connectionsBetween(from, goal.entity), f);
      return conn.isEmpty() ? null : { to: goal.entity, label: goal.entity.id, conn };
    }
    case 'target': {
      for (const h of targetHits(index, from, goal.target)) {
        const conn = restrict(h.conn, f);
        if (!conn.isEmpty()) return { to: h.dst, label: `${goal.target.label} ${h.address}`, conn };
      }
      return null;
    }
    case 'namespace': {
      const ns = index.compiled.classes.byNamespace.get(goal.namespace) ?? [];
      for (const c of ns) {
        if (!reach.reaches(from.bit, c)) continue;
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

/**
 * The classes whose representative reaches the goal in one hop (under the filter), as a bitset: the
 * goal test of every search for this goal, decided once per class. Pass it in PathOptions to share it.
 */
export function goalClasses(index: ReachabilityIndex, goal: PathGoal, reach: ClassReach): B.Bits {
  const bits = B.empty(reach.classes);
  // Without a hop filter, whether a class reaches a target or a namespace in one hop is a function
  // of its row and its representative. The answers of the last call over the same entity table (an
  // incremental update keeps it, with the classes) are kept with the rows they were decided on, so
  // `kubereach watch`, which audits again after each change, decides again only the classes whose
  // row the change replaced.
  const key = reach.filter === undefined ? goalKey(goal) : null;
  if (key === null) {
    for (let c = 0; c < reach.classes; c++) if (finalHop(index, reach, repOf(index, c), goal, reach.filter) !== null) B.set(bits, c);
    return bits;
  }
  let lineage = goalLineage.get(index.entities);
  if (lineage === undefined) goalLineage.set(index.entities, (lineage = new Map()));
  const prev = lineage.get(key);
  const rows: Row[] = new Array<Row>(reach.classes);
  for (let c = 0; c < reach.classes; c++) {
    const row = index.row(c);
    rows[c] = row;
    const hit = prev !== undefined && prev.rows[c] === row ? B.has(prev.bits, c) : finalHop(index, reach, repOf(index, c), goal, undefined) !== null;
    if (hit) B.set(bits, c);
  }
  lineage.set(key, { rows, bits });
  return bits;
}

/** Per entity table and goal key: the rows of the classes at the last call and its answer. */
const goalLineage = new WeakMap<readonly IndexEntity[], Map<string, { readonly rows: readonly Row[]; readonly bits: B.Bits }>>();

/** A goal's content as a key (targets are made anew on every audit run); null for an entity goal. */
function goalKey(goal: PathGoal): string | null {
  switch (goal.kind) {
    case 'target':
      return `t${JSON.stringify([goal.target.word, goal.target.known, goal.target.addresses.map((a) => a.address), goal.target.ports])}`;
    case 'namespace':
      return `n${goal.namespace}`;
    default:
      return null;
  }
}

/** Shortest chain of hops from src to the goal; [] never (a direct connection is one hop); null when none. */
export function findPath(index: ReachabilityIndex, src: EndpointEntity, goal: PathGoal, options: PathOptions = {}): Hop[] | null {
  const maxHops = options.maxHops ?? 6;
  const reach = options.reach ?? new ClassReach(index, options.filter);
  const f = reach.filter;
  // a target is addresses, reached alike by every pod of a class; an entity or namespace goal can tell
  // the source pod from its class's representative (the goal itself, a pod skipped as itself)
  const srcIsGoal = goal.kind === 'target' ? null : finalHop(index, reach, src, goal, f) !== null;
  if (srcIsGoal === true) return finalHops(index, reach, src, [src.bit], goal);
  const goals = options.goalClasses ?? goalClasses(index, goal, reach);
  if (srcIsGoal === null && B.has(goals, src.bit)) return finalHops(index, reach, src, [src.bit], goal);
  const chain = shortestChain(reach, src.bit, goals, maxHops - 1);
  return chain === null ? null : finalHops(index, reach, src, chain, goal);
}

/** The hops along a chain of classes from src, then the last hop into the goal. */
function finalHops(index: ReachabilityIndex, reach: ClassReach, src: EndpointEntity, chain: readonly number[], goal: PathGoal): Hop[] {
  const f = reach.filter;
  const hops: Hop[] = [];
  let cur: EndpointEntity = src;
  for (const c of chain.slice(1)) {
    const next = repOf(index, c);
    const from = cur;
    const conn = restrict(index.connectionsBetween(from, next), f);
    hops.push({ from: from.id, to: next.id, conn, evidence: lazyEvidence(() => allowEvidence(index, from, next, conn, next.id)) });
    cur = next;
  }
  const last = finalHop(index, reach, cur, goal, f)!;
  // Arriving at the goal ends the chain. Asked from an endpoint to itself, one hop remains when it
  // stands for several replicas (one replica reaching another, which policies decide); a single pod
  // reaching itself is loopback: zero hops.
  const atGoal = goal.kind === 'entity' && last.to.kind === 'endpoint' && last.to.index === cur.index;
  if (!atGoal || (chain.length === 1 && index.hasReplicas(cur))) {
    const from = cur;
    hops.push({ from: from.id, to: last.label, conn: last.conn, evidence: lazyEvidence(() => allowEvidence(index, from, last.to, last.conn, last.label)) });
  }
  return hops;
}
