/**
 * The reference reading of a Service, pod by pod, written from the Kubernetes documentation
 * ("Service": selector, port, targetPort, "Defining a Service" on named ports; "EndpointSlices")
 * and sharing no code with the engine's resolver:
 *
 * - A Service with a selector sends traffic to every pod of its namespace whose labels contain every
 *   selector pair.
 * - The target port of a Service port is `targetPort`; when it is a string, each pod's container port
 *   with that name (and the Service port's protocol) — "the actual port number assigned to that name
 *   can be different in each backend Pod". A pod without it is not an endpoint for that port.
 * - An ExternalName Service has no endpoints.
 *
 * Then the question "can SRC reach the Service on port P" is asked of the reference evaluator once
 * per backend pod, at that pod's target port.
 */
import type { Cluster, Endpoint, Protocol, Service, ServicePort } from '../../packages/core/src/model/types.js';
import { referenceAllowed, type ReferenceOptions } from './evaluator.js';

export interface ReferenceBackend {
  readonly pod: string;
  readonly protocol: Protocol;
  /** null: the pod has no such named port and gets no traffic. */
  readonly port: number | null;
}

function podMatches(service: Service, pod: Endpoint): boolean {
  if (pod.namespace !== service.namespace || service.selector === null) return false;
  return Object.keys(service.selector).every((k) => Object.prototype.hasOwnProperty.call(pod.labels, k) && pod.labels[k] === service.selector![k]);
}

export function referenceBackends(cluster: Cluster, service: Service, sp: ServicePort): ReferenceBackend[] {
  if (service.type === 'ExternalName') return [];
  const out: ReferenceBackend[] = [];
  for (const pod of cluster.endpoints) {
    if (!podMatches(service, pod)) continue;
    let port: number | null;
    if (typeof sp.targetPort === 'number') port = sp.targetPort;
    else {
      port = null;
      for (const c of pod.containers) {
        if (c.init) continue;
        for (const p of c.ports) if (p.name === sp.targetPort && p.protocol === sp.protocol && port === null) port = p.port;
      }
    }
    out.push({ pod: pod.id, protocol: sp.protocol, port });
  }
  return out;
}

/** Per backend pod: allowed on its target port. */
export function referenceServiceAnswer(cluster: Cluster, src: string, service: Service, sp: ServicePort, options: ReferenceOptions): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const b of referenceBackends(cluster, service, sp)) {
    out.set(b.pod, b.port !== null && referenceAllowed(cluster, { kind: 'endpoint', id: src }, { kind: 'endpoint', id: b.pod }, b.protocol, b.port, options));
  }
  return out;
}
