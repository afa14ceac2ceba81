/**
 * The sets a rule is made of (its subjects and peers, over the Universe), as sorted ids when they are
 * small and as a dense bitset when they are not. Immutable once made.
 *
 * Why: most rule sets are a few classes of one namespace, against a universe that grows with the
 * cluster. Dense, each was a bitset of the whole universe: at 150k pods 17k of them, 80 MB of fresh
 * memory whose allocation alone forced full collections of a 600 MB heap, and every scan of them
 * (hash, emptiness, OR) cost the universe. As ids, a set costs its members.
 *
 * The representation is a function of the contents (ids when there are at most as many members as
 * the universe has words, where ids are never larger nor slower to OR than words), so two equal sets
 * are always in the same form, and equality and hashing compare like with like.
 */
import * as B from './bitset.js';

export class IdSet {
  private denseMemo: B.Bits | null;
  private hashMemo = -1;

  private constructor(
    /** Bits in the universe. */
    readonly size: number,
    /** Sorted, distinct members when sparse; null when dense. */
    private readonly ids: Int32Array | null,
    dense: B.Bits | null,
  ) {
    this.denseMemo = dense;
  }

  private static sparseFits(n: number, size: number): boolean {
    return n <= B.wordsFor(size);
  }

  /** The set of the given ids (any order, duplicates allowed). */
  static ofIds(size: number, ids: ArrayLike<number>): IdSet {
    // too many for ids (duplicates may leave fewer members: ofBits decides): a bitset, with no sort
    if (!IdSet.sparseFits(ids.length, size)) return IdSet.ofBits(size, B.fromArray(size, ids));
    const sorted = B.intsOf(ids).sort();
    let n = 0;
    for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[n++] = sorted[k]!;
    return new IdSet(size, n === sorted.length ? sorted : sorted.subarray(0, n), null);
  }

  /** The set of a bitset's bits (the set takes the bitset: the caller must not change it afterwards). */
  static ofBits(size: number, bits: B.Bits): IdSet {
    const n = B.count(bits);
    return IdSet.sparseFits(n, size) ? new IdSet(size, B.intsOf(B.toArray(bits)), null) : new IdSet(size, null, bits);
  }

  static empty(size: number): IdSet {
    return new IdSet(size, new Int32Array(0), null);
  }

  /** The union of sets over one universe. */
  static union(size: number, sets: readonly IdSet[]): IdSet {
    if (sets.length === 1) return sets[0]!;
    let total = 0;
    for (const s of sets) total += s.ids === null ? Infinity : s.ids.length;
    if (IdSet.sparseFits(total, size)) {
      const all: number[] = [];
      for (const s of sets) for (let k = 0; k < s.ids!.length; k++) all.push(s.ids![k]!);
      return IdSet.ofIds(size, all);
    }
    const bits = B.empty(size);
    for (const s of sets) s.orInto(bits);
    return IdSet.ofBits(size, bits);
  }

  /** Members of both sets. */
  intersect(other: IdSet): IdSet {
    if (this.ids !== null || other.ids !== null) {
      const [small, big] = this.ids !== null && (other.ids === null || this.ids.length <= other.ids.length) ? [this, other] : [other, this];
      const out: number[] = [];
      for (let k = 0; k < small.ids!.length; k++) if (big.has(small.ids![k]!)) out.push(small.ids![k]!);
      return IdSet.ofIds(this.size, out);
    }
    return IdSet.ofBits(this.size, B.and(this.denseMemo!, other.denseMemo!));
  }

  /** Members not in `bits`. */
  minus(bits: B.Bits): IdSet {
    if (this.ids !== null)
      return IdSet.ofIds(
        this.size,
        this.ids.filter((i) => !B.has(bits, i)),
      );
    const d = this.denseMemo!.slice();
    B.andNotInto(d, bits);
    return IdSet.ofBits(this.size, d);
  }

  has(i: number): boolean {
    const ids = this.ids;
    if (ids === null) return B.has(this.denseMemo!, i);
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid]!;
      if (v === i) return true;
      if (v < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  isEmpty(): boolean {
    return this.ids !== null && this.ids.length === 0; // a dense set has more members than words
  }

  count(): number {
    return this.ids === null ? B.count(this.denseMemo!) : this.ids.length;
  }

  /** The members, ascending, when the set is sparse; null when it is dense. */
  sparse(): Int32Array | null {
    return this.ids;
  }

  /** The members as a bitset (made once for a sparse set; never change it). */
  dense(): B.Bits {
    if (this.denseMemo === null) {
      const d = B.empty(this.size);
      this.orInto(d);
      this.denseMemo = d;
    }
    return this.denseMemo;
  }

  /** dst |= this */
  orInto(dst: B.Bits): void {
    const ids = this.ids;
    if (ids === null) {
      B.orInto(dst, this.denseMemo!);
      return;
    }
    for (let k = 0; k < ids.length; k++) {
      const i = ids[k]!;
      dst[i >>> 5]! |= 1 << (i & 31);
    }
  }

  /** Calls f for every member, ascending. */
  forEach(f: (i: number) => void): void {
    const ids = this.ids;
    if (ids === null) B.forEach(this.denseMemo!, f);
    else for (let k = 0; k < ids.length; k++) f(ids[k]!);
  }

  /** Whether every bit of `mask` (of `maskCount` bits when known) is a member. */
  containsAll(mask: B.Bits, maskCount = B.count(mask)): boolean {
    if (this.ids === null) return B.containsAll(this.denseMemo!, mask);
    if (this.ids.length < maskCount) return false;
    for (let w = 0; w < mask.length; w++) {
      let x = mask[w]!;
      while (x !== 0) {
        const t = x & -x;
        if (!this.has((w << 5) + 31 - Math.clz32(t))) return false;
        x ^= t;
      }
    }
    return true;
  }

  equals(other: IdSet): boolean {
    if (this === other) return true;
    if (this.size !== other.size || (this.ids === null) !== (other.ids === null)) return false;
    if (this.ids === null) return B.equal(this.denseMemo!, other.denseMemo!);
    const a = this.ids;
    const b = other.ids!;
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
    return true;
  }

  /** A hash of the members (computed once). */
  hash(): number {
    if (this.hashMemo < 0) {
      let h: number;
      if (this.ids === null) h = B.hash(this.denseMemo!);
      else {
        h = 0x811c9dc5;
        for (let k = 0; k < this.ids.length; k++) h = Math.imul(h ^ this.ids[k]!, 0x01000193);
      }
      this.hashMemo = (h >>> 0) & 0x7fffffff;
    }
    return this.hashMemo;
  }
}
