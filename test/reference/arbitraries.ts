/**
 * fast-check arbitraries for whole clusters at the model level (packages/core/src/model/types.ts),
 * and for the points at which to ask them a question.
 *
 * Everything is drawn from small vocabularies so that selectors actually hit: three pod label keys
 * with three values, two namespace label keys, five port names, a handful of CIDRs around the pod
 * address ranges (IPv4 10.0.0.0/16, IPv6 fd00::/64). Generated objects are valid as the API server
 * would accept them (the model stage rejects the rest): port names unique per pod, endPort only
 * with a numeric port and >= it, except blocks strict subsets of their cidr, at least one of
 * podSelector / namespaceSelector in a pods peer, at least one policy type.
 */
import fc from 'fast-check';
import type {
  Cluster,
  ContainerPort,
  Endpoint,
  LabelRequirement,
  LabelSelector,
  Labels,
  Namespace,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  Protocol,
  SelectorOperator,
} from '../../packages/core/src/model/types.js';
import { formatIP, parseIP, V6_OFFSET, V6_MAX, V4_MAX } from '../../packages/core/src/net/ip.js';
import { cidr, endpoint, ipBlock, namespace, policy, podsPeer, pport, rule, selector } from './build.js';
import type { Ref } from './evaluator.js';

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const NAMESPACE_NAMES = ['ns-a', 'ns-b', 'ns-c', 'ns-d'];
const POD_KEYS = ['app', 'tier', 'env'];
const POD_VALUES = ['a', 'b', 'c'];
const NS_KEYS = ['team', 'stage'];
const NS_VALUES = ['x', 'y'];
const PORT_NAMES = ['http', 'dns', 'metrics', 'grpc'];
/** Rule port names: the pods' names plus one no pod has. */
const RULE_PORT_NAMES = [...PORT_NAMES, 'nope'];
const COMMON_PORTS = [53, 80, 443, 8080, 9090];

/** ipBlock cidrs: around the pod ranges, plus both "everything" blocks and some unrelated ones. */
const CIDRS = [
  '10.0.0.0/8',
  '10.0.0.0/16',
  '10.0.1.0/24',
  '10.0.0.0/25',
  '0.0.0.0/0',
  '192.168.0.0/16',
  'fd00::/56',
  'fd00::/64',
  'fd00::/120',
  '::/0',
  '2001:db8::/32',
];
/** Except candidates; only those strictly inside the chosen cidr are used. */
const EXCEPTS = [
  '10.0.0.0/16',
  '10.0.0.0/24',
  '10.0.1.0/24',
  '10.0.0.0/28',
  '10.0.2.0/23',
  '10.0.0.64/26',
  '10.1.0.0/16',
  '192.168.1.0/24',
  '10.0.0.32/27',
  'fd00::/64',
  'fd00::/120',
  'fd00::40/122',
  'fd00:0:0:1::/64',
  'fd00::/72',
  'fd00::1:0/112',
  '2001:db8::/48',
];

// ---------------------------------------------------------------------------------------------
// Labels and selectors

/** Each key of `keys` absent or set to one of `values`. */
function labelsArb(keys: readonly string[], values: readonly string[]): fc.Arbitrary<Labels> {
  return fc.tuple(...keys.map(() => fc.option(fc.constantFrom(...values), { nil: undefined }))).map((vals) => {
    const out: Record<string, string> = {};
    vals.forEach((v, i) => {
      if (v !== undefined) out[keys[i]!] = v;
    });
    return out;
  });
}

/** Namespace labels over the vocabulary namespace selectors use (without the name label). */
export const namespaceLabelsArb: fc.Arbitrary<Labels> = labelsArb(NS_KEYS, NS_VALUES);

/** Pod labels over the vocabulary pod selectors use. */
export const podLabelsArb: fc.Arbitrary<Labels> = labelsArb(POD_KEYS, POD_VALUES);

function requirementArb(keys: readonly string[], values: readonly string[]): fc.Arbitrary<LabelRequirement> {
  const op = fc.constantFrom<SelectorOperator>('In', 'NotIn', 'Exists', 'DoesNotExist');
  return fc
    .tuple(fc.constantFrom(...keys), op, fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 2 }))
    .map(([key, operator, vals]) => ({ key, operator, values: operator === 'In' || operator === 'NotIn' ? vals : [] }));
}

/** A selector over the vocabulary, empty about one time in four. */
function selectorArb(keys: readonly string[], values: readonly string[]): fc.Arbitrary<LabelSelector> {
  const real = fc
    .tuple(
      fc.subarray([...keys], { maxLength: 2 }),
      fc.array(fc.constantFrom(...values), { minLength: 2, maxLength: 2 }),
      fc.array(requirementArb(keys, values), { maxLength: 2 }),
    )
    .map(([ks, vs, exprs]) => {
      const matchLabels: Record<string, string> = {};
      ks.forEach((k, i) => {
        matchLabels[k] = vs[i]!;
      });
      return selector(matchLabels, exprs);
    });
  return fc.oneof({ arbitrary: fc.constant(selector()), weight: 1 }, { arbitrary: real, weight: 3 });
}

const podSelectorArb = selectorArb(POD_KEYS, POD_VALUES);

/** Namespace selectors also use kubernetes.io/metadata.name, as real policies do. */
const nsSelectorArb = fc.oneof(
  { arbitrary: selectorArb(NS_KEYS, NS_VALUES), weight: 3 },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom('In', 'NotIn') as fc.Arbitrary<SelectorOperator>,
        fc.uniqueArray(fc.constantFrom(...NAMESPACE_NAMES), { minLength: 1, maxLength: 2 }),
      )
      .map(([operator, values]) => selector({}, [{ key: 'kubernetes.io/metadata.name', operator, values }])),
    weight: 1,
  },
);

// ---------------------------------------------------------------------------------------------
// Namespaces and endpoints
//
// No `chain` anywhere below: endpoints and policies are drawn as shapes that name their namespace
// by a number (taken modulo the namespaces present) and are completed by `map`, so fast-check can
// shrink a failing cluster piece by piece down to a few objects.

const namespacesArb: fc.Arbitrary<Namespace[]> = fc
  .uniqueArray(fc.record({ name: fc.constantFrom(...NAMESPACE_NAMES), labels: labelsArb(NS_KEYS, NS_VALUES) }), {
    minLength: 1,
    maxLength: 4,
    selector: (n) => n.name,
  })
  .map((list) => list.map((n) => namespace(n.name, n.labels)));

/** Port names unique per pod (the API requires it); at most one unnamed port. */
const containerPortsArb: fc.Arbitrary<ContainerPort[]> = fc.uniqueArray(
  fc.record({
    name: fc.constantFrom(...PORT_NAMES, ''),
    port: fc.oneof(fc.constantFrom(...COMMON_PORTS), fc.integer({ min: 1, max: 65535 })),
    protocol: fc.constantFrom(...PROTOCOLS),
  }),
  { maxLength: 3, selector: (p) => p.name },
);

interface EndpointShape {
  readonly ns: number;
  readonly kind: 'Pod' | 'Deployment' | 'StatefulSet' | 'DaemonSet';
  /** spec.replicas of a workload (null: not given), and how many of its Pod objects the input has. */
  readonly replicas: number | null;
  readonly pods: number;
  readonly labels: Labels;
  readonly ports: ContainerPort[];
  /** Most pods have an IPv4 address, half an IPv6 one, some none (IPs unknown to the input). */
  readonly v4: boolean;
  readonly v6: boolean;
  readonly hi: number;
  readonly lo: number;
}

const endpointShapeArb: fc.Arbitrary<EndpointShape> = fc.record({
  ns: fc.nat(3),
  kind: fc.constantFrom('Pod' as const, 'Deployment' as const, 'StatefulSet' as const, 'DaemonSet' as const),
  // several replicas often: traffic between two replicas of one workload obeys policies
  replicas: fc.constantFrom(null, 1, 2, 3),
  pods: fc.nat(3),
  labels: labelsArb(POD_KEYS, POD_VALUES),
  ports: containerPortsArb,
  v4: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
  v6: fc.boolean(),
  hi: fc.nat(3),
  lo: fc.nat(15),
});

const V4_BASE = parseIP('10.0.0.0')!.value;
const V6_BASE = parseIP('fd00::')!.value;

/**
 * The i-th endpoint. Addresses are unique by construction: the low byte encodes the position
 * (i * 16 + lo), the byte above it varies so /24 and /120 blocks can split the pods.
 */
function toEndpoint(shape: EndpointShape, i: number, namespaces: readonly Namespace[]): Endpoint {
  const low = BigInt(i * 16 + shape.lo);
  const ips: string[] = [];
  if (shape.v4) ips.push(formatIP(V4_BASE + (BigInt(shape.hi) << 8n) + low));
  if (shape.v6) ips.push(formatIP(V6_BASE + (BigInt(shape.hi) << 16n) + low));
  const ns = namespaces[shape.ns % namespaces.length]!.name;
  const workload = shape.kind !== 'Pod';
  return endpoint(ns, `pod-${i}`, shape.labels, {
    kind: shape.kind,
    ports: shape.ports,
    ips,
    replicas: workload && shape.kind !== 'DaemonSet' ? shape.replicas : null,
    podCount: workload ? shape.pods : 1,
  });
}

// ---------------------------------------------------------------------------------------------
// Policies

const protocolArb = fc.constantFrom(...PROTOCOLS);

const policyPortArb: fc.Arbitrary<PolicyPort> = fc.oneof(
  protocolArb.map((p) => pport(p)),
  fc.tuple(protocolArb, fc.oneof(fc.constantFrom(...COMMON_PORTS), fc.integer({ min: 1, max: 65535 }))).map(([p, n]) => pport(p, n)),
  fc
    .tuple(protocolArb, fc.oneof(fc.constantFrom(...COMMON_PORTS), fc.integer({ min: 1, max: 65535 })), fc.integer({ min: 0, max: 200 }))
    .map(([p, n, w]) => pport(p, n, Math.min(65535, n + w))),
  fc.tuple(protocolArb, fc.constantFrom(...RULE_PORT_NAMES)).map(([p, name]) => pport(p, name)),
);

/** For each cidr of the pool, the excepts strictly inside it (the API rejects any other). */
const ipBlockArb: fc.Arbitrary<PolicyPeer> = fc.oneof(
  ...CIDRS.map((block) => {
    const outer = cidr(block);
    const inside = EXCEPTS.filter((e) => {
      const c = cidr(e);
      return c.family === outer.family && c.start >= outer.start && c.end <= outer.end && c.prefix > outer.prefix;
    });
    return inside.length === 0
      ? fc.constant(ipBlock(block))
      : fc.subarray(inside, { maxLength: Math.min(2, inside.length) }).map((except) => ipBlock(block, except));
  }),
);

/** A pods peer: each selector nil, empty or real, never both nil (the API requires a peer). */
const podsPeerArb: fc.Arbitrary<PolicyPeer> = fc
  .tuple(fc.option(podSelectorArb, { nil: null }), fc.option(nsSelectorArb, { nil: null }))
  .map(([pod, ns]) => (pod === null && ns === null ? podsPeer(selector()) : podsPeer(pod, ns)));

const peerArb: fc.Arbitrary<PolicyPeer> = fc.oneof({ arbitrary: podsPeerArb, weight: 3 }, { arbitrary: ipBlockArb, weight: 2 });

export const ruleArb: fc.Arbitrary<PolicyRule> = fc
  .tuple(
    fc.option(fc.array(peerArb, { minLength: 1, maxLength: 3 }), { nil: null, freq: 4 }),
    fc.option(fc.array(policyPortArb, { minLength: 1, maxLength: 3 }), { nil: null, freq: 3 }),
  )
  .map(([peers, ports]) => rule(peers, ports));

interface PolicyShape {
  readonly ns: number;
  readonly podSelector: LabelSelector;
  readonly types: readonly [boolean, boolean];
  readonly ingress: PolicyRule[];
  readonly egress: PolicyRule[];
}

const policyShapeArb: fc.Arbitrary<PolicyShape> = fc.record({
  ns: fc.nat(3),
  // Empty more often than in peers, so that policies isolate pods more often than not.
  podSelector: fc.oneof({ arbitrary: fc.constant(selector()), weight: 1 }, { arbitrary: podSelectorArb, weight: 2 }),
  // policyTypes after defaulting: [Ingress], [Egress] or both; never neither.
  types: fc.constantFrom([true, false] as const, [false, true] as const, [true, true] as const),
  ingress: fc.array(ruleArb, { maxLength: 3 }),
  egress: fc.array(ruleArb, { maxLength: 3 }),
});

function toPolicy(shape: PolicyShape, i: number, namespaces: readonly Namespace[]): NetworkPolicy {
  return policy({
    namespace: namespaces[shape.ns % namespaces.length]!.name,
    name: `np-${i}`,
    podSelector: shape.podSelector,
    isolatesIngress: shape.types[0],
    isolatesEgress: shape.types[1],
    ingress: shape.ingress,
    egress: shape.egress,
  });
}

/** Clusters of 1-4 namespaces with `minEndpoints`-`maxEndpoints` endpoints and 0-`maxPolicies` policies (rarely none). */
function clusterArbOf(minEndpoints: number, maxEndpoints: number, maxPolicies: number): fc.Arbitrary<Cluster> {
  return fc
    .tuple(
      namespacesArb,
      fc.array(endpointShapeArb, { minLength: minEndpoints, maxLength: maxEndpoints }),
      fc.oneof(
        { arbitrary: fc.constant([] as PolicyShape[]), weight: 1 },
        { arbitrary: fc.array(policyShapeArb, { minLength: 1, maxLength: maxPolicies }), weight: 6 },
      ),
    )
    .map(([namespaces, endpoints, policies]): Cluster => ({
      namespaces,
      endpoints: endpoints.map((e, i) => toEndpoint(e, i, namespaces)),
      nodes: [],
      services: [],
      policies: policies.map((p, i) => toPolicy(p, i, namespaces)),
      others: [],
    }));
}

/** A whole cluster: 1-4 namespaces, 1-8 endpoints, 0-6 policies (rarely none). */
export const clusterArb: fc.Arbitrary<Cluster> = clusterArbOf(1, 8, 6);

/**
 * A cluster past one 32-bit word of sources (40-90 endpoints, up to 8 policies): bitset code that
 * treats a word's top bit as a sign (a word compared after `&`) only fails here.
 */
export const wideClusterArb: fc.Arbitrary<Cluster> = clusterArbOf(40, 90, 8);

// ---------------------------------------------------------------------------------------------
// Query points

export interface Query {
  readonly src: Ref;
  readonly dst: Ref;
  readonly protocol: Protocol;
  readonly port: number;
}

/** Fixed outside addresses of both families: inside and outside the pod ranges and the CIDR pool. */
const FIXED_EXTERNAL = ['10.0.0.200', '10.0.1.250', '10.1.2.3', '192.168.1.7', '8.8.8.8', 'fd00::ff00', 'fd00:0:0:1::5', '2001:db8::1', '2001:db9::1'];

/**
 * Outside addresses worth asking about: the fixed ones, plus the first and last address of every
 * cidr and except of the cluster and their neighbours — minus every endpoint's own IP.
 */
export function externalAddresses(cluster: Cluster): string[] {
  const values = new Set<bigint>(FIXED_EXTERNAL.map((a) => parseIP(a)!.value));
  for (const p of cluster.policies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const peer of r.peers ?? []) {
        if (peer.kind !== 'ipBlock') continue;
        for (const c of [peer.cidr, ...peer.except]) {
          const [lo, hi] = c.family === 4 ? [0n, V4_MAX] : [V6_OFFSET, V6_MAX];
          for (const v of [c.start - 1n, c.start, c.end, c.end + 1n]) if (v >= lo && v <= hi) values.add(v);
        }
      }
    }
  }
  const taken = new Set(cluster.endpoints.flatMap((e) => e.ips.map((ip) => parseIP(ip)!.value)));
  return [...values]
    .filter((v) => !taken.has(v))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map(formatIP);
}

/** Ports the cluster mentions (policy ports, endPorts, container ports) and their neighbours. */
export function interestingPorts(cluster: Cluster): number[] {
  const ports = new Set<number>();
  const add = (n: number) => {
    for (const v of [n - 1, n, n + 1]) if (v >= 1 && v <= 65535) ports.add(v);
  };
  for (const e of cluster.endpoints) for (const cp of e.ports) add(cp.port);
  for (const p of cluster.policies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const pp of r.ports ?? []) {
        if (typeof pp.port === 'number') add(pp.port);
        if (pp.endPort !== null) add(pp.endPort);
      }
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** Every ref of a cluster: its endpoints, then the outside addresses worth asking about. */
export function allRefs(cluster: Cluster): Ref[] {
  return [
    ...cluster.endpoints.map((e): Ref => ({ kind: 'endpoint', id: e.id })),
    ...externalAddresses(cluster).map((address): Ref => ({ kind: 'ip', address })),
  ];
}

/**
 * A query drawn without knowing the cluster: which kind each end is, numbers that pick an endpoint
 * or address modulo what the cluster has, and a port that is either a pick among the ports the
 * cluster mentions or any port. `resolveQuery` completes it; drawing it apart keeps shrinking good.
 */
export interface QueryShape {
  /** Addresses outnumber endpoints (four per CIDR), so the kind is picked first: mostly pods. */
  readonly srcIsAddress: boolean;
  readonly dstIsAddress: boolean;
  readonly src: number;
  readonly dst: number;
  readonly protocol: Protocol;
  readonly port: { kind: 'known'; pick: number } | { kind: 'any'; port: number };
}

export const queryShapeArb: fc.Arbitrary<QueryShape> = fc.record({
  srcIsAddress: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  dstIsAddress: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  src: fc.nat(63),
  dst: fc.nat(63),
  protocol: protocolArb,
  port: fc.oneof(
    { arbitrary: fc.nat(255).map((pick) => ({ kind: 'known' as const, pick })), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 65535 }).map((port) => ({ kind: 'any' as const, port })), weight: 1 },
  ),
});

/** The query a shape stands for on `cluster`; never address to address (the source wins). */
export function resolveQuery(cluster: Cluster, shape: QueryShape): Query {
  const endpoints = cluster.endpoints.map((e): Ref => ({ kind: 'endpoint', id: e.id }));
  const addresses = externalAddresses(cluster).map((address): Ref => ({ kind: 'ip', address }));
  const pick = (isAddress: boolean, n: number): Ref => (isAddress ? addresses[n % addresses.length]! : endpoints[n % endpoints.length]!);
  const src = pick(shape.srcIsAddress, shape.src);
  const dst = pick(shape.dstIsAddress && !shape.srcIsAddress, shape.dst);
  const known = interestingPorts(cluster);
  const port = shape.port.kind === 'known' && known.length > 0 ? known[shape.port.pick % known.length]! : shape.port.kind === 'any' ? shape.port.port : 80;
  return { src, dst, protocol: shape.protocol, port };
}

function withQueries(clusters: fc.Arbitrary<Cluster>, maxQueries: number): fc.Arbitrary<{ cluster: Cluster; queries: Query[] }> {
  return fc
    .tuple(clusters, fc.array(queryShapeArb, { minLength: 1, maxLength: maxQueries }))
    .map(([cluster, shapes]) => ({ cluster, queries: shapes.map((q) => resolveQuery(cluster, q)) }));
}

/** A cluster with a batch of queries on it (one compilation answers many questions). */
export const clusterWithQueriesArb = withQueries(clusterArb, 12);

/** A wide cluster (wideClusterArb) with a larger batch of queries on it. */
export const wideClusterWithQueriesArb = withQueries(wideClusterArb, 40);
