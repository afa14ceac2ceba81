/**
 * Multi-hop reachability (lateral movement) as a breadth-first search over the index rows: class c
 * has an edge to class d when some pod of c may open a connection to d (on any port, or on one given
 * port), and the row of c, as a bitset of classes, is c's out-neighbours. A search costs the rows it
 * expands, each a word-wise AND-NOT against the visited set; nothing is materialised per allowed pair,
 * so a cluster where every class reaches every other (one without policies) costs classes rows, not
 * classes squared edges.
 */
import * as B from '../compile/bitset.js';
import type { ReachabilityIndex } from '../evaluate/index.js';
import { anyDestinations, destinations, reachesOnSomePort, type Row } from '../evaluate/rows.js';
import type { PortQuestion } from '../evaluate/index.js';

/**
 * A port every hop of a path must allow; for ICMP / ICMPv6 `port` is the message type and `code` its
 * code (without one, every code of the type must be allowed).
 */
export type HopFilter = PortQuestion;

/** Destination classes a source bit may reach on any port (or on every value the filter names). */
export function reachableClasses(index: ReachabilityIndex, srcBit: number, filter?: HopFilter): B.Bits {
  const row = index.row(srcBit);
  let bits: B.Bits;
  if (filter !== undefined) {
    const [first, last] = index.portAtoms(filter.protocol, filter.port, filter.code);
    bits = destinations(row, first).slice();
    for (let a = first + 1; a <= last; a++) B.andInto(bits, destinations(row, a));
  } else bits = anyDestinations(row, index.compiled.u.size).slice();
  B.andInto(bits, index.compiled.u.classesMask);
  return bits;
}

/** Bytes of rows kept by a ClassReach at most: beyond it a row is recomputed when asked again. */
const CACHE_BYTES = 256 * 1048576;

/**
 * The out-neighbours of every class under one hop filter, computed on first use and kept (up to a
 * memory budget), so the many searches of one audit share them. A class's own bit is included when
 * its replicas may reach each other; searches never revisit a class, so that bit does not add a hop.
 * The neighbours depend on the class only through its index row, so the classes sharing a row (the
 * replicas' classes of one workload shape, most classes of a real cluster) share one bitset.
 */
export class ClassReach {
  readonly classes: number;
  private readonly byRow = new Map<Row, B.Bits>();
  /** The port atoms [first, last] every hop must allow; null: any port. */
  private readonly atoms: readonly [number, number] | null;
  private left: number;

  constructor(
    readonly index: ReachabilityIndex,
    readonly filter?: HopFilter,
  ) {
    this.classes = index.compiled.classes.count;
    this.atoms = filter === undefined ? null : index.portAtoms(filter.protocol, filter.port, filter.code);
    this.left = Math.floor(CACHE_BYTES / (B.wordsFor(index.compiled.u.size) * 4));
  }

  of(c: number): B.Bits {
    const row = this.index.row(c);
    const hit = this.byRow.get(row);
    if (hit !== undefined) return hit;
    const bits = reachableClasses(this.index, c, this.filter);
    if (this.left > 0) {
      this.left--;
      this.byRow.set(row, bits);
    }
    return bits;
  }

  /** Whether class c reaches class d in one hop: of(c) has d, without building of(c) when it is not kept yet. */
  reaches(c: number, d: number): boolean {
    const row = this.index.row(c);
    const hit = this.byRow.get(row);
    if (hit !== undefined) return B.has(hit, d);
    if (this.atoms === null) return reachesOnSomePort(row, d);
    for (let a = this.atoms[0]; a <= this.atoms[1]; a++) if (!B.has(destinations(row, a), d)) return false;
    return true;
  }
}

/**
 * Shortest chain of classes from `from` to a class of `goals` (both ends included), at most `maxHops`
 * edges; null when none (`from` itself is the caller's to test). Ties go to the chain found first:
 * frontier classes in discovery order, each one's neighbours ascending.
 */
export function shortestChain(reach: ClassReach, from: number, goals: B.Bits, maxHops: number): number[] | null {
  const C = reach.classes;
  const visited = B.empty(C);
  B.set(visited, from);
  // no goal left to discover: nothing to search (a cluster where nothing reaches the goal in one hop)
  let open = false;
  for (let w = 0; w < visited.length && !open; w++) open = (goals[w]! & ~visited[w]!) !== 0;
  if (!open) return null;
  let seen = 1;
  const parent = new Int32Array(C);
  parent[from] = from;
  let frontier = [from];
  for (let hop = 0; hop < maxHops && frontier.length > 0 && seen < C; hop++) {
    const next: number[] = [];
    for (const n of frontier) {
      const row = reach.of(n);
      for (let w = 0; w < visited.length; w++) {
        let x = row[w]! & ~visited[w]!;
        if (x === 0) continue;
        const hit = x & goals[w]!;
        if (hit !== 0) {
          // the lowest goal bit of the first word with one is the first goal this row discovers
          let cur = (w << 5) + 31 - Math.clz32(hit & -hit);
          const chain = [cur];
          parent[cur] = n;
          while (cur !== from) chain.push((cur = parent[cur]!));
          return chain.reverse();
        }
        visited[w]! |= x;
        while (x !== 0) {
          const t = x & -x;
          const m = (w << 5) + 31 - Math.clz32(t);
          x ^= t;
          seen++;
          parent[m] = n;
          next.push(m);
        }
      }
      if (seen === C) break;
    }
    frontier = next;
  }
  return null;
}
