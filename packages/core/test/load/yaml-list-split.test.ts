/**
 * A `kind: List` YAML document is composed item by item (parse-yaml.ts splitList) so its whole AST
 * never exists at once. The split must be invisible: the same objects, diagnostics and positions as
 * composing the document whole. A comment holding `&x` at the end turns the split off (an anchor may
 * tie items together) without moving any offset, which gives the whole-document reading to compare.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCluster, type LoadResult } from '@kubereach/core';

function summary(r: LoadResult) {
  return {
    diagnostics: r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, location: d.location, object: d.object })),
    endpoints: r.cluster.endpoints.map((e) => ({ id: e.id, location: e.location, ports: e.ports })),
    namespaces: r.cluster.namespaces.map((n) => ({ name: n.name, location: n.location })),
    policies: r.cluster.policies.map((p) => ({ name: p.name, location: p.location })),
    stats: r.stats,
  };
}

const item = fc.record({
  kind: fc.constantFrom('Pod', 'Namespace', 'NetworkPolicy', 'ConfigMap', 'Bad'),
  name: fc.constantFrom('a', 'b', 'web-1', 'Bad_Name'),
  port: fc.constantFrom(80, 0, 70000, 'http', 'Bad--name'),
  indent: fc.boolean(),
});

function render(items: { kind: string; name: string; port: number | string; indent: boolean }[], indented: boolean): string {
  const p = indented ? '  ' : '';
  const lines = ['apiVersion: v1', 'kind: List', 'items:'];
  items.forEach((it, i) => {
    const name = `${it.name}${i}`.replace('Bad_Name', 'Bad_Name');
    if (it.kind === 'Bad') {
      lines.push(`${p}- just a string`);
      return;
    }
    const api = it.kind === 'NetworkPolicy' ? 'networking.k8s.io/v1' : 'v1';
    lines.push(`${p}- apiVersion: ${api}`, `${p}  kind: ${it.kind}`, `${p}  metadata:`, `${p}    name: ${name}`);
    if (it.kind !== 'Namespace') lines.push(`${p}    namespace: shop`);
    if (it.kind === 'Pod')
      lines.push(`${p}  spec:`, `${p}    containers:`, `${p}    - name: c`, `${p}      ports:`, `${p}      - containerPort: ${JSON.stringify(it.port)}`);
    if (it.kind === 'NetworkPolicy')
      lines.push(`${p}  spec:`, `${p}    podSelector: {}`, `${p}    ingress:`, `${p}    - ports:`, `${p}      - port: ${JSON.stringify(it.port)}`);
    if (it.kind === 'ConfigMap') lines.push(`${p}  data: {k: v}`);
  });
  lines.push('metadata:', '  resourceVersion: ""');
  return `${lines.join('\n')}\n`;
}

describe('a YAML List composed item by item reads exactly as composed whole', () => {
  it('on generated Lists with valid and invalid items (property)', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 12 }), fc.boolean(), (items, indented) => {
        const text = render(items, indented);
        const split = loadCluster([{ name: 'l.yaml', text: `${text}# end\n` }]);
        const whole = loadCluster([{ name: 'l.yaml', text: `${text}# &x\n` }]);
        expect(summary(split)).toEqual(summary(whole));
        // and a location deeper inside an item (a container port) is the same both ways
        expect(split.cluster.endpoints.flatMap((e) => e.containers.map((c) => c.location))).toEqual(
          whole.cluster.endpoints.flatMap((e) => e.containers.map((c) => c.location)),
        );
      }),
      { numRuns: 120 },
    );
  });
});
