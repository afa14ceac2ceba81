/**
 * Counts a user can track over time: sizes of the input and of the compiled form, and how much of
 * the endpoint-pair matrix is allowed (an isolation score). Pairs are counted per class with
 * multiplicities, never enumerated, so this stays fast on the largest clusters.
 */
import * as B from '../compile/bitset.js';
import type { ReachabilityIndex } from '../evaluate/index.js';

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

export function indexStats(index: ReachabilityIndex): IndexStats {
  const c = index.compiled;
  const C = c.classes.count;
  const weight = c.classes.members.map((m) => m.length);
  let allowed = 0;
  // per row (shared by many sources): the destinations reachable on some port, and their endpoints
  const perRow = new Map<object, { any: B.Bits; sum: number }>();
  for (let s = 0; s < C; s++) {
    const row = index.row(s);
    let r = perRow.get(row);
    if (r === undefined) {
      const any = B.empty(c.u.size);
      for (const seg of row.segs) B.orInto(any, seg);
      let sum = 0;
      B.forEach(any, (d) => {
        if (d < C) sum += weight[d]!;
      });
      perRow.set(row, (r = { any, sum }));
    }
    allowed += weight[s]! * (r.sum - (B.has(r.any, s) ? 1 : 0)); // an endpoint with itself is not a pair
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
