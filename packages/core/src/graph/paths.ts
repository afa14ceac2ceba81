/**
 * Multi-hop reachability (lateral movement) over a graphology graph of endpoint classes built from
 * the index: an edge c -> d when some pod of class c may open a connection to class d (on any port,
 * or on one given port). Breadth-first search gives the shortest chains.
 */
import { DirectedGraph } from 'graphology';
import * as B from '../compile/bitset.js';
import type { ReachabilityIndex } from '../evaluate/index.js';
import { destinations } from '../evaluate/rows.js';
import type { ConnProtocol } from '../net/connection-set.js';

export interface HopFilter {
  readonly protocol: ConnProtocol;
  readonly port: number;
}

/** Destination classes a source bit may reach on any port (or on the given port). */
export function reachableClasses(index: ReachabilityIndex, srcBit: number, filter?: HopFilter): B.Bits {
  const row = index.row(srcBit);
  let bits: B.Bits;
  if (filter !== undefined) bits = destinations(row, index.compiled.ports.find(filter.protocol, filter.port)).slice();
  else {
    bits = B.empty(index.compiled.u.size);
    for (const s of row.segs) B.orInto(bits, s);
  }
  B.andInto(bits, index.compiled.u.classesMask);
  return bits;
}

export type ClassGraph = DirectedGraph;

/** The class-level reachability graph (nodes are class ids as strings). */
export function classGraph(index: ReachabilityIndex, filter?: HopFilter): ClassGraph {
  const g = new DirectedGraph();
  const C = index.compiled.classes.count;
  for (let c = 0; c < C; c++) g.addNode(String(c));
  for (let c = 0; c < C; c++) {
    B.forEach(reachableClasses(index, c, filter), (d) => {
      if (d !== c) g.addDirectedEdge(String(c), String(d));
    });
  }
  return g;
}

/**
 * Shortest chain of classes from `from` to a class satisfying `isGoal` (both ends included), at most
 * `maxHops` edges; null when none. `from` itself counts when it is a goal (a chain of one).
 */
export function shortestChain(g: ClassGraph, from: number, isGoal: (c: number) => boolean, maxHops: number): number[] | null {
  const start = String(from);
  if (isGoal(from)) return [from];
  const parent = new Map<string, string>([[start, start]]);
  let frontier = [start];
  for (let hop = 0; hop < maxHops && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const n of frontier) {
      for (const m of g.outNeighbors(n)) {
        if (parent.has(m)) continue;
        parent.set(m, n);
        if (isGoal(Number(m))) {
          const chain = [Number(m)];
          let cur = m;
          while (cur !== start) {
            cur = parent.get(cur)!;
            chain.push(Number(cur));
          }
          return chain.reverse();
        }
        next.push(m);
      }
    }
    frontier = next;
  }
  return null;
}
