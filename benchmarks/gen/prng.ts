/**
 * A small seeded PRNG (mulberry32) and the draws the generator needs. Everything the generator emits
 * comes from one `Rng` stream consumed in a fixed order, so one seed always gives byte-identical
 * output; no Math.random, no Date, no Map-order dependence.
 */

/** mulberry32: 32-bit state, period 2^32, good enough for benchmark data and very fast. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes several integers into one 32-bit seed (so `variant K` of seed S gets its own stream). */
export function mixSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return h >>> 0;
}

// Kubernetes' rand.String alphabet (no vowels, no 0/1/3 to avoid words and look-alikes): the
// characters of pod-template-hash and of generated pod-name suffixes.
const K8S_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const HEX = '0123456789abcdef';

export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight; `table` is [item, weight] pairs with positive weights. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.next() * total;
    for (const [item, w] of table) {
      r -= w;
      if (r < 0) return item;
    }
    return table[table.length - 1]![0];
  }

  /** Standard normal draw (Box-Muller), for skewed namespace sizes. */
  gaussian(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** `n` characters of the Kubernetes random-suffix alphabet (pod-template-hash is 10 of them). */
  k8sString(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += K8S_ALPHABET[Math.floor(this.next() * 27)]!;
    return s;
  }

  /** `n` lowercase hex digits. */
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += HEX[Math.floor(this.next() * 16)]!;
    return s;
  }

  /** A version-4-shaped UUID, as metadata.uid looks. */
  uid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${HEX[8 + this.int(0, 3)]!}${this.hex(3)}-${this.hex(12)}`;
  }
}
