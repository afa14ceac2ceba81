/**
 * The JSON List fast path (load/json-fast.ts) against the general path (JSON.parse + scanJson): on
 * every input, loading with it must give exactly what loading without it gives: the same cluster,
 * the same diagnostics at the same locations. Inputs: generated clusters (compact, kubectl's
 * indented form, CRLF), hand-made edge cases, and seeded random one-character edits of a List that
 * exercises every modelled kind, most of which make the text invalid or strange in some way.
 */
import { describe, expect, it } from 'vitest';
import { generateCluster, renderCluster } from '../../../../benchmarks/generate.js';
import { fastParseList } from '../../src/load/json-fast.js';
import { scanJson } from '../../src/load/json-scan.js';
import { loadWith } from '../../src/pipeline/load-cluster.js';
import type { LoadOptions } from '../../src/load/types.js';
import { readShape } from '../../src/model/read-shapes.js';
import { ClusterBuilder } from '../../src/model/build.js';
import { resolveLimits } from '../../src/load/limits.js';
import { streamSource } from '../../src/load/stream.js';

/** The whole load result as text; location getters run, bigints (CIDRs) print as strings. */
function snapshot(text: string, options: LoadOptions, shapes: boolean): string {
  const r = loadWith([{ name: 'in.json', text }], options, shapes ? readShape : null);
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

function expectSameLoad(text: string, options: LoadOptions = {}): void {
  expect(snapshot(text, options, true)).toBe(snapshot(text, options, false));
}

/** A List with every modelled kind, an unmodelled one, and model-level errors. */
const BASE = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'a' }, uid: 'x' } },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: { podCIDR: '10.1.0.0/24', taints: [] },
      status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }], images: [{ names: ['a'] }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', annotations: { 'a/b': '{"x": "y\\n"}' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'c',
                image: 'nginx:1',
                command: ['sh', '-c'],
                args: ['echo "hi"'],
                env: [{ name: 'A', value: '1' }],
                ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }],
                resources: { requests: { cpu: '100m', memory: 1e3 }, limits: { cpu: 1 } },
              },
            ],
            initContainers: [{ name: 'init', image: 'busybox', ports: [{ containerPort: 70000 }] }],
            serviceAccountName: 'sa',
            priorityClassName: 'high',
            hostNetwork: false,
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-5d8-abcde',
        namespace: 'shop',
        labels: { app: 'web', 'pod-template-hash': '5d8' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8', controller: true }],
        uid: 'u-1',
      },
      spec: {
        nodeName: 'n1',
        containers: [{ name: 'c', image: 'nginx:1', ports: [{ containerPort: 80, name: 'http' }], volumeMounts: [] }],
      },
      status: { podIP: '10.1.0.5', podIPs: [{ ip: '10.1.0.5' }, { ip: 'fd00::5' }], conditions: [{ type: 'Ready' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bad', namespace: 'shop', labels: { n: 5 } },
      spec: { containers: [{ name: 7, ports: [{ containerPort: 'x', name: 'not a name' }], resources: [] }], hostNetwork: 'yes' },
      status: { podIP: '10.1.0.300' },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'shop' },
      spec: { schedule: '@daily', jobTemplate: { spec: { parallelism: 3, template: { metadata: { labels: { job: 'n' } }, spec: { containers: [] } } } } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'batch', namespace: 'shop' },
      spec: { parallelism: 2, completions: 4, template: { metadata: { labels: { job: 'b' } }, spec: { containers: [] } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }], clusterIP: '10.96.0.10' },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'np', namespace: 'shop', annotations: { big: 'x' } },
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 'http' }] }],
        egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 53, protocol: 'UDP', endPort: 54 }] }],
        policyTypes: ['Ingress', 'Egress'],
      },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { k: 'v' } },
    { apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'listed', namespace: 'shop' } }] },
  ],
};

const BASE_TEXT = JSON.stringify(BASE);
/** BASE without its nested PodList: every item plain, so the load streams it (load/stream.ts) instead of starting again. */
const PLAIN_TEXT = JSON.stringify({ ...BASE, items: BASE.items.filter((i) => i.kind !== 'PodList') });

function outcome(text: string): string {
  const builder = new ClusterBuilder({ defaultNamespace: 'default', ignoreInvalid: false });
  return streamSource({ name: 'in.json', text }, resolveLimits(undefined), readShape, builder);
}

describe('the JSON List fast path', () => {
  it('takes the fast path on generated clusters, compact, indented as kubectl prints, and with CRLF', () => {
    for (const shape of ['realistic', 'adversarial'] as const) {
      const compact = renderCluster(generateCluster({ pods: 400, seed: 7, shape }), 'json');
      const indented = JSON.stringify(JSON.parse(compact), null, 4);
      for (const text of [compact, indented, indented.replace(/\n/g, '\r\n')]) {
        const fast = fastParseList(text, 256, () => null);
        expect(fast).not.toBeNull();
        const scan = scanJson(text, 256);
        expect(fast!.value).toStrictEqual(JSON.parse(text));
        expect(fast!.items).toEqual(scan.items);
        expect(fast!.duplicates).toEqual(scan.duplicates);
        expectSameLoad(text);
      }
    }
  });

  it('loads the mixed List exactly as JSON.parse does, with its model errors', () => {
    expect(fastParseList(BASE_TEXT, 256, readShape)).not.toBeNull();
    expectSameLoad(BASE_TEXT);
    expectSameLoad(JSON.stringify(BASE, null, 2), { ignoreInvalid: true });
  });

  const edits: [string, string][] = [
    ['a duplicate key in a skipped part of a pod', BASE_TEXT.replace('"conditions":[{"type":"Ready"}]', '"conditions":[{"type":"Ready","type":"x"}]')],
    ['a duplicate key in a kept part', BASE_TEXT.replace('"nodeName":"n1",', '"nodeName":"n1","nodeName":"n2",')],
    ['kind repeated later, changing what the item is', BASE_TEXT.replace('"uid":"u-1"}', '"uid":"u-1"},"kind":"Gadget"')],
    [
      'kind after metadata',
      BASE_TEXT.replace(
        '{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"shop"}',
        '{"metadata":{"name":"web","namespace":"shop"},"apiVersion":"v1","kind":"Service"',
      ),
    ],
    ['a key with an escape', BASE_TEXT.replace('"nodeName"', '"node\\u004eame"')],
    ['escapes in values', BASE_TEXT.replace('"nginx:1"', '"ngi\\u006ex:\\"1\\"\\\\"')],
    ['a __proto__ key', BASE_TEXT.replace('"data":{"k":"v"}', '"data":{"__proto__":"v"}')],
    ['a tab inside a string', BASE_TEXT.replace('"echo', '"\techo')],
    ['a control character inside a string', BASE_TEXT.replace('"echo', '"\u0001echo')],
    ['a backslash outside a string', BASE_TEXT.replace(',"kind":"List"', ',\\"kind":"List"')],
    ['numbers of every form', BASE_TEXT.replace('"replicas":2', '"replicas":-0,"x":[1.5E-3,0.25,-12e+2,1e400]')],
    ['a bad number', BASE_TEXT.replace('"replicas":2', '"replicas":02')],
    ['a bad literal', BASE_TEXT.replace('"hostNetwork":false', '"hostNetwork":fals')],
    ['trailing text', `${BASE_TEXT} x`],
    ['a truncated text', BASE_TEXT.slice(0, BASE_TEXT.length - 3)],
    ['a trailing comma', BASE_TEXT.replace(']}', '],}')],
    ['null items', '{"apiVersion":"v1","kind":"List","items":null}'],
    ['no items', '{"apiVersion":"v1","kind":"List"}'],
    ['empty items', '{"items":[],"kind":"List","apiVersion":"v1"}'],
    ['items before kind', `{"items":${JSON.stringify(BASE.items)},"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":""}}`],
    ['items twice', BASE_TEXT.replace('{"apiVersion":"v1","kind":"List",', '{"items":[1],"apiVersion":"v1","kind":"List",')],
    ['a root that is not a List', BASE_TEXT.replace('"kind":"List"', '"kind":"Thing"')],
    ['scalar and array items', '{"apiVersion":"v1","kind":"List","items":[1,"a",[{"kind":"Pod"}],null,{}]}'],
    ['a List in a List', `{"apiVersion":"v1","kind":"List","items":[${BASE_TEXT}]}`],
    ['a non-string kind', BASE_TEXT.replace('"kind":"ConfigMap"', '"kind":{"a":1}')],
    // unknown fields below what the shapes build whole (containers, owner references), and at a
    // level they check (the general path takes over): the same diagnostics in the same order
    ['an unknown field in a container', BASE_TEXT.replace('"volumeMounts":[]', '"volumeMounts":[],"sidecarMode":true')],
    [
      'typos in a container and in an owner reference',
      BASE_TEXT.replace('"volumeMounts":[]', '"volumeMount":[]').replace('"controller":true', '"controler":true'),
    ],
    ['typos in init and app containers', BASE_TEXT.replace('"image":"busybox"', '"imag":"busybox"').replace('"args":[', '"arg":[')],
    ['an unknown field in a pod spec', BASE_TEXT.replace('"nodeName":"n1"', '"nodeName":"n1","nodeNme":"n2"')],
    ['an unknown field in a Service port', BASE_TEXT.replace('"targetPort":"http"', '"targetPort":"http","tagetPort":1')],
    [
      'kind after the fields, with a typo in a container',
      BASE_TEXT.replace('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-5d8-abcde"', '{"metadata":{"name":"web-5d8-abcde"')
        .replace('"conditions":[{"type":"Ready"}]}}', '"conditions":[{"type":"Ready"}]},"apiVersion":"v1","kind":"Pod"}')
        .replace('"volumeMounts":[]', '"volumeMount":[]'),
    ],
    ['a BOM', `\ufeff${BASE_TEXT}`],
    ['unicode', BASE_TEXT.replace('"cfg"', '"c\u00e9f\u{1F600}g"')],
  ];
  it.each(edits)('agrees on %s', (_what, text) => expectSameLoad(text));
  // the same edits where every other item is plain: streamed item by item until something is not
  it.each(
    edits.map(
      ([what, text]) =>
        [
          what,
          text.replace(
            BASE_TEXT.slice(BASE_TEXT.indexOf(',{"apiVersion":"v1","kind":"PodList"'), BASE_TEXT.length - 2),
            PLAIN_TEXT.slice(PLAIN_TEXT.lastIndexOf(',{"apiVersion":"v1","kind":"ConfigMap"'), PLAIN_TEXT.length - 2),
          ),
        ] as const,
    ),
  )('agrees on %s, streamed', (_what, text) => expectSameLoad(text));

  it('streams a plain List, starts again on one with a List inside, and takes the general path when the fast one gives up first', () => {
    expect(outcome(PLAIN_TEXT)).toBe('done');
    expect(outcome(JSON.stringify(JSON.parse(PLAIN_TEXT), null, 2))).toBe('done');
    // an item that is a List: seen after earlier items were modelled, so the whole load starts again
    expect(outcome(BASE_TEXT)).toBe('restart');
    // a duplicate key outside every item: after the items, the same; before them, nothing is modelled
    expect(outcome(`${PLAIN_TEXT.slice(0, -1)},"metadata":{},"metadata":{}}`)).toBe('restart');
    expect(outcome(PLAIN_TEXT.replace('{"apiVersion":"v1","kind":"List",', '{"apiVersion":"v1","kind":"List","metadata":{},"metadata":{},'))).toBe('general');
    // a typed list (items may take their kind from it) and a List whose root kind comes too late to know
    expect(outcome(PLAIN_TEXT.replace('"kind":"List"', '"kind":"ConfigMapList"'))).toBe('restart');
    // the fast path gives up before any item (a control character anywhere is checked first; YAML is
    // never tried): nothing was modelled, this source alone goes the general way
    expect(outcome(PLAIN_TEXT.replace('"kind":"List"', '"kind":"List\u0001"'))).toBe('general');
    expect(outcome('kind: List\nitems: []\n')).toBe('general');
    expect(outcome(`${PLAIN_TEXT.slice(0, 200)}`)).toBe('restart');
    for (const text of [PLAIN_TEXT, BASE_TEXT]) expectSameLoad(text);
  });

  /**
   * Pods of one workload in a row, repeating their labels, owner and containers verbatim: the fast
   * path takes a value equal to the one before it at the same place without reading it again
   * (json-fast.ts, `lastAt`), which must change nothing, whatever follows or differs.
   */
  const pod = (k: number, labels: string, owner: string, containers: string): string =>
    `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-${k}","namespace":"shop","labels":${labels},"ownerReferences":${owner}},` +
    `"spec":{"nodeName":"n${k % 2}","containers":${containers}},"status":{"podIP":"10.1.0.${k + 1}"}}`;
  const LABELS = '{"app":"web","pod-template-hash":"5d8"}';
  const OWNER = '[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-5d8","controller":true}]';
  const CONTAINERS = '[{"name":"c","image":"nginx:1","ports":[{"containerPort":80,"name":"http"}],"env":[{"name":"A","value":"x"}]}]';
  const list = (pods: string[]): string => `{"apiVersion":"v1","kind":"List","items":[${pods.join(',')}]}`;
  const REPEATED = list([0, 1, 2, 3].map((k) => pod(k, LABELS, OWNER, CONTAINERS)));
  const repeats: [string, string][] = [
    ['repeated values', REPEATED],
    ['repeated values, indented', JSON.stringify(JSON.parse(REPEATED), null, 2)],
    ['repeated values with CRLF and tabs between tokens', JSON.stringify(JSON.parse(REPEATED), null, '\t').replace(/\n/g, '\r\n')],
    ['a duplicate key in each repeated value', list([0, 1, 2].map((k) => pod(k, '{"app":"web","app":"web"}', OWNER, CONTAINERS)))],
    ['a duplicate key in the second of equal values only', list([pod(0, LABELS, OWNER, CONTAINERS), pod(1, '{"app":"web","app":"web"}', OWNER, CONTAINERS)])],
    ['escapes in repeated values', list([0, 1, 2].map((k) => pod(k, '{"app":"w\\u0065b","x":"a\\\\b\\"c"}', OWNER, CONTAINERS)))],
    [
      'a repeated value, then a backslash outside a string',
      list([pod(0, LABELS, OWNER, CONTAINERS), pod(1, LABELS, OWNER, CONTAINERS)]).replace(/("labels":\{[^}]*\})(?![\s\S]*"labels")/, '$1\\'),
    ],
    ['a repeated value followed by junk', list([pod(0, LABELS, OWNER, CONTAINERS), pod(1, `${LABELS}x`, OWNER, CONTAINERS)])],
    [
      'a repeated value followed by the end',
      list([pod(0, LABELS, OWNER, CONTAINERS)]).slice(0, -3) +
        `,${pod(1, LABELS, OWNER, CONTAINERS)}`.slice(0, pod(1, LABELS, OWNER, CONTAINERS).indexOf(OWNER) + OWNER.length + 1),
    ],
    ['a value that extends the one before', list([pod(0, LABELS, OWNER, '[]'), pod(1, LABELS, OWNER, '[],[]')])],
    ['a value that is a prefix of the one before', list([pod(0, LABELS, OWNER, CONTAINERS), pod(1, LABELS, OWNER, CONTAINERS.slice(0, 30))])],
    ['a typo in containers every pod repeats', list([0, 1, 2].map((k) => pod(k, LABELS, OWNER, CONTAINERS.replace('"image"', '"imge"'))))],
    ['an unknown field in an owner every pod repeats', list([0, 1, 2].map((k) => pod(k, LABELS, OWNER.replace('"controller"', '"manager"'), CONTAINERS)))],
    [
      'a wrong type where the value repeated',
      list([pod(0, LABELS, OWNER, CONTAINERS), pod(1, '"app=web"', OWNER, CONTAINERS), pod(2, LABELS, OWNER, CONTAINERS)]),
    ],
    [
      'equal containers in a template and in its pods',
      list([
        `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"},"spec":{"replicas":2,"template":{"metadata":{"labels":${LABELS}},"spec":{"containers":${CONTAINERS}}}}}`,
        pod(0, LABELS, OWNER, CONTAINERS),
        pod(1, LABELS, OWNER, CONTAINERS),
      ]),
    ],
  ];
  it.each(repeats)('agrees on %s', (_what, text) => expectSameLoad(text));
  it.each([5, 7].flatMap((limit) => repeats.map(([what, text]): [string, string, number] => [what, text, limit])))(
    'agrees on %s with a depth limit of %i',
    (_what, text, maxDepth) => expectSameLoad(text, { limits: { maxDepth } }),
  );

  it('reports a duplicate key once in each pod whose repeated labels hold one', () => {
    const text = list([0, 1, 2].map((k) => pod(k, '{"app":"web","app":"web"}', OWNER, CONTAINERS)));
    const r = loadWith([{ name: 'in.json', text }], {}, readShape);
    expect(r.diagnostics.filter((d) => d.code === 'DUPLICATE_KEY').map((d) => [d.object, d.location?.col])).toEqual(
      [0, 1, 2].map((k) => [`Pod shop/web-${k}`, text.indexOf('"app":"web","app"', text.indexOf(`"web-${k}"`)) + 13]),
    );
  });

  it('gives the pods of one workload the same labels, owner and containers values', () => {
    const values: Record<string, unknown>[] = [];
    const fast = fastParseList(REPEATED, 256, readShape, { items: [], duplicates: [], item: (v) => values.push(v as Record<string, unknown>) });
    expect(fast).not.toBeNull();
    const at = (k: number, ...path: string[]): unknown => path.reduce<unknown>((v, p) => (v as Record<string, unknown>)[p], values[k]);
    for (const path of [
      ['metadata', 'labels'],
      ['metadata', 'ownerReferences'],
      ['spec', 'containers'],
    ]) {
      expect(at(0, ...path)).toStrictEqual(JSON.parse(REPEATED).items[0][path[0]!][path[1]!]);
      for (const k of [1, 2, 3]) expect(at(k, ...path)).toBe(at(0, ...path));
    }
  });

  it('does not take a repeated value over the depth limit where the same shape sits deeper', () => {
    const inner = { fields: { v: 'shared' } } as const;
    const shapeOf = () => ({ fields: { a: inner, b: { fields: { c: inner } } } });
    const text = '{"kind":"List","items":[{"kind":"K","apiVersion":"v1","a":{"v":[[1]]},"b":{"c":{"v":[[1]]}}}]}';
    // the second [[1]] reaches depth 7 (root, items, item, b, c, and its own two)
    expect(fastParseList(text, 6, shapeOf)).toBeNull();
    const fast = fastParseList(text, 7, shapeOf);
    expect(fast!.value['items']).toStrictEqual([{ kind: 'K', apiVersion: 'v1', a: { v: [[1]] }, b: { c: { v: [[1]] } } }]);
  });

  it('agrees on 400 random one-character edits of pods that repeat their values', () => {
    let seed = 777;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const pieces = ['"', '{', '}', '[', ']', ',', ':', '\\', ' ', '\n', '0', 'x', '"app":"web",'];
    for (let k = 0; k < 400; k++) {
      const at = next(REPEATED.length);
      const piece = pieces[next(pieces.length)]!;
      const op = next(3);
      expectSameLoad(
        op === 0
          ? REPEATED.slice(0, at) + REPEATED.slice(at + 1)
          : op === 1
            ? REPEATED.slice(0, at) + piece + REPEATED.slice(at)
            : REPEATED.slice(0, at) + piece + REPEATED.slice(at + 1),
      );
    }
  });

  it('agrees when nesting passes a small depth limit', () => {
    for (const maxDepth of [1, 2, 4, 6, 8]) expectSameLoad(BASE_TEXT, { limits: { maxDepth } });
  });

  it('agrees on 400 random one-character edits', () => {
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const pieces = ['"', '{', '}', '[', ']', ',', ':', '\\', ' ', '\t', '\n', '0', '-', 'e', '.', 'a', '"kind":"Pod",'];
    for (let k = 0; k < 400; k++) {
      const at = next(BASE_TEXT.length);
      const op = next(3);
      const piece = pieces[next(pieces.length)]!;
      const text =
        op === 0
          ? BASE_TEXT.slice(0, at) + BASE_TEXT.slice(at + 1)
          : op === 1
            ? BASE_TEXT.slice(0, at) + piece + BASE_TEXT.slice(at)
            : BASE_TEXT.slice(0, at) + piece + BASE_TEXT.slice(at + 1);
      expectSameLoad(text);
    }
  });

  it('agrees on 400 random one-character edits of a List it streams', () => {
    let seed = 54321;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const pieces = ['"', '{', '}', '[', ']', ',', ':', '\\', ' ', '0', '"kind":"Pod",', '"items":[],'];
    for (let k = 0; k < 400; k++) {
      const at = next(PLAIN_TEXT.length);
      const piece = pieces[next(pieces.length)]!;
      expectSameLoad(next(2) === 0 ? PLAIN_TEXT.slice(0, at) + PLAIN_TEXT.slice(at + 1) : PLAIN_TEXT.slice(0, at) + piece + PLAIN_TEXT.slice(at));
    }
  });
});
