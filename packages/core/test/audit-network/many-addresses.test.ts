/**
 * A target with many addresses (the kubelet listens on every node) is reached from a row on all of
 * them at once. The audit asks of it only whether a class reaches it and the first address it does
 * (the lateral-path goal and the path's last hop), so its hits are computed as far as they are
 * asked: one connection set per row, not one per row and node. Built in full, those lists grew with
 * rows times nodes (millions of hits at 150,000 pods on 5,000 nodes). Structure, not timing: the
 * number of connection sets the audit asks the index for.
 */
import { expect, test, vi } from 'vitest';
import { auditNetwork, compile, explainConnection, hasErrors, loadCluster, resolveTargets, targetCidrs } from '../../src/index.js';
import { findPath } from '../../src/graph/lateral.js';
import { reachTarget } from '../../src/targets/reach.js';

const NODES = 300;

function clusterYaml(): string {
  const docs: string[] = [];
  for (let i = 0; i < NODES; i++) {
    docs.push(`apiVersion: v1
kind: Node
metadata: {name: node-${i}${i === 0 ? ', labels: {node-role.kubernetes.io/control-plane: ""}' : ''}}
status: {addresses: [{type: InternalIP, address: 10.1.${i >> 8}.${i & 255}}]}`);
  }
  for (const [ns, app] of [
    ['edge', 'web'],
    ['shop', 'api'],
    ['shop', 'db'],
    ['kube-system', 'coredns'],
  ]) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: ${app}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec: {containers: [{name: c, image: i, ports: [{containerPort: 8080}]}]}`);
  }
  // the shop's pods may reach each other and DNS only: web reaches the kubelet through nothing but itself
  docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{podSelector: {matchLabels: {app: api}}}]}]
  egress: [{to: [{ipBlock: {cidr: 10.1.0.0/16}}], ports: [{port: 10250}]}]`);
  docs.push(`apiVersion: v1
kind: Service
metadata: {name: web, namespace: edge}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, targetPort: 8080, nodePort: 30080}]}`);
  return docs.join('\n---\n');
}

function indexOf() {
  const { cluster, diagnostics } = loadCluster([{ name: 'c.yaml', text: clusterYaml() }]);
  expect(hasErrors(diagnostics)).toBe(false);
  const targets = resolveTargets(cluster, {});
  return { index: compile(cluster, { extraCidrs: targetCidrs(targets) }), targets };
}

test('the audit asks for one connection set per row and target address it reports, not one per node address', () => {
  const { index, targets } = indexOf();
  const kubelet = targets.find((t) => t.word === 'kubelet')!;
  expect(kubelet.addresses).toHaveLength(NODES);
  expect(targets.find((t) => t.word === 'control-plane')!.addresses.map((a) => a.address)).toEqual(['10.1.0.0']);
  // every node is reached (nothing isolates egress but the db's, which allows the kubelet port)
  const web = index.resolve('edge/web');
  expect(reachTarget(index, web, kubelet)).toHaveLength(NODES);

  const { index: fresh } = indexOf();
  const spy = vi.spyOn(fresh, 'connectionsBetween');
  const findings = auditNetwork(fresh);
  expect(findings.some((f) => f.id === 'METADATA_REACHABLE')).toBe(true);
  // metadata (3 addresses), the control plane and etcd (node-0), per row, plus the kubelet's first
  // address per row: a few dozen at most for this cluster's handful of rows
  expect(spy.mock.calls.length).toBeLessThan(60);
});

test('a path to the kubelet ends at its first address reached, computed without the rest', () => {
  const { index, targets } = indexOf();
  const kubelet = targets.find((t) => t.word === 'kubelet')!;
  const spy = vi.spyOn(index, 'connectionsBetween');
  const hops = findPath(index, index.resolve('shop/api') as Extract<ReturnType<typeof index.resolve>, { kind: 'endpoint' }>, {
    kind: 'target',
    target: kubelet,
  });
  expect(hops).not.toBeNull();
  expect(hops!.map((h) => h.to)).toEqual(['kubelet 10.1.0.0']);
  expect(spy.mock.calls.length).toBeLessThan(20);
});

test('explanations list the policies selecting a subject alike before and after they are listed per subject', () => {
  // 40 namespaces with a policy each: past the first subjects asked, selectedBy lists every
  // subject's policies in one pass; each list must equal a scan over every policy
  const docs: string[] = [];
  for (let i = 0; i < 40; i++) {
    docs.push(`apiVersion: v1
kind: Pod
metadata: {name: p, namespace: ns-${i}, labels: {app: a${i % 3}}}
spec: {containers: [{name: c, image: i}]}`);
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np-${i}, namespace: ns-${i}}
spec: {podSelector: {matchLabels: {app: a${i % 3}}}, policyTypes: [Ingress], ingress: [{}]}`);
    if (i % 4 === 0) {
      docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: all-${i}, namespace: ns-${i}}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}`);
    }
  }
  const { cluster } = loadCluster([{ name: 'n.yaml', text: docs.join('\n---\n') }]);
  const index = compile(cluster);
  const pods = index.entities.filter((e) => e.kind === 'endpoint');
  expect(pods).toHaveLength(40);
  for (const src of pods) {
    for (const dst of [pods[0]!, src]) {
      const v = explainConnection(index, src, dst, 'TCP', 80);
      const want = (dir: 'egress' | 'ingress', e: typeof src) =>
        index.compiled.policyRefs
          .filter((r) => r.direction === dir && (r.tier !== 'NetworkPolicy' || r.isolates) && r.subjects.has(e.bit))
          .map((r) => r.policy);
      expect(v.egress.selectedBy.map((r) => r.policy)).toEqual(want('egress', src));
      expect(v.ingress.selectedBy.map((r) => r.policy)).toEqual(want('ingress', dst));
    }
  }
});
