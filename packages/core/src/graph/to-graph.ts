/**
 * graphology is the *view* over the index, not the engine: the reachability graph is
 * materialised on demand for multi-hop paths, exports and reports. Nodes are entity ids with their
 * kind, namespace, labels and addresses; a directed edge carries the allowed ConnectionSet.
 */
import { DirectedGraph } from 'graphology';
import type { ReachabilityIndex } from '../evaluate/index.js';
import type { ConnectionSet } from '../net/connection-set.js';
import { matrix, type MatrixOptions } from '../query/matrix.js';

/** Attributes of a graph node (an endpoint or an external range). */
export interface NodeAttributes extends Record<string, unknown> {
  readonly kind: 'endpoint' | 'external';
  /** Workload kind (`Deployment`, `Pod`, ...) or `External`. */
  readonly workloadKind: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Known pod IPs, or the range `FIRST-LAST` of an external node. */
  readonly addresses: readonly string[];
}

/** Attributes of a graph edge: the connections allowed from its source to its target. */
export interface EdgeAttributes extends Record<string, unknown> {
  readonly conn: ConnectionSet;
  /** conn as text (`TCP 80,UDP 53`, `All Connections`). */
  readonly label: string;
}

/** The reachability index as a graphology graph. */
export type ReachabilityGraph = DirectedGraph<NodeAttributes, EdgeAttributes>;

/** The index as a directed graphology graph: a node per entity, an edge per pair with something allowed (for exports and graph algorithms). */
export function toGraph(index: ReachabilityIndex, options: MatrixOptions = {}): ReachabilityGraph {
  const g = new DirectedGraph<NodeAttributes, EdgeAttributes>();
  for (const e of index.entities) {
    if (options.external === false && e.kind === 'external') continue;
    if (e.kind === 'endpoint') {
      const ep = e.endpoint;
      g.addNode(e.id, { kind: 'endpoint', workloadKind: ep.kind, namespace: ep.namespace, name: ep.name, labels: ep.labels, addresses: ep.ips });
    } else {
      const range = e.id.replace(/\[External\]$/, '');
      g.addNode(e.id, { kind: 'external', workloadKind: 'External', namespace: null, name: range, labels: {}, addresses: [range] });
    }
  }
  for (const m of matrix(index, options)) g.addDirectedEdge(m.src.id, m.dst.id, { conn: m.conn, label: m.conn.toString() });
  return g;
}
