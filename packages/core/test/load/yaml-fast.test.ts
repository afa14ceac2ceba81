/**
 * The block-YAML fast path (load/yaml-fast.ts) against the `yaml` package's reading (parse-yaml.ts):
 * random documents rendered by `yaml` in block style, with kubectl's and yaml's own layouts and
 * every string style, must give the same documents (values, document indexes) and the same position
 * for every path, and whole loads of generated clusters must give the same cluster and the same
 * diagnostics at the same locations. Inputs the fast path does not read must fall back, unchanged.
 */
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { stringify, type ToStringOptions } from 'yaml';
import { generateCluster, renderCluster } from '../../../../benchmarks/generate.js';
import { loadWith } from '../../src/pipeline/load-cluster.js';
import { DEFAULT_LIMITS } from '../../src/load/limits.js';
import { parseYaml } from '../../src/load/parse-yaml.js';
import { SourceText } from '../../src/load/source-text.js';
import type { FieldPath, ParsedDocument } from '../../src/load/types.js';
import { fastYamlDocuments } from '../../src/load/yaml-fast.js';
import { readShape } from '../../src/model/read-shapes.js';

/** Values as text: -0, NaN and the infinities spelled out (JSON would print them as 0 and null). */
function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'number' && (Object.is(x, -0) || !Number.isFinite(x)) ? `<${Object.is(x, -0) ? '-0' : String(x)}>` : x,
  );
}

function paths(v: unknown, prefix: FieldPath = [], out: FieldPath[] = [[]]): FieldPath[] {
  if (typeof v === 'object' && v !== null) {
    for (const k of Object.keys(v)) {
      const p = [...prefix, Array.isArray(v) ? Number(k) : k];
      out.push(p, [...p, 'missing']);
      paths((v as Record<string, unknown>)[k], p, out);
    }
  }
  return out;
}

function valueAt(v: unknown, path: FieldPath): unknown {
  let x = v;
  for (const seg of path) {
    if (typeof x !== 'object' || x === null || !Object.prototype.hasOwnProperty.call(x, seg)) return undefined;
    x = (x as Record<string, unknown>)[seg as string];
  }
  return x;
}

/** Compares the fast reading of `text` with yaml's; returns whether the fast path read it. */
function expectSameDocuments(text: string): boolean {
  const src = new SourceText('in.yaml', text);
  const fast = fastYamlDocuments(src, DEFAULT_LIMITS.maxDepth);
  if (fast === null) return false;
  const diagnostics: unknown[] = [];
  const slow = parseYaml(src, DEFAULT_LIMITS, diagnostics as never[]);
  expect(diagnostics).toEqual([]);
  const docs = (d: readonly ParsedDocument[]) => d.map((x) => `${x.doc} ${show(x.value)}`);
  expect(docs(fast)).toEqual(docs(slow));
  fast.forEach((f, i) => {
    const s = slow[i]!;
    expect(f.keyErrors).toEqual([]);
    for (const p of paths(s.value)) {
      expect([p, f.locator.offsetOf(p)]).toEqual([p, s.locator.offsetOf(p)]);
      // a string's range (its quotes and escapes locate a character inside it in a diagnostic)
      if (typeof valueAt(s.value, p) === 'string') expect([p, f.locator.rangeOf(p)]).toEqual([p, s.locator.rangeOf(p)]);
    }
  });
  return true;
}

// keys and strings that stress quoting, the core schema and comments
const trickyString = fc.constantFrom(
  '',
  ' ',
  'a b',
  'a: b',
  'a #b',
  'a#b',
  '#x',
  '- a',
  '-a',
  '? x',
  ': x',
  'x:',
  'x: ',
  'true',
  'True',
  'no',
  'null',
  'Null',
  '~',
  '0',
  '007',
  '0644',
  '0o17',
  '0x1F',
  '1e3',
  '-1.5',
  '.5',
  '.inf',
  '-.Inf',
  '.nan',
  '+12',
  '1_000',
  '12:30',
  '2024-01-01',
  "it's",
  'say "hi"',
  'back\\slash',
  'tab\there',
  'line\nbreak',
  'two\n\nparagraphs',
  'trailing\n',
  'trailing\n\n',
  '\nleading',
  '  indented',
  'ends with space ',
  'é ü 中文 🙂',
  '{"json": [1, 2]}',
  '[a, b]',
  '{a: 1}',
  '*alias',
  '&anchor',
  '!tag',
  '%dir',
  '@at',
  '`tick`',
  '|',
  '>',
  'a\\nb',
  '\u0007bell',
  'x'.repeat(120),
  `${'word '.repeat(30)}end`,
);
const key = fc.oneof(
  fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'items', 'app.kubernetes.io/name', 'a/b', 'x-y_z', 'with space', 'k8s'),
  trickyString,
  fc.string({ maxLength: 12 }),
);
const scalar = fc.oneof(
  trickyString,
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double({ noDefaultInfinity: false }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(Number.MAX_SAFE_INTEGER + 2),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('seq')),
  map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  seq: fc.array(tie('node'), { maxLength: 4 }),
})).node;
const docValue = fc.oneof(fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 }), fc.array(value, { minLength: 1, maxLength: 4 }));

const renderOptions: fc.Arbitrary<ToStringOptions> = fc.record({
  indentSeq: fc.boolean(), // false is kubectl's layout (`- ` at the key's indentation)
  indent: fc.constantFrom(2, 4),
  lineWidth: fc.constantFrom(0, 20, 80),
  minContentWidth: fc.constantFrom(0, 20),
  defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
  defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
  blockQuote: fc.constantFrom(true, false, 'literal', 'folded'),
  doubleQuotedAsJSON: fc.boolean(),
}) as fc.Arbitrary<ToStringOptions>;

/** Multiplies every property's runs (a stress run sets it to 10 in a temporary copy of this file). */
const RUNS = 1;
/**
 * The properties take about 10 s on an idle machine; the shared machine, under the load of several
 * test suites at once, has taken over 60 s (the default timeout).
 */
const LONG = 600_000;

describe('block YAML fast path', () => {
  test(
    'random documents rendered by yaml in block style: the same values, document indexes and positions as yaml',
    () => {
      let read = 0;
      let runs = 0;
      fc.assert(
        fc.property(fc.array(docValue, { minLength: 1, maxLength: 3 }), renderOptions, fc.boolean(), fc.boolean(), (docs, options, leadingMarker, comments) => {
          runs++;
          let text = docs.map((d) => stringify(d, { ...options, aliasDuplicateObjects: false })).join('---\n');
          if (leadingMarker) text = `---\n${text}`;
          if (comments) text = `# generated\n${text.replace(/\n(?=[a-z])/g, '\n# note\n')}`;
          if (expectSameDocuments(text)) read++;
        }),
        { numRuns: 400 * RUNS },
      );
      // the property is about the fast path: most rendered documents must be read by it, not handed on
      expect(read / runs).toBeGreaterThan(0.5);
    },
    LONG,
  );

  it.each([
    ['a List, kubectl layout', 'apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n    labels: {}\n- kind: Pod\nkind: List\n'],
    ['empty values and entries', 'a:\nb:\n  c:\nd:\n-\n- x\ne: 1\n'],
    ['comments everywhere', '# top\na: 1 # trailing\n  # indented comment\nb: # after key\n  c: 2\n# end\n'],
    ['document markers: a comment before the first, an empty one between', '# head\n---\na: 1\n---\n---\nb: 2\n--- # note\nc: 3\n'],
    ['block scalars: chomping and folding', 'a: |\n  x\n  y\nb: |-\n  x\n\nc: |+\n  x\n\n\nd: >\n  x\n  y\n\n  z\ne: >-\n  x\nf: |\n\n  after blank\ng: end\n'],
    ['a block scalar at the end of the text without a final newline', 'a: |\n  x\n  y'],
    ['a keep block scalar at the end of the text', 'a: |+\n  x\n\n'],
    ['quoted keys and values with escapes', "\"a b\": \"x\\ty\\u00e9\\\"q\\\"\\\\\"\n'c''d': 'it''s'\n"],
    ['core schema scalars', 'a: 0o17\nb: 0x1F\nc: -0\nd: 1.50\ne: 1e3\nf: .inf\ng: .NaN\nh: ~\ni: TRUE\nj: yes\nk: 007\nl: +5\n'],
    ['root sequence with compact maps', '- a: 1\n  b:\n  - 2\n- c\n'],
    ['nested sequences', 'a:\n- - 1\n  - - 2\n- []\n'],
    ['an indentation indicator on a mapping value', 'a: |2\n   x\nb: >1-\n y\n'],
  ])('%s: the same as yaml, read by the fast path', (_name, text) => {
    expect(expectSameDocuments(text)).toBe(true);
  });

  it.each([
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['tags', 'a: !!str 1\n'],
    ['a flow mapping', 'a: {b: 1}\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a merge key', 'a: &x {}\n<<: *x\n'],
    ['a duplicate key (yaml reports it)', 'a: 1\na: 2\n'],
    ['a syntax error', 'a: b: c\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a tab in the indentation', 'a:\n\tb: 1\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a non-string key', '1: a\n'],
    ['an indentation indicator in a sequence entry', '- |2\n   x\n'],
  ])('%s: left to yaml', (_name, text) => {
    expect(fastYamlDocuments(new SourceText('in.yaml', text), DEFAULT_LIMITS.maxDepth)).toBeNull();
  });
});

/** The whole load result as text; location getters run, bigints (CIDRs) print as strings. */
function snapshot(text: string, fast: boolean): string {
  const r = loadWith([{ name: 'in.yaml', text }], {}, fast ? readShape : null);
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** Documents the fast path leaves to yaml: outside its subset, or with diagnostics of their own. */
const outsideSubset = fc.constantFrom(
  'apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: x\ndata: *m\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: flow, namespace: default}\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "two\n    lines"\n',
  'apiVersion: v1\nkind: Pod\nmetadata: !!map\n  name: tagged\n',
  'a: b: c\n',
  '- [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n',
);

describe('a stream the fast path reads only in part: the same load as yaml alone', () => {
  test(
    'random documents with one outside the subset: the same cluster, diagnostics and locations',
    () => {
      const pod = (i: number) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `p${i}`, namespace: 'default', labels: { app: `a${i}` } },
        spec: { containers: [{ name: 'c' }] },
      });
      fc.assert(
        fc.property(
          fc.array(fc.oneof(docValue, fc.nat(20).map(pod)), { minLength: 1, maxLength: 4 }),
          fc.nat(4),
          outsideSubset,
          renderOptions,
          (docs, at, odd, options) => {
            const texts = docs.map((d) => stringify(d, { ...options, aliasDuplicateObjects: false }));
            texts.splice(Math.min(at, texts.length), 0, odd);
            const text = texts.join('---\n');
            expect(snapshot(text, true)).toBe(snapshot(text, false));
          },
        ),
        { numRuns: 100 * RUNS },
      );
    },
    LONG,
  );
});

describe('whole loads of YAML: fast path and yaml agree', () => {
  const objects = generateCluster({ pods: 300, seed: 5, shape: 'realistic' }) as object[];
  // model errors, so that diagnostics (and their positions) are compared too
  const broken = [
    ...objects,
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'bad', namespace: 'default' },
      spec: { podSelector: {}, ingress: [{ ports: [{ port: 70000 }], from: [{ ipBlock: { cidr: 'nope' } }] }] },
    },
    { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default' }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 'x' }] }] } },
    { kind: 'Missing' },
    // a diagnostic pointing inside a string (the selector's own syntax error), located through rangeOf
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'sel', namespace: 'default' },
      spec: { podSelector: { matchLabels: { 'bad key!': 'x', ok: 'it\'s "quoted"' } } },
    },
  ];

  test(
    'a multi-document stream (the generator layout)',
    () => {
      const text = renderCluster(broken, 'yaml');
      expect(fastYamlDocuments(new SourceText('in.yaml', text), DEFAULT_LIMITS.maxDepth)).not.toBeNull();
      expect(snapshot(text, true)).toBe(snapshot(text, false));
    },
    LONG,
  );

  test(
    'one List in kubectl get -o yaml layout',
    () => {
      const text = stringify(
        { apiVersion: 'v1', kind: 'List', items: broken, metadata: { resourceVersion: '' } },
        { indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false },
      );
      expect(fastYamlDocuments(new SourceText('in.yaml', text), DEFAULT_LIMITS.maxDepth)).not.toBeNull();
      expect(snapshot(text, true)).toBe(snapshot(text, false));
    },
    LONG,
  );
});
