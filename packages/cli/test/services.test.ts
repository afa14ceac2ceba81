/** Services on the command line: name forms, errors, JSON per backend, exit codes (yes 0, partly/no 1). */
import { describe, expect, test } from 'vitest';
import { memoryIO, run } from '../src/index.js';

const R09 = 'fixtures/services/recipe-09-service-port';
const NAMED = 'fixtures/services/named-target-port-per-backend';

async function kr(...argv: string[]) {
  const io = memoryIO();
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('Service destinations', () => {
  test('svc/NAME, service/NAME, NS/NAME[Service], NAME[Service] and the ClusterIP name the same Service', async () => {
    for (const ref of ['svc/apiserver', 'service/apiserver', 'services/apiserver', 'default/apiserver[Service]', 'apiserver[Service]', '10.96.0.50']) {
      const r = await kr('can', 'default/test-2', ref, '--port', '5001', '-f', R09);
      expect(r.out, ref).toBe('yes\ndefault/apiserver[Pod] :5000/TCP yes\n');
      expect(r.code).toBe(0);
    }
  });
  test('-n gives svc/NAME its namespace', async () => {
    expect((await kr('can', 'shop/client', 'svc/web', '-n', 'shop', '--port', '80', '-f', NAMED)).code).toBe(1);
    const r = await kr('can', 'shop/client', 'svc/web', '--port', '80', '-f', NAMED);
    expect(r.code).toBe(2);
    expect(r.err).toBe("kubereach: destination Service 'default/web' not found; did you mean:\n  shop/web[Service]\n");
  });
  test('a Service as the source is a usage error', async () => {
    const r = await kr('can', 'svc/apiserver', 'default/test-1', '-f', R09);
    expect(r.code).toBe(2);
    expect(r.err).toContain("source 'svc/apiserver' is a Service: a Service receives connections but opens none");
  });
  test('JSON carries the answer word and one entry per backend', async () => {
    const r = await kr('can', 'shop/client', 'svc/web', '-n', 'shop', '--port', 'http', '-o', 'json', '-f', NAMED);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as {
      answer: string;
      allowed: boolean;
      dst: string;
      backends: { backend: string; targetPort: { port: number } | null; allowed: boolean }[];
    };
    expect([j.answer, j.allowed, j.dst]).toEqual(['partly', false, 'shop/web[Service]']);
    expect(j.backends.map((b) => [b.backend, b.targetPort?.port ?? null, b.allowed])).toEqual([
      ['shop/web-legacy[Deployment]', null, false],
      ['shop/web-v1[Deployment]', 8080, true],
      ['shop/web-v2[Deployment]', 9090, false],
    ]);
  });
  test('who-can-reach a Service in JSON lists sources per backend', async () => {
    const r = await kr('who-can-reach', 'svc/apiserver', '--port', '5001', '-o', 'json', '-f', R09);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { target: string; sources: { src: string; via: string; conn: string }[] };
    expect(j.target).toBe('default/apiserver[Service]');
    expect(j.sources).toEqual([{ src: 'default/test-2[Pod]', via: 'default/apiserver[Pod] :5000/TCP', servicePort: '5001-5000 5001/TCP', conn: 'TCP 5000' }]);
  });
});

describe('matrix --services', () => {
  test('JSON: the matrix as before, plus services with every backend per Service port', async () => {
    const r = await kr('matrix', '--services', '--no-external', '-o', 'json', '-f', NAMED);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      connections: unknown[];
      services: {
        src: string;
        dst: string;
        conn: string;
        ports: { port: number; answer: string; reached: number; total: number; backends: { backend: string; allowed: boolean }[] }[];
      }[];
    };
    const plain = JSON.parse((await kr('matrix', '--no-external', '-o', 'json', '-f', NAMED)).out) as { connections: unknown[] };
    expect(j.connections).toEqual(plain.connections);
    expect(j.services.map((s) => [s.src, s.dst, s.conn])).toEqual([['shop/client[Deployment]', 'shop/web[Service]', 'TCP 80']]);
    expect(j.services[0]!.ports.map((p) => [p.port, p.answer, p.reached, p.total])).toEqual([[80, 'partly', 1, 3]]);
    expect(j.services[0]!.ports[0]!.backends.map((b) => [b.backend, b.allowed])).toEqual([
      ['shop/web-legacy[Deployment]', false],
      ['shop/web-v1[Deployment]', true],
      ['shop/web-v2[Deployment]', false],
    ]);
  });
  test('without --services the output is unchanged (no Service rows)', async () => {
    expect((await kr('matrix', '--no-external', '-f', NAMED)).out).not.toContain('[Service]');
  });
  test('csv and dot refuse --services with exit 2', async () => {
    for (const o of ['csv', 'dot']) {
      const r = await kr('matrix', '--services', '-o', o, '-f', NAMED);
      expect([r.code, r.out, r.err]).toEqual([2, '', 'kubereach: --services supports -o text, json and md (csv and dot list endpoint pairs only)\n']);
    }
  });
  test('--endpoints pods: sources pod by pod', async () => {
    const r = await kr('matrix', '--services', '--endpoints', 'pods', '--no-external', '-f', 'fixtures/services/endpointslice-without-selector');
    expect(r.out.split('\n').filter((l) => l.includes('[Service]'))).toEqual([
      'data/pg-0[Pod] => data/db[Service] : TCP 5432',
      'data/pg-1[Pod] => data/db[Service] : TCP 5432',
      'shop/api[Deployment] => data/db[Service] : TCP 5432 (partly: TCP 5432 to 1 of 2 backends)',
    ]);
    expect(r.err).toBe('note: 1 not-ready address of data/db[Service] left out: kube-proxy sends no traffic to them\n');
  });
});
