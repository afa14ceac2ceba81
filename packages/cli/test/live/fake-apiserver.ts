/**
 * A Kubernetes API server stand-in for the live-input tests: node:https on 127.0.0.1 with
 * certificates made at test time (a CA, a server certificate for 127.0.0.1, a client certificate),
 * speaking the real paths and shapes the client uses:
 *
 * | request                                              | answer                                            |
 * |------------------------------------------------------|---------------------------------------------------|
 * | GET /api, /api/v1, /apis, /apis/G/V                  | APIVersions, APIResourceList, APIGroupList        |
 * | GET .../[namespaces/NS/]RESOURCE?limit=&continue=    | a `KindList` page, items without apiVersion/kind  |
 * | GET ...?watch=true&resourceVersion=RV                | a stream of ADDED/MODIFIED/DELETED/BOOKMARK/ERROR |
 * | no or unknown credentials                            | 401 Status                                        |
 * | a resource listed in `forbidden`                     | 403 Status (as the RBAC authorizer words it)      |
 * | a watch of a resource listed in `watchForbidden`     | 403 Status (list allowed, watch not)              |
 * | a watch from a compacted resourceVersion             | ERROR event with a 410 Expired Status             |
 *
 * Authentication: a bearer token in `tokens`, or a client certificate signed by the CA.
 * Written from the API reference's shapes (api-concepts: efficient detection of changes, retrieving
 * large results in chunks, watch bookmarks), not from any server's code.
 */
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

// fixtures are free-form Kubernetes JSON that tests index into without ceremony
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export interface Certs {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A CA that signed nothing here: a kubeconfig trusting it must fail TLS verification. */
  readonly otherCaCert: string;
}

let certsOnce: Promise<Certs> | null = null;

/** Certificates for every server of a test run (EC keys: fast to make). */
export function makeCerts(): Promise<Certs> {
  certsOnce ??= (async () => {
    const ca = await generate([{ name: 'commonName', value: 'kubereach-test-ca' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    });
    const server = await generate([{ name: 'commonName', value: 'kube-apiserver' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 7, ip: '127.0.0.1' },
            { type: 2, value: 'localhost' },
          ],
        },
      ],
    });
    const client = await generate([{ name: 'commonName', value: 'alice' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true },
        { name: 'extKeyUsage', clientAuth: true },
      ],
    });
    const other = await generate([{ name: 'commonName', value: 'some-other-ca' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'basicConstraints', cA: true, critical: true }],
    });
    return { caCert: ca.cert, serverCert: server.cert, serverKey: server.private, clientCert: client.cert, clientKey: client.private, otherCaCert: other.cert };
  })();
  return certsOnce;
}

interface ResourceDef {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

const RESOURCES: readonly ResourceDef[] = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true },
  { group: '', version: 'v1', resource: 'replicationcontrollers', kind: 'ReplicationController', namespaced: true },
  { group: '', version: 'v1', resource: 'limitranges', kind: 'LimitRange', namespaced: true },
  { group: '', version: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', namespaced: true },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
  { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true },
  { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true },
  { group: 'policy.networking.k8s.io', version: 'v1alpha1', resource: 'adminnetworkpolicies', kind: 'AdminNetworkPolicy', namespaced: false },
  { group: 'policy.networking.k8s.io', version: 'v1alpha1', resource: 'baselineadminnetworkpolicies', kind: 'BaselineAdminNetworkPolicy', namespaced: false },
  { group: 'policy.networking.k8s.io', version: 'v1alpha2', resource: 'clusternetworkpolicies', kind: 'ClusterNetworkPolicy', namespaced: false },
  { group: 'cilium.io', version: 'v2', resource: 'ciliumnetworkpolicies', kind: 'CiliumNetworkPolicy', namespaced: true },
];

const gvOf = (r: ResourceDef) => (r.group === '' ? r.version : `${r.group}/${r.version}`);

export interface FakeOptions {
  /** Bearer tokens that authenticate. */
  readonly tokens?: readonly string[];
  /** Bearer tokens that once did: 401 (an expired token looks like any unknown one to the server). */
  readonly expiredTokens?: readonly string[];
  /** `GROUP/RESOURCE` (or `RESOURCE` for the core group) whose list and watch are 403. */
  readonly forbidden?: readonly string[];
  /** `GROUP/RESOURCE` (or `RESOURCE`) that may be listed but not watched: the watch is 403. */
  readonly watchForbidden?: readonly string[];
  /** API groups the server does not serve (a CRD that is not installed). Default: cilium.io. */
  readonly notServed?: readonly string[];
  /** Called after a list page is sent, with the path and whether the request carried a continue token. */
  readonly afterList?: (server: FakeApiServer, path: string, continued: boolean) => void;
}

interface Stored {
  readonly def: ResourceDef;
  readonly obj: Obj;
}

interface WatchEvent {
  readonly rv: number;
  readonly resource: string;
  readonly namespace: string | null;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: Obj;
}

interface Watcher {
  readonly res: ServerResponse;
  readonly def: ResourceDef;
  readonly namespace: string | null;
  readonly bookmarks: boolean;
}

export interface RequestLog {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly auth: 'token' | 'cert' | 'none';
}

export class FakeApiServer {
  private server: https.Server | null = null;
  private rv = 1000;
  /** Everything at or below this resourceVersion is compacted: a watch from there is 410. */
  private compactedThrough = 0;
  private readonly store = new Map<string, Stored>();
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  readonly requests: RequestLog[] = [];
  port = 0;

  constructor(
    readonly certs: Certs,
    objects: readonly Obj[],
    private readonly options: FakeOptions = {},
  ) {
    for (const o of objects) this.put(o, false);
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = https.createServer(
      { key: this.certs.serverKey, cert: this.certs.serverCert, ca: this.certs.caCert, requestCert: true, rejectUnauthorized: false },
      (req, res) => this.handle(req, res),
    );
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    const s = this.server;
    if (s === null) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The current resourceVersion. */
  get resourceVersion(): number {
    return this.rv;
  }

  private defOf(apiVersion: string, kind: string): ResourceDef {
    const d = RESOURCES.find((r) => gvOf(r) === apiVersion && r.kind === kind);
    if (d === undefined) throw new Error(`fake apiserver: no resource for ${apiVersion} ${kind}`);
    return d;
  }

  private keyOf(def: ResourceDef, ns: string | null, name: string): string {
    return `${def.group}/${def.resource}/${ns ?? ''}/${name}`;
  }

  private put(o: Obj, notify: boolean): void {
    const def = this.defOf(o['apiVersion'], o['kind']);
    const meta = { ...(o['metadata'] ?? {}) };
    const ns = def.namespaced ? (meta.namespace ?? 'default') : null;
    if (ns !== null) meta.namespace = ns;
    const key = this.keyOf(def, ns, meta.name);
    const existed = this.store.has(key);
    this.rv++;
    meta.resourceVersion = String(this.rv);
    meta.uid ??= `uid-${key}`;
    meta.managedFields = [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: {} }];
    const obj = { ...o, metadata: meta };
    this.store.set(key, { def, obj });
    if (notify) this.emit({ rv: this.rv, resource: def.resource, namespace: ns, type: existed ? 'MODIFIED' : 'ADDED', object: obj });
  }

  /** Creates or replaces an object; watchers see ADDED or MODIFIED. */
  apply(o: Obj): void {
    this.put(o, true);
  }

  /** Deletes an object; watchers see DELETED with its last state. */
  remove(apiVersion: string, kind: string, namespace: string | null, name: string): void {
    const def = this.defOf(apiVersion, kind);
    const key = this.keyOf(def, def.namespaced ? namespace : null, name);
    const s = this.store.get(key);
    if (s === undefined) throw new Error(`fake apiserver: ${key} does not exist`);
    this.store.delete(key);
    this.rv++;
    const obj = { ...s.obj, metadata: { ...s.obj['metadata'], resourceVersion: String(this.rv) } };
    this.emit({ rv: this.rv, resource: def.resource, namespace: def.namespaced ? namespace : null, type: 'DELETED', object: obj });
  }

  /** Sends a BOOKMARK at the current resourceVersion to every watcher that asked for bookmarks. */
  bookmark(): void {
    for (const w of this.watchers) {
      if (!w.bookmarks) continue;
      w.res.write(
        `${JSON.stringify({ type: 'BOOKMARK', object: { kind: w.def.kind, apiVersion: gvOf(w.def), metadata: { resourceVersion: String(this.rv) } } })}\n`,
      );
    }
  }

  /**
   * Compacts history (every resourceVersion so far is gone) and ends every open watch with an
   * ERROR 410 event, as a server does after etcd compaction: the client must list again.
   */
  expire(): void {
    this.compactedThrough = this.rv;
    this.rv++; // writes go on: a list made now is newer than the compaction
    this.history.length = 0;
    for (const w of this.watchers) {
      w.res.write(`${JSON.stringify({ type: 'ERROR', object: this.status(410, 'Expired', 'too old resource version') })}\n`);
      w.res.end();
    }
    this.watchers.clear();
  }

  /** Number of open watch streams. */
  get watchCount(): number {
    return this.watchers.size;
  }

  private emit(e: WatchEvent): void {
    this.history.push(e);
    for (const w of this.watchers) {
      if (w.def.resource !== e.resource || gvOf(w.def) !== e.object['apiVersion']) continue;
      if (w.namespace !== null && w.namespace !== e.namespace) continue;
      w.res.write(`${JSON.stringify({ type: e.type, object: wire(e.object) })}\n`);
    }
  }

  private status(code: number, reason: string, message: string): Obj {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  }

  private send(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private authenticate(req: IncomingMessage): 'token' | 'cert' | 'none' | 'bad' {
    const h = req.headers.authorization;
    if (h !== undefined) {
      const token = h.startsWith('Bearer ') ? h.slice(7) : null;
      return token !== null && (this.options.tokens ?? []).includes(token) ? 'token' : 'bad';
    }
    const sock = req.socket as import('node:tls').TLSSocket;
    if (sock.authorized) return 'cert';
    return 'none';
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://x');
    const auth = this.authenticate(req);
    this.requests.push({ path: url.pathname, query: url.searchParams, auth: auth === 'bad' ? 'none' : auth });
    if (auth === 'bad' || auth === 'none') {
      this.send(res, 401, this.status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const p = url.pathname.replace(/\/+$/, '');
    const served = RESOURCES.filter((r) => !(this.options.notServed ?? ['cilium.io']).includes(r.group));
    if (p === '/api') return this.send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (p === '/apis') {
      const groups = [...new Set(served.filter((r) => r.group !== '').map((r) => r.group))].map((g) => {
        const versions = [...new Set(served.filter((r) => r.group === g).map((r) => r.version))].map((v) => ({ groupVersion: `${g}/${v}`, version: v }));
        return { name: g, versions, preferredVersion: versions[0] };
      });
      return this.send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    const disc = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(p);
    if (disc !== null) {
      const gv = disc[1] ?? `${disc[2]}/${disc[3]}`;
      const rs = served.filter((r) => gvOf(r) === gv);
      if (rs.length === 0) return this.send(res, 404, this.status(404, 'NotFound', 'the server could not find the requested resource'));
      return this.send(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: gv,
        resources: rs.map((r) => ({
          name: r.resource,
          singularName: r.kind.toLowerCase(),
          namespaced: r.namespaced,
          kind: r.kind,
          verbs: ['get', 'list', 'watch'],
        })),
      });
    }
    const m = /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)$/.exec(p);
    if (m === null) return this.send(res, 404, this.status(404, 'NotFound', 'the server could not find the requested resource'));
    const group = m[1] ?? '';
    const version = m[2] ?? 'v1';
    const ns = m[3] === undefined ? null : decodeURIComponent(m[3]);
    const def = served.find((r) => r.group === group && r.version === version && r.resource === m[4]);
    if (def === undefined || (ns !== null && !def.namespaced))
      return this.send(res, 404, this.status(404, 'NotFound', 'the server could not find the requested resource'));
    const rbac = group === '' ? def.resource : `${group}/${def.resource}`;
    const watching = url.searchParams.get('watch') === 'true';
    const verb = (this.options.forbidden ?? []).includes(rbac) ? 'list' : watching && (this.options.watchForbidden ?? []).includes(rbac) ? 'watch' : null;
    if (verb !== null) {
      const who = auth === 'cert' ? 'alice' : 'system:serviceaccount:default:reader';
      const where = ns === null ? 'at the cluster scope' : `in the namespace "${ns}"`;
      return this.send(
        res,
        403,
        this.status(
          403,
          'Forbidden',
          `${def.resource}${group === '' ? '' : `.${group}`} is forbidden: User "${who}" cannot ${verb} resource "${def.resource}" in API group "${group}" ${where}`,
        ),
      );
    }
    if (watching) return this.watch(req, res, def, ns, url.searchParams);
    return this.list(res, def, ns, url.searchParams);
  }

  private matching(def: ResourceDef, ns: string | null): Obj[] {
    const out: Obj[] = [];
    for (const s of this.store.values()) {
      if (s.def !== def) continue;
      if (ns !== null && s.obj['metadata'].namespace !== ns) continue;
      out.push(s.obj);
    }
    // in the order given (a real server sorts by key): order carries no meaning, and keeping the
    // files' order lets the tests compare live answers with the files' byte for byte
    return out;
  }

  private list(res: ServerResponse, def: ResourceDef, ns: string | null, q: URLSearchParams): void {
    const all = this.matching(def, ns);
    const limit = Number(q.get('limit') ?? '0');
    let start = 0;
    let rv = String(this.rv);
    const token = q.get('continue');
    if (token !== null) {
      const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { start: number; rv: string };
      if (Number(t.rv) <= this.compactedThrough) {
        return this.send(res, 410, this.status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result.'));
      }
      start = t.start;
      rv = t.rv;
    }
    const end = limit > 0 ? Math.min(all.length, start + limit) : all.length;
    const metadata: Obj = { resourceVersion: rv };
    if (end < all.length) metadata['continue'] = Buffer.from(JSON.stringify({ start: end, rv })).toString('base64');
    this.send(res, 200, { kind: `${def.kind}List`, apiVersion: gvOf(def), metadata, items: all.slice(start, end).map(stripTypeMeta) });
    this.options.afterList?.(this, res.req.url?.split('?')[0] ?? '', token !== null);
  }

  private watch(req: IncomingMessage, res: ServerResponse, def: ResourceDef, ns: string | null, q: URLSearchParams): void {
    const from = Number(q.get('resourceVersion') ?? String(this.rv));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    if (from <= this.compactedThrough) {
      res.write(`${JSON.stringify({ type: 'ERROR', object: this.status(410, 'Expired', `too old resource version: ${from} (${this.compactedThrough})`) })}\n`);
      res.end();
      return;
    }
    for (const e of this.history) {
      if (e.rv <= from || e.resource !== def.resource || (ns !== null && e.namespace !== ns)) continue;
      res.write(`${JSON.stringify({ type: e.type, object: wire(e.object) })}\n`);
    }
    const w: Watcher = { res, def, namespace: ns, bookmarks: q.get('allowWatchBookmarks') === 'true' };
    this.watchers.add(w);
    req.on('close', () => this.watchers.delete(w));
  }
}

/** List items carry no apiVersion/kind on the wire. */
function stripTypeMeta(o: Obj): Obj {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

/** Watch event objects carry apiVersion and kind. */
function wire(o: Obj): Obj {
  return o;
}
