/**
 * who-can-reach: every source (endpoint, or external range for an endpoint target) that may open a
 * connection to a goal, with the allowed connections. Computed once per class (or external range),
 * then expanded to the endpoints of each class.
 */
import { restrictToFilter, type IndexEntity, type PortQuestion, type ReachabilityIndex } from '../evaluate/index.js';
import { ConnectionSet } from '../net/connection-set.js';
import type { Target } from '../targets/resolve.js';
import { portsSet, reachTarget } from '../targets/reach.js';
import { rowsReaching } from '../evaluate/row-table.js';

/** What who-can-reach looks for: an entity or a well-known target. */
export type ReachGoal = { readonly kind: 'entity'; readonly entity: IndexEntity } | { readonly kind: 'target'; readonly target: Target };

/** A source that reaches the goal, and with what. */
export interface ReachEntry {
  readonly src: IndexEntity;
  readonly conn: ConnectionSet;
  /** The address or endpoint reached. */
  readonly via: string;
  /**
   * The source uses the node's network (hostNetwork): NetworkPolicies do not restrict it, so it
   * reaches a sensitive target whatever they say (listed for target goals, with every target port).
   */
  readonly hostNetwork?: true;
}

/**
 * Entities in answer order (external ranges by index, then endpoints by id) and their bits, once per
 * entity table: an incremental update makes a new index with the same table, which keeps its order.
 */
interface AnswerOrder {
  readonly entities: readonly IndexEntity[];
  readonly bits: Int32Array;
  /** Entities before this position are external ranges. */
  readonly firstEndpoint: number;
}

const ORDER = new WeakMap<readonly IndexEntity[], AnswerOrder>();

function answerOrder(index: ReachabilityIndex): AnswerOrder {
  let order = ORDER.get(index.entities);
  if (order === undefined) {
    const ext = index.entities.filter((e) => e.kind === 'external');
    const eps = index.entities.filter((e) => e.kind === 'endpoint').sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const entities = [...ext, ...eps];
    ORDER.set(index.entities, (order = { entities, bits: Int32Array.from(entities, (e) => e.bit), firstEndpoint: ext.length }));
  }
  return order;
}

/**
 * Sources of one entity: decided once per distinct row (most sources share a handful of rows), from
 * the rows' segments that hold the entity's bit (evaluate/row-table.ts), with no per-source lookup
 * but two typed-array reads.
 */
function whoReachesEntity(index: ReachabilityIndex, goal: IndexEntity, restrict: (c: ConnectionSet) => ConnectionSet): ReachEntry[] {
  const table = index.rowTable();
  const reaching = rowsReaching(table, goal.bit);
  // per row id: undefined not decided yet, null reaches nothing (after the port filter)
  const conn: (ConnectionSet | null | undefined)[] = new Array<ConnectionSet | null | undefined>(table.rows.length);
  const { entities, bits, firstEndpoint } = answerOrder(index);
  const out: ReachEntry[] = [];
  // an address never connects to an address
  for (let k = goal.kind === 'external' ? firstEndpoint : 0; k < entities.length; k++) {
    const r = table.rowOf[bits[k]!]!;
    if (reaching[r] === 0) continue;
    const src = entities[k]!;
    if (src.index === goal.index && !index.hasReplicas(src)) continue; // loopback is not an answer
    let c = conn[r];
    if (c === undefined) {
      const cs = restrict(index.connectionsBetween(src, goal));
      conn[r] = c = cs.isEmpty() ? null : cs;
    }
    if (c !== null) out.push({ src, conn: c, via: goal.id });
  }
  return out;
}

/** Every entity (or external range) that can reach the goal, optionally on one port. */
export function whoCanReach(index: ReachabilityIndex, goal: ReachGoal, filter?: PortQuestion): ReachEntry[] {
  const restrict = (c: ConnectionSet) => restrictToFilter(c, filter);
  // entity goals: the answer depends on the source's row only (rows are shared by many sources)
  if (goal.kind === 'entity') return whoReachesEntity(index, goal.entity, restrict);
  const perBit = new Map<number, { conn: ConnectionSet; via: string } | null>();
  const out: ReachEntry[] = [];
  // sources are visited in answer order, so the answer needs no sort
  const { entities, firstEndpoint } = answerOrder(index);
  for (let k = firstEndpoint; k < entities.length; k++) {
    const src = entities[k]!;
    if (src.kind === 'endpoint' && src.endpoint.hostNetwork) {
      // the node's network: no NetworkPolicy holds it back, so every target port is open to it
      const t = goal.target;
      const conn = restrict(t.ports === null ? ConnectionSet.ALL : portsSet(t.ports));
      if (!conn.isEmpty())
        out.push({ src, conn, via: t.known ? t.addresses.map((a) => a.address).join(', ') : 'every address outside the pod network', hostNetwork: true });
      continue;
    }
    let r = perBit.get(src.bit);
    if (r === undefined) {
      const hits = reachTarget(index, src, goal.target)
        .map((h) => ({ conn: restrict(h.conn), via: h.address }))
        .filter((h) => !h.conn.isEmpty());
      r = hits.length === 0 ? null : { conn: hits.reduce((a, h) => a.union(h.conn), ConnectionSet.NONE), via: hits.map((h) => h.via).join(', ') };
      perBit.set(src.bit, r);
    }
    if (r !== null) out.push({ src, conn: r.conn, via: r.via });
  }
  return out;
}
