/**
 * Counts a user can track over time: sizes of the input and of the compiled form, and how much of
 * the endpoint-pair matrix is allowed (an isolation score). Pairs are counted per class with
 * multiplicities, never enumerated, so this stays fast on the largest clusters.
 */
import * as B from '../compile/bitset.js';
import type { ReachabilityIndex } from '../evaluate/index.js';

/** Counts of an index: pods, workloads, classes, policies, atoms and allowed pairs. */
export interface IndexStats {
  /** Pod objects in the input (pods folded into workloads included). */
  readonly pods: number;
  /** Endpoints: workloads plus bare pods. */
  readonly workloads: number;
  readonly namespaces: number;
  readonly classes: number;
  readonly policies: number;
  readonly adminPolicies: number;
  readonly rules: number;
  readonly ipAtoms: number;
  readonly portAtoms: number;
  /** Distinct rows of the index (sources sharing rules share a row). */
  readonly rows: number;
  /** Ordered pairs of distinct endpoints with something allowed. */
  readonly allowedPairs: number;
  /** Ordered pairs of distinct endpoints. */
  readonly totalPairs: number;
  /** 1 - allowedPairs / totalPairs: 0 when everything can talk to everything. */
  readonly isolationScore: number;
}

/** Counts of an index (computes every row once). */
export function indexStats(index: ReachabilityIndex): IndexStats {
  const c = index.compiled;
  const C = c.classes.count;
  const weight = c.classes.members.map((m) => m.length);
  // endpoints per word of a bitset, for words whose bits are all set (most of a permissive row)
  const W = B.wordsFor(c.u.size);
  const wordWeight = new Float64Array(W);
  for (let d = 0; d < C; d++) wordWeight[d >>> 5]! += weight[d]!;
  let allowed = 0;
  // per row (shared by many sources): the endpoints of the destinations reachable on some port. The
  // union of the row's segments is built over their nonzero words only (segments are interned, so
  // never changed), in a scratch buffer cleared word by word after each row.
  const perRow = new Map<object, number>();
  const scratch = new Uint32Array(W);
  const touched = new Uint8Array(W);
  const words: number[] = [];
  for (let s = 0; s < C; s++) {
    const row = index.row(s);
    let sum = perRow.get(row);
    if (sum === undefined) {
      for (const seg of new Set(row.segs)) {
        const nz = B.nonzeroWords(seg);
        for (let k = 0; k < nz.length; k++) {
          const w = nz[k]!;
          if (touched[w] === 0) {
            touched[w] = 1;
            words.push(w);
          }
          scratch[w]! |= seg[w]!;
        }
      }
      sum = 0;
      for (const w of words) {
        sum += weightOfWord(scratch[w]!, w, C, weight, wordWeight);
        scratch[w] = 0;
        touched[w] = 0;
      }
      words.length = 0;
      perRow.set(row, sum);
    }
    // an endpoint with itself is not a pair
    allowed += weight[s]! * (sum - (row.segs.some((seg) => B.has(seg, s)) ? 1 : 0));
  }
  const E = c.cluster.endpoints.length;
  const total = E * (E - 1);
  return {
    pods: c.cluster.endpoints.reduce((n, e) => n + e.podCount, 0),
    workloads: E,
    namespaces: new Set(c.cluster.endpoints.map((e) => e.namespace)).size,
    classes: C,
    policies: c.cluster.policies.length,
    adminPolicies: c.cluster.adminPolicies?.length ?? 0,
    rules: c.blocks.length,
    ipAtoms: c.ipAtoms.count,
    portAtoms: c.ports.count,
    rows: index.rowCount,
    allowedPairs: allowed,
    totalPairs: total,
    isolationScore: total === 0 ? 1 : 1 - allowed / total,
  };
}

/** Endpoints in the classes of one word of a bitset (bits at or above C, external atoms, count nothing). */
function weightOfWord(x: number, w: number, C: number, weight: readonly number[], wordWeight: Float64Array): number {
  if (x === 0 || w << 5 >= C) return 0;
  if (x === 0xffffffff && (w + 1) << 5 <= C) return wordWeight[w]!;
  let sum = 0;
  while (x !== 0) {
    const t = x & -x;
    const d = (w << 5) + 31 - Math.clz32(t);
    if (d < C) sum += weight[d]!;
    x ^= t;
  }
  return sum;
}
