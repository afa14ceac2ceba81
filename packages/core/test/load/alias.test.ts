/**
 * YAML aliases are bounded by what they expand to, not by how many there are: many references to a
 * small anchor load (kubectl accepts them), an alias bomb does not (ALIAS_LIMIT), and neither does an
 * alias inside its own anchor.
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { loadCluster, type Diagnostic } from '@kubereach/core';
import { aliasGrowth } from '../../src/load/parse-yaml.js';

const at = (d: Diagnostic) => `${d.code}@${d.location?.line}:${d.location?.col}`;

describe('alias limit by expansion', () => {
  it('the reported case: one harmless document with 150 references to a small anchor loads', () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: refs, namespace: shop}', 'x-common: &c {team: a, tier: b}', 'data:'];
    for (let i = 0; i < 150; i++) lines.push(`  k${i}: *c`);
    const r = loadCluster([{ name: 'refs.yaml', text: `${lines.join('\n')}\n` }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.cluster.others).toHaveLength(1);
    const data = (r.cluster.others[0]!.value as { data: Record<string, unknown> }).data;
    expect(Object.keys(data)).toHaveLength(150);
    expect(data['k149']).toEqual({ team: 'a', tier: 'b' });
  });

  it('counts each alias as the expanded size of its anchor (by hand: 5 written + 2 x 3)', () => {
    // a (map), its key and value; c (seq) holds two aliases of 3 nodes each: written 1+2+... see below
    const doc = parseDocument('a: &x {k: v}\nc: [*x, *x]\n');
    // written: root map 1, key a 1, map {k: v} 3, key c 1, seq 1, two aliases 2 = 9
    expect(aliasGrowth(doc.contents)).toEqual({ written: 9, added: 6 });
  });

  it('nested anchors multiply: the billion laughs grows by 9^n', () => {
    const doc = parseDocument('a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n');
    // a = 3 nodes; b = 1 + 2*3 = 7; c = 1 + 2*7 = 15; aliases add 3+3 (in b) and 7+7 (in c)
    expect(aliasGrowth(doc.contents).added).toBe(20);
  });

  it('an alias bomb is refused before anything is expanded, at the document start', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const r = loadCluster([{ name: 'bomb.yaml', text: `${levels.join('\n')}\n` }]);
    expect(r.diagnostics.map(at)).toEqual(['ALIAS_LIMIT@1:1']);
    expect(r.diagnostics[0]!.message).toMatch(/^aliases would expand the document by 4\.\d\de\+8 nodes, past the limit of 400000/);
  });

  it('the bound: 400,000 added nodes pass, one more anchor use does not (or as many as are written, when more)', () => {
    const doc = (refs: number) => {
      const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: m}', `anchor: &big [${Array(999).fill('x').join(',')}]`, 'data:'];
      for (let i = 0; i < refs; i++) lines.push(`- *big`);
      return `${lines.join('\n')}\n`;
    };
    // each *big adds 1,000 nodes (the sequence and its 999 items)
    expect(loadCluster([{ name: 'ok.yaml', text: doc(400) }]).diagnostics).toEqual([]);
    expect(loadCluster([{ name: 'no.yaml', text: doc(401) }]).diagnostics.map((d) => d.code)).toEqual(['ALIAS_LIMIT']);
    expect(loadCluster([{ name: 'lim.yaml', text: doc(2) }], { limits: { maxAliasExpansion: 1000 } }).diagnostics.map((d) => d.code)).toEqual(['ALIAS_LIMIT']);
  });

  it('an alias inside its own anchor is unbounded', () => {
    const r = loadCluster([{ name: 'self.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\ndata: &d [*d]\n' }]);
    expect(r.diagnostics.map(at)).toEqual(['ALIAS_LIMIT@1:1']);
    expect(r.diagnostics[0]!.message).toContain('an unbounded size (an alias inside its own anchor)');
  });

  it('merge keys still merge', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  annotations: &m {name: shop}\n  <<: *m\n  labels: {team: a}\n';
    const r = loadCluster([{ name: 'merge.yaml', text }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.cluster.namespaces.map((n) => n.name)).toEqual(['shop']);
  });
});
