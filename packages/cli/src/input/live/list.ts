/**
 * Listing a live cluster: discovery decides which resources the server serves (legacy discovery,
 * `/api/v1` and `/apis` then `/apis/GROUP/VERSION`), then every served resource is listed in pages
 * of `limit` objects following `continue`, a few resources at a time. The objects are kept as the
 * server sent them, plus the `apiVersion` and `kind` that list items leave out, minus
 * `metadata.managedFields` (bulky server bookkeeping no check reads).
 *
 * | outcome for a resource             | what happens                                                   |
 * |------------------------------------|----------------------------------------------------------------|
 * | group or resource not served       | skipped silently (a CRD that is not installed)                 |
 * | core resource not served           | error (not a Kubernetes API server)                            |
 * | 403 Forbidden                      | warning naming the missing permission + a caveat on answers    |
 * | 410 Gone on a continue token       | the resource is listed again from the start (at most 3 times)  |
 * | any other failure                  | LiveError: one line, exit 2                                    |
 */
import type { LiveClient } from './client.js';
import { LiveError } from './client.js';
import { LIVE_RESOURCES, rbacName, type LiveResource } from './resources.js';

export const PAGE_LIMIT = 500;
const CONCURRENCY = 4;
const RESTARTS = 3;

/** One resource as discovery found it. */
export interface ServedResource {
  readonly spec: LiveResource;
  /** `networking.k8s.io/v1`, or `v1` for the core group. */
  readonly apiVersion: string;
}

export interface ListedResource extends ServedResource {
  readonly count: number;
  /** The list's resourceVersion: where a watch of this resource starts. */
  readonly resourceVersion: string;
}

export type KubeObject = Record<string, unknown>;

export interface LiveListing {
  /** Every object, resources in LIVE_RESOURCES order, each resource in the server's order. */
  readonly objects: KubeObject[];
  readonly listed: ListedResource[];
  /** One line per resource that could not be read (403), for stderr. */
  readonly warnings: string[];
  /** What every answer must say because of those. */
  readonly caveats: string[];
}

export interface ListOptions {
  /** Limit namespaced resources to this namespace; undefined: all namespaces. */
  readonly namespace?: string;
  readonly pageLimit?: number;
  /** Called after every page with the running count per kind (for progress on a terminal). */
  readonly onProgress?: (counts: ReadonlyMap<string, number>) => void;
}

/** The resources this server serves, in LIVE_RESOURCES order. */
export async function discover(client: LiveClient): Promise<ServedResource[]> {
  const coreList = (await client.getJson('/api/v1')) as { resources?: { name?: string }[] };
  const coreNames = new Set((coreList.resources ?? []).map((r) => r.name));
  const groups = (await client.getJson('/apis')) as { groups?: { name?: string; versions?: { version?: string }[] }[] };
  const servedVersions = new Map<string, Set<string>>();
  for (const g of groups.groups ?? []) {
    if (typeof g.name === 'string') servedVersions.set(g.name, new Set((g.versions ?? []).map((v) => v.version ?? '')));
  }
  const wanted = new Map<string, Promise<Set<string> | null>>();
  const resourcesOf = (gv: string): Promise<Set<string> | null> => {
    let p = wanted.get(gv);
    if (p === undefined) {
      p = client.getJson(`/apis/${gv}`).then(
        (l) => new Set(((l as { resources?: { name?: string }[] }).resources ?? []).map((r) => r.name ?? '')),
        (e: unknown) => {
          // a group listed in /apis whose version vanished (an aggregated API that is down) is not served
          if (e instanceof LiveError && (e.status === 404 || e.status === 503)) return null;
          throw e;
        },
      );
      wanted.set(gv, p);
    }
    return p;
  };
  const out: ServedResource[] = [];
  for (const spec of LIVE_RESOURCES) {
    if (spec.group === '') {
      if (!coreNames.has(spec.resource)) {
        if (spec.required) throw new LiveError(`${client.where()} does not serve ${spec.resource} in /api/v1: is it a Kubernetes API server?`);
        continue;
      }
      out.push({ spec, apiVersion: 'v1' });
      continue;
    }
    const versions = servedVersions.get(spec.group);
    if (versions === undefined) continue;
    for (const v of spec.versions) {
      if (!versions.has(v)) continue;
      const names = await resourcesOf(`${spec.group}/${v}`);
      if (names?.has(spec.resource)) {
        out.push({ spec, apiVersion: `${spec.group}/${v}` });
        break;
      }
    }
  }
  return out;
}

/** The REST path of a resource's list, limited to `namespace` when it is namespaced and one is given. */
export function listPath(r: ServedResource, namespace: string | undefined): string {
  const base = r.spec.group === '' ? '/api/v1' : `/apis/${r.apiVersion}`;
  const ns = r.spec.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.spec.resource}`;
}

export function forbiddenWarning(r: ServedResource, namespace: string | undefined): string {
  const scope = !r.spec.namespaced ? 'at the cluster scope' : namespace === undefined ? 'in all namespaces' : `in namespace ${namespace}`;
  return `cannot list ${r.spec.resource} ${scope}: add "list" on ${rbacName(r.spec)}`;
}

export function forbiddenCaveat(r: ServedResource): string {
  const what =
    r.spec.purpose === 'name-unmodelled'
      ? `whether the cluster has ${r.spec.kind} objects (which kubereach does not model) is unknown`
      : 'answers are computed without them';
  return `${rbacName(r.spec)} could not be read (403 Forbidden): ${what}`;
}

interface Page {
  readonly items?: unknown[];
  readonly metadata?: { continue?: string; resourceVersion?: string };
}

export async function listAll(
  client: LiveClient,
  r: ServedResource,
  opts: ListOptions,
  onPage: (n: number) => void = () => {},
): Promise<{ items: KubeObject[]; resourceVersion: string }> {
  const limit = opts.pageLimit ?? PAGE_LIMIT;
  const path = listPath(r, opts.namespace);
  for (let attempt = 0; ; attempt++) {
    const items: KubeObject[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    try {
      do {
        const q = new URLSearchParams({ limit: String(limit) });
        if (token !== undefined) q.set('continue', token);
        const page = (await client.getJson(`${path}?${q.toString()}`)) as Page;
        for (const it of page.items ?? []) {
          if (typeof it !== 'object' || it === null || Array.isArray(it)) continue;
          items.push(normalise(it as KubeObject, r));
        }
        onPage(items.length);
        resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
        token = page.metadata?.continue || undefined;
      } while (token !== undefined);
      return { items, resourceVersion };
    } catch (e) {
      // the continue token expired (the list took longer than etcd keeps its snapshot): start over
      if (e instanceof LiveError && e.status === 410 && token !== undefined && attempt < RESTARTS) continue;
      throw e;
    }
  }
}

/** A list item as a standalone object: apiVersion and kind first, managedFields left out. */
export function normalise(item: KubeObject, r: ServedResource): KubeObject {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = item;
  let meta = metadata;
  if (typeof metadata === 'object' && metadata !== null && 'managedFields' in metadata) {
    const { managedFields: _m, ...m } = metadata as Record<string, unknown>;
    meta = m;
  }
  return { apiVersion: r.apiVersion, kind: r.spec.kind, metadata: meta, ...rest };
}

/** Lists every served resource, a few at a time. */
export async function listCluster(client: LiveClient, served: readonly ServedResource[], opts: ListOptions = {}): Promise<LiveListing> {
  const results: ({ items: KubeObject[]; resourceVersion: string } | 'forbidden')[] = new Array(served.length);
  const counts = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < served.length) {
      const i = next++;
      const r = served[i]!;
      try {
        results[i] = await listAll(client, r, opts, (n) => {
          counts.set(r.spec.resource, n);
          opts.onProgress?.(counts);
        });
      } catch (e) {
        if (e instanceof LiveError && e.status === 403) results[i] = 'forbidden';
        else throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, served.length) }, worker));
  const objects: KubeObject[] = [];
  const listed: ListedResource[] = [];
  const warnings: string[] = [];
  const caveats: string[] = [];
  for (const [i, r] of served.entries()) {
    const res = results[i]!;
    if (res === 'forbidden') {
      warnings.push(forbiddenWarning(r, opts.namespace));
      caveats.push(forbiddenCaveat(r));
      continue;
    }
    for (const o of res.items) objects.push(o);
    listed.push({ ...r, count: res.items.length, resourceVersion: res.resourceVersion });
  }
  if (opts.namespace !== undefined) {
    caveats.push(`only namespace ${opts.namespace} was read (-n): pods, workloads and policies of other namespaces are not in the answers`);
  }
  return { objects, listed, warnings, caveats };
}

/** The objects as one `kind: List` (JSON, 2-space indent): the live source and the snapshot's text. */
export function listText(objects: readonly KubeObject[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: {}, items: objects }, null, 2)}\n`;
}
