/**
 * The entries of a reachability diff, and the last step both ways of computing them share (diff.ts
 * over two aligned indexes, update-diff.ts over an index and its incremental update): changed pairs
 * collected as numeric keys (source position * E + destination position, in matrix order), sorted
 * once and split into added, removed and changed.
 */
import type { ConnectionSet } from '../net/connection-set.js';

/** A pair with connections on one side only: `added` (none before) or `removed` (none after). */
export interface DiffEntry {
  /** Entity ids as the matrix prints them: `ns/name[Kind]` or `FIRST-LAST[External]`. */
  readonly src: string;
  readonly dst: string;
  readonly conn: ConnectionSet;
}

/** A pair with connections on both sides, different ones. */
export interface ChangedEntry {
  readonly src: string;
  readonly dst: string;
  readonly before: ConnectionSet;
  readonly after: ConnectionSet;
}

/** Every ordered pair whose connections differ, each exactly once, in matrix order (source, then destination). */
export interface ReachabilityDiff {
  readonly added: readonly DiffEntry[];
  readonly removed: readonly DiffEntry[];
  readonly changed: readonly ChangedEntry[];
}

/** One changed pair: its entity ids and its connections before and after (never equal). */
export type PairChange = readonly [src: string, dst: string, before: ConnectionSet, after: ConnectionSet];

/**
 * The diff of the pairs `keys` names (each `src * E + dst`, positions in matrix order among `E`
 * entities), in matrix order; `pairAt(src, dst)` gives a pair's ids and connections.
 */
export function entriesInOrder(keys: readonly number[], E: number, pairAt: (src: number, dst: number) => PairChange): ReachabilityDiff {
  const sorted = Float64Array.from(keys).sort();
  const added: DiffEntry[] = [];
  const removed: DiffEntry[] = [];
  const changed: ChangedEntry[] = [];
  for (const k of sorted) {
    const s = Math.floor(k / E);
    const [src, dst, before, after] = pairAt(s, k - s * E);
    if (before.isEmpty()) added.push({ src, dst, conn: after });
    else if (after.isEmpty()) removed.push({ src, dst, conn: before });
    else changed.push({ src, dst, before, after });
  }
  return { added, removed, changed };
}
