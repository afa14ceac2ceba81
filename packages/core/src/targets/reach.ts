/**
 * Which endpoints can reach a sensitive target, on which ports: the engine's answer from a source to
 * the external range holding each target address, restricted to the target's ports. Targets are
 * addresses (hostNetwork control-plane pods and nodes are reached at the node's IP), so only the
 * source's side decides, as for any address outside the pod network.
 */
import * as B from '../compile/bitset.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { sameOnAddresses, type Row } from '../evaluate/rows.js';
import { ConnectionSet } from '../net/connection-set.js';
import type { Target } from './resolve.js';
import type { ComponentPort } from './well-known.js';

/** A target address a source reaches, and on what. */
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

interface Prepared {
  readonly index: ReachabilityIndex;
  readonly want: ConnectionSet;
  /** The port atoms of want, as runs (first, last inclusive); null: every port. */
  readonly wantRuns: readonly (readonly [number, number])[] | null;
  readonly dsts: readonly { address: string; dst: IndexEntity }[];
  /** With many dsts: their bits, and the words of the universe holding them. */
  readonly dstMask: B.Bits | null;
  readonly dstWords: Int32Array | null;
  /** The endpoint entities among dsts (by entity index). */
  readonly endpointDsts: ReadonlySet<number>;
  /** Allowed connections -> their part on the target's ports (see restricted). */
  readonly byConn: Map<ConnectionSet, Restricted>;
}

/** A target's wanted connections and destination entities, per index (a target is asked per source). */
const prepared = new WeakMap<Target, Prepared>();

/** Above this many destinations a target keeps their bits as a mask (see computeHits). */
const MANY_DESTINATIONS = 16;

function prepare(index: ReachabilityIndex, target: Target): Prepared {
  const hit = prepared.get(target);
  if (hit !== undefined && hit.index === index) return hit;
  const want = target.ports === null ? ConnectionSet.ALL : portsSet(target.ports);
  const dsts: { address: string; dst: IndexEntity }[] = target.known
    ? target.addresses.flatMap((a) => {
        const d = index.addressEntity(a.address);
        return d === null ? [] : [{ address: a.address, dst: d }];
      })
    : index.entities.filter((e) => e.kind === 'external').map((e) => ({ address: e.id, dst: e }));
  const endpointDsts = new Set(dsts.flatMap((d) => (d.dst.kind === 'endpoint' ? [d.dst.index] : [])));
  const ports = index.compiled.ports;
  const wantRuns = target.ports === null ? null : target.ports.map((q) => [ports.find('TCP', q.lo), ports.find('TCP', q.hi)] as const);
  let dstMask: B.Bits | null = null;
  let dstWords: Int32Array | null = null;
  if (dsts.length > MANY_DESTINATIONS) {
    dstMask = B.empty(index.compiled.u.size);
    for (const d of dsts) B.set(dstMask, d.dst.bit);
    const words: number[] = [];
    for (let w = 0; w < dstMask.length; w++) if (dstMask[w] !== 0) words.push(w);
    dstWords = Int32Array.from(words);
  }
  const p = { index, want, wantRuns, dsts, dstMask, dstWords, endpointDsts, byConn: new Map<ConnectionSet, Restricted>() };
  prepared.set(target, p);
  return p;
}

/**
 * Every (address, ports) of a target that src can reach; one hit per address (or range when unknown).
 * The answer depends on src only through its index row (every destination is an address), so
 * callers asking for many endpoints of one class may share it.
 */
export function reachTarget(index: ReachabilityIndex, src: IndexEntity, target: Target): TargetHit[] {
  return [...rowHits(index, src, target).all()];
}

/** A target's content as a key: resolveTargets makes new objects for the same addresses on every run. */
const keyMemo = new WeakMap<Target, string>();
export function targetKey(t: Target): string {
  let k = keyMemo.get(t);
  if (k === undefined) keyMemo.set(t, (k = JSON.stringify([t.word, t.known, t.addresses.map((a) => a.address), t.ports])));
  return k;
}

/**
 * A target's hits from one source, computed as far as they are asked: a path search wants the first
 * one only, and a target with thousands of addresses (the kubelet on every node) reached from every
 * row would otherwise build one hit per row and node.
 */
class LazyHits {
  private readonly got: TargetHit[] = [];
  private rest: Iterator<TargetHit> | null;

  constructor(rest: Iterator<TargetHit>) {
    this.rest = rest;
  }

  /** Whether every hit has been computed. */
  get complete(): boolean {
    return this.rest === null;
  }

  /** Hit k, computing up to it; undefined past the last. */
  at(k: number): TargetHit | undefined {
    while (k >= this.got.length && this.rest !== null) {
      const n = this.rest.next();
      if (n.done === true) this.rest = null;
      else this.got.push(n.value);
    }
    return this.got[k];
  }

  all(): readonly TargetHit[] {
    this.at(Infinity);
    return this.got;
  }
}

/**
 * Hits per (row object, target, source), kept with the row. A row is shared only along
 * incremental updates, which keep the entity table and the atoms, so a hit's destination entity and
 * connections are the same in every index holding the row; the entity table is checked all the same.
 * Per row, except for a source that is itself a destination of the target: a target address that is
 * a pod's own IP is loopback for that pod alone.
 */
const hitMemo = new WeakMap<Row, { entities: readonly IndexEntity[]; byTarget: Map<string, Map<number, LazyHits>> }>();

function rowHits(index: ReachabilityIndex, src: IndexEntity, target: Target): LazyHits {
  const row = index.row(src.bit);
  const key = targetKey(target);
  const bySrc = memoOf(row, index.entities, key);
  // the hits depend on the source only through its row, unless the source is itself one of the
  // target's destinations (a pod IP: loopback for that pod alone), so the endpoints sharing a row
  // share one answer (key -1); such an endpoint, or an address, has its own
  const shareKey = src.kind !== 'endpoint' || prepare(index, target).endpointDsts.has(src.index) ? src.index : -1;
  let hits = bySrc.get(shareKey);
  if (hits === undefined) {
    // a row patched in class columns only (evaluate/rows.ts) reaches the targets' addresses as the
    // row it came from did: the hits computed for that one hold (when all of them were)
    for (let from = sameOnAddresses(row); from !== undefined && hits === undefined; from = sameOnAddresses(from)) {
      const m = hitMemo.get(from);
      const h = m !== undefined && m.entities === index.entities ? m.byTarget.get(key)?.get(shareKey) : undefined;
      if (h?.complete === true) hits = h;
    }
    bySrc.set(shareKey, (hits ??= new LazyHits(computeHits(index, src, target))));
  }
  return hits;
}

function memoOf(row: Row, entities: readonly IndexEntity[], key: string): Map<number, LazyHits> {
  let m = hitMemo.get(row);
  if (m === undefined || m.entities !== entities) hitMemo.set(row, (m = { entities, byTarget: new Map() }));
  let bySrc = m.byTarget.get(key);
  if (bySrc === undefined) m.byTarget.set(key, (bySrc = new Map()));
  return bySrc;
}

/** reachTarget's hits in order (from the per-row memo), each computed when the caller asks for it: a path search wants the first. */
export function* targetHits(index: ReachabilityIndex, src: IndexEntity, target: Target): Generator<TargetHit> {
  const hits = rowHits(index, src, target);
  for (let k = 0, h = hits.at(0); h !== undefined; h = hits.at(++k)) yield h;
}

/**
 * The segments of a row that cover a port atom of the target's ports (atom runs, first and last
 * inclusive; null: every port): only a destination in one of them can be a hit.
 */
function wantedSegments(row: Row, runs: readonly (readonly [number, number])[] | null, atomCount: number): B.Bits[] {
  const seen = new Set<number>();
  const out: B.Bits[] = [];
  const starts = row.starts;
  for (let k = 0; k < starts.length; k++) {
    const seg = row.segAt[k]!;
    if (seen.has(seg)) continue;
    const first = starts[k]!;
    const last = k + 1 < starts.length ? starts[k + 1]! - 1 : atomCount - 1;
    if (runs !== null && !runs.some(([a, b]) => a <= last && b >= first)) continue;
    seen.add(seg);
    out.push(row.segs[seg]!);
  }
  return out;
}

function* computeHits(index: ReachabilityIndex, src: IndexEntity, target: Target): Generator<TargetHit> {
  const { want, wantRuns, dsts, dstMask, dstWords, byConn } = prepare(index, target);
  // a bit test skips, before building a connection set, the destinations src cannot reach on the
  // target's ports (with unknown addresses that is most ranges outside the pod network): against
  // the few segments of the row that cover those ports, or their OR when there are many of both
  const segs = wantedSegments(index.row(src.bit), wantRuns, index.compiled.ports.count);
  if (segs.length === 0) return;
  if (dstWords !== null) {
    // many destinations (a node address each): most rows reach none of them, which the words
    // holding them tell at once
    let any = false;
    for (let k = 0; k < dstWords.length && !any; k++) {
      const w = dstWords[k]!;
      for (const g of segs) if ((g[w]! & dstMask![w]!) !== 0) any = true;
    }
    if (!any) return;
  }
  let one: B.Bits | null = segs.length === 1 ? segs[0]! : null;
  if (one === null && dstWords !== null) {
    one = B.empty(index.compiled.u.size);
    for (const g of segs) B.orInto(one, g);
  }
  for (const { address, dst } of dsts) {
    if (one !== null ? !B.has(one, dst.bit) : !segs.some((g) => B.has(g, dst.bit))) continue;
    const part = restricted(byConn, index.connectionsBetween(src, dst), want, target);
    if (part === null) continue;
    yield { address, dst, conn: part.conn, ports: part.ports };
  }
}

type Restricted = { readonly conn: ConnectionSet; readonly ports: readonly ComponentPort[] | null } | null;

/**
 * The allowed connections restricted to the target's ports, and the component ports among them
 * (null when none is allowed), once per distinct connection set: the index hands out one shared
 * object per distinct set (connectionsBetween), and most rows allow one of a few, so an adversarial
 * cluster with a row per pod builds a handful of these, not several per pod.
 */
function restricted(byConn: Map<ConnectionSet, Restricted>, allowed: ConnectionSet, want: ConnectionSet, target: Target): Restricted {
  let r = byConn.get(allowed);
  if (r !== undefined) return r;
  const conn = allowed.intersect(want);
  r = conn.isEmpty()
    ? null
    : { conn, ports: target.ports === null ? null : target.ports.filter((p) => !conn.intersect(ConnectionSet.port('TCP', p.lo, p.hi)).isEmpty()) };
  byConn.set(allowed, r);
  return r;
}
