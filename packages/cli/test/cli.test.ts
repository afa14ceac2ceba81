/**
 * The command contracts: first lines, exit codes, output shapes. Runs `run(argv, io)`
 * in-process with captured output.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { memoryIO, run } from '../src/index.js';

const DEMO = 'fixtures/demo';

async function kr(...argv: string[]) {
  const io = memoryIO();
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('help', () => {
  test('kubereach --help lists every command and exits 0', async () => {
    const r = await kr('--help');
    expect(r.code).toBe(0);
    for (const c of ['can', 'matrix', 'audit', 'who-can-reach', 'paths']) expect(r.out).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(r.out).toContain('Exit codes:');
  });
  test('kubereach can --help documents its arguments', async () => {
    const r = await kr('can', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: kubereach can [options] <src> <dst>');
    expect(r.out).toContain('--explain');
  });
  test('no arguments prints help and exits 2; an unknown command exits 2', async () => {
    expect((await kr()).code).toBe(2);
    const r = await kr('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command 'frobnicate'");
  });
});

describe('can', () => {
  test('yes on the first line and exit 0 when allowed; the connections follow', async () => {
    const r = await kr('can', 'shop/web', 'shop/api', '-f', DEMO);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 2)).toEqual(['yes', 'shop/web[Deployment] => shop/api[Deployment] : TCP 9000']);
  });
  test('no and exit 1 when denied', async () => {
    const r = await kr('can', 'shop/web', 'shop/db', '--port', '5432', '-f', DEMO);
    expect(r.code).toBe(1);
    expect(r.out).toBe('no\n');
  });
  test('a named port resolves on the destination', async () => {
    expect((await kr('can', 'shop/api', 'shop/db', '--port', 'pg', '-f', DEMO)).code).toBe(0);
    const r = await kr('can', 'shop/web', 'shop/api', '--port', 'metrics', '-f', DEMO);
    expect(r.code).toBe(1);
    const none = await kr('can', 'shop/web', 'shop/api', '--port', 'nope', '-f', DEMO);
    expect(none.out).toBe('no\nshop/api[Deployment] has no container port named nope/TCP\n');
  });
  test('UDP and an IPv4 address destination', async () => {
    const r = await kr('can', 'payments/gateway', 'kube-system/coredns', '--port', '53/UDP', '-f', DEMO);
    expect(r.code).toBe(0);
    expect((await kr('can', 'payments/gateway', '8.8.8.8', '--port', '443', '-f', DEMO)).code).toBe(0);
    expect((await kr('can', 'payments/gateway', '10.1.2.3', '--port', '443', '-f', DEMO)).code).toBe(1);
  });
  test('--explain names the deciding rule with file:line:col', async () => {
    const r = await kr('can', 'shop/api', 'shop/db', '--port', '5432', '--explain', '-f', DEMO);
    expect(r.out).toContain('[NetworkPolicy shop/db-from-api rule 0] Allow (fixtures/demo/policies.yaml:');
    expect(r.out).toContain('egress of shop/api[Deployment]:');
    expect(r.out).toContain('no policy isolates it: allowed by default');
  });
  test('-o json carries the verdict', async () => {
    const r = await kr('can', 'shop/web', 'shop/db', '--port', '5432', '-o', 'json', '-f', DEMO);
    expect(JSON.parse(r.out)).toEqual({
      allowed: false,
      src: 'shop/web[Deployment]',
      dst: 'shop/db[StatefulSet]',
      port: { asked: '5432/TCP', protocol: 'TCP', port: 5432 },
      caveats: [],
    });
  });
  test('an unknown endpoint is exit 2 with suggestions', async () => {
    const r = await kr('can', 'shop/wbe', 'shop/db', '-f', DEMO);
    expect(r.code).toBe(2);
    expect(r.err).toContain("source 'shop/wbe' not found");
  });
  test('a bad --port is exit 2', async () => {
    expect((await kr('can', 'shop/web', 'shop/db', '--port', '70000', '-f', DEMO)).code).toBe(2);
    expect((await kr('can', 'shop/web', 'shop/db', '--port', '80/ICMP', '-f', DEMO)).code).toBe(2);
  });
  test('no input is exit 2', async () => {
    const r = await kr('can', 'a/b', 'c/d');
    expect(r.code).toBe(2);
    expect(r.err).toContain('no input');
  });
});

describe('matrix', () => {
  test('text lines in the SRC => DST : CONNS shape, external ranges first', async () => {
    const r = await kr('matrix', '-f', DEMO);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toContain('shop/api[Deployment] => shop/db[StatefulSet] : TCP 5432');
    expect(lines).toContain('shop/api[Deployment] => payments/gateway[Deployment] : TCP 8443');
    expect(lines).toContain('0.0.0.0-9.255.255.255[External] => shop/web[Deployment] : TCP 8080');
    expect(lines).not.toContain('shop/web[Deployment] => shop/db[StatefulSet] : TCP 5432');
    expect(lines[0]).toMatch(/^0\.0\.0\.0-/);
  });
  test('json, csv, md and dot', async () => {
    const j = JSON.parse((await kr('matrix', '-o', 'json', '-f', DEMO)).out) as {
      endpoints: string[];
      connections: { src: string; dst: string; conn: string }[];
    };
    expect(j.endpoints).toContain('shop/db[StatefulSet]');
    expect(j.connections).toContainEqual({ src: 'shop/api[Deployment]', dst: 'shop/db[StatefulSet]', conn: 'TCP 5432' });
    const csv = (await kr('matrix', '-o', 'csv', '-f', DEMO)).out.split('\n');
    expect(csv[0]).toBe('src,dst,conn');
    expect(csv).toContain('shop/api[Deployment],shop/db[StatefulSet],TCP 5432');
    const md = (await kr('matrix', '-o', 'md', '-f', DEMO)).out;
    expect(md).toContain('| `shop/api[Deployment]` | `shop/db[StatefulSet]` | TCP 5432 |');
    const dot = (await kr('matrix', '-o', 'dot', '-f', DEMO)).out;
    expect(dot.startsWith('digraph reachability {')).toBe(true);
    expect(dot).toContain('"shop/api[Deployment]" -> "shop/db[StatefulSet]" [label="TCP 5432"];');
  });
});

describe('audit', () => {
  test('findings on the demo: exit 1 with the default --fail-on high, json shape', async () => {
    const r = await kr('audit', '-o', 'json', '-f', DEMO);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as {
      findings: { id: string; severity: string; subject: string; message: string; evidence: string; location: unknown }[];
      summary: { total: number };
    };
    expect(Object.keys(j.findings[0]!).sort()).toEqual(['evidence', 'fix', 'id', 'location', 'message', 'severity', 'subject']);
    expect(j.findings.some((f) => f.id === 'METADATA_REACHABLE' && f.subject === 'payments/gateway[Deployment]')).toBe(true);
    expect(j.findings.some((f) => f.id === 'CONTROL_PLANE_REACHABLE' && f.severity === 'high')).toBe(true);
    expect(j.summary.total).toBe(j.findings.length);
  });
  test('exit 0 when nothing is at or above --fail-on', async () => {
    const r = await kr('audit', '-f', 'fixtures/audit-network/NAMESPACE_NO_DEFAULT_DENY_INGRESS/clean/cluster.yaml', '--fail-on', 'high');
    expect(r.code).toBe(0);
  });
  test('text is grouped by severity and uncoloured when not a TTY', async () => {
    const r = await kr('audit', '-f', DEMO);
    expect(r.out.indexOf('HIGH (')).toBeLessThan(r.out.indexOf('MEDIUM ('));
    expect(r.out).not.toContain('\u001b[');
  });
  test('SARIF validates against the SARIF 2.1.0 schema and points at manifest locations', async () => {
    const r = await kr('audit', '-o', 'sarif', '-f', DEMO);
    const log = JSON.parse(r.out) as {
      runs: { results: { locations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
    };
    const require = createRequire(import.meta.url);
    const Ajv = require('ajv') as new (o: object) => { validate: (s: object, d: unknown) => boolean; errorsText: () => string };
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as { $schema?: string };
    delete schema.$schema;
    const ajv = new Ajv({ allErrors: true, schemaId: 'auto' });
    const ok = ajv.validate(schema, log);
    expect(ok, ajv.errorsText()).toBe(true);
    const uris = log.runs[0]!.results.flatMap((x) => x.locations ?? []).map((l) => l.physicalLocation.artifactLocation.uri);
    expect(uris.length).toBeGreaterThan(0);
    expect(new Set(uris)).toEqual(new Set(['fixtures/demo/cluster.yaml', 'fixtures/demo/policies.yaml']));
  });
});

describe('who-can-reach and paths', () => {
  test('who-can-reach etcd lists the workloads with the etcd ports', async () => {
    const r = await kr('who-can-reach', 'etcd', '-f', DEMO);
    expect(r.code).toBe(0);
    expect(r.out).toContain('shop/web[Deployment] => 10.0.0.10 : TCP 2379-2380');
    expect(r.out).not.toContain('payments/gateway');
  });
  test('who-can-reach a workload on a port', async () => {
    const r = await kr('who-can-reach', 'shop/db', '--port', '5432', '-o', 'json', '-f', DEMO);
    const j = JSON.parse(r.out) as { sources: { src: string }[] };
    expect(j.sources.map((s) => s.src)).toEqual(['shop/api[Deployment]']);
  });
  test('paths: web reaches db through api, hop by hop', async () => {
    const r = await kr('paths', 'shop/web', 'shop/db', '-f', DEMO);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1. shop/web[Deployment] -> shop/api[Deployment] : TCP 9000');
    expect(r.out).toContain('2. shop/api[Deployment] -> shop/db[StatefulSet] : TCP 5432');
  });
  test('paths: none within one hop is exit 1', async () => {
    const r = await kr('paths', 'shop/web', 'shop/db', '--max-hops', '1', '-f', DEMO);
    expect(r.code).toBe(1);
  });
});

describe('stats', () => {
  test('-o json is one flat object with the counts and per-stage timings', async () => {
    const r = await kr('stats', '-o', 'json', '-f', DEMO);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    for (const k of ['pods', 'workloads', 'classes', 'policies', 'allowedPairs', 'totalPairs', 'timings']) expect(j).toHaveProperty(k);
    // the demo: 6 workloads (no Pod objects), 5 NetworkPolicies; 30 ordered pairs
    expect([j['pods'], j['workloads'], j['policies'], j['totalPairs']]).toEqual([0, 6, 5, 30]);
    expect(Object.keys(j['timings'] as object)).toEqual(['read', 'load', 'compile', 'index', 'pairs', 'total']);
  });
  test('on a terminal, a big input shows a progress bar on stderr stage by stage, cleared at the end', async () => {
    // 9 MB of input (a ConfigMap's data), as a multi-megabyte dump would be: over a second of work
    const big = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'blob', namespace: 'a' }, data: { x: 'y'.repeat(9 * 1024 * 1024) } },
      ],
    });
    const io = memoryIO(big, { stderrIsTTY: true });
    expect(await run(['stats', '-o', 'json', '-f', '-'], io)).toBe(0);
    const frames = io
      .err()
      .split('\r\u001b[2K')
      .filter((f) => f !== '');
    expect(frames).toEqual([
      '[--------------------] 0/4 parsing and modelling…',
      '[#####---------------] 1/4 compiling…',
      '[##########----------] 2/4 building the index…',
      '[###############-----] 3/4 counting pairs…',
    ]);
    expect(io.err().endsWith('\r\u001b[2K')).toBe(true);
  });
  test('no progress bar when stderr is not a terminal, or for a small input that finishes within a second', async () => {
    const piped = memoryIO();
    await run(['stats', '-f', DEMO], piped);
    expect(piped.err()).toBe('');
    const tty = memoryIO('', { stderrIsTTY: true });
    await run(['stats', '-f', DEMO], tty);
    expect(tty.err()).toBe('');
  });
  test('allowed pairs agree with the matrix (whose lines of a workload to itself, between its replicas, are not pairs)', async () => {
    const j = JSON.parse((await kr('stats', '-o', 'json', '-f', DEMO)).out) as { allowedPairs: number };
    const m = JSON.parse((await kr('matrix', '-o', 'json', '--no-external', '-f', DEMO)).out) as { connections: { src: string; dst: string }[] };
    const self = m.connections.filter((c) => c.src === c.dst).length;
    expect(self).toBeGreaterThan(0); // the demo has workloads with replicas
    expect(j.allowedPairs).toBe(m.connections.length - self);
  });
});

describe('audit --kubeconfig', () => {
  test('a group-readable kubeconfig is KUBECONFIG_PERMISSIONS; its contents never appear in the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubereach-'));
    const file = join(dir, 'config');
    writeFileSync(file, 'apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user: {token: s3cr3t-token-value}\n');
    chmodSync(file, 0o640);
    const r = await kr('audit', '-o', 'json', '--kubeconfig', file, '-f', 'fixtures/audit-network/NAMESPACE_NO_DEFAULT_DENY_INGRESS/clean/cluster.yaml');
    const j = JSON.parse(r.out) as { findings: { id: string; severity: string; evidence: string }[] };
    const f = j.findings.filter((x) => x.id === 'KUBECONFIG_PERMISSIONS');
    expect(f.map((x) => x.severity)).toEqual(['high']);
    expect(f[0]!.evidence).toContain('640');
    expect(r.out).not.toContain('s3cr3t');
    chmodSync(file, 0o600);
    const ok = JSON.parse(
      (await kr('audit', '-o', 'json', '--kubeconfig', file, '-f', 'fixtures/audit-network/NAMESPACE_NO_DEFAULT_DENY_INGRESS/clean/cluster.yaml')).out,
    ) as { findings: { id: string }[] };
    expect(ok.findings.filter((x) => x.id === 'KUBECONFIG_PERMISSIONS')).toEqual([]);
  });
  test('a 0600 kubeconfig in a world-writable directory is KUBECONFIG_PERMISSIONS; in a sticky one (like /tmp) it is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubereach-'));
    const file = join(dir, 'config');
    writeFileSync(file, 'apiVersion: v1\nkind: Config\n');
    chmodSync(file, 0o600);
    chmodSync(dir, 0o777);
    const cluster = 'fixtures/audit-network/NAMESPACE_NO_DEFAULT_DENY_INGRESS/clean/cluster.yaml';
    const j = JSON.parse((await kr('audit', '-o', 'json', '--kubeconfig', file, '-f', cluster)).out) as {
      findings: { id: string; message: string; evidence: string; fix: string }[];
    };
    const f = j.findings.filter((x) => x.id === 'KUBECONFIG_PERMISSIONS');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain(`directory ${dir} is writable by its group and every local user (mode 0777), so others can replace the file`);
    expect(f[0]!.fix).toBe(`\`chmod go-w '${dir}'\``);
    chmodSync(dir, 0o1777);
    const sticky = JSON.parse((await kr('audit', '-o', 'json', '--kubeconfig', file, '-f', cluster)).out) as { findings: { id: string }[] };
    expect(sticky.findings.filter((x) => x.id === 'KUBECONFIG_PERMISSIONS')).toEqual([]);
    chmodSync(dir, 0o700);
  });
  test('a missing kubeconfig is exit 2', async () => {
    const r = await kr('audit', '--kubeconfig', '/nonexistent/kubeconfig', '-f', DEMO);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no such file');
  });
});
