import { describe, expect, it } from 'vitest';
import { loadCluster, formatDiagnostic } from '@kubereach/core';

describe('namespaces, nodes, services, other kinds', () => {
  const text = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: a}}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: []}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: store}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80, targetPort: http}, {port: 53, protocol: UDP}]
---
apiVersion: v1
kind: Node
metadata:
  name: cp1
  labels: {node-role.kubernetes.io/control-plane: ""}
spec: {podCIDR: 10.244.0.0/24}
status:
  addresses: [{type: InternalIP, address: 192.168.1.10}, {type: Hostname, address: cp1}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: other}
data:
  key: value
`;
  const r = loadCluster([{ name: 'c.yaml', text }], { defaultNamespace: 'dflt' });

  it('loads without diagnostics and counts kinds', () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.stats).toEqual({ documents: 5, byKind: { Namespace: 1, Pod: 1, Service: 1, Node: 1, ConfigMap: 1 }, skipped: [] });
  });

  it('adds kubernetes.io/metadata.name and creates referenced namespaces implicitly', () => {
    expect(r.cluster.namespaces).toEqual([
      { name: 'shop', labels: { team: 'a', 'kubernetes.io/metadata.name': 'shop' }, location: { file: 'c.yaml', line: 1, col: 1, doc: 0 } },
      { name: 'dflt', labels: { 'kubernetes.io/metadata.name': 'dflt' }, location: null },
      { name: 'other', labels: { 'kubernetes.io/metadata.name': 'other' }, location: null },
      { name: 'store', labels: { 'kubernetes.io/metadata.name': 'store' }, location: null },
    ]);
    expect(r.cluster.endpoints.map((e) => e.id)).toEqual(['dflt/p[Pod]']);
  });

  it('reads services with defaults (TCP, targetPort = port) and no VIP for headless', () => {
    expect(r.cluster.services.map(({ location: _l, ...s }) => s)).toEqual([
      {
        namespace: 'store',
        name: 'web',
        type: 'ClusterIP',
        selector: { app: 'web' },
        ports: [
          { name: '', port: 80, targetPort: 'http', nodePort: null, protocol: 'TCP' },
          { name: '', port: 53, targetPort: 53, nodePort: null, protocol: 'UDP' },
        ],
        clusterIPs: [],
        externalName: null,
        externalTrafficPolicy: 'Cluster',
        loadBalancerSourceRanges: [],
        externalIPs: [],
        loadBalancerIPs: [],
      },
    ]);
  });

  it('reads nodes: control-plane role, addresses, pod CIDRs', () => {
    expect(r.cluster.nodes.map(({ location: _l, ...n }) => n)).toEqual([
      {
        name: 'cp1',
        labels: { 'node-role.kubernetes.io/control-plane': '' },
        addresses: [
          { type: 'InternalIP', address: '192.168.1.10' },
          { type: 'Hostname', address: 'cp1' },
        ],
        controlPlane: true,
        podCIDRs: ['10.244.0.0/24'],
      },
    ]);
  });

  it('keeps other kinds aside with their value and a locator', () => {
    const [o] = r.cluster.others;
    expect([o!.apiVersion, o!.kind, o!.namespace, o!.name, o!.value]).toEqual([
      'v1',
      'ConfigMap',
      'other',
      'cfg',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'other' }, data: { key: 'value' } },
    ]);
    expect(o!.location).toEqual({ file: 'c.yaml', line: 27, col: 1, doc: 4 });
    expect(o!.locate(['data', 'key'])).toEqual({ file: 'c.yaml', line: 31, col: 8, doc: 4 });
    // a missing path points at the deepest part that exists
    expect(o!.locate(['data', 'nope'])).toEqual({ file: 'c.yaml', line: 31, col: 3, doc: 4 });
  });
});

describe('duplicates and formatting', () => {
  it('keeps the first of two objects with the same kind/namespace/name and reports the second', () => {
    const doc = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: []}\n';
    const r = loadCluster([
      { name: 'one.yaml', text: doc },
      { name: 'two.yaml', text: doc },
    ]);
    expect(r.cluster.endpoints.map((e) => e.location.file)).toEqual(['one.yaml']);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'two.yaml:1:1: error DUPLICATE_OBJECT: Pod a/p is defined twice; the first definition (one.yaml:1:1) is used (Pod a/p)\n' +
        '  hint: remove or rename one of the objects; only the first one is used',
    ]);
  });

  it('names the first definition by line and column inside a streamed JSON List', () => {
    // the items start at 3:5 and 4:5 (counted by hand); the List streams item by item into the model
    const pod = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "a"}, "spec": {"containers": []}}';
    const text = `{"apiVersion": "v1", "kind": "List",\n  "items": [\n    ${pod},\n    ${pod}\n  ]\n}\n`;
    const r = loadCluster([{ name: 'dump.json', text }]);
    expect(r.cluster.endpoints.map((e) => [e.id, e.location.line, e.location.col])).toEqual([['a/p[Pod]', 3, 5]]);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'dump.json:4:5: error DUPLICATE_OBJECT: Pod a/p is defined twice; the first definition (dump.json:3:5) is used (Pod a/p)\n' +
        '  hint: remove or rename one of the objects; only the first one is used',
    ]);
  });
});
