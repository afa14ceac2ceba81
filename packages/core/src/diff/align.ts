/**
 * Aligning two ReachabilityIndexes so they can be compared row against row.
 *
 * The two sides number their classes, IP atoms and port atoms independently, so a bit of one side
 * means nothing on the other. We build one *joint* id space, the "units":
 *   - joint endpoint classes: endpoints (aligned by id) with the same (class in before, class in
 *     after) pair; an endpoint on one side only has class -1 on the other. Members of a unit are
 *     indistinguishable on both sides, so their rows and columns are equal on both sides.
 *   - joint IP atoms: the IP space cut at the union of both sides' atom starts (normally the two are
 *     already equal, because diffClusters passes both sides' ipBlock boundaries as extraCidrs; the
 *     merge keeps the comparison right even when a tier cuts atoms extraCidrs does not know about).
 * and, for ports, the joint port atoms: per protocol the union of both sides' atom starts.
 *
 * A row bitset of either side is translated into the joint space once per distinct (interned)
 * bitset object, so sources that share rows share translations too.
 */
import * as B from '../compile/bitset.js';
import type { IdSet } from '../compile/id-set.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { segmentOf, type Row } from '../evaluate/rows.js';
import { CONN_PROTOCOLS, type ConnProtocol } from '../net/connection-set.js';
import { formatIP } from '../net/ip.js';

/** One thing on both sides: an endpoint (by id) or a joint external range. */
export interface Aligned {
  readonly id: string;
  /** The entity on each side; null when the endpoint exists on the other side only. */
  readonly before: IndexEntity | null;
  readonly after: IndexEntity | null;
  /** Position in matrix order (external ranges ascending, then endpoints by id). */
  readonly order: number;
}

/** A unit of the joint space: aligned entities that no bit of either side tells apart. */
export interface Unit {
  readonly members: readonly Aligned[];
  /** Source/destination bit on each side, -1 when absent there. */
  readonly bitA: number;
  readonly bitB: number;
}

export interface Alignment {
  readonly units: readonly Unit[];
  /** Entities of both sides in matrix order. */
  readonly entities: readonly Aligned[];
  /** Joint port atoms: the atom index on each side. */
  readonly portA: Int32Array;
  readonly portB: Int32Array;
  /** Entity (by order) -> its unit. */
  readonly unitOf: Int32Array;
  /** Universe sizes (bits) of the two sides. */
  readonly sizeA: number;
  readonly sizeB: number;
}

/** Start port of each port atom of an index, derived through the public toConnectionSet. */
function portStarts(index: ReachabilityIndex): Map<ConnProtocol, number[]> {
  const ports = index.compiled.ports;
  const out = new Map<ConnProtocol, number[]>(CONN_PROTOCOLS.map((p) => [p, []]));
  for (let i = 0; i < ports.count; i++) {
    const cs = ports.toConnectionSet(B.fromArray(ports.count, [i]));
    for (const p of CONN_PROTOCOLS) {
      const r = cs.rangesOf(p);
      if (r.length > 0) out.get(p)!.push(r[0]![0]);
    }
  }
  return out;
}

function alignPorts(a: ReachabilityIndex, b: ReachabilityIndex): { portA: Int32Array; portB: Int32Array } {
  const sa = portStarts(a);
  const sb = portStarts(b);
  const pa: number[] = [];
  const pb: number[] = [];
  for (const p of CONN_PROTOCOLS) {
    const starts = [...new Set([...sa.get(p)!, ...sb.get(p)!])].sort((x, y) => x - y);
    for (const s of starts) {
      pa.push(a.compiled.ports.find(p, s));
      pb.push(b.compiled.ports.find(p, s));
    }
  }
  return { portA: Int32Array.from(pa), portB: Int32Array.from(pb) };
}

function cmpBig(x: bigint, y: bigint): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

export function align(a: ReachabilityIndex, b: ReachabilityIndex): Alignment {
  const units: Unit[] = [];
  const entities: Aligned[] = [];

  // external ranges: the union of both sides' cuts
  const atomsA = a.compiled.ipAtoms;
  const atomsB = b.compiled.ipAtoms;
  const starts = [...new Set([...atomsA.starts, ...atomsB.starts])].sort(cmpBig);
  const nA = a.compiled.cluster.endpoints.length;
  const nB = b.compiled.cluster.endpoints.length;
  starts.forEach((start, k) => {
    const ea = a.entities[nA + atomsA.find(start)]!;
    const eb = b.entities[nB + atomsB.find(start)]!;
    const end = k + 1 < starts.length ? starts[k + 1]! - 1n : atomsA.end(atomsA.count - 1);
    // when the cuts agree, the id is the sides' own; otherwise the joint range's
    const id = ea.id === eb.id ? ea.id : `${formatIP(start)}-${formatIP(end)}[External]`;
    const al: Aligned = { id, before: ea, after: eb, order: entities.length };
    entities.push(al);
    units.push({ members: [al], bitA: ea.bit, bitB: eb.bit });
  });

  // endpoints by id, grouped by (class before, class after)
  const byId = new Map<string, [IndexEntity | null, IndexEntity | null]>();
  for (const e of a.entities) if (e.kind === 'endpoint') byId.set(e.id, [e, null]);
  for (const e of b.entities) {
    if (e.kind !== 'endpoint') continue;
    const pair = byId.get(e.id);
    if (pair === undefined) byId.set(e.id, [null, e]);
    else pair[1] = e;
  }
  const ids = [...byId.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const unitOf = new Map<string, Aligned[]>();
  const unitBits: [number, number][] = [];
  for (const id of ids) {
    const [ea, eb] = byId.get(id)!;
    const al: Aligned = { id, before: ea, after: eb, order: entities.length };
    entities.push(al);
    const ba = ea === null ? -1 : ea.bit;
    const bb = eb === null ? -1 : eb.bit;
    const key = `${ba},${bb}`;
    let list = unitOf.get(key);
    if (list === undefined) {
      unitOf.set(key, (list = []));
      unitBits.push([ba, bb]);
    }
    list.push(al);
  }
  for (const [ba, bb] of unitBits) units.push({ members: unitOf.get(`${ba},${bb}`)!, bitA: ba, bitB: bb });

  const unitOfEntity = new Int32Array(entities.length);
  units.forEach((u, i) => {
    for (const m of u.members) unitOfEntity[m.order] = i;
  });
  return { units, entities, unitOf: unitOfEntity, ...alignPorts(a, b), sizeA: a.compiled.u.size, sizeB: b.compiled.u.size };
}

/**
 * Translates bitsets of one side into the joint unit space, memoised per bitset object (the index
 * interns its row bitsets, so equal destinations sets are one object).
 */
export class Translator {
  private readonly memo = new Map<B.Bits, B.Bits>();
  private readonly setMemo = new Map<IdSet, B.Bits>();
  private readonly words: number;
  /** Inverse map in CSR form: the units of side bit x are units[first[x] .. first[x+1]). */
  private readonly first: Int32Array;
  private readonly unitsOf: Int32Array;

  constructor(unitBit: Int32Array, sideSize: number) {
    this.words = B.wordsFor(unitBit.length);
    const first = new Int32Array(sideSize + 1);
    for (const x of unitBit) if (x >= 0) first[x + 1]!++;
    for (let x = 0; x < sideSize; x++) first[x + 1]! += first[x]!;
    const fill = first.slice(0, sideSize);
    const unitsOf = new Int32Array(first[sideSize]!);
    unitBit.forEach((x, u) => {
      if (x >= 0) unitsOf[fill[x]!++] = u;
    });
    this.first = first;
    this.unitsOf = unitsOf;
  }

  static of(al: Alignment, side: 'A' | 'B', sideSize: number): Translator {
    return new Translator(
      Int32Array.from(al.units, (u) => (side === 'A' ? u.bitA : u.bitB)),
      sideSize,
    );
  }

  get empty(): B.Bits {
    return new Uint32Array(this.words);
  }

  /** Cost: the words of `bits` plus its set bits, so sparse bitsets (most rules) are cheap. */
  translate(bits: B.Bits): B.Bits {
    let out = this.memo.get(bits);
    if (out !== undefined) return out;
    out = new Uint32Array(this.words);
    for (let w = 0; w < bits.length; w++) {
      let v = bits[w]!;
      while (v !== 0) {
        const t = v & -v;
        this.addUnits(out, (w << 5) + 31 - Math.clz32(t));
        v ^= t;
      }
    }
    this.memo.set(bits, out);
    return out;
  }

  /** A rule set translated (memoised by the set): its members, without a bitset of the side's universe. */
  translateSet(set: IdSet): B.Bits {
    let out = this.setMemo.get(set);
    if (out === undefined) {
      const o = new Uint32Array(this.words);
      set.forEach((x) => this.addUnits(o, x));
      this.setMemo.set(set, (out = o));
    }
    return out;
  }

  /** Sets in `out` the units of side bit x. */
  private addUnits(out: B.Bits, x: number): void {
    const { first, unitsOf } = this;
    for (let i = first[x]!; i < first[x + 1]!; i++) {
      const u = unitsOf[i]!;
      out[u >>> 5]! |= 1 << (u & 31);
    }
  }
}

/**
 * The units whose connections from a source differ between the sides, given the source's row on
 * each side (null: the source does not exist there). Memoised by the pair of row objects: sources
 * with the same rules on both sides are compared once, whatever their number.
 */
export class RowComparer {
  private readonly memo = new Map<Row | null, Map<Row | null, B.Bits>>();
  private readonly ta: Translator;
  private readonly tb: Translator;

  constructor(private readonly al: Alignment) {
    this.ta = Translator.of(al, 'A', al.sizeA);
    this.tb = Translator.of(al, 'B', al.sizeB);
  }

  changed(rowA: Row | null, rowB: Row | null): B.Bits {
    let inner = this.memo.get(rowA);
    if (inner === undefined) this.memo.set(rowA, (inner = new Map()));
    let out = inner.get(rowB);
    if (out === undefined) {
      out = this.compute(rowA, rowB);
      inner.set(rowB, out);
    }
    return out;
  }

  private compute(rowA: Row | null, rowB: Row | null): B.Bits {
    const out = this.ta.empty;
    const none = this.ta.empty;
    const { portA, portB } = this.al;
    // joint port atoms mapping to the same pair of segments compare the same bitsets: once is enough
    const seen = new Set<number>();
    for (let p = 0; p < portA.length; p++) {
      const sa = rowA === null ? -1 : segmentOf(rowA, portA[p]!);
      const sb = rowB === null ? -1 : segmentOf(rowB, portB[p]!);
      const key = (sa + 1) * 65537 + (sb + 1);
      if (seen.has(key)) continue;
      seen.add(key);
      const xa = rowA === null ? none : this.ta.translate(rowA.segs[sa]!);
      const xb = rowB === null ? none : this.tb.translate(rowB.segs[sb]!);
      for (let w = 0; w < out.length; w++) out[w]! |= xa[w]! ^ xb[w]!;
    }
    return out;
  }
}
