/**
 * fast-check arbitraries that add the admin tiers to the generated clusters of arbitraries.ts: random
 * AdminPolicy lists in both tiers and both generations, generated Nodes with addresses, and some
 * host-network pods (never admin subjects or pod peers).
 *
 * As the API server would accept them (the model rejects the rest): priorities unique within a tier
 * (equal ones are undefined upstream), a v1alpha1 BaselineAdminNetworkPolicy is named `default`, has
 * priority 0 and no Pass; `networks` and `nodes` peers in egress rules only; every rule has a peer;
 * port ranges have start < end. Node addresses live in their own ranges (172.16.0.0/24, fd01::/64,
 * 203.0.113.0/24), apart from pod IPs; `networks` CIDRs cover the pod ranges, the node ranges, the
 * metadata address and everything.
 */
import fc from 'fast-check';
import type { AdminAction, AdminPeer, AdminPolicy, AdminPort, AdminRule, AdminSubject } from '../../packages/core/src/model/admin/types.js';
import type { Cluster, LabelSelector, Node, Protocol } from '../../packages/core/src/model/types.js';
import { formatIP, parseIP, V4_MAX, V6_MAX, V6_OFFSET } from '../../packages/core/src/net/ip.js';
import { clusterArb, externalAddresses, interestingPorts, queryShapeArb, type Query, type QueryShape } from './arbitraries.js';
import { cidr, LOC, selector } from './build.js';
import type { Ref } from './evaluator.js';

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const POD_KEYS = ['app', 'tier', 'env'];
const POD_VALUES = ['a', 'b', 'c'];
const NS_KEYS = ['team', 'stage'];
const NS_VALUES = ['x', 'y'];
const NAMESPACE_NAMES = ['ns-a', 'ns-b', 'ns-c', 'ns-d'];
const NODE_KEYS = ['role', 'zone'];
const NODE_VALUES = ['w', 'cp'];
const RULE_PORT_NAMES = ['http', 'dns', 'metrics', 'grpc', 'nope'];
const COMMON_PORTS = [53, 80, 443, 8080, 9090];
const NETWORKS = [
  '10.0.0.0/16',
  '10.0.1.0/24',
  '10.0.0.0/25',
  '0.0.0.0/0',
  '169.254.169.254/32',
  '172.16.0.0/24',
  '172.16.0.2/31',
  '203.0.113.0/24',
  'fd00::/64',
  'fd00::/120',
  '::/0',
  'fd01::/64',
  'fd01::2/127',
];

// ---------------------------------------------------------------------------------------------
// Selectors (small vocabularies, empty one time in three so that policies hit)

function requirement(keys: readonly string[], values: readonly string[]) {
  return fc
    .tuple(
      fc.constantFrom(...keys),
      fc.constantFrom('In' as const, 'NotIn' as const, 'Exists' as const, 'DoesNotExist' as const),
      fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 2 }),
    )
    .map(([key, operator, vals]) => ({ key, operator, values: operator === 'In' || operator === 'NotIn' ? vals : [] }));
}

function selectorArb(keys: readonly string[], values: readonly string[]): fc.Arbitrary<LabelSelector> {
  const real = fc
    .tuple(fc.option(fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...values)), { nil: null }), fc.array(requirement(keys, values), { maxLength: 1 }))
    .map(([label, exprs]) => selector(label === null ? {} : { [label[0]]: label[1] }, exprs));
  return fc.oneof({ arbitrary: fc.constant(selector()), weight: 1 }, { arbitrary: real, weight: 2 });
}

const podSel = selectorArb(POD_KEYS, POD_VALUES);
const nsSel = fc.oneof(
  { arbitrary: selectorArb(NS_KEYS, NS_VALUES), weight: 3 },
  {
    arbitrary: fc
      .uniqueArray(fc.constantFrom(...NAMESPACE_NAMES), { minLength: 1, maxLength: 2 })
      .map((values) => selector({}, [{ key: 'kubernetes.io/metadata.name', operator: 'In', values }])),
    weight: 1,
  },
);
const nodeSel = selectorArb(NODE_KEYS, NODE_VALUES);

// ---------------------------------------------------------------------------------------------
// Rules

const subjectArb: fc.Arbitrary<AdminSubject> = fc.oneof(
  nsSel.map((namespaceSelector): AdminSubject => ({ kind: 'namespaces', namespaceSelector })),
  fc.tuple(nsSel, podSel).map(([namespaceSelector, podSelector]): AdminSubject => ({ kind: 'pods', namespaceSelector, podSelector })),
);

const podPeerArb: fc.Arbitrary<AdminPeer> = fc.oneof(
  nsSel.map((namespaceSelector): AdminPeer => ({ kind: 'namespaces', namespaceSelector, location: LOC })),
  fc.tuple(nsSel, podSel).map(([namespaceSelector, podSelector]): AdminPeer => ({ kind: 'pods', namespaceSelector, podSelector, location: LOC })),
);

const egressPeerArb: fc.Arbitrary<AdminPeer> = fc.oneof(
  { arbitrary: podPeerArb, weight: 4 },
  {
    arbitrary: fc
      .uniqueArray(fc.constantFrom(...NETWORKS), { minLength: 1, maxLength: 3 })
      .map((cs): AdminPeer => ({ kind: 'networks', cidrs: cs.map(cidr), location: LOC })),
    weight: 2,
  },
  { arbitrary: nodeSel.map((nodeSelector): AdminPeer => ({ kind: 'nodes', nodeSelector, location: LOC })), weight: 1 },
  { arbitrary: fc.constant<AdminPeer>({ kind: 'domainNames', names: ['example.com'], location: LOC }), weight: 1 },
);

const portNumber = fc.oneof(fc.constantFrom(...COMMON_PORTS), fc.integer({ min: 1, max: 65535 }));

const adminPortArb: fc.Arbitrary<AdminPort> = fc.oneof(
  fc.tuple(fc.constantFrom(...PROTOCOLS), portNumber).map(([protocol, port]): AdminPort => ({ kind: 'number', protocol, port, location: LOC })),
  fc
    .tuple(fc.constantFrom(...PROTOCOLS), fc.integer({ min: 1, max: 65534 }), fc.integer({ min: 1, max: 300 }))
    .map(([protocol, start, w]): AdminPort => ({ kind: 'range', protocol, start, end: Math.min(65535, start + w), location: LOC })),
  fc.constantFrom(...RULE_PORT_NAMES).map((name): AdminPort => ({ kind: 'named', name, location: LOC })),
);

interface RuleShape {
  readonly action: AdminAction;
  readonly peers: AdminPeer[];
  readonly ports: AdminPort[] | null;
}

function ruleShapeArb(peer: fc.Arbitrary<AdminPeer>): fc.Arbitrary<RuleShape> {
  return fc.record({
    action: fc.constantFrom<AdminAction>('Accept', 'Deny', 'Pass'),
    peers: fc.array(peer, { minLength: 1, maxLength: 2 }),
    ports: fc.option(fc.array(adminPortArb, { minLength: 1, maxLength: 3 }), { nil: null, freq: 2 }),
  });
}

function rules(shapes: readonly RuleShape[], noPass: boolean): AdminRule[] {
  return shapes.map((s, index) => ({
    index,
    name: index % 2 === 0 ? '' : `r${index}`,
    action: noPass && s.action === 'Pass' ? 'Deny' : s.action,
    peers: s.peers,
    ports: s.ports,
    location: LOC,
  }));
}

interface PolicyShape {
  readonly v1alpha1: boolean;
  readonly subject: AdminSubject;
  readonly ingress: RuleShape[];
  readonly egress: RuleShape[];
}

const policyShapeArb: fc.Arbitrary<PolicyShape> = fc.record({
  v1alpha1: fc.boolean(),
  subject: subjectArb,
  ingress: fc.array(ruleShapeArb(podPeerArb), { maxLength: 3 }),
  egress: fc.array(ruleShapeArb(egressPeerArb), { maxLength: 3 }),
});

function toPolicy(shape: PolicyShape, tier: 'Admin' | 'Baseline', name: string, priority: number): AdminPolicy {
  const banp = tier === 'Baseline' && shape.v1alpha1;
  return {
    tier,
    name,
    priority,
    generation: shape.v1alpha1 ? 'v1alpha1' : 'v1alpha2',
    sourceKind: !shape.v1alpha1 ? 'ClusterNetworkPolicy' : tier === 'Admin' ? 'AdminNetworkPolicy' : 'BaselineAdminNetworkPolicy',
    subject: shape.subject,
    ingress: rules(shape.ingress, banp),
    egress: rules(shape.egress, banp),
    location: LOC,
  };
}

/** Admin policies at unique priorities; Baseline CNPs at unique priorities >= 1, plus at most one BANP `default` at 0. */
export const adminPoliciesArb: fc.Arbitrary<AdminPolicy[]> = fc
  .tuple(
    fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 1000 }), policyShapeArb), { maxLength: 3, selector: ([p]) => p }),
    fc.uniqueArray(
      fc.tuple(
        fc.integer({ min: 1, max: 1000 }),
        policyShapeArb.map((s) => ({ ...s, v1alpha1: false })),
      ),
      { maxLength: 2, selector: ([p]) => p },
    ),
    fc.option(
      policyShapeArb.map((s) => ({ ...s, v1alpha1: true })),
      { nil: null },
    ),
  )
  .map(([admin, baseline, banp]) => {
    const out = admin.map(([prio, s], i) => toPolicy(s, 'Admin', `admin-${i}`, prio));
    if (banp !== null) out.push(toPolicy(banp, 'Baseline', 'default', 0));
    out.push(...baseline.map(([prio, s], i) => toPolicy(s, 'Baseline', `base-${i}`, prio)));
    // Tier by tier but NOT sorted by priority inside a tier: the engine must order by priority itself
    // (loadCluster sorts, but a library caller may build a Cluster by hand).
    return out;
  });

// ---------------------------------------------------------------------------------------------
// Nodes and the whole cluster

interface NodeShape {
  readonly labels: Record<string, string>;
  readonly v6: boolean;
  readonly external: boolean;
}

const nodeShapeArb: fc.Arbitrary<NodeShape> = fc.record({
  labels: fc.tuple(fc.option(fc.constantFrom(...NODE_VALUES), { nil: null }), fc.option(fc.constantFrom(...NODE_VALUES), { nil: null })).map(([r, z]) => {
    const l: Record<string, string> = {};
    if (r !== null) l['role'] = r;
    if (z !== null) l['zone'] = z;
    return l;
  }),
  v6: fc.boolean(),
  external: fc.boolean(),
});

function toNode(s: NodeShape, i: number): Node {
  const addresses = [{ type: 'InternalIP', address: `172.16.0.${i + 1}` }];
  if (s.v6) addresses.push({ type: 'InternalIP', address: `fd01::${i + 1}` });
  if (s.external) addresses.push({ type: 'ExternalIP', address: `203.0.113.${i + 1}` });
  addresses.push({ type: 'Hostname', address: `node-${i}` });
  return { name: `node-${i}`, labels: s.labels, addresses, controlPlane: false, podCIDRs: [], location: LOC };
}

/** A generated NetworkPolicy cluster with admin policies, 0-3 Nodes and sometimes one host-network pod. */
export const adminClusterArb: fc.Arbitrary<Cluster> = fc
  .tuple(clusterArb, adminPoliciesArb, fc.array(nodeShapeArb, { maxLength: 3 }), fc.option(fc.nat(7), { nil: null, freq: 3 }), fc.boolean())
  .map(([cluster, adminPolicies, nodes, host, keepPolicies]) => ({
    ...cluster,
    // NetworkPolicies are dropped half of the time, so the Baseline tier and the default get their turn
    policies: keepPolicies ? cluster.policies : [],
    endpoints: cluster.endpoints.map((e, i) => (i === host ? { ...e, hostNetwork: true } : e)),
    nodes: nodes.map(toNode),
    adminPolicies,
  }));

// ---------------------------------------------------------------------------------------------
// Query points

/** External addresses worth asking about: arbitraries.ts's, plus every network's edges and every node address. */
export function adminExternalAddresses(cluster: Cluster): string[] {
  const values = new Set<bigint>(externalAddresses(cluster).map((a) => parseIP(a)!.value));
  for (const p of cluster.adminPolicies ?? []) {
    for (const r of p.egress) {
      for (const peer of r.peers) {
        if (peer.kind !== 'networks') continue;
        for (const c of peer.cidrs) {
          const [lo, hi] = c.family === 4 ? [0n, V4_MAX] : [V6_OFFSET, V6_MAX];
          for (const v of [c.start - 1n, c.start, c.end, c.end + 1n]) if (v >= lo && v <= hi) values.add(v);
        }
      }
    }
  }
  for (const n of cluster.nodes)
    for (const a of n.addresses) {
      const p = parseIP(a.address);
      if (p !== null) values.add(p.value);
    }
  values.add(parseIP('169.254.169.254')!.value);
  const taken = new Set(cluster.endpoints.flatMap((e) => e.ips.map((ip) => parseIP(ip)!.value)));
  return [...values]
    .filter((v) => !taken.has(v))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map(formatIP);
}

/** Ports the cluster mentions, admin ports and range ends included, with their neighbours. */
export function adminInterestingPorts(cluster: Cluster): number[] {
  const ports = new Set(interestingPorts(cluster));
  const add = (n: number) => {
    for (const v of [n - 1, n, n + 1]) if (v >= 1 && v <= 65535) ports.add(v);
  };
  for (const p of cluster.adminPolicies ?? []) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const e of r.ports ?? []) {
        if (e.kind === 'number') add(e.port);
        if (e.kind === 'range') {
          add(e.start);
          add(e.end);
        }
      }
    }
  }
  return [...ports].sort((a, b) => a - b);
}

export function adminAllRefs(cluster: Cluster): Ref[] {
  return [
    ...cluster.endpoints.map((e): Ref => ({ kind: 'endpoint', id: e.id })),
    ...adminExternalAddresses(cluster).map((address): Ref => ({ kind: 'ip', address })),
  ];
}

/** As arbitraries.ts's resolveQuery, over the admin address and port pools. */
export function resolveAdminQuery(cluster: Cluster, shape: QueryShape): Query {
  const endpoints = cluster.endpoints.map((e): Ref => ({ kind: 'endpoint', id: e.id }));
  const addresses = adminExternalAddresses(cluster).map((address): Ref => ({ kind: 'ip', address }));
  const pick = (isAddress: boolean, n: number): Ref => (isAddress ? addresses[n % addresses.length]! : endpoints[n % endpoints.length]!);
  const src = pick(shape.srcIsAddress, shape.src);
  const dst = pick(shape.dstIsAddress && !shape.srcIsAddress, shape.dst);
  const known = adminInterestingPorts(cluster);
  const port = shape.port.kind === 'any' ? shape.port.port : known.length > 0 ? known[shape.port.pick % known.length]! : 80;
  return { src, dst, protocol: shape.protocol, port };
}

export const adminClusterWithQueriesArb: fc.Arbitrary<{ cluster: Cluster; queries: Query[] }> = fc
  .tuple(adminClusterArb, fc.array(queryShapeArb, { minLength: 1, maxLength: 12 }))
  .map(([cluster, shapes]) => ({ cluster, queries: shapes.map((q) => resolveAdminQuery(cluster, q)) }));
