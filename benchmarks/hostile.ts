/**
 * `npm run bench:hostile`: load time and peak memory on hostile input shapes, each size in a process
 * of its own (so peak RSS is that size's alone), with the growth ratio per doubling. Linear load
 * shows as ratios near 2; the quadratic JSON locator this guards against showed 3.6-4 per doubling
 * (1k peers 0.27 s, 4k 3.6 s, 20k over a minute).
 *
 *   npx tsx benchmarks/hostile.ts                 every shape, 1,563 to 100,000 elements
 *   npx tsx benchmarks/hostile.ts --max 25000     smaller sizes only
 *   npx tsx benchmarks/hostile.ts --shapes peers-json,ports-json
 *
 * Shapes: one NetworkPolicy with N ipBlock peers (JSON, and the same as YAML), one with N ports,
 * and a List of N small Pods (YAML), the "230k small objects" report. Times are the median of three
 * loads in the child; peak memory is the child's peak RSS minus its RSS before reading the input,
 * over the input's size in bytes.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadCluster } from '../packages/core/src/index.js';

type Shape = 'peers-json' | 'peers-yaml' | 'ports-json' | 'pods-yaml';
const SHAPES: readonly Shape[] = ['peers-json', 'peers-yaml', 'ports-json', 'pods-yaml'];

/** The input text of a shape at size n (deterministic). */
export function hostileInput(shape: Shape, n: number): string {
  const policy = (spec: unknown) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'default' }, spec });
  const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`;
  switch (shape) {
    case 'peers-json': {
      const from = Array.from({ length: n }, (_, i) => ({ ipBlock: { cidr: ip(i) } }));
      return JSON.stringify(policy({ podSelector: {}, ingress: [{ from }] }));
    }
    case 'peers-yaml': {
      const lines = [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata: {name: p, namespace: default}',
        'spec:',
        '  podSelector: {}',
        '  ingress:',
        '  - from:',
      ];
      for (let i = 0; i < n; i++) lines.push(`    - ipBlock: {cidr: ${ip(i)}}`);
      return `${lines.join('\n')}\n`;
    }
    case 'ports-json': {
      const ports = Array.from({ length: n }, (_, i) => ({ protocol: 'TCP', port: (i % 65535) + 1 }));
      return JSON.stringify(policy({ podSelector: {}, ingress: [{ ports }] }));
    }
    case 'pods-yaml': {
      const lines = ['apiVersion: v1', 'kind: List', 'items:'];
      for (let i = 0; i < n; i++) {
        lines.push(
          '- apiVersion: v1',
          '  kind: Pod',
          `  metadata: {name: p${i}, namespace: ns${i % 50}, labels: {app: a${i % 100}}}`,
          `  status: {podIP: ${ip(i).slice(0, -3)}}`,
        );
      }
      return `${lines.join('\n')}\n`;
    }
    default: {
      const never: never = shape;
      return never;
    }
  }
}

interface One {
  shape: Shape;
  n: number;
  bytes: number;
  ms: number;
  peakMB: number;
  multiple: number;
  diagnostics: number;
}

/** In the child: generate, then load three times; report the median and the peak memory. */
function one(shape: Shape, n: number): One {
  const before = process.memoryUsage().rss;
  const text = hostileInput(shape, n);
  const bytes = Buffer.byteLength(text);
  const times: number[] = [];
  let diagnostics = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const res = loadCluster([{ name: shape.endsWith('json') ? 'in.json' : 'in.yaml', text }]);
    times.push(performance.now() - t0);
    diagnostics = res.diagnostics.length;
  }
  times.sort((a, b) => a - b);
  const peak = process.resourceUsage().maxRSS * 1024 - before;
  return {
    shape,
    n,
    bytes,
    ms: Math.round(times[1]! * 10) / 10,
    peakMB: Math.round(peak / 1048576),
    multiple: Math.round((peak / bytes) * 10) / 10,
    diagnostics,
  };
}

const self = fileURLToPath(import.meta.url);
const { values } =
  process.argv[1] === self ? parseArgs({ options: { one: { type: 'string' }, max: { type: 'string' }, shapes: { type: 'string' } } }) : { values: null };
if (values === null) {
  // imported (by a profiler script): nothing to run
} else if (values.one !== undefined) {
  const [shape, n] = values.one.split(':');
  process.stdout.write(JSON.stringify(one(shape as Shape, Number(n))));
} else {
  const max = Number(values.max ?? 100_000);
  const sizes: number[] = [];
  for (let n = 100_000; n >= 1500; n = Math.round(n / 2)) if (n <= max) sizes.unshift(n);
  console.log('| shape | N | input | load (median of 3) | x per doubling | peak memory | x input |');
  console.log('|---|---|---|---|---|---|---|');
  const shapes = values.shapes === undefined ? SHAPES : (values.shapes.split(',') as Shape[]);
  for (const shape of shapes) {
    let prev: One | null = null;
    for (const n of sizes) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--one', `${shape}:${n}`], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const r = JSON.parse(out) as One;
      const ratio = prev === null ? '' : (r.ms / prev.ms).toFixed(2);
      console.log(`| ${shape} | ${n.toLocaleString('en')} | ${(r.bytes / 1048576).toFixed(2)} MB | ${r.ms} ms | ${ratio} | ${r.peakMB} MB | ${r.multiple} |`);
      prev = r;
    }
  }
}
