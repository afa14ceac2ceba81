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
  /** port atom -> segment */
  readonly segOf: Uint16Array;
  /** segment -> allowed destinations */
  readonly segs: readonly B.Bits[];
}

/** One direction's blocks that cover a port atom, in evaluation order. */
function evalDirection(c: Compiled, blocks: readonly Block[], isolated: B.Bits, base: B.Bits): B.Bits {
  const size = c.u.size;
  if (blocks.every((b) => b.tier === 'NetworkPolicy')) {
    // the common case, without admin tiers: (OR of rules) where isolated, everything elsewhere
    const out = B.empty(size);
    for (const b of blocks) B.orInto(out, b.other);
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
    if (r === undefined) m.set(ig, (r = interner.intern(B.and(ig, eg))));
    return r;
  }
}

/** Per port atom, the id of the sequence of blocks (in order) covering it. */
function coverIds(blocks: readonly Block[], P: number, seq: SequenceIds): Int32Array {
  const ids = new Int32Array(P);
  for (const b of blocks) B.forEach(b.ports, (p) => (ids[p] = seq.next(ids[p]!, b.id)));
  return ids;
}

export function computeRow(c: Compiled, inp: RowInputs, interner: B.BitsInterner, cache: DirectionCache): Row {
  const P = c.ports.count;
  const segOf = new Uint16Array(P);
  const segs: B.Bits[] = [];
  const egIds = coverIds(inp.egress, P, cache.seq);
  const igIds = coverIds(inp.ingress, P, cache.seq);
  const iso = inp.egressIsolated === null ? 0 : inp.egressIsolated === c.u.all ? 1 : 2;
  const sigToSeg = new Map<string, number>();
  for (let p = 0; p < P; p++) {
    const eid = egIds[p]!;
    const iid = igIds[p]!;
    const sig = `${eid},${iid}`;
    let s = sigToSeg.get(sig);
    if (s === undefined) {
      s = segs.length;
      sigToSeg.set(sig, s);
      const eg =
        inp.egressIsolated === null
          ? c.u.classesMask // an address has no egress policy; address -> address is not a question
          : cache.get(-(eid * 4 + iso), () => evalDirection(c, inp.egress.filter((b) => B.has(b.ports, p)), inp.egressIsolated!, c.u.all));
      const ig = cache.get(iid, () => evalDirection(c, inp.ingress.filter((b) => B.has(b.ports, p)), c.ingressIsolated, c.u.all));
      segs.push(cache.and(eg, ig, interner));
    }
    segOf[p] = s;
  }
  return { segOf, segs };
}
