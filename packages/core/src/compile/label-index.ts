/**
 * Postings `key=value -> items` over a list of label maps, so a selector with matchLabels is
 * evaluated on the items that carry its rarest pair instead of on every item (2,000 namespaces and
 * 30,000 classes at scale, thousands of distinct selectors).
 */
import type { LabelSelector, Labels } from '../model/types.js';
import { matches } from './selector.js';

export class LabelIndex {
  private readonly postings = new Map<string, number[]>();

  constructor(private readonly labels: readonly Labels[]) {
    labels.forEach((l, i) => {
      for (const k in l) {
        const key = `${k}=${l[k]}`;
        const p = this.postings.get(key);
        if (p === undefined) this.postings.set(key, [i]);
        else p.push(i);
      }
    });
  }

  /**
   * The fewest candidates a requirement of the selector allows, when fewer than `limit`: a
   * matchLabels pair's posting list, or an `In` requirement's (its values' lists together: disjoint,
   * an item has one value per key); null when no requirement narrows below `limit`.
   */
  private candidates(sel: LabelSelector, limit: number): readonly number[] | null {
    let best: readonly number[] | null = null;
    let bestSize = limit;
    for (const k in sel.matchLabels) {
      const p = this.postings.get(`${k}=${sel.matchLabels[k]}`) ?? [];
      if (p.length < bestSize) {
        best = p;
        bestSize = p.length;
      }
    }
    let bestIn: (readonly number[])[] | null = null;
    for (const r of sel.matchExpressions) {
      if (r.operator !== 'In') continue;
      const lists = [...new Set(r.values)].map((v) => this.postings.get(`${r.key}=${v}`) ?? []);
      const size = lists.reduce((n, l) => n + l.length, 0);
      if (size < bestSize) {
        bestIn = lists;
        bestSize = size;
      }
    }
    // the union is built only for the requirement chosen (a wide `In` over every class is never built)
    if (bestIn !== null) return bestIn.length === 1 ? bestIn[0]! : bestIn.flat();
    return best;
  }

  /**
   * Items matching the selector, restricted to `scope` (item ids, or every item when null), in no
   * particular order: the narrowest requirement's candidates (when fewer than the scope) or the
   * scope, each checked against the whole selector, so the result is exact.
   */
  select(sel: LabelSelector, scope: { readonly items: () => readonly number[]; readonly size: number; readonly has: (i: number) => boolean } | null): number[] {
    const best = this.candidates(sel, scope === null ? Infinity : scope.size);
    const out: number[] = [];
    if (best !== null) {
      for (const i of best) if ((scope === null || scope.has(i)) && matches(sel, this.labels[i]!)) out.push(i);
      return out;
    }
    const items = scope === null ? this.labels.map((_, i) => i) : scope.items();
    for (const i of items) if (matches(sel, this.labels[i]!)) out.push(i);
    return out;
  }
}
