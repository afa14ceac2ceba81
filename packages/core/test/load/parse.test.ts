import { describe, expect, it } from 'vitest';
import { loadCluster, type Diagnostic } from '@kubereach/core';

const at = (d: Diagnostic) => `${d.code}@${d.location?.line}:${d.location?.col}#${d.location?.doc}`;

describe('YAML streams', () => {
  it('loads every document, skips empty ones, and keeps document indexes', () => {
    const text = [
      'apiVersion: v1', //                      1
      'kind: Namespace', //                     2
      'metadata: {name: shop}', //              3
      '---', //                                 4  (doc 1, empty)
      '---', //                                 5  (doc 2, comment only)
      '# nothing here', //                      6
      '---', //                                 7  (doc 3)
      'apiVersion: v1', //                      8
      'kind: Pod', //                           9
      'metadata: {name: web, namespace: shop}', // 10
      '',
    ].join('\n');
    const r = loadCluster([{ name: 'a.yaml', text }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.stats).toEqual({ documents: 2, byKind: { Namespace: 1, Pod: 1 }, skipped: [] });
    expect(r.cluster.namespaces[0]!.location).toEqual({ file: 'a.yaml', line: 1, col: 1, doc: 0 });
    expect(r.cluster.endpoints[0]!.location).toEqual({ file: 'a.yaml', line: 8, col: 1, doc: 3 });
  });

  it('reports a syntax error in one document and still loads the others', () => {
    const text = [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}', // lines 1-3
      '---',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b: c', // lines 5-8, error at 8:9
      '---',
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: d}', // lines 10-12
    ].join('\n');
    const r = loadCluster([{ name: 's.yaml', text }]);
    expect(r.diagnostics.map(at)).toEqual(['YAML_SYNTAX@8:9#1']);
    expect(r.cluster.namespaces.map((n) => n.name)).toEqual(['a', 'd']);
  });

  it('expands kind: List with each item at its own position', () => {
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1', //        4:3
      '  kind: Namespace',
      '  metadata: {name: one}',
      '- apiVersion: v1', //        7:3
      '  kind: Namespace',
      '  metadata: {name: two}',
    ].join('\n');
    const r = loadCluster([{ name: 'l.yaml', text }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.cluster.namespaces.map((n) => [n.name, n.location?.line, n.location?.col])).toEqual([
      ['one', 4, 3],
      ['two', 7, 3],
    ]);
    expect(r.stats.byKind).toEqual({ Namespace: 2 });
  });

  it('gives items of a typed list (PodList) the kind and apiVersion of the list', () => {
    const text = 'apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: p1}\n- metadata: {name: p2}\n';
    const r = loadCluster([{ name: 'p.yaml', text }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.cluster.endpoints.map((e) => e.id)).toEqual(['default/p1[Pod]', 'default/p2[Pod]']);
  });

  it('reads YAML flow style that starts like JSON', () => {
    const r = loadCluster([{ name: 'f.yaml', text: '{apiVersion: v1, kind: Namespace, metadata: {name: x}}\n' }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.cluster.namespaces.map((n) => n.name)).toEqual(['x']);
  });

  it('keeps columns right after a byte-order mark and with CRLF line ends', () => {
    const text = '\uFEFFapiVersion: networking.k8s.io/v1\r\nkind: NetworkPolicy\r\nmetadata: {name: np}\r\nspec:\r\n  policyTypes: [Bogus]\r\n';
    const r = loadCluster([{ name: 'b.yaml', text }]);
    // "  policyTypes: [" is 16 characters, so Bogus is at column 17 of line 5
    expect(r.diagnostics.map(at)).toEqual(['INVALID_POLICY_TYPE@5:17#0']);
  });

  it('names the object that contains a duplicate key and drops such a policy', () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n  name: np2\nspec: {}\n';
    const r = loadCluster([{ name: 'd.yaml', text }]);
    expect(r.diagnostics.map((d) => [at(d), d.object])).toEqual([['DUPLICATE_KEY@5:3#0', 'NetworkPolicy default/np2']]);
    expect(r.cluster.policies).toEqual([]);
  });
});

describe('JSON', () => {
  const list = JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n1' } },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'np', namespace: 'n1' },
          spec: { podSelector: {}, ingress: [{ ports: [{ port: 99999 }] }] },
        },
      ],
    },
    null,
    2,
  );

  it('locates List items and fields inside them on demand', () => {
    const r = loadCluster([{ name: 'l.json', text: list }]);
    const lines = list.split('\n');
    // find the expected positions by reading the text itself
    // the item's "{" is on the line before its "apiVersion", which precedes "kind" (0-based index)
    const nsLine = lines.findIndex((l) => l.includes('"kind": "Namespace"')) - 2;
    const portLine = lines.findIndex((l) => l.includes('"port": 99999'));
    expect(r.cluster.namespaces.find((n) => n.name === 'n1')!.location).toEqual({
      file: 'l.json',
      line: nsLine + 1,
      col: lines[nsLine]!.indexOf('{') + 1,
      doc: 0,
    });
    expect(r.diagnostics.map(at)).toEqual([`PORT_OUT_OF_RANGE@${portLine + 1}:${lines[portLine]!.indexOf('99999') + 1}#0`]);
  });

  it('reads a .json file strictly: a syntax error with its position, nothing loaded', () => {
    const text = '{\n  "apiVersion": "v1",\n  "kind": "Namespace",\n  "metadata": {"name": "x",}\n}\n';
    const r = loadCluster([{ name: 'bad.json', text }]);
    // the trailing comma makes `}` at 4:28 unexpected
    expect(r.diagnostics.map(at)).toEqual(['JSON_SYNTAX@4:28#0']);
    expect(r.cluster.namespaces).toEqual([]);
  });

  it('reports duplicate keys, which JSON.parse would silently merge', () => {
    const text = '{"apiVersion":"v1","kind":"Namespace","kind":"Namespace","metadata":{"name":"x"}}';
    const r = loadCluster([{ name: 'dup.json', text }]);
    expect(r.diagnostics.map(at)).toEqual([`DUPLICATE_KEY@1:${text.indexOf('"kind"', 30) + 1}#0`]);
  });
});

describe('hostile input is bounded, not fatal', () => {
  it('stops 100k-deep flow nesting in YAML quickly', () => {
    const n = 100_000;
    const start = Date.now();
    const r = loadCluster([{ name: 'deep.yaml', text: `a: ${'['.repeat(n)}${']'.repeat(n)}` }]);
    expect(r.diagnostics.map(at)).toEqual(['NESTING_TOO_DEEP@1:260#0']);
    expect(Date.now() - start).toBeLessThan(5000);
  });

  it('stops 100k-deep nesting in JSON', () => {
    const n = 100_000;
    const r = loadCluster([{ name: 'deep.json', text: `${'['.repeat(n)}${']'.repeat(n)}` }]);
    // depth 257 is reached by the 257th "[" (offset 256)
    expect(r.diagnostics.map(at)).toEqual(['NESTING_TOO_DEEP@1:257#0']);
  });

  it('stops compact block nesting (- - - ...) on one line', () => {
    const r = loadCluster([{ name: 'dash.yaml', text: `${'- '.repeat(300)}x\n` }]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['NESTING_TOO_DEEP']);
  });

  it('measures block nesting below the per-line guard', () => {
    // 20 levels of mappings, each on its own line, with a depth limit of 10
    const text = Array.from({ length: 20 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' x\n';
    const r = loadCluster([{ name: 'block.yaml', text }], { limits: { maxDepth: 10 } });
    // the 11th mapping starts at line 11, column 11
    expect(r.diagnostics.map(at)).toEqual(['NESTING_TOO_DEEP@11:11#0']);
  });

  it('refuses an alias bomb', () => {
    const text = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((c, i) => {
        const prev = 'abcdefgh'[i]!;
        return `${c}: &${c} [${Array(10).fill(`*${prev}`).join(', ')}]`;
      }),
    ].join('\n');
    const r = loadCluster([{ name: 'bomb.yaml', text }]);
    expect(r.diagnostics.map(at)).toEqual(['ALIAS_LIMIT@1:1#0']);
  });

  it('allows the 512 MiB default size and enforces a smaller limit', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n';
    expect(loadCluster([{ name: 'ok.yaml', text }]).diagnostics).toEqual([]);
    const r = loadCluster([{ name: 'big.yaml', text }], { limits: { maxSourceBytes: 10 } });
    expect(r.diagnostics.map(at)).toEqual(['INPUT_TOO_LARGE@1:1#0']);
  });

  it('never throws, whatever the text', () => {
    const texts = ['', '   \n', '# only a comment', 'null', '42', '"str"', '[1, 2]', '\u0000\u0001\uffff', ':::', '{"a":', '- [', '&a *a', '*undefined'];
    for (const text of texts) {
      const r = loadCluster([{ name: 'x', text }]);
      for (const d of r.diagnostics) expect(d.location).not.toBeNull();
    }
    expect(loadCluster([{ name: 'x', text: '[1, 2]' }]).diagnostics.map((d) => d.code)).toEqual(['NOT_AN_OBJECT']);
    expect(loadCluster([{ name: 'x', text: '' }]).diagnostics).toEqual([]);
  });
});
