/**
 * Hash-consed ids for sequences of small integers: equal sequences get equal ids, built one item at
 * a time (`next(id, item)`), with no strings. Rows and segments are grouped by the sequence of rule
 * ids that cover them; this replaces building and hashing a string per source and per port atom.
 */
export class SequenceIds {
  /** The empty sequence. */
  static readonly EMPTY = 0;
  private readonly table = new Map<number, number>();
  private count = 1;

  /** Id of the sequence `id` followed by `item` (item < 2^21). */
  next(id: number, item: number): number {
    const key = id * 2097152 + item;
    let r = this.table.get(key);
    if (r === undefined) this.table.set(key, (r = this.count++));
    return r;
  }
}
