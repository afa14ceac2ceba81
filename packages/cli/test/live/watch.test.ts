/**
 * `kubereach watch --live` against the local API server: creating, updating and deleting a policy, a
 * pod and a namespace label each print exactly the expected change (checked by hand for the policy
 * and the namespace label, and against `diff` and `audit` on snapshots of the objects before and
 * after for every event); a 410 makes it list again and print what was missed, once.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { memoryIO, run } from '../../src/index.js';
import { FakeApiServer, makeCerts, type Certs, type Obj } from './fake-apiserver.js';
import { TOKEN, kr, objectsOf, tempDir, writeKubeconfig } from './support.js';
import { LIVE_RESOURCES, rbacName } from '../../src/input/live/resources.js';

// the shared machine can be slow: making certificates, a 2,000-pod server, a watch's first list
vi.setConfig({ hookTimeout: 120_000, testTimeout: 120_000 });

let certs: Certs;
let dir: string;
const servers: FakeApiServer[] = [];

beforeAll(async () => {
  certs = await makeCerts();
  dir = tempDir();
});
afterAll(async () => {
  for (const s of servers) await s.stop();
});

interface Watching {
  readonly out: () => string;
  readonly err: () => string;
  /** Resolves once stdout has grown by a chunk that satisfies `pred`; returns the new text. */
  readonly next: (pred: (chunk: string) => boolean) => Promise<string>;
  readonly stop: () => Promise<number>;
}

async function startWatch(argv: string[]): Promise<Watching> {
  const ctl = new AbortController();
  const io = memoryIO('', { signal: ctl.signal });
  const done = run(['watch', ...argv], io);
  let seen = 0;
  const until = async (pred: () => boolean, what: string): Promise<void> => {
    const t0 = Date.now();
    while (!pred()) {
      if (Date.now() - t0 > 60_000) throw new Error(`timed out waiting for ${what}; stdout:\n${io.out()}\nstderr:\n${io.err()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await until(() => io.err().includes('watching '), 'the watch to start');
  return {
    out: io.out,
    err: io.err,
    next: async (pred) => {
      await until(() => pred(io.out().slice(seen)), 'output');
      const chunk = io.out().slice(seen);
      seen = io.out().length;
      return chunk;
    },
    stop: async () => {
      ctl.abort();
      return done;
    },
  };
}

let snap = 0;
/** `diff` text and the audit's new/cleared findings between two object sets, from files. */
async function expected(before: readonly Obj[], after: readonly Obj[]): Promise<string> {
  const file = (objs: readonly Obj[]) => {
    const p = `${dir}/s${++snap}.json`;
    writeFileSync(p, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }));
    return p;
  };
  const a = file(before);
  const b = file(after);
  const d = await kr(['diff', a, b]);
  const findings = async (p: string) =>
    (JSON.parse((await kr(['audit', '-o', 'json', '-f', p])).out) as { findings: { id: string; severity: string; subject: string; message: string }[] })
      .findings;
  const fa = await findings(a);
  const fb = await findings(b);
  const key = (f: { id: string; subject: string }) => `${f.id} ${f.subject}`;
  const ka = new Set(fa.map(key));
  const kb = new Set(fb.map(key));
  let out = d.out;
  for (const f of fb.filter((f) => !ka.has(key(f)))) out += `finding new ${f.severity} ${f.id} ${f.subject}: ${f.message}\n`;
  for (const f of fa.filter((f) => !kb.has(key(f)))) out += `finding cleared ${f.severity} ${f.id} ${f.subject}: ${f.message}\n`;
  return out;
}

/** A mutable copy of the server's objects, to compute expectations. */
class Model {
  constructor(public objects: Obj[]) {}
  apply(o: Obj): Obj[] {
    const before = this.objects;
    const k = (x: Obj) => `${x['kind']} ${x['metadata'].namespace ?? ''}/${x['metadata'].name}`;
    const i = before.findIndex((x) => k(x) === k(o));
    this.objects = i < 0 ? [...before, o] : before.map((x, j) => (j === i ? o : x));
    return before;
  }
  remove(kind: string, ns: string | null, name: string): Obj[] {
    const before = this.objects;
    this.objects = before.filter((x) => !(x['kind'] === kind && (x['metadata'].namespace ?? null) === ns && x['metadata'].name === name));
    return before;
  }
}

const dbFromWeb = (port: number): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'db-from-web', namespace: 'shop' },
  spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port }] }] },
});
const debugPod: Obj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'debug', namespace: 'monitoring', labels: { app: 'prometheus' } },
  spec: { containers: [{ name: 'sh', image: 'busybox' }] },
  status: { podIP: '10.244.9.9' },
};

describe('watch: each change prints exactly its reachability change and findings', () => {
  let server: FakeApiServer;
  let w: Watching;
  let model: Model;
  beforeAll(async () => {
    const objs = await objectsOf(['fixtures/demo']);
    model = new Model(objs);
    server = await new FakeApiServer(certs, objs, { tokens: [TOKEN] }).start();
    servers.push(server);
    w = await startWatch(['--live', '--kubeconfig', writeKubeconfig(dir, 'watch', { server: server.url, certs })]);
  });
  afterAll(async () => {
    expect(await w.stop()).toBe(0);
    expect(w.out() + w.err()).not.toContain(TOKEN);
  });

  const step = async (header: RegExp, act: () => Obj[], lines: string[] = []): Promise<void> => {
    const before = act();
    const chunk = await w.next((c) => header.test(c.split('\n')[0]!) && c.endsWith('\n'));
    const want = await expected(before, model.objects);
    const [head, ...rest] = chunk.split('\n');
    expect(head).toMatch(header);
    expect(rest.join('\n')).toBe(want);
    for (const l of lines) expect(rest).toContain(l);
  };

  test('a policy created', async () => {
    const p = dbFromWeb(5432);
    await step(
      /^ADDED NetworkPolicy shop\/db-from-web \(resourceVersion \d+\)$/,
      () => {
        server.apply(p);
        return model.apply(p);
      },
      ['added shop/web[Deployment] => shop/db[StatefulSet] : No Connections -> TCP 5432'],
    );
  });
  test('the policy updated', async () => {
    const p = dbFromWeb(6000);
    await step(
      /^MODIFIED NetworkPolicy shop\/db-from-web /,
      () => {
        server.apply(p);
        return model.apply(p);
      },
      ['changed shop/web[Deployment] => shop/db[StatefulSet] : TCP 5432 -> TCP 6000'],
    );
  });
  test('the policy deleted', async () => {
    await step(
      /^DELETED NetworkPolicy shop\/db-from-web /,
      () => {
        server.remove('networking.k8s.io/v1', 'NetworkPolicy', 'shop', 'db-from-web');
        return model.remove('NetworkPolicy', 'shop', 'db-from-web');
      },
      ['removed shop/web[Deployment] => shop/db[StatefulSet] : TCP 6000 -> No Connections'],
    );
  });
  test('a pod created', async () => {
    await step(
      /^ADDED Pod monitoring\/debug /,
      () => {
        server.apply(debugPod);
        return model.apply(debugPod);
      },
      ['added monitoring/debug[Pod] => shop/api[Deployment] : No Connections -> TCP 9090'],
    );
  });
  test('the pod updated: relabelled out of the policy, then back', async () => {
    const relabel = (app: string): Obj => ({ ...debugPod, metadata: { ...debugPod['metadata'], labels: { app } } });
    await step(
      /^MODIFIED Pod monitoring\/debug /,
      () => {
        server.apply(relabel('debug'));
        return model.apply(relabel('debug'));
      },
      ['removed monitoring/debug[Pod] => shop/api[Deployment] : TCP 9090 -> No Connections'],
    );
    await step(
      /^MODIFIED Pod monitoring\/debug /,
      () => {
        server.apply(relabel('prometheus'));
        return model.apply(relabel('prometheus'));
      },
      ['added monitoring/debug[Pod] => shop/api[Deployment] : No Connections -> TCP 9090'],
    );
  });
  // shop/api admits ingress on its `metrics` port (9090) from pods labelled app=prometheus in
  // namespaces labelled team=platform (fixtures/demo/policies.yaml): monitoring's label decides
  test('a namespace label removed, then added again', async () => {
    const ns = model.objects.find((o) => o['kind'] === 'Namespace' && o['metadata'].name === 'monitoring')!;
    const withLabels = (labels: Record<string, string>): Obj => ({ ...ns, metadata: { ...ns['metadata'], labels } });
    await step(
      /^MODIFIED Namespace monitoring /,
      () => {
        server.apply(withLabels({}));
        return model.apply(withLabels({}));
      },
      [
        'removed monitoring/prometheus[Deployment] => shop/api[Deployment] : TCP 9090 -> No Connections',
        'removed monitoring/debug[Pod] => shop/api[Deployment] : TCP 9090 -> No Connections',
      ],
    );
    await step(
      /^MODIFIED Namespace monitoring /,
      () => {
        server.apply(withLabels({ team: 'platform' }));
        return model.apply(withLabels({ team: 'platform' }));
      },
      [
        'added monitoring/prometheus[Deployment] => shop/api[Deployment] : No Connections -> TCP 9090',
        'added monitoring/debug[Pod] => shop/api[Deployment] : No Connections -> TCP 9090',
      ],
    );
  });
  test('a namespace label changed', async () => {
    const ns = model.objects.find((o) => o['kind'] === 'Namespace' && o['metadata'].name === 'monitoring')!;
    const relabelled = { ...ns, metadata: { ...ns['metadata'], labels: { team: 'observability' } } };
    await step(
      /^MODIFIED Namespace monitoring /,
      () => {
        server.apply(relabelled);
        return model.apply(relabelled);
      },
      [
        'removed monitoring/prometheus[Deployment] => shop/api[Deployment] : TCP 9090 -> No Connections',
        'removed monitoring/debug[Pod] => shop/api[Deployment] : TCP 9090 -> No Connections',
      ],
    );
  });
  test('a pod deleted', async () => {
    await step(/^DELETED Pod monitoring\/debug /, () => {
      server.remove('v1', 'Pod', 'monitoring', 'debug');
      return model.remove('Pod', 'monitoring', 'debug');
    });
  });
  test('bookmarks move the resourceVersion and print nothing', async () => {
    const before = w.out();
    server.bookmark();
    await new Promise((r) => setTimeout(r, 300));
    expect(w.out()).toBe(before);
  });
});

describe('watch: 410 Gone', () => {
  test('lists again and prints what was missed exactly once; nothing seen before is repeated', async () => {
    const objs = await objectsOf(['fixtures/demo']);
    const model = new Model(objs);
    const server = await new FakeApiServer(certs, objs, { tokens: [TOKEN] }).start();
    servers.push(server);
    const w = await startWatch(['--live', '-o', 'json', '--kubeconfig', writeKubeconfig(dir, 'gone', { server: server.url, certs })]);
    // seen as an event
    const p = dbFromWeb(5432);
    server.apply(p);
    model.apply(p);
    const first = JSON.parse(await w.next((c) => c.endsWith('\n'))) as {
      event: { type: string; name: string };
      added: { src: string; dst: string; conn: string }[];
    };
    expect(first.event).toMatchObject({ type: 'ADDED', kind: 'NetworkPolicy', name: 'db-from-web' });
    expect(first.added).toEqual([{ src: 'shop/web[Deployment]', dst: 'shop/db[StatefulSet]', conn: 'TCP 5432' }]);
    // compaction ends every stream with 410; the next change happens before the client lists again
    const watchesBefore = server.watchCount;
    server.expire();
    const before = model.remove('NetworkPolicy', 'shop', 'db-from-web');
    server.remove('networking.k8s.io/v1', 'NetworkPolicy', 'shop', 'db-from-web');
    const lines = (await w.next((c) => c.includes('"RELIST"') && c.includes('NetworkPolicy') && c.endsWith('\n'))).trim().split('\n');
    const relisted = lines.map(
      (l) =>
        JSON.parse(l) as {
          event: { type: string; kind: string };
          objects: { type: string; kind: string; name: string }[];
          removed: unknown[];
          added: unknown[];
          changed: unknown[];
        },
    );
    // one RELIST per resource whose stream ended; only the policies' one carries a change
    const withChange = relisted.filter((r) => r.added.length + r.removed.length + r.changed.length > 0);
    expect(withChange).toHaveLength(1);
    expect(withChange[0]!.event).toMatchObject({ type: 'RELIST', kind: 'NetworkPolicy' });
    expect(withChange[0]!.objects).toEqual([expect.objectContaining({ type: 'DELETED', kind: 'NetworkPolicy', name: 'db-from-web' })]);
    expect(withChange[0]!.removed).toEqual([{ src: 'shop/web[Deployment]', dst: 'shop/db[StatefulSet]', conn: 'TCP 5432' }]);
    void before;
    // streams are open again, and a later change arrives once
    const t0 = Date.now();
    while (server.watchCount < watchesBefore && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 20));
    expect(server.watchCount).toBe(watchesBefore);
    const q = dbFromWeb(7000);
    server.apply(q);
    const after = JSON.parse(await w.next((c) => c.endsWith('\n'))) as { event: { type: string }; added: unknown[] };
    expect(after.event).toMatchObject({ type: 'ADDED', name: 'db-from-web' });
    expect(after.added).toEqual([{ src: 'shop/web[Deployment]', dst: 'shop/db[StatefulSet]', conn: 'TCP 7000' }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await w.stop()).toBe(0);
    const all = w
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: { type: string } });
    expect(all.map((l) => l.event.type)).toEqual(['ADDED', 'RELIST', 'ADDED']);
  });
});

describe('watch: RBAC that allows list but not watch', () => {
  test('a kind that cannot be watched is a warning naming the permission, and every later change carries a caveat', async () => {
    const objs = await objectsOf(['fixtures/demo']);
    const server = await new FakeApiServer(certs, objs, { tokens: [TOKEN], watchForbidden: ['pods'] }).start();
    servers.push(server);
    const w = await startWatch(['--live', '-o', 'json', '--kubeconfig', writeKubeconfig(dir, 'nowatch', { server: server.url, certs })]);
    server.apply(dbFromWeb(5432));
    const line = JSON.parse(await w.next((c) => c.endsWith('\n'))) as { event: { type: string; name: string }; caveats: string[] };
    expect(line.event).toMatchObject({ type: 'ADDED', name: 'db-from-web' });
    expect(line.caveats).toContain('changes to pods are not followed (no "watch" permission): answers may be stale where they depend on them');
    expect(w.err()).toContain('warning: cannot watch pods: add "watch" on pods; changes to them are no longer followed\n');
    expect(await w.stop()).toBe(0);
  });

  test('the same in text: a caveat line after the change', async () => {
    const objs = await objectsOf(['fixtures/demo']);
    const server = await new FakeApiServer(certs, objs, { tokens: [TOKEN], watchForbidden: ['pods'] }).start();
    servers.push(server);
    const w = await startWatch(['--live', '--kubeconfig', writeKubeconfig(dir, 'nowatch-text', { server: server.url, certs })]);
    server.apply(dbFromWeb(5432));
    const chunk = await w.next((c) => c.includes('caveat: ') && c.endsWith('\n'));
    expect(chunk.split('\n').slice(1)).toEqual([
      'added shop/web[Deployment] => shop/db[StatefulSet] : No Connections -> TCP 5432',
      'caveat: changes to pods are not followed (no "watch" permission): answers may be stale where they depend on them',
      '',
    ]);
    expect(await w.stop()).toBe(0);
  });

  test('no kind can be watched: one line, exit 2', async () => {
    const objs = await objectsOf(['fixtures/demo']);
    const all = LIVE_RESOURCES.map((r) => rbacName(r));
    const server = await new FakeApiServer(certs, objs, { tokens: [TOKEN], watchForbidden: all }).start();
    servers.push(server);
    const r = await kr(['watch', '--live', '--kubeconfig', writeKubeconfig(dir, 'nowatch-all', { server: server.url, certs })]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.trim().split('\n');
    expect(lines[lines.length - 1]).toBe(
      'kubereach: cannot watch any resource it listed (403 on every watch): add "watch" beside "list" in the role (deploy/kubereach-reader.yaml)',
    );
    expect(lines).toContain('warning: cannot watch networkpolicies: add "watch" on networking.k8s.io/networkpolicies; changes to them are no longer followed');
    expect(r.err).not.toContain(TOKEN);
  });
});

describe('watch: usage', () => {
  test('needs --live', async () => {
    expect(await kr(['watch', '-f', 'fixtures/demo'])).toEqual({ code: 2, out: '', err: 'kubereach: watch follows a live cluster: give --live\n' });
  });
});
