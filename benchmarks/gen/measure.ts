/**
 * Measures the generator itself (not kubereach): for each size, generation time, render time, output
 * size and peak RSS. CPU time is printed next to wall time because the shared 2-core machine this
 * runs on is often busy; CPU time is the steadier number.
 *
 *   npx tsx benchmarks/gen/measure.ts [pods...]          (default 10000 50000 150000)
 *   npx tsx benchmarks/gen/measure.ts --yaml 150000      (YAML instead of JSON)
 */
import { generateCluster } from './generate-cluster.js';
import { renderChunks } from './render.js';
import type { Format } from './render.js';

function timed<T>(f: () => T): { value: T; wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

const args = process.argv.slice(2);
const format: Format = args.includes('--yaml') ? 'yaml' : 'json';
const sizes = args.filter((a) => /^[0-9]+$/.test(a)).map(Number);
for (const pods of sizes.length > 0 ? sizes : [10_000, 50_000, 150_000]) {
  const gen = timed(() => generateCluster({ pods, seed: 1 }));
  // Measure the length chunk by chunk: the whole 150k-pod YAML would not fit in one V8 string.
  const render = timed(() => {
    let bytes = 0;
    for (const chunk of renderChunks(gen.value, format)) bytes += Buffer.byteLength(chunk);
    return bytes;
  });
  const mem = process.memoryUsage();
  console.log(
    `${pods} pods, ${gen.value.length} objects: generate ${gen.wallMs.toFixed(0)} ms (cpu ${gen.cpuMs.toFixed(0)}), ` +
      `${format} render ${render.wallMs.toFixed(0)} ms (cpu ${render.cpuMs.toFixed(0)}), ${(render.value / 1e6).toFixed(1)} MB, ` +
      `heap ${(mem.heapUsed / 1e6).toFixed(0)} MB, peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
}
