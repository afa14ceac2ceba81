/**
 * `generate --from current` against the reference evaluator (no engine code on the checking side):
 * on generated clusters, the policies are rendered to YAML, loaded back with the ordinary loader and
 * applied to the input; the reference evaluator then allows exactly what it allowed before, for
 * every pair of endpoints and outside addresses, protocol and port worth asking, up to DNS: in the
 * clusters given a kube-dns pod (kube-system, `k8s-app: kube-dns`), the generated policies also allow
 * UDP and TCP 53 to it from every pod, so a pair that gains exactly that is set aside (and nothing
 * else is). The generated set replaces the input's NetworkPolicies, as `generate` means it.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { compile, generatePolicies, renderObjects, type Cluster, type ReachabilityIndex } from '../../packages/core/src/index.js';
import { applyText } from '../../packages/core/src/synth/render.js';
import { allRefs, clusterArb, interestingPorts } from '../reference/arbitraries.js';
import { endpoint, namespace } from '../reference/build.js';
import { refText } from '../reference/describe.js';
import { referenceAllowed } from '../reference/evaluator.js';
import { check, PROTOCOLS } from './support.js';

function indistinguishableAlike(index: ReachabilityIndex): boolean {
  const eps = index.entities.filter((e) => e.kind === 'endpoint');
  const groups = new Map<string, typeof eps>();
  for (const e of eps) {
    const k = `${e.endpoint.namespace} ${JSON.stringify(Object.entries(e.endpoint.labels).sort())}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const inner = new Set<string>();
    for (const a of g) for (const b of g) if (a !== b) inner.add(index.connectionsBetween(a, b).toString());
    if (inner.size > 1) return false;
    for (const x of index.entities) {
      if (g.includes(x as (typeof g)[number])) continue;
      const out = new Set(g.map((m) => index.connectionsBetween(m, x).toString()));
      const inn = new Set(g.map((m) => index.connectionsBetween(x, m).toString()));
      if (out.size > 1 || inn.size > 1) return false;
    }
  }
  return true;
}

const DNS_ID = 'kube-system/coredns[Deployment]';
const DNS_IP = '10.0.250.53';

/** The cluster with a kube-dns workload (and kube-system, when missing) added: the generated DNS rules then matter. */
function withDns(c: Cluster, ip: boolean): Cluster {
  const dns = endpoint('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, { kind: 'Deployment', replicas: 2, podCount: 2, ...(ip ? { ips: [DNS_IP] } : {}) });
  return {
    ...c,
    namespaces: c.namespaces.some((n) => n.name === 'kube-system') ? c.namespaces : [...c.namespaces, namespace('kube-system')],
    endpoints: [...c.endpoints, dns],
  };
}

function firstDifference(a: Cluster, b: Cluster, mode: 'match' | 'ignore'): string | null {
  const refs = allRefs(b);
  const ports = [1, 52, 53, 54, 65535, ...interestingPorts(b)];
  for (const s of refs) {
    for (const d of refs) {
      if (s.kind === 'ip' && d.kind === 'ip') continue;
      for (const proto of PROTOCOLS) {
        for (const port of ports) {
          const x = referenceAllowed(a, s, d, proto, port, { ipblockPods: mode });
          const y = referenceAllowed(b, s, d, proto, port, { ipblockPods: mode });
          // up to DNS: what the generated policies add is UDP/TCP 53 from a pod to the kube-dns pods
          const toDns = (d.kind === 'endpoint' && d.id === DNS_ID) || (d.kind === 'ip' && d.address === DNS_IP);
          const dnsAdded = !x && y && toDns && port === 53 && proto !== 'SCTP';
          if (x !== y && !dnsAdded) return `${refText(s)} -> ${refText(d)} ${proto} ${port}: ${x} before, ${y} with the generated policies`;
        }
      }
    }
  }
  return null;
}

const dnsClusterArb = fc.tuple(clusterArb, fc.boolean()).map(([c, ip]) => withDns(c, ip));

for (const [name, arb, runs] of [
  ['clusters of a few endpoints', clusterArb, 40],
  ['clusters with a kube-dns workload', dnsClusterArb, 30],
] as const) {
  test(`generate --from current: the matrix with the generated policies applied equals today's (${name})`, () => {
    check(
      fc.property(arb, fc.constantFrom('match' as const, 'ignore' as const), (cluster, mode) => {
        const index = compile(cluster, { ipblockPods: mode });
        // workloads of one namespace with the same labels cannot be told apart by any selector, so
        // one policy speaks for all of them: exact only when they are reached alike (else generate
        // reports them as not verified, tested in packages/cli/test/generate.test.ts)
        fc.pre(indistinguishableAlike(index));
        const text = renderObjects(generatePolicies(index, null));
        // in place of the input's NetworkPolicies, as generate verifies and means it
        const { cluster: after, diagnostics } = applyText(cluster, 'generated.yaml', text, true);
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(after.policies.every((p) => p.name.startsWith('kubereach-'))).toBe(true);
        const diff = firstDifference(cluster, after, mode);
        if (diff !== null) throw new Error(`${diff}\n--- generated:\n${text}`);
        return true;
      }),
      runs,
    );
    // a few seconds alone; the shared machine can make it many times that
  }, 300_000);
}
