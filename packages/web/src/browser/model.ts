/**
 * Client-side lookups over the report's data: groups (namespaces, and the outside world), edges by
 * node, the port filter. Everything here reads what the core computed; nothing re-evaluates policy.
 */
import type { ReportConn, ReportData, ReportEdge, ReportNode } from '@kubereach/core';

/** The group of addresses outside the cluster. */
export const OUTSIDE = '(outside the cluster)';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface PortFilter {
  readonly protocol: Protocol;
  readonly port: number;
}

/** `5432`, `5432/tcp`, `53/UDP`; null for anything else. */
export function parsePortFilter(text: string): PortFilter | null {
  const m = /^\s*(\d{1,5})\s*(?:\/\s*(tcp|udp|sctp))?\s*$/i.exec(text);
  if (m === null) return null;
  const port = Number(m[1]);
  if (port < 1 || port > 65535) return null;
  return { port, protocol: (m[2] ?? 'TCP').toUpperCase() as Protocol };
}

export function connAllows(c: ReportConn, f: PortFilter): boolean {
  return c[f.protocol].some(([lo, hi]) => lo <= f.port && f.port <= hi);
}

export class ReportModel {
  readonly groups: string[];
  readonly groupOf: string[];
  readonly members = new Map<string, number[]>();
  readonly out: number[][];
  readonly in: number[][];
  readonly byId = new Map<string, number>();

  constructor(readonly data: ReportData) {
    this.groupOf = data.nodes.map((n) => n.namespace ?? OUTSIDE);
    data.nodes.forEach((n, i) => {
      this.byId.set(n.id, i);
      const g = this.groupOf[i]!;
      const list = this.members.get(g);
      if (list === undefined) this.members.set(g, [i]);
      else list.push(i);
    });
    this.groups = [...this.members.keys()].sort((a, b) => (a === OUTSIDE ? -1 : b === OUTSIDE ? 1 : a < b ? -1 : a > b ? 1 : 0));
    this.out = data.nodes.map(() => []);
    this.in = data.nodes.map(() => []);
    data.edges.forEach((e, i) => {
      this.out[e.src]!.push(i);
      this.in[e.dst]!.push(i);
    });
  }

  node(i: number): ReportNode {
    return this.data.nodes[i]!;
  }

  edge(i: number): ReportEdge {
    return this.data.edges[i]!;
  }

  conn(e: ReportEdge): ReportConn {
    return this.data.conns[e.conn]!;
  }

  /** What `kubereach can SRC DST --explain` prints for this pair (on the side the edge exists). */
  explainText(e: ReportEdge): string {
    const src = this.node(e.src).id;
    const dst = this.node(e.dst).id;
    const notes = (e.notes ?? []).map((n) => `note: ${this.data.texts[n]}\n`).join('');
    return `yes\n${src} => ${dst} : ${this.conn(e).text}\n${notes}${this.data.texts[e.egress]}\n${this.data.texts[e.ingress]}\n`;
  }
}
