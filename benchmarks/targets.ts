/**
 * The performance targets, each a ratio (or a bound) measured in one run, printed with its target
 * beside it. Every command runs end to end as a user runs it (`run(argv, io)`: reading the file,
 * loading, compiling, answering, rendering; output discarded), each in a process of its own so its
 * peak RSS is its own.
 *
 *   npx tsx benchmarks/targets.ts --pods 150000     (npm run bench runs it: 150k with --full, else 15k)
 *
 * | target                                                         | measured as                                           |
 * |----------------------------------------------------------------|-------------------------------------------------------|
 * | `stats` on JSON within 2x reading the input                    | stats / (readFileSync + JSON.parse) of the same file   |
 * | YAML (kubectl List, multi-document stream) within 2x JSON      | stats on YAML / stats on the JSON of the same objects  |
 * | YAML under 4 GB                                                | peak RSS of stats on YAML                              |
 * | `audit` within 2x `stats` (realistic)                          | audit / stats on the same JSON                         |
 * | `audit`, `paths` on adversarial 5k and 15k without policies    | end to end under 5 s and 1 GB                          |
 * | `diff` of two configurations differing in one policy           | diffPair (what `diff` runs) / compile of one side      |
 *
 * Each is measured as wall-clock time and as the process's CPU time; the table says whether each
 * goal is met by either (on a shared machine other processes inflate wall time, not CPU time).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generate, renderCluster, toYamlList } from './generate.js';
import { run } from '../packages/cli/src/run.js';
import { compile, compilePair, diffIndexes, diffPair, loadCluster } from '../packages/core/src/index.js';

export interface Measure {
  /** Wall-clock time. */
  readonly ms: number;
  /** CPU time of the process (user + system, all its threads) over the same span. */
  readonly cpuMs: number;
  readonly peakRssMB: number;
}

export interface TargetRow {
  readonly target: string;
  readonly measured: string;
  readonly goal: string;
  /** Met by the wall-clock measure. */
  readonly met: boolean;
  /** Met by the CPU-time measure (what this process itself spent: the other sessions' load on a shared machine inflates wall time, not CPU time). */
  readonly metCpu: boolean;
}

function since(t0: number): number {
  return Math.round((performance.now() - t0) * 10) / 10;
}

function cpuSince(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return Math.round((c.user + c.system) / 100) / 10;
}

function peakMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** One measurement, in this process (the child side). */
async function measureOne(spec: string): Promise<Measure> {
  const [what, ...args] = JSON.parse(spec) as string[];
  (globalThis as { gc?: () => void }).gc?.();
  if (what === 'parse') {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    JSON.parse(readFileSync(args[0]!, 'utf8'));
    return { ms: since(t0), cpuMs: cpuSince(c0), peakRssMB: peakMB() };
  }
  if (what === 'diff-compile-one' || what === 'diff-pair' || what === 'diff-pair-full') {
    const before = loadCluster([{ name: 'before.json', text: readFileSync(args[0]!, 'utf8') }]).cluster;
    const after = loadCluster([{ name: 'after.json', text: readFileSync(args[1]!, 'utf8') }]).cluster;
    (globalThis as { gc?: () => void }).gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    if (what === 'diff-compile-one') compile(before).materialize();
    else if (what === 'diff-pair-full')
      diffIndexes(compilePair(before, after)); // the two-compile path, for comparison
    else if (diffPair(before, after).fullReason !== null) throw new Error('diff: the after side was compiled in full');
    return { ms: since(t0), cpuMs: cpuSince(c0), peakRssMB: peakMB() };
  }
  let err = '';
  const io = {
    stdout: () => undefined,
    stderr: (t: string) => void (err += t),
    readStdin: async function* (): AsyncIterable<Uint8Array> {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    cwd: process.cwd(),
    env: {},
  };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const code = await run([what!, ...args], io);
  if (code === 2) throw new Error(`${what} ${args.join(' ')}: exit 2: ${err}`);
  return { ms: since(t0), cpuMs: cpuSince(c0), peakRssMB: peakMB() };
}

function inChild(...spec: string[]): Measure {
  const script = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, [...process.execArgv, '--expose-gc', '--max-old-space-size=8192', script, '--one', JSON.stringify(spec)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as Measure;
}

const x = (a: number, b: number) => Math.round((a / b) * 100) / 100;

/** Writes the inputs for `pods` and measures every target; the rows in the order of the table above. */
export function runTargets(pods: number): { rows: TargetRow[]; raw: Record<string, Measure> } {
  const dir = join(tmpdir(), `kubereach-targets-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const objects = generate({ pods, seed: 1, shape: 'realistic' }).objects;
  const json = file('cluster.json', renderCluster(objects, 'json'));
  const yamlList = file('cluster-list.yaml', toYamlList(objects));
  const yamlStream = file('cluster-stream.yaml', renderCluster(objects, 'yaml'));
  const variant = file('variant.json', renderCluster(generate({ pods, seed: 1, shape: 'realistic', variant: 1 }).objects, 'json'));
  const adversarial = generate({ pods: 5000, seed: 1, shape: 'adversarial' }).objects;
  const adv = file('adversarial-5000.json', renderCluster(adversarial, 'json'));
  const open = generate({ pods: 15_000, seed: 1, shape: 'realistic', policies: 0 }).objects;
  const nopol = file('no-policies-15000.json', renderCluster(open, 'json'));
  // the adversarial shape lists workloads pod by pod, so there a pod is named; elsewhere a workload
  const workloadRef = (objs: readonly object[], k: number, kind = 'Deployment') => {
    const ds = objs.filter((o) => (o as { kind?: string }).kind === kind) as { metadata: { namespace: string; name: string } }[];
    const d = ds[k < 0 ? ds.length + k : k]!;
    return `${d.metadata.namespace}/${d.metadata.name}`;
  };

  const raw: Record<string, Measure> = {};
  const m = (key: string, ...spec: string[]) => (raw[key] = inChild(...spec));
  m('parse', 'parse', json);
  m('stats-json', 'stats', '-f', json);
  m('stats-yaml-list', 'stats', '-f', yamlList);
  m('stats-yaml-stream', 'stats', '-f', yamlStream);
  m('audit-json', 'audit', '-f', json);
  m('audit-adversarial', 'audit', '-f', adv);
  m('paths-adversarial', 'paths', workloadRef(adversarial, 1, 'Pod'), workloadRef(adversarial, -1, 'Pod'), '-f', adv);
  m('audit-no-policies', 'audit', '-f', nopol);
  m('paths-no-policies', 'paths', workloadRef(open, 1), workloadRef(open, -1), '-f', nopol);
  m('diff-compile-one', 'diff-compile-one', json, variant);
  m('diff-pair', 'diff-pair', json, variant);
  m('diff-pair-full', 'diff-pair-full', json, variant);

  rmSync(dir, { recursive: true, force: true }); // about 1.5 GB of inputs at 150k pods
  const P = `${pods.toLocaleString('en')} pods`;
  const ratio = (name: string, a: string, b: string, goal: number): TargetRow => {
    const r = x(raw[a]!.ms, raw[b]!.ms);
    const rc = x(raw[a]!.cpuMs, raw[b]!.cpuMs);
    return {
      target: name,
      measured: `wall ${r}x (${Math.round(raw[a]!.ms)} / ${Math.round(raw[b]!.ms)} ms); CPU ${rc}x (${Math.round(raw[a]!.cpuMs)} / ${Math.round(raw[b]!.cpuMs)} ms)`,
      goal: `<= ${goal}x`,
      met: r <= goal,
      metCpu: rc <= goal,
    };
  };
  const bound = (name: string, key: string): TargetRow => {
    const { ms, cpuMs, peakRssMB } = raw[key]!;
    return {
      target: name,
      measured: `wall ${(ms / 1000).toFixed(2)} s; CPU ${(cpuMs / 1000).toFixed(2)} s; ${peakRssMB} MB`,
      goal: '< 5 s, < 1 GB',
      met: ms < 5000 && peakRssMB < 1024,
      metCpu: cpuMs < 5000 && peakRssMB < 1024,
    };
  };
  const mem = (name: string, key: string): TargetRow => ({
    target: name,
    measured: `${raw[key]!.peakRssMB} MB`,
    goal: '< 4 GB',
    met: raw[key]!.peakRssMB < 4096,
    metCpu: raw[key]!.peakRssMB < 4096,
  });
  const rows = [
    ratio(`stats on JSON vs reading it (read + JSON.parse), ${P}`, 'stats-json', 'parse', 2),
    ratio(`stats on a kubectl YAML List vs on the JSON, ${P}`, 'stats-yaml-list', 'stats-json', 2),
    ratio(`stats on a multi-document YAML stream vs on the JSON, ${P}`, 'stats-yaml-stream', 'stats-json', 2),
    mem(`peak memory, YAML List, ${P}`, 'stats-yaml-list'),
    mem(`peak memory, YAML stream, ${P}`, 'stats-yaml-stream'),
    ratio(`audit vs stats on the same JSON, ${P}`, 'audit-json', 'stats-json', 2),
    bound('audit, adversarial 5,000 pods', 'audit-adversarial'),
    bound('paths, adversarial 5,000 pods', 'paths-adversarial'),
    bound('audit, 15,000 pods without policies', 'audit-no-policies'),
    bound('paths, 15,000 pods without policies', 'paths-no-policies'),
    ratio(`diff of two configurations differing in one policy vs compiling one side, ${P}`, 'diff-pair', 'diff-compile-one', 1.5),
  ];
  return { rows, raw };
}

export function targetsTable(rows: readonly TargetRow[]): string {
  const yes = (b: boolean) => (b ? 'yes' : '**no**');
  return [
    '| target | measured | goal | met (wall) | met (CPU) |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.target} | ${r.measured} | ${r.goal} | ${yes(r.met)} | ${yes(r.metCpu)} |`),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { one: { type: 'string' }, pods: { type: 'string' } } });
  if (values.one !== undefined) {
    process.stdout.write(JSON.stringify(await measureOne(values.one)));
  } else {
    const { rows, raw } = runTargets(Number(values.pods ?? 15_000));
    process.stderr.write(`${JSON.stringify(raw)}\n`);
    process.stdout.write(`${targetsTable(rows)}\n`);
  }
}
