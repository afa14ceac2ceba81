/**
 * Listing a live cluster: pages (limit/continue), discovery (a CRD not served is skipped silently, a
 * served one is listed), RBAC (a 403 is a warning naming the permission and a caveat on answers),
 * -n limiting the read, and a generated 2,000-pod cluster answered identically live and from its
 * snapshot.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { generateCluster } from '../../../../benchmarks/generate.js';
import { FakeApiServer, makeCerts, type Certs, type Obj } from './fake-apiserver.js';
import { TOKEN, kr, objectsOf, tempDir, writeKubeconfig } from './support.js';

// the shared machine can be slow: making certificates, a 2,000-pod server, a watch's first list
vi.setConfig({ hookTimeout: 120_000, testTimeout: 120_000 });

let certs: Certs;
let dir: string;
const servers: FakeApiServer[] = [];

async function serve(
  objects: readonly Obj[],
  options: ConstructorParameters<typeof FakeApiServer>[2] = {},
): Promise<{ server: FakeApiServer; kubeconfig: string }> {
  const server = await new FakeApiServer(certs, objects, { tokens: [TOKEN], ...options }).start();
  servers.push(server);
  return { server, kubeconfig: writeKubeconfig(dir, `config-${servers.length}`, { server: server.url, certs }) };
}

beforeAll(async () => {
  certs = await makeCerts();
  dir = tempDir();
});
afterAll(async () => {
  for (const s of servers) await s.stop();
});

describe('a generated 2,000-pod cluster', () => {
  const objects = generateCluster({ pods: 2000, seed: 18 }) as unknown as Obj[];
  let server: FakeApiServer;
  let kubeconfig: string;
  let snapshot: string;
  beforeAll(async () => {
    ({ server, kubeconfig } = await serve(objects));
    snapshot = `${dir}/gen-snapshot.json`;
    const r = await kr(['snapshot', '--live', '--kubeconfig', kubeconfig, '-o', snapshot]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^wrote \d+ objects to .*gen-snapshot\.json \(namespaces \d+, nodes \d+, pods 2000, /);
  });

  test('pods arrive in pages of 500 following continue tokens', () => {
    const pods = server.requests.filter((q) => q.path === '/api/v1/pods');
    // the snapshot's read: 4 pages, the first without a token, each later one with the previous token
    const first = pods.slice(0, 4);
    expect(first.map((q) => q.query.get('limit'))).toEqual(['500', '500', '500', '500']);
    expect(first[0]!.query.has('continue')).toBe(false);
    expect(first.slice(1).every((q) => q.query.has('continue'))).toBe(true);
    const snap = JSON.parse(readFileSync(snapshot, 'utf8')) as { kind: string; items: Obj[] };
    expect(snap.kind).toBe('List');
    expect(snap.items.filter((o) => o['kind'] === 'Pod')).toHaveLength(2000);
    // items carry apiVersion and kind (list items on the wire do not), and no managedFields
    expect(snap.items.every((o) => typeof o['apiVersion'] === 'string' && typeof o['kind'] === 'string')).toBe(true);
    expect(snap.items.some((o) => 'managedFields' in (o['metadata'] as Obj))).toBe(false);
  });

  const ref = (o: Obj) => `${o['metadata'].namespace}/${o['metadata'].name}`;
  const pods = objects.filter((o) => o['kind'] === 'Deployment');
  const pod = ref;
  for (const q of [
    ['matrix', '-o', 'json'],
    ['audit', '-o', 'json', '--fail-on', 'info'],
    ['who-can-reach', 'metadata', '-o', 'json'],
    ['can', pod(pods[3]!), pod(pods[pods.length - 5]!), '-o', 'json', '--explain'],
    ['paths', pod(pods[7]!), 'kubelet', '-o', 'json'],
  ]) {
    test(`${q[0]}: --live equals -f on the snapshot`, async () => {
      const live = await kr([...q, '--live', '--kubeconfig', kubeconfig]);
      const snap = await kr([...q, '-f', snapshot]);
      expect(live.code).toBe(snap.code);
      expect(live.err).toBe('');
      expect(live.out.length).toBeGreaterThan(100);
      expect(live.out).toBe(snap.out.split(snapshot).join('cluster(test)'));
    });
  }
});

describe('discovery and RBAC', () => {
  const demo = objectsOf(['fixtures/demo']);

  test('a 403 on a kind is a warning naming the permission, and every answer carries a caveat', async () => {
    const { kubeconfig } = await serve(await demo, { forbidden: ['networking.k8s.io/networkpolicies'] });
    const r = await kr(['can', 'shop/web', 'shop/db', '--port', '5432', '-o', 'json', '--live', '--kubeconfig', kubeconfig]);
    const caveat = 'networking.k8s.io/networkpolicies could not be read (403 Forbidden): answers are computed without them';
    expect(r.err).toBe(`warning: cannot list networkpolicies in all namespaces: add "list" on networking.k8s.io/networkpolicies\nwarning: ${caveat}\n`);
    // without the policies the database is open: the answer says so and carries why it may be wrong
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { caveats: string[] }).caveats).toContain(caveat);
    const m = await kr(['matrix', '--live', '--kubeconfig', kubeconfig]);
    expect(m.err).toContain(`warning: ${caveat}\n`);
    for (const cmd of [
      ['matrix', '-o', 'json'],
      ['audit', '-o', 'json'],
      ['who-can-reach', 'shop/db', '-o', 'json'],
      ['stats', '-o', 'json'],
    ]) {
      const j = await kr([...cmd, '--live', '--kubeconfig', kubeconfig]);
      expect((JSON.parse(j.out) as { caveats: string[] }).caveats, cmd.join(' ')).toContain(caveat);
    }
    const sarif = JSON.parse((await kr(['audit', '-o', 'sarif', '--live', '--kubeconfig', kubeconfig])).out) as object;
    expect(JSON.stringify(sarif)).toContain(caveat);
  });

  test('-n limits namespaced lists to one namespace, and the answers say so', async () => {
    const { server, kubeconfig } = await serve(await demo, { forbidden: ['networking.k8s.io/networkpolicies'] });
    const r = await kr(['matrix', '--live', '-n', 'shop', '--kubeconfig', kubeconfig]);
    expect(r.err).toContain('warning: cannot list networkpolicies in namespace shop: add "list" on networking.k8s.io/networkpolicies\n');
    expect(r.err).toContain('warning: only namespace shop was read (-n): pods, workloads and policies of other namespaces are not in the answers\n');
    const paths = new Set(server.requests.map((q) => q.path));
    expect(paths.has('/api/v1/namespaces/shop/pods')).toBe(true);
    expect(paths.has('/api/v1/pods')).toBe(false);
    expect(paths.has('/api/v1/namespaces')).toBe(true); // cluster-scoped kinds are read whole
    expect(r.out).not.toContain('payments/');
  });

  test('a CRD that is not served is skipped silently; a served one is read (and a forbidden one warned about)', async () => {
    const anp = {
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: 'deny-shop-db' },
      spec: { priority: 10, subject: { namespaces: { matchLabels: { team: 'shop' } } }, ingress: [{ name: 'no', action: 'Deny', from: [{ namespaces: {} }] }] },
    };
    const without = await serve(await demo, { notServed: ['policy.networking.k8s.io', 'cilium.io'] });
    const a = await kr(['can', 'shop/web', 'shop/api', '--live', '--kubeconfig', without.kubeconfig]);
    expect(a).toMatchObject({ code: 0, err: '' });
    expect(without.server.requests.some((q) => q.path.includes('adminnetworkpolicies'))).toBe(false);

    const served = await serve([...(await demo), anp], { notServed: ['cilium.io'] });
    const b = await kr(['can', 'shop/web', 'shop/api', '--live', '--kubeconfig', served.kubeconfig]);
    expect(b).toMatchObject({ code: 1, err: '' });
    expect(b.out).toBe('no\n');

    const forbidden = await serve([...(await demo), anp], { notServed: ['cilium.io'], forbidden: ['policy.networking.k8s.io/adminnetworkpolicies'] });
    const c = await kr(['can', 'shop/web', 'shop/api', '--live', '--kubeconfig', forbidden.kubeconfig]);
    expect(c.err).toBe(
      'warning: cannot list adminnetworkpolicies at the cluster scope: add "list" on policy.networking.k8s.io/adminnetworkpolicies\n' +
        'warning: policy.networking.k8s.io/adminnetworkpolicies could not be read (403 Forbidden): answers are computed without them\n',
    );
  });

  test('a Cilium policy the server serves is listed and modelled: its deny decides the answer', async () => {
    const cnp = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'deny-web', namespace: 'shop' },
      spec: { endpointSelector: { matchLabels: { app: 'api' } }, ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }] },
    };
    const without = await serve(await demo, { notServed: [] });
    expect((await kr(['can', 'shop/web', 'shop/api', '--port', '9000', '--live', '--kubeconfig', without.kubeconfig])).code).toBe(0);
    const { kubeconfig } = await serve([...(await demo), cnp], { notServed: [] });
    const r = await kr(['can', 'shop/web', 'shop/api', '--port', '9000', '-o', 'json', '--live', '--kubeconfig', kubeconfig]);
    expect(r.code).toBe(1);
    const caveats = (JSON.parse(r.out) as { caveats: string[] }).caveats;
    expect(caveats.some((c) => c.includes('CiliumNetworkPolicy'))).toBe(false);
    expect((await kr(['matrix', '--strict', '--live', '--kubeconfig', kubeconfig])).code).toBe(0);
  });

  test('audit --live checks the permissions of the kubeconfig files it used (KUBECONFIG_PERMISSIONS)', async () => {
    const { server } = await serve(await demo);
    const { chmodSync } = await import('node:fs');
    const loose = writeKubeconfig(dir, 'loose', { server: server.url, certs });
    chmodSync(loose, 0o644);
    const ids = async (argv: string[], env: Record<string, string> = {}) =>
      (
        JSON.parse((await kr(['audit', '-o', 'json', '--fail-on', 'info', '--live', ...argv], env)).out) as { findings: { id: string; subject: string }[] }
      ).findings
        .filter((f) => f.id === 'KUBECONFIG_PERMISSIONS')
        .map((f) => f.subject);
    expect(await ids(['--kubeconfig', loose])).toEqual([loose]);
    expect(await ids([], { KUBECONFIG: loose })).toEqual([loose]);
    const tight = writeKubeconfig(dir, 'tight', { server: server.url, certs });
    expect(await ids([], { KUBECONFIG: tight })).toEqual([]);
  });

  test('an expired continue token restarts the list from the start', async () => {
    const objects = generateCluster({ pods: 1200, seed: 4 }) as unknown as Obj[];
    // compaction right after the first pods page: that page's continue token is then too old
    let seen = 0;
    const { server, kubeconfig } = await serve(objects, {
      afterList: (s, path, continued) => {
        if (path === '/api/v1/pods' && !continued && ++seen === 1) s.expire();
      },
    });
    const live = await kr(['matrix', '-o', 'json', '--live', '--kubeconfig', kubeconfig]);
    const snap = `${dir}/restart.json`;
    expect((await kr(['snapshot', '--live', '--kubeconfig', kubeconfig, '-o', snap])).code).toBe(0);
    expect(live.code).toBe(0);
    expect(live.out).toBe((await kr(['matrix', '-o', 'json', '-f', snap])).out);
    const podReqs = server.requests.filter((q) => q.path === '/api/v1/pods');
    expect(podReqs.filter((q) => !q.query.has('continue')).length).toBe(3); // first try, restart, snapshot
    const snapObjs = JSON.parse(readFileSync(snap, 'utf8')) as { items: Obj[] };
    expect(snapObjs.items.filter((o) => o['kind'] === 'Pod')).toHaveLength(1200);
  });
});
