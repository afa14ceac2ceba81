/**
 * Run in a child process by peak-memory.test.ts: reads one generated input file, loads it with the
 * core, and prints {bytes, baseline, peak, heapAfter} as JSON. Peak is the process's maximum resident
 * set (resourceUsage().maxRSS), baseline its resident set (memoryUsage().rss) once the input text is
 * in memory and a full collection has run, so peak - baseline is what loading took on top.
 */
import { readFileSync } from 'node:fs';
import { loadCluster } from '../../packages/core/src/index.js';

const file = process.argv[2]!;
const text = readFileSync(file, 'utf8');
(globalThis as { gc?: () => void }).gc?.();
const baseline = process.memoryUsage().rss;
const before = process.resourceUsage().maxRSS * 1024;
const res = loadCluster([{ name: file, text }]);
const peak = process.resourceUsage().maxRSS * 1024;
const heapAfter = process.memoryUsage().heapUsed;
process.stdout.write(
  JSON.stringify({
    bytes: Buffer.byteLength(text),
    baseline,
    peakBefore: before,
    peak,
    heapAfter,
    objects: res.stats.documents,
    errors: res.diagnostics.filter((d) => d.severity === 'error').length,
  }),
);
