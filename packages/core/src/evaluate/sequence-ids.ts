/**
 * Hash-consed ids for sequences of small integers: equal sequences get equal ids, built one item at
 * a time (`next(id, item)`), with no strings. Rows and segments are grouped by the sequence of rule
 * ids that cover them; this replaces building and hashing a string per source and per port atom.
 *
 * The table is open addressing over typed arrays: a 150k-pod index asks it millions of times, and a
 * Map keyed by `id * 2^21 + item` (a number past the small-integer range) boxed every key it hashed.
 */
export class SequenceIds {
  /** The empty sequence. */
  static readonly EMPTY = 0;
  private count = 1;
  private mask = 1023;
  /** Per slot: the prefix id + 1 (0 = free slot), the item, and the id of that sequence. */
  private prefix = new Int32Array(1024);
  private item = new Int32Array(1024);
  private id = new Int32Array(1024);

  /** Id of the sequence `id` followed by `item` (both non-negative integers below 2^31 - 1). */
  next(id: number, item: number): number {
    const mask = this.mask;
    let h = slot(id, item, mask);
    for (;;) {
      const p = this.prefix[h]!;
      if (p === 0) break;
      if (p === id + 1 && this.item[h] === item) return this.id[h]!;
      h = (h + 1) & mask;
    }
    const r = this.count++;
    this.prefix[h] = id + 1;
    this.item[h] = item;
    this.id[h] = r;
    if (this.count * 2 > mask) this.grow();
    return r;
  }

  private grow(): void {
    const { prefix, item, id } = this;
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.prefix = new Int32Array(size);
    this.item = new Int32Array(size);
    this.id = new Int32Array(size);
    for (let s = 0; s < prefix.length; s++) {
      const p = prefix[s]!;
      if (p === 0) continue;
      let h = slot(p - 1, item[s]!, this.mask);
      while (this.prefix[h] !== 0) h = (h + 1) & this.mask;
      this.prefix[h] = p;
      this.item[h] = item[s]!;
      this.id[h] = id[s]!;
    }
  }
}

/** A slot for (id, item): both mixed into every bit before masking (murmur3's finaliser steps). */
function slot(id: number, item: number, mask: number): number {
  let h = Math.imul(id, 0x9e3779b1) ^ item;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h ^= h >>> 13;
  return h & mask;
}
