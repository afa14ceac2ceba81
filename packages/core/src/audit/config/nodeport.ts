/**
 * NODEPORT_SERVICE: a NodePort or LoadBalancer Service opens a port in 30000-32767 on every node,
 * reachable by whatever reaches the nodes, bypassing any ingress controller or load balancer rules.
 * The evidence lists the workloads the selector picks (same namespace, labels match) and, when the
 * caller can tell (`isIngressIsolated`, from the engine's index), whether a NetworkPolicy limits who
 * reaches them. An empty selector picks nothing: the API server stores `selector: {}` as no selector.
 */
import type { Finding } from '../finding.js';
import type { Cluster, Endpoint, Service } from '../../model/types.js';
import { finding } from './make-finding.js';

/** The endpoints of each namespace, in cluster order, per endpoint list. */
const byNamespace = new WeakMap<readonly Endpoint[], Map<string, Endpoint[]>>();

/** The workloads a Service's selector picks: same namespace, labels match; none for an empty selector. */
function selected(s: Service, cluster: Cluster): Endpoint[] {
  const sel = s.selector === null ? [] : Object.entries(s.selector);
  if (sel.length === 0) return [];
  let m = byNamespace.get(cluster.endpoints);
  if (m === undefined) {
    byNamespace.set(cluster.endpoints, (m = new Map()));
    for (const e of cluster.endpoints) {
      let list = m.get(e.namespace);
      if (list === undefined) m.set(e.namespace, (list = []));
      list.push(e);
    }
  }
  return (m.get(s.namespace) ?? []).filter((e) => sel.every(([k, v]) => e.labels[k] === v));
}

/** What the index says of a workload's ingress from outside (audit/network/outside.ts); null: unknown. */
export type OutsideIngressOf = (endpointId: string) => 'open' | 'admits-all' | 'limited' | null;

const WORDING = {
  open: 'no NetworkPolicy limits ingress: any source that reaches a node reaches it',
  'admits-all': 'its ingress policies admit every outside address on every port: any source that reaches a node reaches it',
  limited: 'ingress limited by a NetworkPolicy',
} as const;

export function auditNodePort(s: Service, cluster: Cluster, isIngressIsolated?: (endpointId: string) => boolean, outside?: OutsideIngressOf): Finding[] {
  if (s.type !== 'NodePort' && s.type !== 'LoadBalancer') return [];
  const subject = `${s.namespace}/${s.name}[Service]`;
  const ports = s.ports.map((p) => `${p.nodePort ?? 'auto-assigned node port'}/${p.protocol} -> ${p.port}`).join(', ');
  const targets = selected(s, cluster);
  let exposed: string;
  if (s.selector === null || Object.keys(s.selector).length === 0) {
    exposed = 'no selector: endpoints are managed elsewhere';
  } else if (targets.length === 0) {
    exposed = 'no workload in the input matches the selector';
  } else {
    exposed = targets
      .map((e) => {
        const o = outside?.(e.id) ?? null;
        if (o !== null) return `${e.id} (${WORDING[o]})`;
        if (isIngressIsolated === undefined) return e.id;
        return `${e.id} (${isIngressIsolated(e.id) ? 'ingress limited by a NetworkPolicy' : 'no NetworkPolicy limits ingress: any source that reaches a node reaches it'})`;
      })
      .join(', ');
  }
  return [
    finding(
      'NODEPORT_SERVICE',
      subject,
      `${s.type} Service ${subject} opens ${s.ports.length === 1 ? 'a port' : 'ports'} in 30000-32767 on every node, so its pods are reachable through any node address.`,
      `type ${s.type}, node ports ${ports}; exposes ${exposed}`,
      `in ${s.location.file}, use \`type: ClusterIP\` behind an Ingress or Gateway if outside access is not needed directly; otherwise firewall the node ports to known sources and add a NetworkPolicy that admits only them`,
      s.location,
    ),
  ];
}
