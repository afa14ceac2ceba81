/**
 * Semantic diff of two clusters: which ordered pairs gain, lose or change connections. Two
 * ReachabilityIndexes are compared, never two texts, so reordering rules, renaming a label nobody
 * selects or splitting a policy in two is no change at all.
 *
 * Speed: both sides are aligned into one joint space (align.ts). Sources no changed block or
 * isolation bit can reach are skipped without computing their rows (candidates.ts); the others are
 * compared by their pair of rows (before, after), memoised, since the index shares one row object
 * between all sources with the same rules. Only the (source, destination) units whose bits differ are
 * expanded to endpoint pairs and given connection sets.
 */
import * as B from '../compile/bitset.js';
import { policyCidrs, type CompileOptions } from '../compile/compile.js';
import { compile, type IndexEntity, type ReachabilityIndex } from '../evaluate/index.js';
import type { Row } from '../evaluate/rows.js';
import type { Cluster } from '../model/types.js';
import { ConnectionSet } from '../net/connection-set.js';
import type { Cidr } from '../net/ip.js';
import { align, RowComparer, type Aligned } from './align.js';
import { candidateSources } from './candidates.js';
import { entriesInOrder, type ReachabilityDiff } from './entries.js';
import { detectCni } from '../compile/profile.js';

export type { ChangedEntry, DiffEntry, ReachabilityDiff } from './entries.js';

/** How both sides of a diff are compiled (the same options for both). */
export interface DiffOptions {
  /** How ipBlocks treat known pod IPs, on both sides (see CompileOptions). */
  readonly ipblockPods?: CompileOptions['ipblockPods'];
  /** The CNI profile and DNS map, on both sides (see CompileOptions). */
  readonly cni?: CompileOptions['cni'];
  readonly dns?: CompileOptions['dns'];
  /** Whether each side evaluates Calico staged policies (`diff --staged`: one input, false then true). */
  readonly staged?: { readonly before?: boolean; readonly after?: boolean };
}

/** The two compiled sides of a diff. */
export interface IndexPair {
  readonly before: ReachabilityIndex;
  readonly after: ReachabilityIndex;
}

function cidrKey(c: Cidr): string {
  return `${c.start}-${c.end}`;
}

/**
 * The compile options of each side: both take the union of both sides' ipBlock boundaries as extra
 * cuts, so their external ranges are the same ranges and the ids line up, and one CNI profile.
 */
export function pairOptions(before: Cluster, after: Cluster, options: DiffOptions = {}): { before: CompileOptions; after: CompileOptions } {
  const seen = new Map<string, Cidr>();
  for (const c of [...policyCidrs(before), ...policyCidrs(after)]) if (!seen.has(cidrKey(c))) seen.set(cidrKey(c), c);
  const extraCidrs = [...seen.values()];
  // one profile for both sides: detected from either (a Cilium or Calico policy added by the change counts; Cilium first)
  const sides = [detectCni(after), detectCni(before)];
  const detected = sides.find((d) => d.cni === 'cilium') ?? sides.find((d) => d.cni === 'calico');
  const cni = options.cni ?? (detected !== undefined ? detected.cni : null);
  const { staged: _staged, ...rest } = options;
  const opts: CompileOptions = { ...rest, cni, extraCidrs, ...(options.cni == null && detected !== undefined ? { cniSource: detected.reason } : {}) };
  return { before: { ...opts, staged: options.staged?.before ?? false }, after: { ...opts, staged: options.staged?.after ?? false } };
}

/** Compiles both sides with the options of pairOptions. */
export function compilePair(before: Cluster, after: Cluster, options: DiffOptions = {}): IndexPair {
  const opts = pairOptions(before, after, options);
  return { before: compile(before, opts.before), after: compile(after, opts.after) };
}

/** Connections of an aligned pair on one side (none when either end is absent there). */
function connOn(index: ReachabilityIndex, side: 'before' | 'after', src: Aligned, dst: Aligned): ConnectionSet {
  const s = src[side];
  const d = dst[side];
  if (s === null || d === null) return ConnectionSet.NONE;
  return index.connectionsBetween(s, d);
}

/** Connections between two replicas of an entity on one side; none unless it has replicas there. */
function selfConn(index: ReachabilityIndex, e: IndexEntity | null): ConnectionSet {
  return e !== null && index.hasReplicas(e) ? index.connectionsBetween(e, e) : ConnectionSet.NONE;
}

/** Compares two compiled sides (see compilePair for why they must be compiled together). */
export function diffIndexes(pair: IndexPair): ReachabilityDiff {
  const { before: a, after: b } = pair;
  const al = align(a, b);
  const cmp = new RowComparer(al);
  const units = al.units;
  const U = units.length;
  const E = al.entities.length;
  // Members of a unit are alike on both sides, so one (before, after) per changed unit pair serves all
  // its member pairs; pairs are collected as numeric keys (src order * E + dst order) and sorted once.
  const conns = new Map<number, readonly [ConnectionSet, ConnectionSet]>();
  const keys: number[] = [];
  const candidates = candidateSources(a, b, al);
  for (let s = 0; s < U; s++) {
    if (candidates !== null && !B.has(candidates, s)) continue; // no block or isolation of this source changed
    const su = units[s]!;
    const rowA: Row | null = su.bitA < 0 ? null : a.row(su.bitA);
    const rowB: Row | null = su.bitB < 0 ? null : b.row(su.bitB);
    B.forEach(cmp.changed(rowA, rowB), (d) => {
      const du = units[d]!;
      const src = su.members[0]!;
      // a representative pair of distinct entities (loopback answers ALL and is never listed)
      const dst = du === su ? du.members[1] : du.members[0]!;
      if (dst === undefined) return;
      if (src.before?.kind === 'external' && dst.before?.kind === 'external') return; // address to address: not a question
      const before = connOn(a, 'before', src, dst);
      const after = connOn(b, 'after', src, dst);
      if (before.equals(after)) return; // unreachable: differing bits are differing connections
      conns.set(s * U + d, [before, after]);
      for (const x of su.members) for (const y of du.members) if (x !== y) keys.push(x.order * E + y.order);
    });
  }
  // An endpoint with replicas paired with itself: traffic between two of its replicas. A side where
  // it stands for one pod (or is absent) has no such pair (loopback is never listed), so scaling a
  // workload up or down opens or closes replica traffic as the policies allow it.
  const self = new Map<number, readonly [ConnectionSet, ConnectionSet]>();
  for (const x of al.entities) {
    const before = selfConn(a, x.before);
    const after = selfConn(b, x.after);
    if (before.equals(after)) continue;
    self.set(x.order, [before, after]);
    keys.push(x.order * E + x.order);
  }
  return entriesInOrder(keys, E, (so, dO) => {
    const [before, after] = so === dO ? self.get(so)! : conns.get(al.unitOf[so]! * U + al.unitOf[dO]!)!;
    return [al.entities[so]!.id, al.entities[dO]!.id, before, after];
  });
}

/** True when nothing changed. */
export function isEmptyDiff(d: ReachabilityDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}
