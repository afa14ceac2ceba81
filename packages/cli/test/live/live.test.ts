/**
 * `--live` through the real @kubernetes/client-node against a local HTTPS API server: the same
 * answers as `-f` on the same objects, pagination, discovery, RBAC, and every connection failure
 * with its exact one-line message. No credential may appear in any output.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { FakeApiServer, makeCerts, type Certs } from './fake-apiserver.js';
import { EXPIRED_TOKEN, TOKEN, kr, objectsOf, tempDir, writeKubeconfig, type RunResult } from './support.js';

// the shared machine can be slow: making certificates, a 2,000-pod server, a watch's first list
vi.setConfig({ hookTimeout: 120_000, testTimeout: 120_000 });

const DEMO = 'fixtures/demo';

function noSecrets(r: RunResult, certs: Certs): void {
  for (const text of [r.out, r.err]) {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(EXPIRED_TOKEN);
    expect(text).not.toContain(certs.clientKey.split('\n')[1]!);
  }
}

let certs: Certs;
let server: FakeApiServer;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  certs = await makeCerts();
  server = await new FakeApiServer(certs, await objectsOf([DEMO]), { tokens: [TOKEN] }).start();
  dir = tempDir();
  kubeconfig = writeKubeconfig(dir, 'config', { server: server.url, certs });
});
afterAll(async () => {
  await server.stop();
});

/** Questions every command answers, on the demo's objects. */
export const DEMO_QUESTIONS: readonly (readonly string[])[] = [
  ['can', 'shop/web', 'shop/api'],
  ['can', 'shop/web', 'shop/db', '--port', '5432', '--explain'],
  ['can', 'payments/gateway', 'kube-system/coredns', '--port', '53/UDP', '-o', 'json'],
  ['matrix'],
  ['matrix', '-o', 'csv'],
  ['who-can-reach', 'metadata'],
  ['who-can-reach', 'shop/db', '-o', 'json'],
  ['paths', 'shop/web', 'etcd'],
  ['audit', '-o', 'json'],
  ['audit', '-o', 'sarif'],
  ['stats', '-o', 'json'],
  ['lint', '-o', 'json'],
  ['report', '-o', 'json'],
];

/** Source locations (file:line:col, JSON location objects) differ between files by construction. */
function withoutLocations(text: string): string {
  return text
    .replace(/(cluster\(test\)|fixtures\/demo\/[a-z]+\.yaml)(:\d+:\d+)?/g, 'SRC')
    .replace(/"location": \{[^}]*\}/g, '"location": L')
    .replace(/"(line|col|doc|startLine|startColumn)": \d+/g, '"$1": N')
    .replace(/"(timings|timing)": \{[^}]*\}/g, '"$1": T')
    .replace(/"uri": "[^"]*"/g, '"uri": U');
}

describe('--live answers exactly as -f does on its snapshot, and as on the demo files', () => {
  let snapshot = '';
  beforeAll(async () => {
    snapshot = `${dir}/demo-snapshot.json`;
    const r = await kr(['snapshot', '--live', '--kubeconfig', kubeconfig, '-o', snapshot]);
    expect(r.code).toBe(0);
  });
  for (const q of DEMO_QUESTIONS) {
    test(q.join(' '), async () => {
      const live = await kr([...q, '--live', '--kubeconfig', kubeconfig]);
      const snap = await kr([...q, '-f', snapshot]);
      const file = await kr([...q, '-f', DEMO]);
      noSecrets(live, certs);
      expect(live.code).toBe(snap.code);
      expect(live.code).toBe(file.code);
      const timing = (t: string) => (q[0] === 'stats' ? t.replace(/"(timings)": \{[^}]*\}/g, '"$1": T').replace(/"heapUsedMB": \d+/, '"heapUsedMB": H') : t);
      // the snapshot's JSON is the text --live loads: only the source's name differs
      expect(timing(live.out)).toBe(timing(snap.out.split(snapshot).join('cluster(test)')));
      expect(withoutLocations(timing(live.out))).toBe(withoutLocations(timing(file.out)));
    });
  }
});

test('the YAML snapshot is one List document, and gives the same answers (locations aside)', async () => {
  const y = `${dir}/demo.yaml`;
  const r = await kr(['snapshot', '--live', '--kubeconfig', kubeconfig, '-o', y]);
  expect(r).toMatchObject({ code: 0, out: '' });
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(y, 'utf8');
  expect(text.startsWith('apiVersion: v1\nkind: List\nmetadata: {}\nitems:\n')).toBe(true);
  expect(text).not.toContain('\n---');
  for (const q of DEMO_QUESTIONS.slice(0, 6))
    expect(withoutLocations((await kr([...q, '-f', y])).out.split(y).join('cluster(test)'))).toBe(withoutLocations((await kr([...q, '-f', DEMO])).out));
});

describe('authentication', () => {
  test('a client certificate authenticates as a token does', async () => {
    const cfg = writeKubeconfig(dir, 'cert', { server: server.url, certs, auth: 'cert' });
    const before = server.requests.length;
    const r = await kr(['can', 'shop/web', 'shop/api', '--live', '--kubeconfig', cfg]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('yes');
    const used = server.requests.slice(before);
    expect(used.length).toBeGreaterThan(0);
    expect(used.every((x) => x.auth === 'cert')).toBe(true);
    noSecrets(r, certs);
  });
  test('KUBECONFIG (several files, the first current-context wins) and --context', async () => {
    const a = writeKubeconfig(dir, 'a', { server: 'https://127.0.0.1:1', certs, context: 'broken' });
    const b = writeKubeconfig(dir, 'b', { server: server.url, certs, context: 'good' });
    const broken = await kr(['can', 'shop/web', 'shop/api', '--live'], { KUBECONFIG: `${a}:${b}` });
    expect(broken.code).toBe(2);
    expect(broken.err).toBe('kubereach: cannot reach the API server https://127.0.0.1:1 (context "broken"): connection refused\n');
    const good = await kr(['can', 'shop/web', 'shop/api', '--live', '--context', 'good'], { KUBECONFIG: `${a}:${b}` });
    expect(good.code).toBe(0);
  });
  test('an unknown --context names the ones there are', async () => {
    const r = await kr(['matrix', '--live', '--kubeconfig', kubeconfig, '--context', 'nope']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('kubereach: context "nope" is not in the kubeconfig (contexts: test)\n');
  });
});

describe('connection failures: one line, exit 2, no credential', () => {
  test('unreachable server', async () => {
    const cfg = writeKubeconfig(dir, 'down', { server: 'https://127.0.0.1:1', certs });
    const r = await kr(['matrix', '--live', '--kubeconfig', cfg]);
    expect(r).toEqual({ code: 2, out: '', err: 'kubereach: cannot reach the API server https://127.0.0.1:1 (context "test"): connection refused\n' });
  });
  test('a server certificate the kubeconfig does not trust', async () => {
    const cfg = writeKubeconfig(dir, 'wrongca', { server: server.url, certs, wrongCa: true });
    const r = await kr(['matrix', '--live', '--kubeconfig', cfg]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `kubereach: TLS failure talking to the API server ${server.url} (context "test"): the server's certificate chain ends in a CA the kubeconfig does not trust (SELF_SIGNED_CERT_IN_CHAIN)\n`,
    );
    noSecrets(r, certs);
  });
  test('an expired token is 401', async () => {
    const cfg = writeKubeconfig(dir, 'expired', { server: server.url, certs, auth: 'expired' });
    const r = await kr(['matrix', '--live', '--kubeconfig', cfg]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `kubereach: the API server ${server.url} (context "test") rejected the credentials of user "test-user" (401 Unauthorized): the token or client certificate is expired or invalid; log in again or refresh the kubeconfig\n`,
    );
    noSecrets(r, certs);
  });
  test('no kubeconfig at all', async () => {
    const r = await kr(['matrix', '--live'], { HOME: dir });
    expect(r).toEqual({ code: 2, out: '', err: `kubereach: no kubeconfig: ${dir}/.kube/config does not exist; give --kubeconfig PATH or set KUBECONFIG\n` });
  });
  test('a kubeconfig that is not YAML never echoes its text', async () => {
    const { writeFileSync } = await import('node:fs');
    const bad = `${dir}/bad`;
    writeFileSync(bad, `users: [{name: u, user: {token: ${TOKEN}}\n  - : : ]`);
    const r = await kr(['matrix', '--live', '--kubeconfig', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^kubereach: kubeconfig .*\/bad: not a valid kubeconfig \(YAML error at line \d+\)\n$/);
    noSecrets(r, certs);
  });
});

describe('diff BEFORE --live: the cluster now against a snapshot', () => {
  test('no change since the snapshot is exit 0; a policy added since is exactly its change, exit 1, as diff of two snapshots', async () => {
    const objs = await objectsOf([DEMO]);
    const own = await new FakeApiServer(certs, objs, { tokens: [TOKEN] }).start();
    try {
      const kc = writeKubeconfig(dir, 'diff-live', { server: own.url, certs });
      const monday = `${dir}/monday.json`;
      expect((await kr(['snapshot', '--live', '--kubeconfig', kc, '-o', monday])).code).toBe(0);
      const same = await kr(['diff', monday, '--live', '--kubeconfig', kc]);
      expect(same).toMatchObject({ code: 0, out: '' }); // text lists changed pairs only: none
      // shop/db admits shop/web on 5432 once this policy exists (it admits only shop/api before)
      own.apply({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'db-from-web', namespace: 'shop' },
        spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] },
      });
      const now = await kr(['diff', monday, '--live', '--kubeconfig', kc]);
      noSecrets(now, certs);
      expect(now.code).toBe(1);
      expect(now.out.split('\n')).toContain('added shop/web[Deployment] => shop/db[StatefulSet] : No Connections -> TCP 5432');
      const tuesday = `${dir}/tuesday.json`;
      expect((await kr(['snapshot', '--live', '--kubeconfig', kc, '-o', tuesday])).code).toBe(0);
      expect(now.out).toBe((await kr(['diff', monday, tuesday])).out);
      const json = JSON.parse((await kr(['diff', monday, '--live', '--kubeconfig', kc, '-o', 'json'])).out) as { added: { src: string; dst: string }[] };
      expect(json.added).toEqual([expect.objectContaining({ src: 'shop/web[Deployment]', dst: 'shop/db[StatefulSet]' })]);
    } finally {
      await own.stop();
    }
  });
});
