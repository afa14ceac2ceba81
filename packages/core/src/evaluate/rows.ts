/**
 * Rows of the ReachabilityIndex. A row belongs to a source (a class or an external atom) and holds,
 * per port atom, the set of destinations it may reach (bits over the Universe). Port atoms with the
 * same covering rules share one segment, and equal bitsets are interned, so a row is a small array
 * of segment ids plus a few shared bitsets.
 *
 * Per (source, port atom) the destinations are  egress(source) AND ingress(source), where each
 * direction is decided tier by tier over whole bitsets (DESIGN.md "Tiers"):
 *   rem = all; for Admin blocks in order: hit = other & rem; Accept -> allow |= hit; Pass -> pass |= hit; rem &= ~other
 *   rem |= pass
 *   NetworkPolicy: allow |= rem & isolated & (OR of NP blocks); rem &= ~isolated
 *   for Baseline blocks in order: hit = other & rem; Accept or Pass -> allow |= hit; rem &= ~other
 *   allow |= rem                                  (default allow)
 * For egress, `isolated` is all-ones or all-zeros (a property of the source); for ingress it is the
 * set of ingress-isolated destination classes. External atoms are never isolated, so a pod -> address
 * connection depends on the pod's side only, and an address -> pod connection on the pod's side only.
 */
import * as B from '../compile/bitset.js';
import type { Block } from '../compile/block.js';
import type { Compiled } from '../compile/compile.js';
import { SequenceIds } from './sequence-ids.js';

export interface Row {
  /**
   * Port atoms in intervals: interval k is [starts[k], starts[k+1]-1] (the last ends at the last atom),
   * with segment segAt[k]. Intervals break only where some rule of the row starts or stops covering a
   * port, so a row costs its rules' port runs, not the number of port atoms.
   */
  readonly starts: Int32Array;
  readonly segAt: Uint16Array;
  /** segment -> allowed destinations */
  readonly segs: readonly B.Bits[];
}

/** The segment of a port atom in a row (binary search over the row's intervals). */
export function segmentOf(row: Row, atom: number): number {
  const s = row.starts;
  let lo = 0;
  let hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (s[mid]! <= atom) lo = mid;
    else hi = mid - 1;
  }
  return row.segAt[lo]!;
}

/** The allowed destinations of a row on one port atom. */
export function destinations(row: Row, atom: number): B.Bits {
  return row.segs[segmentOf(row, atom)]!;
}

/** Calls f(first, last, segment) for each interval of a row. */
export function forEachInterval(row: Row, portCount: number, f: (first: number, last: number, seg: number) => void): void {
  for (let k = 0; k < row.starts.length; k++) f(row.starts[k]!, k + 1 < row.starts.length ? row.starts[k + 1]! - 1 : portCount - 1, row.segAt[k]!);
}

/** One direction's blocks that cover a port atom, in evaluation order. */
function evalDirection(c: Compiled, blocks: readonly Block[], isolated: B.Bits, base: B.Bits): B.Bits {
  const size = c.u.size;
  if (blocks.every((b) => b.tier === 'NetworkPolicy')) {
    // the common case, without admin tiers: (OR of rules) where isolated, everything elsewhere
    const out = B.empty(size);
    for (const b of blocks) B.orIntoFast(out, b.other);
    for (let w = 0; w < out.length; w++) out[w] = (out[w]! & isolated[w]!) | (~isolated[w]! & base[w]!);
    return out;
  }
  const rem = base.slice();
  const allow = B.empty(size);
  let pass: B.Bits | null = null;
  let np: B.Bits | null = null;
  // tiers by filter, not by position: blocks appended by an incremental update keep their tier
  for (const b of blocks) {
    if (b.tier !== 'Admin') continue;
    if (b.action === 'Accept') B.orAndInto(allow, b.other, rem);
    else if (b.action === 'Pass') B.orAndInto((pass ??= B.empty(size)), b.other, rem);
    B.andNotInto(rem, b.other);
  }
  if (pass !== null) B.orInto(rem, pass);
  for (const b of blocks) if (b.tier === 'NetworkPolicy') B.orInto((np ??= B.empty(size)), b.other);
  if (np !== null) {
    const t = B.and(np, isolated);
    B.orAndInto(allow, t, rem);
  }
  B.andNotInto(rem, isolated);
  for (const b of blocks) {
    if (b.tier !== 'Baseline') continue;
    // Baseline Pass skips the rest of the tier: to the default, which allows
    if (b.action !== 'Deny') B.orAndInto(allow, b.other, rem);
    B.andNotInto(rem, b.other);
  }
  B.orInto(allow, rem);
  return allow;
}

export interface RowInputs {
  readonly egress: readonly Block[];
  readonly ingress: readonly Block[];
  /** egress isolation of the source: all-ones or all-zeros; null for an external source (no egress side). */
  readonly egressIsolated: B.Bits | null;
}

/**
 * Shared across rows: one direction's result depends only on the blocks covering the port atom (and,
 * for egress, the source's isolation), and many sources share those, so each is computed once.
 */
export class DirectionCache {
  private readonly map = new Map<number, B.Bits>();
  readonly seq = new SequenceIds();

  private readonly pairs = new Map<B.Bits, Map<B.Bits, B.Bits>>();
  private scratch: B.Bits | null = null;

  get(key: number, compute: () => B.Bits): B.Bits {
    let r = this.map.get(key);
    if (r === undefined) this.map.set(key, (r = compute()));
    return r;
  }

  /** egress AND ingress, once per pair of direction results (they are shared objects), interned. */
  and(eg: B.Bits, ig: B.Bits, interner: B.BitsInterner): B.Bits {
    let m = this.pairs.get(eg);
    if (m === undefined) this.pairs.set(eg, (m = new Map()));
    let r = m.get(ig);
    if (r === undefined) {
      const t = this.scratch !== null && this.scratch.length === ig.length ? this.scratch : (this.scratch = new Uint32Array(ig.length));
      for (let w = 0; w < t.length; w++) t[w] = ig[w]! & eg[w]!;
      m.set(ig, (r = interner.internCopy(t)));
    }
    return r;
  }
}

const RUNS = new WeakMap<Block, Int32Array>();

/** A block's port atoms as inclusive runs [lo0, hi0, lo1, hi1, ...], computed once per block. */
function portRuns(b: Block): Int32Array {
  let r = RUNS.get(b);
  if (r === undefined) {
    const out: number[] = [];
    let start = -1;
    let last = -2;
    B.forEach(b.ports, (p) => {
      if (p !== last + 1) {
        if (start >= 0) out.push(start, last);
        start = p;
      }
      last = p;
    });
    if (start >= 0) out.push(start, last);
    RUNS.set(b, (r = Int32Array.from(out)));
  }
  return r;
}

/** Index of the interval starting at `atom` (an exact start). */
function intervalAt(starts: readonly number[], atom: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= atom) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Per interval, the id of the sequence of blocks (in order) covering it. */
function coverIds(blocks: readonly Block[], starts: readonly number[], seq: SequenceIds): Int32Array {
  const ids = new Int32Array(starts.length);
  for (const b of blocks) {
    const runs = portRuns(b);
    for (let i = 0; i < runs.length; i += 2) {
      const last = runs[i + 1]!;
      for (let k = intervalAt(starts, runs[i]!); k < starts.length && starts[k]! <= last; k++) ids[k] = seq.next(ids[k]!, b.id);
    }
  }
  return ids;
}

export function computeRow(c: Compiled, inp: RowInputs, interner: B.BitsInterner, cache: DirectionCache): Row {
  const P = c.ports.count;
  const cuts = new Set<number>([0]);
  for (const list of [inp.egress, inp.ingress]) {
    for (const b of list) {
      const runs = portRuns(b);
      for (let i = 0; i < runs.length; i += 2) {
        cuts.add(runs[i]!);
        if (runs[i + 1]! + 1 < P) cuts.add(runs[i + 1]! + 1);
      }
    }
  }
  const starts = [...cuts].sort((a, b) => a - b);
  const egIds = coverIds(inp.egress, starts, cache.seq);
  const igIds = coverIds(inp.ingress, starts, cache.seq);
  const iso = inp.egressIsolated === null ? 0 : inp.egressIsolated === c.u.all ? 1 : 2;
  const segAt = new Uint16Array(starts.length);
  const segs: B.Bits[] = [];
  const sigToSeg = new Map<string, number>();
  for (let k = 0; k < starts.length; k++) {
    const eid = egIds[k]!;
    const iid = igIds[k]!;
    const sig = `${eid},${iid}`;
    let sg = sigToSeg.get(sig);
    if (sg === undefined) {
      sg = segs.length;
      sigToSeg.set(sig, sg);
      const p = starts[k]!;
      const eg =
        inp.egressIsolated === null
          ? c.u.classesMask // an address has no egress policy; address -> address is not a question
          : cache.get(-(eid * 4 + iso), () => evalDirection(c, inp.egress.filter((b) => B.has(b.ports, p)), inp.egressIsolated!, c.u.all));
      const ig = cache.get(iid, () => evalDirection(c, inp.ingress.filter((b) => B.has(b.ports, p)), c.ingressIsolated, c.u.all));
      segs.push(cache.and(eg, ig, interner));
    }
    segAt[k] = sg;
  }
  return { starts: Int32Array.from(starts), segAt, segs };
}
