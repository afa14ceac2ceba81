/**
 * The diff of an incremental update (evaluate/update.ts) against the index it was made from, without
 * aligning two indexes: an update keeps the entity table, the classes and the atoms, so a bit means
 * the same on both sides, and it keeps every row but those of the sources it touched. Only those
 * sources' rows are compared, port interval by port interval; the (source, destination) class pairs
 * whose bits differ are expanded to entity pairs exactly as diffIndexes does (a representative pair
 * decides the connections of the whole class pair, replicas of one class pair with each other, a
 * single pod never with itself, address to address never), then sorted into matrix order.
 *
 * The answer is diffIndexes's for the same two indexes (test/properties/update-diff.test.ts checks it
 * against a fresh compile of both sides); whenever the shortcut does not apply it is diffIndexes.
 */
import * as B from '../compile/bitset.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import type { Row } from '../evaluate/rows.js';
import type { UpdateResult } from '../evaluate/update.js';
import { ConnectionSet } from '../net/connection-set.js';
import { diffIndexes } from './diff.js';
import { entriesInOrder, type ReachabilityDiff } from './entries.js';

/** Matrix order of an entity table (external ranges ascending, then endpoints by id), kept per table. */
const orderMemo = new WeakMap<readonly IndexEntity[], { pos: Int32Array; byPos: Int32Array }>();

function matrixOrder(entities: readonly IndexEntity[]): { pos: Int32Array; byPos: Int32Array } {
  let m = orderMemo.get(entities);
  if (m !== undefined) return m;
  const ext: number[] = [];
  const eps: IndexEntity[] = [];
  for (const e of entities) {
    if (e.kind === 'external') ext.push(e.index);
    else eps.push(e);
  }
  // external entities follow the endpoints in atom order, which is address order
  eps.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const byPos = Int32Array.from([...ext, ...eps.map((e) => e.index)]);
  const pos = new Int32Array(entities.length);
  byPos.forEach((i, k) => (pos[i] = k));
  orderMemo.set(entities, (m = { pos, byPos }));
  return m;
}

/** Entities of each bit (a class's endpoints, an external range), kept per entity table (updates share it). */
const membersMemo = new WeakMap<readonly IndexEntity[], ReadonlyMap<number, readonly IndexEntity[]>>();

function membersByBit(entities: readonly IndexEntity[]): ReadonlyMap<number, readonly IndexEntity[]> {
  const m = membersMemo.get(entities);
  if (m !== undefined) return m;
  const out = new Map<number, IndexEntity[]>();
  for (const e of entities) {
    let list = out.get(e.bit);
    if (list === undefined) out.set(e.bit, (list = []));
    list.push(e);
  }
  membersMemo.set(entities, out);
  return out;
}

/** Destination bits whose membership differs between two rows of one universe on some port atom. */
function changedDestinations(a: Row, b: Row, size: number): B.Bits {
  const out = B.empty(size);
  if (a === b) return out;
  let i = 0;
  let j = 0;
  const na = a.starts.length;
  const nb = b.starts.length;
  while (i < na && j < nb) {
    const sa = a.segs[a.segAt[i]!]!;
    const sb = b.segs[b.segAt[j]!]!;
    if (sa !== sb) for (let w = 0; w < out.length; w++) out[w]! |= sa[w]! ^ sb[w]!;
    const endA = i + 1 < na ? a.starts[i + 1]! : Infinity;
    const endB = j + 1 < nb ? b.starts[j + 1]! : Infinity;
    if (endA <= endB) i++;
    if (endB <= endA) j++;
  }
  return out;
}

function selfConn(index: ReachabilityIndex, e: IndexEntity): ConnectionSet {
  return index.hasReplicas(e) ? index.connectionsBetween(e, e) : ConnectionSet.NONE;
}

/**
 * What reachability changed from `before` to `update.index` (made from `before` by replacePolicy):
 * the entries diffIndexes gives for the pair, computed from the touched sources only when the update
 * kept the rest.
 */
export function diffUpdate(before: ReachabilityIndex, update: UpdateResult): ReachabilityDiff {
  const after = update.index;
  const touched = update.touched;
  // the same ids (a namespace relabelled gives a new universe of them) and the same entities, but
  // for the endpoint an update replaced: same id and order, its class in `moved` when it changed
  const sameIds = after.compiled.u.size === before.compiled.u.size && after.compiled.ipAtoms === before.compiled.ipAtoms;
  if (touched === null || after.entities.length !== before.entities.length || !sameIds) return diffIndexes({ before, after });
  const moved = new Set(update.moved ?? []);
  const size = before.compiled.u.size;
  const entities = before.entities;
  const E = entities.length;
  const { pos, byPos } = matrixOrder(entities);
  const membersOf = membersByBit(entities);
  const conns = new Map<number, readonly [ConnectionSet, ConnectionSet]>();
  const self = new Map<number, readonly [ConnectionSet, ConnectionSet]>();
  const keys: number[] = [];
  B.forEach(touched, (s) => {
    const srcs = membersOf.get(s);
    if (srcs === undefined) return;
    const rowA = before.row(s);
    const rowB = after.row(s);
    if (rowA === rowB) return;
    B.forEach(changedDestinations(rowA, rowB, size), (d) => {
      const dsts = membersOf.get(d);
      if (dsts === undefined) return;
      const src = srcs[0]!;
      const dst = d === s ? dsts[1] : dsts[0]!;
      if (dst === undefined) return;
      if (src.kind === 'external' && dst.kind === 'external') return;
      const was = before.connectionsBetween(src, dst);
      const now = after.connectionsBetween(src, dst);
      if (was.equals(now)) return;
      conns.set(s * size + d, [was, now]);
      for (const x of srcs) for (const y of dsts) if (x !== y && !moved.has(x.index) && !moved.has(y.index)) keys.push(pos[x.index]! * E + pos[y.index]!);
    });
    // replicas of an endpoint with each other: decided by the source's row alone
    for (const x of srcs) {
      if (x.kind !== 'endpoint' || moved.has(x.index)) continue;
      const was = selfConn(before, x);
      const now = selfConn(after, x);
      if (was.equals(now)) continue;
      self.set(x.index, [was, now]);
      keys.push(pos[x.index]! * E + pos[x.index]!);
    }
  });
  const pairs = movedPairs(before, after, moved, pos, keys);
  return entriesInOrder(keys, E, (sp, dp) => {
    const x = entities[byPos[sp]!]!;
    const y = entities[byPos[dp]!]!;
    const [was, now] = pairs.get(sp * E + dp) ?? (x === y ? self.get(x.index)! : conns.get(x.bit * size + y.bit)!);
    return [x.id, y.id, was, now];
  });
}

/**
 * The pairs of endpoints that moved to another class (replaceEndpoint) with every entity, both ways,
 * and with themselves, that differ: added to `keys` (matrix positions), connections by key. The
 * connection of a moved endpoint with an entity that did not move depends on that entity's class
 * only (it is not the same pod), so it is computed once per class on each side.
 */
function movedPairs(
  before: ReachabilityIndex,
  after: ReachabilityIndex,
  moved: ReadonlySet<number>,
  pos: Int32Array,
  keys: number[],
): Map<number, readonly [ConnectionSet, ConnectionSet]> {
  const out = new Map<number, readonly [ConnectionSet, ConnectionSet]>();
  const E = before.entities.length;
  for (const m of moved) {
    const a = before.entities[m]!;
    const b = after.entities[m]!;
    const outBefore = new Map<number, ConnectionSet>();
    const outAfter = new Map<number, ConnectionSet>();
    const inBefore = new Map<number, ConnectionSet>();
    const inAfter = new Map<number, ConnectionSet>();
    const cached = (memo: Map<number, ConnectionSet>, bit: number, f: () => ConnectionSet) => {
      let r = memo.get(bit);
      if (r === undefined) memo.set(bit, (r = f()));
      return r;
    };
    for (let j = 0; j < E; j++) {
      const yb = before.entities[j]!;
      const ya = after.entities[j]!;
      if (j === m) {
        const was = selfConn(before, a);
        const now = selfConn(after, b);
        if (!was.equals(now)) record(out, keys, pos[m]! * E + pos[m]!, was, now);
        continue;
      }
      const other = moved.has(j);
      // m -> y
      const wasOut = other ? before.connectionsBetween(a, yb) : cached(outBefore, yb.bit, () => before.connectionsBetween(a, yb));
      const nowOut = other ? after.connectionsBetween(b, ya) : cached(outAfter, ya.bit, () => after.connectionsBetween(b, ya));
      if (!wasOut.equals(nowOut)) record(out, keys, pos[m]! * E + pos[j]!, wasOut, nowOut);
      // y -> m (a pair of two moved endpoints is counted from its source's side only)
      if (other) continue;
      const wasIn = cached(inBefore, yb.bit, () => before.connectionsBetween(yb, a));
      const nowIn = cached(inAfter, ya.bit, () => after.connectionsBetween(ya, b));
      if (!wasIn.equals(nowIn)) record(out, keys, pos[j]! * E + pos[m]!, wasIn, nowIn);
    }
  }
  return out;
}

function record(out: Map<number, readonly [ConnectionSet, ConnectionSet]>, keys: number[], key: number, was: ConnectionSet, now: ConnectionSet): void {
  if (out.has(key)) return;
  out.set(key, [was, now]);
  keys.push(key);
}
