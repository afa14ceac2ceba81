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

  /** The posting list of the selector's rarest matchLabels pair, or null when it has no matchLabels. */
  private rarest(sel: LabelSelector): readonly number[] | null {
    let best: readonly number[] | null = null;
    for (const k in sel.matchLabels) {
      const p = this.postings.get(`${k}=${sel.matchLabels[k]}`) ?? [];
      if (best === null || p.length < best.length) best = p;
    }
    return best;
  }

  /**
   * Items matching the selector, restricted to `scope` (item ids, or every item when null): the
   * rarest pair's candidates (when smaller than the scope) or the scope, each checked against the
   * whole selector, so the result is exact.
   */
  select(sel: LabelSelector, scope: { readonly items: () => readonly number[]; readonly size: number; readonly has: (i: number) => boolean } | null): number[] {
    const best = this.rarest(sel);
    const out: number[] = [];
    if (best !== null && (scope === null || best.length < scope.size)) {
      for (const i of best) if ((scope === null || scope.has(i)) && matches(sel, this.labels[i]!)) out.push(i);
      return out;
    }
    const items = scope === null ? this.labels.map((_, i) => i) : scope.items();
    for (const i of items) if (matches(sel, this.labels[i]!)) out.push(i);
    return out;
  }
}
