/**
 * Fixed-size bitsets over dense integer ids, as plain Uint32Arrays (typed arrays in the
 * hot path, no per-bit objects). Functions, not a class, so a bitset is just its words and can be
 * interned, hashed and shared without wrapping.
 */

export type Bits = Uint32Array;

export function wordsFor(n: number): number {
  return (n + 31) >>> 5;
}

/*
 * Bitsets are carved out of shared 4 MiB slabs: a typed array of a few KB with its own backing store
 * costs an allocation and external-memory bookkeeping each, and a large cluster compiles hundreds of
 * thousands of them (most living as long as the index). A view into a fresh, zeroed slab is cheap.
 */
const SLAB_WORDS = 1 << 20;

/** Zeroed typed arrays carved out of shared slabs (a large one gets its own buffer). */
class Slab<T extends Uint32Array | Int32Array> {
  private slab: T;
  private used = 0;

  constructor(private readonly make: (n: number) => T) {
    this.slab = make(0);
  }

  take(n: number): T {
    if (n > SLAB_WORDS >>> 4) return this.make(n);
    if (this.used + n > this.slab.length) {
      this.slab = this.make(SLAB_WORDS);
      this.used = 0;
    }
    const v = this.slab.subarray(this.used, this.used + n) as T;
    this.used += n;
    return v;
  }
}

const words = new Slab((n) => new Uint32Array(n));
const int32s = new Slab((n) => new Int32Array(n));

export function empty(n: number): Bits {
  return words.take(wordsFor(n));
}

/**
 * A zeroed Int32Array of n entries, from a slab like bitsets (for the position lists kept per bitset
 * and per row: tens of thousands at scale, each otherwise a backing store of its own).
 */
export function ints(n: number): Int32Array {
  return int32s.take(n);
}

/** An Int32Array (from ints()) holding the given numbers. */
export function intsOf(values: ArrayLike<number>): Int32Array {
  const r = ints(values.length);
  for (let i = 0; i < values.length; i++) r[i] = values[i]!;
  return r;
}

/** Bits 0..n-1 set. */
export function full(n: number): Bits {
  const b = empty(n);
  b.fill(0xffffffff);
  const rem = n & 31;
  if (rem !== 0) b[b.length - 1] = ((1 << rem) - 1) >>> 0;
  return b;
}

/** Bits lo..hi-1 set in a bitset of n bits. */
export function range(n: number, lo: number, hi: number): Bits {
  const b = empty(n);
  for (let i = lo; i < hi; i++) set(b, i);
  return b;
}

export function set(b: Bits, i: number): void {
  b[i >>> 5]! |= 1 << (i & 31);
}

export function has(b: Bits, i: number): boolean {
  return (b[i >>> 5]! & (1 << (i & 31))) !== 0;
}

export function orInto(dst: Bits, src: Bits): void {
  for (let i = 0; i < dst.length; i++) dst[i]! |= src[i]!;
}

/** dst |= a & b */
export function orAndInto(dst: Bits, a: Bits, b: Bits): void {
  for (let i = 0; i < dst.length; i++) dst[i]! |= a[i]! & b[i]!;
}

export function andInto(dst: Bits, src: Bits): void {
  for (let i = 0; i < dst.length; i++) dst[i]! &= src[i]!;
}

/** dst &= ~src */
export function andNotInto(dst: Bits, src: Bits): void {
  for (let i = 0; i < dst.length; i++) dst[i]! &= ~src[i]!;
}

export function and(a: Bits, b: Bits): Bits {
  const out = empty(a.length * 32);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! & b[i]!;
  return out;
}

/** Whether every bit of `mask` is set in `b`. */
export function containsAll(b: Bits, mask: Bits): boolean {
  // (b & m) is a signed int32 and m an unsigned word: compare the bits missing, not the two values
  for (let i = 0; i < mask.length; i++) if ((mask[i]! & ~b[i]!) !== 0) return false;
  return true;
}

export function isEmpty(b: Bits): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

export function equal(a: Bits, b: Bits): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function count(b: Bits): number {
  let c = 0;
  for (let i = 0; i < b.length; i++) c += popcount32(b[i]!);
  return c;
}

/** Calls f for every set bit, ascending. */
export function forEach(b: Bits, f: (i: number) => void): void {
  for (let w = 0; w < b.length; w++) {
    let x = b[w]!;
    while (x !== 0) {
      const t = x & -x;
      f((w << 5) + 31 - Math.clz32(t));
      x ^= t;
    }
  }
}

export function toArray(b: Bits): number[] {
  const out: number[] = [];
  forEach(b, (i) => out.push(i));
  return out;
}

export function fromArray(n: number, ids: ArrayLike<number>): Bits {
  const b = empty(n);
  for (let k = 0; k < ids.length; k++) set(b, ids[k]!);
  return b;
}

/** Mixes one nonzero word and its position into a hash (zero words are skipped: see `hash`). */
function mixWord(h: number, w: number, x: number): number {
  return Math.imul(Math.imul(h ^ w, 0x01000193) ^ x, 0x01000193);
}

/**
 * A hash of the bits, for interning equal bitsets: over the nonzero words and their positions only,
 * so a sparse bitset hashes from its nonzero words alone (`internWords`) to the same value.
 */
export function hash(b: Bits): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) h = mixWord(h, i, b[i]!);
  return h >>> 0;
}

const NONZERO = new WeakMap<Bits, Int32Array>();

/**
 * Positions of the nonzero words of a bitset, ascending; computed once per bitset, so only for
 * bitsets that are never changed afterwards (direction results, interned segments). Most of a
 * 150k-pod index's destination sets are a few namespaces' classes: their work is their nonzero words.
 */
export function nonzeroWords(b: Bits): Int32Array {
  let r = NONZERO.get(b);
  if (r === undefined) {
    let n = 0;
    for (let i = 0; i < b.length; i++) if (b[i] !== 0) n++;
    r = ints(n);
    n = 0;
    for (let i = 0; i < b.length; i++) if (b[i] !== 0) r[n++] = i;
    NONZERO.set(b, r);
  }
  return r;
}

/**
 * Keeps one copy of each distinct bitset: rows of the index that are equal share memory.
 */
export class BitsInterner {
  private readonly table = new Map<number, Bits[]>();
  size = 0;

  /**
   * The stored bitset equal to `scratch`, or a stored copy of it when new. The caller reuses its
   * scratch buffer, so a lookup that hits (most do) allocates nothing.
   */
  internCopy(scratch: Bits): Bits {
    return this.lookup(scratch, hash(scratch), null, 0);
  }

  /**
   * As internCopy, for a scratch buffer whose only nonzero words are among `words[0..n)` (ascending):
   * hashing and comparing cost those words, not the whole universe.
   */
  internWords(scratch: Bits, words: Int32Array, n: number): Bits {
    let h = 0x811c9dc5;
    let nz = 0;
    for (let k = 0; k < n; k++) {
      const w = words[k]!;
      if (scratch[w] !== 0) {
        h = mixWord(h, w, scratch[w]!);
        nz++;
      }
    }
    return this.lookup(scratch, h >>> 0, words, n, nz);
  }

  private lookup(scratch: Bits, h: number, words: Int32Array | null, n: number, nz = -1): Bits {
    const bucket = this.table.get(h);
    if (bucket !== undefined) {
      for (const c of bucket) {
        if (words === null) {
          if (equal(c, scratch)) return c;
          continue;
        }
        // c equals scratch iff c has exactly nz nonzero words and agrees on the candidate words
        if (nonzeroWords(c).length !== nz) continue;
        let same = true;
        for (let k = 0; k < n && same; k++) same = c[words[k]!] === scratch[words[k]!];
        if (same) return c;
      }
    }
    const copy = empty(scratch.length * 32);
    if (words === null) copy.set(scratch);
    else for (let k = 0; k < n; k++) copy[words[k]!] = scratch[words[k]!]!;
    if (bucket === undefined) this.table.set(h, [copy]);
    else bucket.push(copy);
    this.size++;
    return copy;
  }
}
