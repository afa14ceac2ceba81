/**
 * Seeded generator of Kubernetes clusters for benchmarks.
 *
 *   npx tsx benchmarks/generate.ts --pods 150000 --seed 1 --shape realistic --format json --out /tmp/x.json
 *
 * Options: --pods N (required), --seed N (1), --shape realistic|adversarial, --namespaces N,
 * --policies N, --nodes N, --dual-stack, --variant K (one NetworkPolicy changed), --format json|yaml,
 * --out PATH (stdout when absent). A summary goes to stderr.
 *
 * As a library: `generateCluster(opts)` returns the objects, `renderCluster(objects, format)` the text.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generate } from './gen/generate-cluster.js';
import { renderChunks } from './gen/render.js';
import type { Format } from './gen/render.js';
import type { GenerateOptions, Shape } from './gen/types.js';

export { generate, generateCluster } from './gen/generate-cluster.js';
export type { GeneratedCluster } from './gen/generate-cluster.js';
export { renderChunks, renderCluster, toYamlDocument, toYamlList } from './gen/render.js';
export type { Format } from './gen/render.js';
export { POD_ID_LABEL } from './gen/cluster.js';
export { resolveOptions } from './gen/options.js';
export type * from './gen/types.js';

const USAGE = `usage: generate.ts --pods N [--seed N] [--shape realistic|adversarial] [--namespaces N] [--policies N]
                   [--nodes N] [--dual-stack] [--variant K] [--format json|yaml] [--out PATH]`;

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[0-9]+$/.test(v)) throw new RangeError(`--${name} must be a non-negative integer, got ${v}`);
  return Number(v);
}

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      pods: { type: 'string' },
      seed: { type: 'string' },
      shape: { type: 'string' },
      namespaces: { type: 'string' },
      policies: { type: 'string' },
      nodes: { type: 'string' },
      'dual-stack': { type: 'boolean' },
      variant: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help || values.pods === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const format = (values.format ?? 'json') as Format;
  if (format !== 'json' && format !== 'yaml') throw new RangeError(`--format must be json or yaml, got ${format}`);
  const opts: GenerateOptions = { pods: int('pods', values.pods)! };
  const set = <K extends keyof GenerateOptions>(k: K, v: GenerateOptions[K] | undefined): void => {
    if (v !== undefined) opts[k] = v;
  };
  set('seed', int('seed', values.seed));
  set('shape', values.shape as Shape | undefined);
  set('namespaces', int('namespaces', values.namespaces));
  set('policies', int('policies', values.policies));
  set('nodes', int('nodes', values.nodes));
  set('dualStack', values['dual-stack']);
  set('variant', int('variant', values.variant));

  const t0 = performance.now();
  const cluster = generate(opts);
  const t1 = performance.now();
  const fd = values.out !== undefined ? openSync(values.out, 'w') : 1;
  let bytes = 0;
  try {
    for (const chunk of renderChunks(cluster.objects, format)) {
      const buf = Buffer.from(chunk, 'utf8');
      bytes += buf.length;
      for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off);
    }
  } finally {
    if (fd !== 1) closeSync(fd);
  }
  const t2 = performance.now();
  const counts = new Map<string, number>();
  for (const o of cluster.objects) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  const o = cluster.options;
  const summary = [
    `shape=${o.shape} seed=${o.seed} pods=${o.pods} namespaces=${o.namespaces} policies=${o.policies} nodes=${o.nodes}` +
      ` dualStack=${o.dualStack} variant=${o.variant}` +
      (cluster.variant
        ? ` (policy #${cluster.variant.index} ${cluster.policies[cluster.variant.index]!.metadata.namespace}/${cluster.policies[cluster.variant.index]!.metadata.name}: ${cluster.variant.change})`
        : ''),
    [...counts].map(([k, n]) => `${k}=${n}`).join(' '),
    `generate ${(t1 - t0).toFixed(0)} ms, render+write ${(t2 - t1).toFixed(0)} ms, ${(bytes / 1e6).toFixed(1)} MB ${format}` +
      `, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  ];
  process.stderr.write(`${summary.join('\n')}\n`);
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`generate: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    process.exitCode = 2;
  }
}
