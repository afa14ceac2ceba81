/**
 * Cilium on generated clusters: the engine equals the Cilium reference evaluator
 * (test/reference/cilium-evaluator.ts, which reads the raw policy objects from Cilium's
 * documentation, sharing no code with the engine's reader or compiler) on clusters mixing
 * NetworkPolicies, CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies with allows and
 * denies, selectors on pod, namespace, namespace-label and cluster labels, CIDRs with excepts,
 * entities, ports and from/toRequires (which narrow the endpoint peers of other policies' rules). Whole connection sets of sampled pairs are compared at every port where
 * either side can change its answer.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { compile } from '@kubereach/core';
import { extractCiliumPolicies } from '../../packages/core/src/model/cilium/extract.js';
import type { Cluster, OtherObject, Protocol } from '../../packages/core/src/model/types.js';
import { clusterWithQueriesArb, interestingPorts } from '../reference/arbitraries.js';
import { LOC } from '../reference/build.js';
import { ciliumReferenceAllowed, type RawCiliumPolicy } from '../reference/cilium-evaluator.js';
import { describeCluster, refText } from '../reference/describe.js';
import { check, checkPoints, conns, PROTOCOLS } from './support.js';

const SCALE = Number(process.env['KUBEREACH_PROPERTY_RUNS'] ?? '1');
const NAMESPACES = ['ns-a', 'ns-b', 'ns-c', 'ns-d'];
const PORTS = [53, 80, 443, 8080, 9090];
const CIDRS = ['10.0.0.0/8', '10.0.1.0/24', '0.0.0.0/0', '192.168.0.0/16', '8.8.8.8/32', 'fd00::/64', '::/0', '2001:db8::/32'];

type Json = Record<string, unknown>;

const keyArb = fc.constantFrom(
  'app',
  'tier',
  'env',
  'k8s:app',
  'io.kubernetes.pod.namespace',
  'io.cilium.k8s.namespace.labels.team',
  'io.cilium.k8s.policy.cluster',
);
const valueFor = (key: string): fc.Arbitrary<string> =>
  key.endsWith('pod.namespace')
    ? fc.constantFrom(...NAMESPACES)
    : key.endsWith('.team')
      ? fc.constantFrom('x', 'y')
      : key.endsWith('cluster')
        ? fc.constantFrom('default', 'other')
        : fc.constantFrom('a', 'b', 'c');

const requirementArb: fc.Arbitrary<Json> = keyArb.chain((key) =>
  fc.oneof(
    fc.record({ key: fc.constant(key), operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(valueFor(key), { minLength: 1, maxLength: 2 }) }),
    fc.record({ key: fc.constant(key), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
  ),
);

const selectorArb: fc.Arbitrary<Json> = fc
  .tuple(
    fc.option(
      keyArb.chain((k) => valueFor(k).map((v) => ({ [k]: v }))),
      { nil: undefined },
    ),
    fc.array(requirementArb, { maxLength: 2 }),
  )
  .map(([ml, me]) => ({ ...(ml === undefined ? {} : { matchLabels: ml }), ...(me.length === 0 ? {} : { matchExpressions: me }) }));

const portsArb: fc.Arbitrary<Json[]> = fc.array(
  fc.oneof(
    fc.record({ port: fc.constantFrom(...PORTS).map(String), protocol: fc.constantFrom('TCP', 'UDP', 'ANY') }),
    fc.record({ port: fc.constant('8000'), endPort: fc.constant(9000), protocol: fc.constant('TCP') }),
    fc.record({ port: fc.constant('0'), protocol: fc.constantFrom('UDP', 'SCTP') }),
  ),
  { minLength: 1, maxLength: 2 },
);

function ruleArb(dir: 'ingress' | 'egress'): fc.Arbitrary<Json> {
  const pre = dir === 'ingress' ? 'from' : 'to';
  return fc
    .record(
      {
        endpoints: fc.array(selectorArb, { maxLength: 2 }),
        cidr: fc.array(fc.constantFrom(...CIDRS), { maxLength: 2 }),
        cidrSet: fc.array(fc.record({ cidr: fc.constant('10.0.0.0/8'), except: fc.constant(['10.0.1.0/24']) }), { maxLength: 1 }),
        entities: fc.array(fc.constantFrom('world', 'cluster', 'all'), { maxLength: 1 }),
        requires: fc.array(selectorArb, { minLength: 1, maxLength: 1 }),
        ports: portsArb,
      },
      { requiredKeys: [] },
    )
    .map((r) => {
      const out: Json = {};
      if (r.endpoints !== undefined) out[`${pre}Endpoints`] = r.endpoints;
      if (r.cidr !== undefined && r.cidr.length > 0) out[`${pre}CIDR`] = r.cidr;
      if (r.cidrSet !== undefined && r.cidrSet.length > 0) out[`${pre}CIDRSet`] = r.cidrSet;
      if (r.entities !== undefined && r.entities.length > 0) out[`${pre}Entities`] = r.entities;
      if (r.requires !== undefined) out[`${pre}Requires`] = r.requires;
      if (r.ports !== undefined) out['toPorts'] = [{ ports: r.ports }];
      return out;
    });
}

const policyArb: fc.Arbitrary<RawCiliumPolicy> = fc
  .record({
    clusterwide: fc.boolean(),
    ns: fc.constantFrom(...NAMESPACES),
    subject: selectorArb,
    ingress: fc.option(fc.array(ruleArb('ingress'), { maxLength: 2 }), { nil: undefined }),
    egress: fc.option(fc.array(ruleArb('egress'), { maxLength: 2 }), { nil: undefined }),
    ingressDeny: fc.option(fc.array(ruleArb('ingress'), { maxLength: 1 }), { nil: undefined }),
    egressDeny: fc.option(fc.array(ruleArb('egress'), { maxLength: 1 }), { nil: undefined }),
  })
  .map((p) => {
    const spec: Json = { endpointSelector: p.subject };
    for (const k of ['ingress', 'egress', 'ingressDeny', 'egressDeny'] as const) if (p[k] !== undefined) spec[k] = p[k];
    return p.clusterwide
      ? { kind: 'CiliumClusterwideNetworkPolicy' as const, metadata: { name: 'x' }, spec }
      : { kind: 'CiliumNetworkPolicy' as const, metadata: { name: 'x', namespace: p.ns }, spec };
  });

const arb = fc.tuple(clusterWithQueriesArb, fc.array(policyArb, { minLength: 1, maxLength: 4 })).map(([cq, raw]) => ({
  ...cq,
  // unique names, as the API server requires
  raw: raw.map((p, i) => ({ ...p, metadata: { ...p.metadata, name: `c${i}` } })),
}));

function withCilium(cluster: Cluster, raw: readonly RawCiliumPolicy[]): Cluster {
  const others: OtherObject[] = raw.map((p) => ({
    apiVersion: 'cilium.io/v2',
    kind: p.kind,
    namespace: p.metadata.namespace ?? null,
    name: p.metadata.name,
    value: { apiVersion: 'cilium.io/v2', ...p },
    location: LOC,
    locate: () => LOC,
  }));
  const r = extractCiliumPolicies(others);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`generated Cilium policy rejected: ${JSON.stringify(errors)}`);
  return { ...cluster, ciliumPolicies: r.policies };
}

describe('Cilium: engine == Cilium reference evaluator', () => {
  it('agrees on the whole connection set of sampled pairs, CNPs, CCNPs and NetworkPolicies mixed', () => {
    check(
      fc.property(arb, ({ cluster, queries, raw }) => {
        const index = compile(withCilium(cluster, raw), { cni: 'cilium' });
        const known = [
          ...new Set([...interestingPorts(cluster), 52, 53, 54, 79, 80, 81, 442, 443, 444, 7999, 8000, 8079, 8080, 8081, 9000, 9001, 9089, 9090, 9091]),
        ].sort((a, b) => a - b);
        for (const q of queries) {
          const set = conns(index, q.src, q.dst);
          for (const protocol of PROTOCOLS) {
            for (const port of checkPoints(known, set, protocol, q.protocol === protocol ? q.port : 1)) {
              const engine = set.contains(protocol, port);
              const ref = ciliumReferenceAllowed(cluster, raw, q.src, q.dst, protocol as Protocol, port);
              if (engine !== ref) {
                throw new Error(
                  [
                    `engine ${engine ? 'allows' : 'denies'} and the reference ${ref ? 'allows' : 'denies'} ${refText(q.src)} -> ${refText(q.dst)} ${protocol}/${port}`,
                    `  engine allows ${set.toString()}`,
                    `  cilium policies: ${JSON.stringify(raw)}`,
                    describeCluster(cluster),
                  ].join('\n'),
                );
              }
            }
          }
        }
      }),
      600 * SCALE,
    );
  }, 180_000);
});
