/**
 * Cilium's own connectivity-test verdicts (the shared conformance data, cilium-connectivity: per upstream
 * test, the policy manifests as shipped and `queries.tsv` with `src dst port expected note`), asked
 * through the CLI's code path exactly as a user would:
 *   kubereach can SRC DST --port P -n cilium-test -f cluster.yaml -f TEST/ [--dns TEST/dns.txt]
 * Every row is asserted. A row where kubereach's verdict differs from upstream's must be listed in
 * CILIUM_DIFFERENCES with the Cilium documentation section that explains it, and is then asserted
 * to give exactly kubereach's documented verdict (never skipped).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIO, run } from '../../packages/cli/src/index.js';
import { CILIUM_BASE } from './shared-data.js';

interface Query {
  readonly test: string;
  readonly src: string;
  readonly dst: string;
  readonly port: string;
  readonly expected: 'yes' | 'no';
  readonly note: string;
  readonly line: number;
}

/** A documented difference: the row (test, src, dst, port), kubereach's verdict and why. */
interface CiliumDifference {
  readonly test: string;
  readonly src: string;
  readonly dst: string;
  readonly port: string;
  readonly ours: 'yes' | 'no';
  readonly reason: string;
}

export const CILIUM_DIFFERENCES: readonly CiliumDifference[] = [];

function readQueries(): Query[] {
  const out: Query[] = [];
  for (const test of readdirSync(CILIUM_BASE).sort()) {
    const dir = join(CILIUM_BASE, test);
    if (!statSync(dir).isDirectory()) continue;
    const text = readFileSync(join(dir, 'queries.tsv'), 'utf8');
    text.split('\n').forEach((raw, i) => {
      if (raw.trim() === '' || raw.startsWith('#')) return;
      const [src, dst, port, expected, note] = raw.split('\t');
      if (src === undefined || dst === undefined || port === undefined || (expected !== 'yes' && expected !== 'no')) {
        throw new Error(`${test}/queries.tsv:${i + 1}: not a query row: ${JSON.stringify(raw)}`);
      }
      out.push({ test, src, dst, port, expected, note: note ?? '', line: i + 1 });
    });
  }
  return out;
}

/** The port column as `--port` takes it: `8080/TCP` as is, `ICMP` an echo request. */
function portArg(port: string): string {
  return port;
}

async function ask(q: Query): Promise<{ verdict: string; out: string; err: string; code: number }> {
  const dir = join(CILIUM_BASE, q.test);
  const argv = ['can', q.src, q.dst, '--port', portArg(q.port), '-n', 'cilium-test', '-f', join(CILIUM_BASE, 'cluster.yaml'), '-f', dir];
  if (existsSync(join(dir, 'dns.txt'))) argv.push('--dns', join(dir, 'dns.txt'));
  const io = memoryIO();
  const code = await run(argv, io);
  return { verdict: io.out().split('\n')[0] ?? '', out: io.out(), err: io.err(), code };
}

const queries = existsSync(CILIUM_BASE) ? readQueries() : [];
const tally = { agree: 0, documented: 0 };

describe('Cilium connectivity-test conformance', () => {
  it('reads every test folder and query (15 tests, 134 queries: 81 yes / 53 no)', () => {
    expect(new Set(queries.map((q) => q.test)).size).toBe(15);
    expect(queries.length).toBe(134);
    expect(queries.filter((q) => q.expected === 'yes').length).toBe(81);
  });

  it('every documented difference names a row that exists and a verdict that differs', () => {
    for (const d of CILIUM_DIFFERENCES) {
      const q = queries.find((x) => x.test === d.test && x.src === d.src && x.dst === d.dst && x.port === d.port);
      expect(q, `${d.test} ${d.src} ${d.dst} ${d.port}`).toBeDefined();
      expect(d.ours).not.toBe(q!.expected);
    }
  });

  for (const q of queries) {
    it(`${q.test}: ${q.src} -> ${q.dst} ${q.port} is ${q.expected}`, async () => {
      const r = await ask(q);
      const d = CILIUM_DIFFERENCES.find((x) => x.test === q.test && x.src === q.src && x.dst === q.dst && x.port === q.port);
      const want = d?.ours ?? q.expected;
      expect(r.verdict, `${q.test}/queries.tsv:${q.line}\n${r.out}${r.err}`).toBe(want);
      expect(r.code).toBe(want === 'yes' ? 0 : 1);
      // the L7 rows: L3/L4 allows, and the answer says it is subject to the HTTP rules
      if (q.note.startsWith('l7') && want === 'yes') expect(r.out).toContain('allowed subject to L7 rules');
      if (d === undefined) tally.agree++;
      else tally.documented++;
    });
  }

  afterAll(() => {
    console.log(
      `cilium-connectivity conformance: ${tally.agree} of ${queries.length} rows agree with upstream; ${tally.documented} documented differences (each asserted)`,
    );
  });
});
