/**
 * Two of the smaller hostile-input reports: a YAML-tagged value where a mapping belongs (it is a
 * value, never a mapping), and one YAML error reported once.
 */
import { describe, expect, it } from 'vitest';
import { loadCluster, type Diagnostic } from '@kubereach/core';

const at = (d: Diagnostic) => `${d.code}@${d.location?.line}:${d.location?.col}`;

describe('YAML tags that make non-mapping values', () => {
  it('spec: !!binary is not a policy spec: INVALID_FIELD at the value, the policy is left out', () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec: !!binary aGVsbG8=\n';
    const r = loadCluster([{ name: 'b.yaml', text }]);
    expect(r.diagnostics.map(at)).toEqual(['INVALID_FIELD@4:16']); // the value after the tag
    expect(r.diagnostics[0]!.message).toBe('spec must be a mapping, not binary data (a !!binary value)');
    expect(r.cluster.policies).toEqual([]);
  });

  it('!!timestamp, !!set and !!omap values are not mappings either', () => {
    const spec = (v: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec: ${v}\n`;
    const msg = (v: string) => loadCluster([{ name: 't.yaml', text: spec(v) }]).diagnostics.map((d) => d.message);
    expect(msg('!!timestamp 2001-12-14')).toEqual(['spec must be a mapping, not a timestamp (a !!timestamp value)']);
    expect(msg('!!set {a, b}')).toEqual(['spec must be a mapping, not a set (a !!set value)']);
    expect(msg('!!omap [a: 1]')).toEqual(['spec must be a mapping, not an ordered map (a !!omap or !!pairs value)']);
  });
});

describe('one YAML error, one diagnostic', () => {
  it('an unclosed flow collection inside another is reported once per position and message', () => {
    // found by mutating a valid manifest: yaml reports the two innermost errors twice each
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n  [  ports: [{containerPort:[ 80}]\n';
    const r = loadCluster([{ name: 'd.yaml', text }]);
    const keys = r.diagnostics.map((d) => `${at(d)} ${d.message}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeGreaterThan(0);
    expect(r.diagnostics.every((d) => d.code === 'YAML_SYNTAX')).toBe(true);
  });
});
