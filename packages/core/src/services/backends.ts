/**
 * Services, resolved at query time: a Service is not an endpoint class but a name for its backends,
 * each reached on its own target port. The engine answers per backend; this file only decides which
 * backends and which port, as the endpoints controller and kube-proxy do:
 *
 * | Service                         | backends                                                     |
 * |---------------------------------|--------------------------------------------------------------|
 * | selector                        | pods of its namespace whose labels match (Pod objects when given, else the template) |
 * | no selector                     | addresses of its EndpointSlices / Endpoints (ready ones): a pod by targetRef or IP, else the external range |
 * | ExternalName                    | none: the name leaves the cluster through DNS                |
 *
 * | targetPort                      | port on a backend                                            |
 * |---------------------------------|--------------------------------------------------------------|
 * | a number (default: the port)    | that number, the Service port's protocol                     |
 * | a name                          | the backend's container port of that name and protocol; a backend without it gets no traffic on this port |
 * | (no selector)                   | the EndpointSlice port whose name is the Service port's name |
 */
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import type { Endpoint, Labels, Protocol, Service, ServicePort } from '../model/types.js';
import { formatIP, parseIP } from '../net/ip.js';

/** `ns/name[Service]`. */
export function serviceId(s: Service): string {
  return `${s.namespace}/${s.name}[Service]`;
}

/** One backend of a Service for one Service port. */
export interface ServiceBackend {
  readonly entity: IndexEntity;
  /** How answers name it: the endpoint's id, or `ADDRESS[External]` for an address outside the pod network. */
  readonly label: string;
  readonly servicePort: ServicePort;
  /** Where the traffic lands on this backend; null when the backend has no such port (reason says why). */
  readonly target: { readonly protocol: Protocol; readonly port: number; readonly name: string } | null;
  /** Why this backend receives no traffic on this port, or a qualification of the answer; null otherwise. */
  readonly note: string | null;
}

/** A Service resolved to its backends and their target ports. */
export interface ServiceResolution {
  readonly service: Service;
  readonly id: string;
  /** The Service ports asked about (every port when none was named). */
  readonly ports: readonly ServicePort[];
  /** How the backends were found. */
  readonly via: 'selector' | 'endpoints' | 'none';
  readonly backends: readonly ServiceBackend[];
  /** Why there is nothing to reach (ExternalName, no port, no backend); null when there are backends. */
  readonly reason: string | null;
  /** Facts that qualify every answer about this Service (not-ready addresses left out, pods that differ). */
  readonly notes: readonly string[];
}

/** Which Service port to resolve (number or name), or all. */
export interface ServicePortQuery {
  /** A Service port number or a Service port name. */
  readonly port: number | string;
  /** Given explicitly by the user (else TCP for numbers, the named port's own protocol for names). */
  readonly protocol: Protocol | null;
}

function portLabel(p: ServicePort): string {
  return `${p.name === '' ? '' : `${p.name} `}${p.port}/${p.protocol}`;
}

/** The Service ports a query names (every port when none is given); empty when none matches. */
export function servicePorts(service: Service, query?: ServicePortQuery): ServicePort[] {
  if (query === undefined) return [...service.ports];
  return service.ports.filter((p) => {
    if (query.protocol !== null && p.protocol !== query.protocol) return false;
    if (typeof query.port === 'number') return p.port === query.port && (query.protocol !== null || p.protocol === 'TCP');
    return p.name === query.port;
  });
}

function matches(selector: Labels, labels: Labels): boolean {
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

/**
 * Resolutions of a Service per query, by entity table and Service object (and the cluster's
 * EndpointSlices): a resolution reads nothing else, and incremental updates keep both, so an audit run again after a policy change
 * (`kubereach watch`) does not match every Service's selector against every pod again.
 */
const resolved = new WeakMap<readonly IndexEntity[], WeakMap<Service, { readonly sets: unknown; readonly byQuery: Map<string, ServiceResolution> }>>();

/** Resolves a Service to its backends for the ports a query names. Pure: reads the index's entity table and EndpointSlices only. */
export function resolveService(index: ReachabilityIndex, service: Service, query?: ServicePortQuery): ServiceResolution {
  let m = resolved.get(index.entities);
  if (m === undefined) resolved.set(index.entities, (m = new WeakMap()));
  // EndpointSlices name a Service's backends when it has no selector: part of the key
  const sets = index.compiled.cluster.serviceEndpoints;
  let hit = m.get(service);
  if (hit === undefined || hit.sets !== sets) m.set(service, (hit = { sets, byQuery: new Map() }));
  const key = query === undefined ? '' : `${typeof query.port}:${query.port}/${query.protocol ?? ''}`;
  let r = hit.byQuery.get(key);
  if (r === undefined) hit.byQuery.set(key, (r = resolveServiceNow(index, service, query)));
  return r;
}

function resolveServiceNow(index: ReachabilityIndex, service: Service, query?: ServicePortQuery): ServiceResolution {
  const id = serviceId(service);
  const base = { service, id, notes: [] as string[] };
  if (service.type === 'ExternalName') {
    const to = service.externalName ? ` (${service.externalName})` : '';
    return {
      ...base,
      ports: servicePorts(service, query),
      via: 'none',
      backends: [],
      reason: `${id} is an ExternalName Service${to}: clients resolve it by DNS to a name outside the cluster, so it has no backends to reach`,
    };
  }
  const ports = servicePorts(service, query);
  if (ports.length === 0) {
    const have = service.ports.length === 0 ? 'it has no ports' : `its ports: ${service.ports.map(portLabel).join(', ')}`;
    const asked = query === undefined ? '' : ` ${query.port}${query.protocol === null ? '' : `/${query.protocol}`}`;
    return { ...base, ports, via: service.selector === null ? 'endpoints' : 'selector', backends: [], reason: `${id} has no port${asked} (${have})` };
  }
  return service.selector !== null ? bySelector(index, service, service.selector, ports, base) : byEndpoints(index, service, ports, base);
}

type EndpointEntity = Extract<IndexEntity, { kind: 'endpoint' }>;

/**
 * The endpoint entities of each namespace, in entity order, per entity table (shared along
 * incremental updates): resolving every Service of a cluster scans its own namespace, not every
 * entity once per Service.
 */
const byNamespace = new WeakMap<readonly IndexEntity[], Map<string, EndpointEntity[]>>();

function endpointsIn(index: ReachabilityIndex, namespace: string): readonly EndpointEntity[] {
  let m = byNamespace.get(index.entities);
  if (m === undefined) {
    byNamespace.set(index.entities, (m = new Map()));
    for (const en of index.entities) {
      if (en.kind !== 'endpoint') continue;
      let list = m.get(en.endpoint.namespace);
      if (list === undefined) m.set(en.endpoint.namespace, (list = []));
      list.push(en);
    }
  }
  return m.get(namespace) ?? [];
}

function bySelector(
  index: ReachabilityIndex,
  service: Service,
  selector: Labels,
  ports: readonly ServicePort[],
  base: { service: Service; id: string; notes: string[] },
): ServiceResolution {
  const picked: { entity: IndexEntity; endpoint: Endpoint }[] = [];
  for (const en of endpointsIn(index, service.namespace)) {
    const pods = en.endpoint.pods ?? [];
    if (pods.length === 0) {
      if (matches(selector, en.endpoint.labels)) picked.push({ entity: en, endpoint: en.endpoint });
      continue;
    }
    const hit = pods.filter((p) => matches(selector, p.labels)).length;
    if (hit === 0) continue;
    picked.push({ entity: en, endpoint: en.endpoint });
    if (hit < pods.length)
      base.notes.push(`only ${hit} of the ${pods.length} pods of ${en.id} match the selector of ${base.id}; the answer for ${en.id} holds for those`);
  }
  picked.sort((a, b) => (a.entity.id < b.entity.id ? -1 : a.entity.id > b.entity.id ? 1 : 0));
  if (picked.length === 0) {
    const sel = Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return { ...base, ports, via: 'selector', backends: [], reason: `the selector of ${base.id} (${sel}) picks no pod in namespace ${service.namespace}` };
  }
  const backends: ServiceBackend[] = [];
  for (const sp of ports) {
    for (const { entity, endpoint } of picked) {
      if (typeof sp.targetPort === 'number') {
        backends.push({ entity, label: entity.id, servicePort: sp, target: { protocol: sp.protocol, port: sp.targetPort, name: '' }, note: null });
        continue;
      }
      const cp = endpoint.ports.find((p) => p.name === sp.targetPort && p.protocol === sp.protocol);
      backends.push(
        cp === undefined
          ? {
              entity,
              label: entity.id,
              servicePort: sp,
              target: null,
              note: `${entity.id} has no container port named ${sp.targetPort}/${sp.protocol}, so ${base.id} sends it no traffic on ${portLabel(sp)}`,
            }
          : { entity, label: entity.id, servicePort: sp, target: { protocol: sp.protocol, port: cp.port, name: cp.name }, note: null },
      );
    }
  }
  return { ...base, ports, via: 'selector', backends, reason: null };
}

function byEndpoints(
  index: ReachabilityIndex,
  service: Service,
  ports: readonly ServicePort[],
  base: { service: Service; id: string; notes: string[] },
): ServiceResolution {
  const sets = (index.compiled.cluster.serviceEndpoints ?? []).filter((s) => s.namespace === service.namespace && s.service === service.name);
  if (sets.length === 0) {
    return {
      ...base,
      ports,
      via: 'endpoints',
      backends: [],
      reason: `${base.id} has no selector and the input has no EndpointSlice or Endpoints for it, so its backends are unknown`,
    };
  }
  const backends: ServiceBackend[] = [];
  const seen = new Set<string>();
  let notReady = 0;
  for (const sp of ports) {
    for (const set of sets) {
      // one unnamed Service port matches the unnamed slice port
      const ep = set.ports.find((p) => p.name === sp.name && p.protocol === sp.protocol);
      if (ep === undefined) continue;
      for (const a of set.addresses) {
        if (!a.ready) {
          notReady++;
          continue;
        }
        const entity = addressEntity(index, a.pod, a.ip);
        if (entity === null) continue;
        const label = entity.kind === 'external' ? `${a.ip}[External]` : entity.id;
        const key = `${sp.port}/${sp.protocol} ${label} ${ep.port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        backends.push({
          entity,
          label,
          servicePort: sp,
          target: { protocol: ep.protocol, port: ep.port, name: ep.name },
          note: entity.kind === 'external' ? `${a.ip} is outside the pod network (${set.kind} ${set.namespace}/${set.name})` : null,
        });
      }
    }
  }
  if (notReady > 0) base.notes.push(`${notReady} not-ready address${notReady === 1 ? '' : 'es'} of ${base.id} left out: kube-proxy sends no traffic to them`);
  if (backends.length === 0) {
    return {
      ...base,
      ports,
      via: 'endpoints',
      backends,
      reason: `the EndpointSlices/Endpoints of ${base.id} list no ready address for ${ports.map(portLabel).join(', ')}`,
    };
  }
  backends.sort((a, b) => ports.indexOf(a.servicePort) - ports.indexOf(b.servicePort) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return { ...base, ports, via: 'endpoints', backends, reason: null };
}

/** The entity an endpoint address names: the pod of its targetRef, the pod with that IP, else the external range. */
function addressEntity(index: ReachabilityIndex, pod: { namespace: string; name: string } | null, ip: string): IndexEntity | null {
  if (pod !== null) {
    for (const en of index.entities) {
      if (en.kind !== 'endpoint' || en.endpoint.namespace !== pod.namespace) continue;
      if ((en.endpoint.kind === 'Pod' && en.endpoint.name === pod.name) || (en.endpoint.pods ?? []).some((p) => p.name === pod.name)) return en;
    }
  }
  for (const en of index.entities) if (en.kind === 'endpoint' && en.endpoint.ips.includes(ip)) return en;
  return index.addressEntity(ip);
}

/** Services by namespace and name, or by a virtual address (ClusterIP, external IP, load-balancer IP). */
export function findService(services: readonly Service[], namespace: string, name: string): Service | null {
  return services.find((s) => s.namespace === namespace && s.name === name) ?? null;
}

/** The Service whose ClusterIP is an address, if any. */
export function serviceByAddress(services: readonly Service[], address: string): Service | null {
  const ip = parseIP(address);
  if (ip === null) return null;
  const text = formatIP(ip.value);
  return services.find((s) => s.clusterIPs.includes(text)) ?? null;
}
