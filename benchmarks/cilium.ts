/**
 * `npm run bench:cilium [-- --pods N --rounds R --percent P]`: end to end (load, compile, full index,
 * pair counts) of a generated realistic cluster with only NetworkPolicies against the same cluster
 * with P% (default 10) of its policies rewritten as CiliumNetworkPolicies and
 * CiliumClusterwideNetworkPolicies (benchmarks/gen/cilium.ts; every 4th of them denies). Each run is a
 * fresh child process; the two variants alternate, R rounds (default 3), and the ratio of the medians
 * is reported, measured in this one run (absolute times on the shared machine are noisy).
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generate, renderCluster } from './generate.js';
import { withCiliumPolicies } from './gen/cilium.js';
import { compile, indexStats, loadCluster } from '../packages/core/src/index.js';

const { values } = parseArgs({ options: { pods: { type: 'string' }, rounds: { type: 'string' }, percent: { type: 'string' }, one: { type: 'string' } } });
const pods = Number(values.pods ?? '150000');
const percent = Number(values.percent ?? '10');

function once(variant: 'np' | 'cilium'): { ms: number; policies: number; cilium: number; classes: number } {
  const generated = generate({ pods, seed: 1, shape: 'realistic' }).objects;
  const objects = variant === 'np' ? generated : withCiliumPolicies(generated, percent);
  const text = renderCluster(objects, 'json');
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const { cluster } = loadCluster([{ name: `${variant}.json`, text }]);
  const index = compile(cluster);
  index.materialize();
  const stats = indexStats(index);
  const ms = Math.round(performance.now() - t0);
  return { ms, policies: cluster.policies.length, cilium: cluster.ciliumPolicies?.length ?? 0, classes: stats.classes };
}

if (values.one !== undefined) {
  process.stdout.write(JSON.stringify(once(values.one as 'np' | 'cilium')));
} else {
  const rounds = Number(values.rounds ?? '3');
  const self = fileURLToPath(import.meta.url);
  const run = (v: string) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        ['--expose-gc', '--max-old-space-size=6144', '--import', 'tsx', self, '--one', v, '--pods', String(pods), '--percent', String(percent)],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      ),
    ) as ReturnType<typeof once>;
  const np: number[] = [];
  const ci: number[] = [];
  let last: ReturnType<typeof once> | null = null;
  for (let r = 0; r < rounds; r++) {
    np.push(run('np').ms);
    last = run('cilium');
    ci.push(last.ms);
    process.stderr.write(`round ${r + 1}: NetworkPolicy only ${np[r]} ms, ${percent}% Cilium ${ci[r]} ms, ratio ${(ci[r]! / np[r]!).toFixed(2)}\n`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratio = median(ci) / median(np);
  // each round's two runs are back to back, so a round's ratio shares the machine's load of the moment
  const rounds_ = np.map((n, r) => ci[r]! / n);
  process.stdout.write(
    `${pods} pods, ${last!.policies} NetworkPolicies + ${last!.cilium} Cilium policies (${percent}%), ${last!.classes} classes: ` +
      `NetworkPolicy only median ${median(np)} ms (${Math.min(...np)}-${Math.max(...np)}), with Cilium median ${median(ci)} ms (${Math.min(...ci)}-${Math.max(...ci)}); ratio of medians ${ratio.toFixed(2)}, ` +
      `per-round ratios ${rounds_.map((x) => x.toFixed(2)).join(', ')} (spread ${Math.min(...rounds_).toFixed(2)}-${Math.max(...rounds_).toFixed(2)})\n`,
  );
}
