/**
 * Locations inside JSON and YAML: each container is indexed on its first walk, so asking for every
 * element's location is linear (the benchmark in benchmarks/hostile.ts shows the growth; no test
 * here times anything). These tests pin what the index must not change: exact offsets, the last of
 * duplicate keys winning, missing steps stopping at the deepest node, and escaped keys.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parseDocument } from 'yaml';
import { JsonLocator } from '../../src/load/json-locate.js';
import { documentSpan, ReparsingYamlLocator, YamlLocator } from '../../src/load/yaml-locate.js';
import { loadCluster } from '@kubereach/core';

describe('JsonLocator', () => {
  it('gives the exact offset of every element of a long array, asked in any order', () => {
    const n = 3000;
    const items = Array.from({ length: n }, (_, i) => ({ ipBlock: { cidr: `10.0.${i >> 8}.${i & 255}/32` } }));
    const text = JSON.stringify({ spec: { ingress: [{ from: items }] } }, null, 1);
    const loc = new JsonLocator(text, 0, null);
    const got = Array.from({ length: n }, (_, i) => loc.offsetOf(['spec', 'ingress', 0, 'from', i]));
    for (let i = 0; i < n; i += 97)
      expect(text.slice(got[i]!, got[i]! + 80)).toMatch(new RegExp(`^\\{\\s*"ipBlock": \\{\\s*"cidr": "10\\.0\\.${i >> 8}\\.${i & 255}/32"`));
    // reversed order gives the same answers
    for (let i = n - 1; i >= 0; i -= 101) expect(loc.offsetOf(['spec', 'ingress', 0, 'from', i])).toBe(got[i]);
    // consecutive elements are in text order, none shared
    for (let i = 1; i < n; i++) expect(got[i]!).toBeGreaterThan(got[i - 1]!);
  });

  it('takes the last of duplicate keys, as JSON.parse does; a missing step stops at its parent', () => {
    const text = '{"a": {"k": 1, "k": [10, 20]}, "b\\u0041": 2}';
    const loc = new JsonLocator(text, 0, null);
    expect(loc.offsetOf(['a', 'k'])).toBe(text.indexOf('[10'));
    expect(loc.offsetOf(['a', 'k', 1])).toBe(text.indexOf('20'));
    expect(loc.offsetOf(['a', 'k', 5])).toBe(text.indexOf('[10'));
    expect(loc.offsetOf(['a', 'missing'])).toBe(text.indexOf('{"k"'));
    expect(loc.offsetOf(['bA'])).toBe(text.indexOf('2}'));
    expect(loc.offsetOf(['a', 0])).toBe(text.indexOf('{"k"')); // a number does not index an object
    expect(loc.rangeOf(['a', 'k'])).toEqual([text.indexOf('[10'), text.indexOf(']') + 1]);
  });

  it('a policy with thousands of ipBlock peers locates each one exactly (the quadratic case)', () => {
    const n = 5000;
    const peers = Array.from({ length: n }, (_, i) => ({ ipBlock: { cidr: `10.${i >> 8}.${i & 255}.1/24` } }));
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'default' },
      spec: { podSelector: {}, ingress: [{ from: peers }] },
    };
    const text = JSON.stringify(policy, null, 2);
    const r = loadCluster([{ name: 'p.json', text }]);
    // every peer has host bits set: one CIDR_HOST_BITS warning each, at the cidr value's own line
    expect(r.diagnostics).toHaveLength(n);
    const lines = text.split('\n');
    for (let i = 0; i < n; i += 499) {
      const d = r.diagnostics[i]!;
      expect(d.code).toBe('CIDR_HOST_BITS');
      expect(lines[d.location!.line - 1]).toBe(`              "cidr": "10.${i >> 8}.${i & 255}.1/24"`);
      expect(d.location!.col).toBe(23);
    }
  });
});

describe('YamlLocator', () => {
  it('indexes a mapping once and keeps the last duplicate', () => {
    const text = 'a: 1\nb:\nc: {x: 1}\na: 2\n';
    const doc = parseDocument(text, { uniqueKeys: false });
    const loc = new YamlLocator(doc.contents, 0);
    expect(loc.offsetOf(['a'])).toBe(text.lastIndexOf('2'));
    expect(loc.offsetOf(['b'])).toBe(text.indexOf('b:') + 2); // the empty value, right after the colon
    expect(loc.offsetOf(['c', 'x'])).toBe(text.indexOf('1}'));
    expect(loc.offsetOf(['c', 'nope'])).toBe(text.indexOf('{x'));
  });

  it('locates every key of a mapping with many keys', () => {
    const n = 2000;
    const text = Array.from({ length: n }, (_, i) => `k${i}: v${i}`).join('\n');
    const doc = parseDocument(text);
    const loc = new YamlLocator(doc.contents, 0);
    for (let i = 0; i < n; i += 37) expect(loc.offsetOf([`k${i}`])).toBe(text.indexOf(`k${i}: v${i}`) + `k${i}: `.length);
  });
});

describe('ReparsingYamlLocator (no AST kept) agrees with the AST walk', () => {
  /** Every path of a JS value (keys and indexes), up to a few hundred. */
  function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
    if (out.length > 400) return out;
    out.push(prefix);
    if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
    return out;
  }

  const texts: Record<string, string> = {
    'a stream with markers, comments and flow style':
      'a: 1\n---\n# c\nkind: Pod\nmetadata: {name: x, labels: {app: web}}\nspec:\n  containers:\n  - name: c\n    ports: [{containerPort: 80}, {name: h, containerPort: 81}]\n--- !!map\nd: [1, [2, {e: 3}]]\n...\n',
    'a block List':
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n    labels: {x: "1"}\n- kind: Pod\n  spec:\n    containers:\n    - {name: c, ports: [{containerPort: 8}]}\n  status: {podIP: 10.0.0.1}\n',
    'a flow List': '{apiVersion: v1, kind: List, items: [{kind: Pod, metadata: {name: a}}, {kind: Pod, metadata: {name: b, labels: {k: v}}}]}\n',
    'an item with an alias to an anchor outside it':
      'kind: List\ncommon: &c {team: a}\nitems:\n- kind: Pod\n  metadata: {name: a, labels: *c}\n- kind: Pod\n  metadata:\n    name: b\n    labels: *c\n',
    'an indented List with CRLF': 'kind: List\r\nitems:\r\n  - kind: Pod\r\n    metadata:\r\n      name: a\r\n  - kind: Pod\r\n    metadata: {name: b}\r\n',
  };

  for (const [what, text] of Object.entries(texts)) {
    it(what, () => {
      const docs = parseAllDocuments(text);
      for (const doc of docs) {
        const full = new YamlLocator(doc.contents, doc.contents?.range?.[0] ?? doc.range[0]);
        const lazy = new ReparsingYamlLocator(text, documentSpan(doc.range, doc.contents));
        const value = doc.toJS() as unknown;
        const all = paths(value);
        all.push(['nope'], ['items', 99], ['items', 0, 'nope', 'deeper']);
        for (const p of all) expect(lazy.rangeOf(p), `${what}: ${JSON.stringify(p)}`).toEqual(full.rangeOf(p));
      }
    });
  }
});
