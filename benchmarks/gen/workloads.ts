/**
 * Pod templates: which containers (and so which named ports) a workload of a given tier runs.
 * Containers are built once per workload and frozen, and every replica's Pod shares that array
 * (150k pods would otherwise hold 150k copies); the output is read-only data.
 *
 * | tier     | named ports (containerPort/protocol)                                   |
 * |----------|------------------------------------------------------------------------|
 * | frontend | http 8080 (sometimes 3000 or 8000), metrics 9090                       |
 * | backend  | http 8080, grpc 50051 (most), metrics 9090                             |
 * | worker   | metrics 9090                                                           |
 * | cache    | redis 6379 or memcache 11211, metrics 9121                             |
 * | db       | postgres 5432 / mysql 3306 / mongodb 27017 / cql 9042 + intra 7000, metrics 9187 |
 * | queue    | kafka 9092 + kafka-internal 9093 / amqp 5672 / client 4222 + cluster 6222 |
 * | telco    | ngap 38412/SCTP, http 8080, pfcp 8805/UDP (upf), metrics 9090          |
 * | system   | coredns: dns 53/UDP, dns-tcp 53/TCP, metrics 9153; control plane, ...  |
 *
 * A quarter of the user workloads also run an `envoy` sidecar with http-envoy-prom 15090.
 */
import type { Rng } from './prng.js';
import type { Tier } from './names.js';
import type { ContainerPortJson, Labels, ProtocolName } from './types.js';

export interface ContainerJson {
  image: string;
  imagePullPolicy: 'IfNotPresent';
  name: string;
  ports?: ContainerPortJson[];
  resources: { limits?: Record<string, string>; requests?: Record<string, string> };
  terminationMessagePath: string;
  terminationMessagePolicy: 'File';
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Static';

/** What the policy generators need to know about a workload. */
export interface WorkloadInfo {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  /** Value of the `app` label (system workloads: '' and selected by templateLabels instead). */
  readonly app: string;
  readonly tier: Tier | 'system';
  readonly templateLabels: Readonly<Labels>;
  readonly containers: readonly ContainerJson[];
  /** Named ports of all containers, in declaration order; the first is the "main" port. */
  readonly ports: readonly ContainerPortJson[];
  readonly hostNetwork: boolean;
}

export function port(name: string, containerPort: number, protocol: ProtocolName = 'TCP'): ContainerPortJson {
  return { containerPort, name, protocol };
}

export function container(name: string, image: string, ports: ContainerPortJson[], rng: Rng | null): ContainerJson {
  // Keys in kubectl's order: image, imagePullPolicy, name, ports, resources, ...
  const c = { image, imagePullPolicy: 'IfNotPresent', name } as ContainerJson;
  if (ports.length > 0) c.ports = ports;
  c.resources = {};
  c.terminationMessagePath = '/dev/termination-log';
  c.terminationMessagePolicy = 'File';
  if (rng !== null) {
    // Some workloads omit limits: realistic, and food for the configuration audit.
    const cpu = rng.pick(['50m', '100m', '250m', '500m', '1']);
    const mem = rng.pick(['64Mi', '128Mi', '256Mi', '512Mi', '1Gi', '2Gi']);
    c.resources = rng.chance(0.8) ? { limits: { memory: mem }, requests: { cpu, memory: mem } } : { requests: { cpu, memory: mem } };
  }
  return c;
}

/** Deep-freezes containers so a shared array cannot be changed through one pod. */
export function freezeContainers(cs: ContainerJson[]): readonly ContainerJson[] {
  for (const c of cs) {
    for (const p of c.ports ?? []) Object.freeze(p);
    if (c.ports) Object.freeze(c.ports);
    if (c.resources.limits) Object.freeze(c.resources.limits);
    if (c.resources.requests) Object.freeze(c.resources.requests);
    Object.freeze(c.resources);
    Object.freeze(c);
  }
  return Object.freeze(cs);
}

function mainPorts(tier: Tier, app: string, rng: Rng): ContainerPortJson[] {
  switch (tier) {
    case 'frontend':
      return [
        port(
          'http',
          rng.weighted([
            [8080, 8],
            [3000, 1],
            [8000, 1],
          ]),
        ),
        port('metrics', 9090),
      ];
    case 'backend':
      return rng.chance(0.6) ? [port('http', 8080), port('grpc', 50051), port('metrics', 9090)] : [port('http', 8080), port('metrics', 9090)];
    case 'worker':
      return [port('metrics', 9090)];
    case 'cache':
      return [app.startsWith('memcached') ? port('memcache', 11211) : port('redis', 6379), port('metrics', 9121)];
    case 'db':
      if (app.startsWith('postgres')) return [port('postgres', 5432), port('metrics', 9187)];
      if (app.startsWith('mysql')) return [port('mysql', 3306), port('metrics', 9104)];
      if (app.startsWith('mongodb')) return [port('mongodb', 27017), port('metrics', 9216)];
      return [port('cql', 9042), port('intra', 7000), port('metrics', 9500)];
    case 'queue':
      if (app.startsWith('kafka')) return [port('kafka', 9092), port('kafka-internal', 9093), port('metrics', 9308)];
      if (app.startsWith('rabbitmq')) return [port('amqp', 5672), port('management', 15672), port('metrics', 15692)];
      return [port('client', 4222), port('cluster', 6222), port('metrics', 7777)];
    case 'telco':
      return app.startsWith('upf')
        ? [port('pfcp', 8805, 'UDP'), port('http', 8080), port('metrics', 9090)]
        : [port('ngap', 38412, 'SCTP'), port('http', 8080), port('metrics', 9090)];
    default: {
      const _x: never = tier;
      return _x;
    }
  }
}

/** Containers of a user workload (main container plus an optional sidecar). */
export function userContainers(tier: Tier, app: string, team: string, rng: Rng): ContainerJson[] {
  const image = `registry.example.com/${team}/${app.replace(/-[0-9]+$/, '')}:1.${rng.int(0, 40)}.${rng.int(0, 9)}`;
  const cs = [container(app, image, mainPorts(tier, app, rng), rng)];
  if (rng.chance(0.25)) {
    cs.push(container('envoy', 'docker.io/envoyproxy/envoy:v1.30.1', [port('http-envoy-prom', 15090)], rng));
  }
  return cs;
}

/** All named ports of a container list, in order. */
export function namedPorts(cs: readonly ContainerJson[]): ContainerPortJson[] {
  const out: ContainerPortJson[] = [];
  for (const c of cs) for (const p of c.ports ?? []) out.push(p);
  return out;
}
