/**
 * who-can-reach: every source (endpoint, or external range for an endpoint target) that may open a
 * connection to a goal, with the allowed connections. Computed once per class (or external range),
 * then expanded to the endpoints of each class.
 */
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { ConnectionSet } from '../net/connection-set.js';
import type { Target } from '../targets/resolve.js';
import { reachTarget } from '../targets/reach.js';
import type { Protocol } from '../model/types.js';

export type ReachGoal = { readonly kind: 'entity'; readonly entity: IndexEntity } | { readonly kind: 'target'; readonly target: Target };

export interface ReachEntry {
  readonly src: IndexEntity;
  readonly conn: ConnectionSet;
  /** The address or endpoint reached. */
  readonly via: string;
}

/** Entities in answer order (external ranges by index, then endpoints by id), once per index. */
const ORDER = new WeakMap<ReachabilityIndex, readonly IndexEntity[]>();

function answerOrder(index: ReachabilityIndex): readonly IndexEntity[] {
  let order = ORDER.get(index);
  if (order === undefined) {
    const ext = index.entities.filter((e) => e.kind === 'external');
    const eps = index.entities.filter((e) => e.kind === 'endpoint').sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    ORDER.set(index, (order = [...ext, ...eps]));
  }
  return order;
}

export function whoCanReach(index: ReachabilityIndex, goal: ReachGoal, filter?: { protocol: Protocol; port: number }): ReachEntry[] {
  const restrict = (c: ConnectionSet) => (filter === undefined ? c : c.intersect(ConnectionSet.port(filter.protocol, filter.port)));
  // entity goals: the answer depends on the source's row only (rows are shared by many sources)
  const perRow = new Map<object, { conn: ConnectionSet; via: string } | null>();
  const perBit = new Map<number, { conn: ConnectionSet; via: string } | null>();
  const out: ReachEntry[] = [];
  // sources are visited in answer order, so the answer needs no sort
  for (const src of answerOrder(index)) {
    if (goal.kind === 'target' && src.kind === 'external') continue;
    if (goal.kind === 'entity' && src.kind === 'external' && goal.entity.kind === 'external') continue;
    if (goal.kind === 'entity' && src.index === goal.entity.index) continue;
    if (goal.kind === 'entity') {
      const row = index.row(src.bit);
      let r = perRow.get(row);
      if (r === undefined) {
        // most sources reach nothing in an isolated cluster: one bit test per segment rules them out
        const bit = goal.entity.bit;
        const reachable = row.segs.some((s) => (s[bit >>> 5]! & (1 << (bit & 31))) !== 0);
        const conn = reachable ? restrict(index.connectionsBetween(src, goal.entity)) : ConnectionSet.NONE;
        perRow.set(row, (r = conn.isEmpty() ? null : { conn, via: goal.entity.id }));
      }
      if (r !== null) out.push({ src, conn: r.conn, via: r.via });
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
