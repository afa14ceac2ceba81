import { describe, expect, it } from 'vitest';
import { loadCluster } from '@kubereach/core';

/**
 * Unknown fields of modelled kinds (model/schema.ts): a field is known only when the schema lists it
 * itself, and a container list shared by the pods of a workload is checked for each pod that holds it.
 */
const codes = (text: string, name = 'in.yaml') => loadCluster([{ name, text }]).diagnostics.map((d) => `${d.code} ${d.severity} ${d.object} ${d.message}`);

describe('unknown fields', () => {
  it('a field named like a method of every object (toString, constructor) is an unknown field, not a crash or a pass', () => {
    expect(codes('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\nspec:\n  constructor: 1\n')).toEqual([
      'UNKNOWN_FIELD warning Namespace x unknown field "constructor" in spec: not a field kubereach knows (a newer API?); it is ignored',
    ]);
    expect(codes('{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"},"spec":{"toString":{"a":1}}}', 'in.json')).toEqual([
      'UNKNOWN_FIELD warning Namespace x unknown field "toString" in spec: not a field kubereach knows (a newer API?); it is ignored',
    ]);
    expect(codes('{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x","__proto__":{"a":1}}}', 'in.json')).toEqual([
      'UNKNOWN_FIELD error Namespace x unknown field "__proto__" in metadata',
    ]);
  });

  it('a container list repeated verbatim by the pods of a List is reported for every pod that holds it', () => {
    const pod = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'shop', labels: { app: 'a' } },
      spec: { containers: [{ name: 'c', image: 'i', prots: [] }] },
    });
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod('p1'), pod('p2'), pod('p3')] });
    expect(codes(text, 'in.json')).toEqual(
      ['p1', 'p2', 'p3'].map((p) => `UNKNOWN_FIELD error Pod shop/${p} unknown field "prots" in spec.containers[0]; did you mean "ports"?`),
    );
  });
});
