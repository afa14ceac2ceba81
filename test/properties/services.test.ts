/**
 * Services against the reference: on generated clusters with a generated Service (a selector from
 * the label pool, numeric or named target ports from the port-name pool), the engine's answer for
 * every backend equals the reference evaluator's, asked pod by pod at each pod's own target port;
 * and the folded word is yes / partly / no exactly as the per-backend answers say.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { canReachService, compile, resolveService, serviceMatrix } from '@kubereach/core';
import type { Cluster, Protocol, Service, ServicePort } from '../../packages/core/src/model/types.js';
import { clusterArb } from '../reference/arbitraries.js';
import { LOC } from '../reference/build.js';
import { describeCluster } from '../reference/describe.js';
import { referenceServiceAnswer } from '../reference/services.js';
import { isLoopback } from '../reference/evaluator.js';
import { check } from './support.js';

const KEYS = ['app', 'tier', 'env'];
const VALUES = ['a', 'b', 'c'];
const NAMES = ['http', 'dns', 'metrics', 'nope'];

const servicePortArb: fc.Arbitrary<ServicePort> = fc
  .tuple(
    fc.constantFrom<Protocol>('TCP', 'UDP', 'SCTP'),
    fc.constantFrom(53, 80, 443, 8080),
    fc.oneof(fc.constantFrom(53, 80, 443, 8080, 9090), fc.constantFrom(...NAMES)),
  )
  .map(([protocol, port, targetPort]) => ({ name: '', port, targetPort, nodePort: null, protocol }));

const serviceShapeArb = fc.record({
  ns: fc.nat(3),
  selector: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 2 }),
  port: servicePortArb,
});

function withService(cluster: Cluster, shape: { ns: number; selector: Record<string, string>; port: ServicePort }): { cluster: Cluster; service: Service } {
  const nss = cluster.namespaces;
  const service: Service = {
    namespace: nss[shape.ns % nss.length]!.name,
    name: 'svc',
    type: 'ClusterIP',
    // an empty selector is a Service without one; the generated clusters have no EndpointSlices
    selector: Object.keys(shape.selector).length === 0 ? { app: 'a' } : shape.selector,
    ports: [shape.port],
    clusterIPs: [],
    location: LOC,
  };
  return { cluster: { ...cluster, services: [service] }, service };
}

describe('Services: engine per backend == reference pod by pod', () => {
  for (const mode of ['match', 'ignore'] as const) {
    it(`every source, every backend, ipblockPods=${mode}`, () => {
      check(
        fc.property(clusterArb, serviceShapeArb, (base, shape) => {
          const { cluster, service } = withService(base, shape);
          const index = compile(cluster, { ipblockPods: mode });
          const sp = service.ports[0]!;
          for (const src of cluster.endpoints) {
            const res = resolveService(index, service, { port: sp.port, protocol: sp.protocol });
            const v = canReachService(index, index.resolve(src.id), res);
            const engine = new Map(v.backends.map((b) => [b.backend.label, b.allowed]));
            const reference = referenceServiceAnswer(cluster, src.id, service, sp, { ipblockPods: mode });
            const e = JSON.stringify([...engine].sort());
            const r = JSON.stringify([...reference].sort());
            if (e !== r)
              throw new Error(
                `from ${src.id} to ${service.namespace}/svc ${sp.port}/${sp.protocol} -> ${String(sp.targetPort)}:\nengine    ${e}\nreference ${r}\n${describeCluster(cluster)}`,
              );
            const yes = [...reference.values()].filter(Boolean).length;
            const word = yes === 0 ? 'no' : yes === reference.size ? 'yes' : 'partly';
            if (v.answer !== word) throw new Error(`word ${v.answer}, expected ${word}`);
          }
        }),
        200,
      );
    });
  }
});

describe('Services: matrix --services rows == reference pod by pod', () => {
  it('a row holds the Service port exactly when the reference reaches a backend other than the source itself by loopback; partly exactly when not all', () => {
    check(
      fc.property(clusterArb, serviceShapeArb, (base, shape) => {
        const { cluster, service } = withService(base, shape);
        const index = compile(cluster);
        const sp = service.ports[0]!;
        const rows = serviceMatrix(
          index,
          cluster.endpoints.map((e) => ({ id: e.id, entity: index.resolve(e.id) })),
        );
        for (const src of cluster.endpoints) {
          const reference = [...referenceServiceAnswer(cluster, src.id, service, sp, { ipblockPods: 'match' })].filter(
            ([pod]) => !isLoopback(cluster, { kind: 'endpoint', id: src.id }, { kind: 'endpoint', id: pod }),
          );
          const yes = reference.filter(([, ok]) => ok).length;
          const row = rows.find((r) => r.src.id === src.id);
          const expected = yes === 0 ? 'none' : `${sp.protocol} ${sp.port} ${yes === reference.length ? 'yes' : 'partly'} ${yes}/${reference.length}`;
          const got = row === undefined ? 'none' : `${row.conn.toString()} ${row.ports[0]!.answer} ${row.ports[0]!.reached}/${row.ports[0]!.total}`;
          if (got !== expected) throw new Error(`from ${src.id}: row ${got}, reference ${expected}\n${describeCluster(cluster)}`);
        }
      }),
      200,
    );
  });
});
