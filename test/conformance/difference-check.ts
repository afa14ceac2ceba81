/**
 * Checking a known difference (known-differences.ts) precisely: the listings may differ only in the
 * way the entry says. Shared by the NetworkPolicy runner (connlist.test.ts) and the admin-tier runner
 * (admin.test.ts).
 */
import { expect } from 'vitest';
import { lineText, type ConnLine } from './connlist-lines.js';
import type { DifferenceCheck } from './known-differences.js';

export const setOf = (lines: readonly ConnLine[]): Set<string> => new Set(lines.map(lineText));
export const minus = (a: Set<string>, b: Set<string>): string[] => [...a].filter((l) => !b.has(l)).sort();

/** Applies a known difference's merge to our lines; throws when the members are distinguishable. */
export function merge(ours: readonly ConnLine[], groups: Readonly<Record<string, readonly string[]>>): ConnLine[] {
  const groupOf = new Map<string, string>();
  for (const [target, members] of Object.entries(groups)) for (const m of members) groupOf.set(m, target);
  for (const [target, members] of Object.entries(groups)) {
    for (const m of members) if (!ours.some((l) => l.src === m || l.dst === m)) throw new Error(`${m} is not in our listing`);
    // each member's lines with anything outside the group, the member written as the target
    const views = members.map((m) =>
      ours
        .filter((l) => (l.src === m && groupOf.get(l.dst) !== target) || (l.dst === m && groupOf.get(l.src) !== target))
        .map((l) => lineText({ ...l, src: l.src === m ? target : l.src, dst: l.dst === m ? target : l.dst }))
        .sort()
        .join('\n'),
    );
    if (new Set(views).size !== 1) throw new Error(`members of ${target} are distinguishable: ${members.join(', ')}`);
  }
  const out = new Map<string, ConnLine>();
  for (const l of ours) {
    const src = groupOf.get(l.src) ?? l.src;
    const dst = groupOf.get(l.dst) ?? l.dst;
    if (src === dst) continue; // between members of one group: their tool lists no self-lines
    const m = { src, dst, conn: l.conn };
    out.set(lineText(m), m);
  }
  return [...out.values()];
}

export function checkDifference(check: DifferenceCheck, ours: readonly ConnLine[], theirs: Set<string>): void {
  switch (check.kind) {
    case 'merge': {
      const merged = setOf(merge(ours, check.groups));
      expect({ onlyOurs: minus(merged, theirs), onlyTheirs: minus(theirs, merged) }).toEqual({ onlyOurs: [], onlyTheirs: [] });
      break;
    }
    case 'lines': {
      const o = setOf(ours);
      expect({ onlyOurs: minus(o, theirs), onlyTheirs: minus(theirs, o) }).toEqual({
        onlyOurs: [...check.onlyOurs].sort(),
        onlyTheirs: [...check.onlyTheirs].sort(),
      });
      break;
    }
    default: {
      const _x: never = check;
      throw new Error(`unknown check ${String(_x)}`);
    }
  }
}
