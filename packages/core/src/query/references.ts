/**
 * Endpoint references as people type them -> index entities, with kubectl's habits (the CLI and the
 * playground read names the same way). The forms, tried in this order:
 *
 * | form                         | meaning                                                            |
 * |------------------------------|--------------------------------------------------------------------|
 * | `ns/name[Kind]`, `ns/name`   | an endpoint id, or a pod/workload by namespace and name             |
 * | an IPv4/IPv6 address         | the pod with that IP, else the external range holding it           |
 * | `TYPE/name`                  | kubectl's form (`deploy/web`, `sts/db`, `pod/x`), in the -n namespace |
 * | `name`                       | a pod or workload of the -n namespace                               |
 * | `ns/pod-name`                | a Pod folded into its workload (`db/cass-0`): that workload, said so |
 *
 * A miss suggests the nearest names by edit distance (`shop/webb` -> `shop/web`).
 */
import { NotFoundError } from '../errors.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { parseIP } from '../net/ip.js';

/** kubectl's resource names and short names of the kinds that are endpoints, lower case. */
export const TYPE_ALIASES: Readonly<Record<string, string>> = {
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  rs: 'ReplicaSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  job: 'Job',
  jobs: 'Job',
  cronjob: 'CronJob',
  cronjobs: 'CronJob',
  cj: 'CronJob',
  replicationcontroller: 'ReplicationController',
  replicationcontrollers: 'ReplicationController',
  rc: 'ReplicationController',
};

/** Kinds written in brackets, any case: `shop/web[deployment]`. */
const KINDS = new Map(Object.values(TYPE_ALIASES).map((k) => [k.toLowerCase(), k]));

/** How to resolve a reference: the default namespace, and where to collect notes about the resolution. */
export interface ResolveOptions {
  /** The -n namespace, for references that name none. */
  readonly namespace?: string;
  /** Notes about how the reference was read (a folded pod, an address), for the caller to print. */
  readonly notes?: string[];
}

function tryResolve(index: ReachabilityIndex, ref: string): IndexEntity | null {
  try {
    return index.resolve(ref);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

type Endpoint = Extract<IndexEntity, { kind: 'endpoint' }>;

function endpoints(index: ReachabilityIndex): Endpoint[] {
  return index.entities.filter((e): e is Endpoint => e.kind === 'endpoint');
}

/** The endpoint a Pod of this name was folded into (its pod objects, or a StatefulSet's ordinals). */
function foldedPod(index: ReachabilityIndex, ns: string, name: string): Endpoint | null {
  for (const e of endpoints(index)) {
    if (e.endpoint.namespace !== ns) continue;
    if (e.endpoint.pods?.some((p) => p.name === name)) return e;
    // StatefulSet pods are named <set>-<ordinal>, ordinals 0 .. replicas-1
    if (e.endpoint.kind === 'StatefulSet' && name.startsWith(`${e.endpoint.name}-`)) {
      const ordinal = name.slice(e.endpoint.name.length + 1);
      if (/^(0|[1-9]\d*)$/.test(ordinal) && Number(ordinal) < Math.max(e.endpoint.replicas ?? 1, e.endpoint.podCount)) return e;
    }
  }
  return null;
}

/** Levenshtein distance, early exit past `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Up to five endpoint ids near a missed `ns/name`: by edit distance, then by substring. */
export function nearestEndpoints(index: ReachabilityIndex, wanted: string): string[] {
  const w = wanted.toLowerCase();
  const max = Math.max(2, Math.floor(w.length / 4));
  const scored: { id: string; d: number }[] = [];
  for (const e of endpoints(index)) {
    const short = `${e.endpoint.namespace}/${e.endpoint.name}`.toLowerCase();
    const d = editDistance(w, short, max);
    if (d <= max) scored.push({ id: e.id, d });
    else if (w.includes('/') ? short.includes(w.split('/')[1]!) && w.split('/')[1]!.length >= 3 : short.endsWith(`/${w}`))
      scored.push({ id: e.id, d: max + 1 });
  }
  return scored
    .sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1))
    .slice(0, 5)
    .map((s) => s.id);
}

/**
 * Reads a reference in every form of the table above; null when nothing matches (see
 * `suggestReference`). Ambiguous names throw AmbiguousError with the candidates. How the reference was
 * read (a folded pod, an address) goes to `opts.notes`.
 */
export function resolveReference(index: ReachabilityIndex, ref: string, opts: ResolveOptions = {}): IndexEntity | null {
  const ns = opts.namespace ?? 'default';
  // ns/name[kind] with the kind in any case
  const bracket = /^([^/\s]+)\/([^/\s[]+)\[([A-Za-z]+)\]$/.exec(ref);
  if (bracket !== null) {
    const kind = KINDS.get(bracket[3]!.toLowerCase()) ?? bracket[3]!;
    return tryResolve(index, `${bracket[1]}/${bracket[2]}[${kind}]`);
  }
  const direct = tryResolve(index, ref);
  if (direct !== null) {
    if (parseIP(ref) !== null) {
      opts.notes?.push(
        direct.kind === 'endpoint'
          ? `${ref.trim()} is an address of ${direct.id}`
          : `${ref.trim()} is outside the cluster's pods: the answer is for the external range ${direct.id}`,
      );
    }
    return direct;
  }
  const parts = ref.split('/');
  if (parts.length === 2) {
    const kind = TYPE_ALIASES[parts[0]!.toLowerCase()];
    if (kind !== undefined) {
      const byKind = tryResolve(index, `${ns}/${parts[1]}[${kind}]`);
      if (byKind !== null) return byKind;
      // a ReplicaSet or Job folded into its Deployment or CronJob, or a Pod folded into its workload
      const any = tryResolve(index, `${ns}/${parts[1]}`);
      if (any !== null && any.kind === 'endpoint' && kind !== 'Pod') {
        opts.notes?.push(`${ref} is listed as ${any.id}`);
        return any;
      }
      if (kind === 'Pod') return foldedPodNoted(index, ns, parts[1]!, opts);
      return null;
    }
    return foldedPodNoted(index, parts[0]!, parts[1]!, opts);
  }
  if (parts.length === 1 && parseIP(ref) === null) {
    const inNs = tryResolve(index, `${ns}/${ref}`);
    if (inNs !== null) return inNs;
    return foldedPodNoted(index, ns, ref, opts);
  }
  return null;
}

function foldedPodNoted(index: ReachabilityIndex, ns: string, name: string, opts: ResolveOptions): IndexEntity | null {
  const owner = foldedPod(index, ns, name);
  if (owner === null) return null;
  opts.notes?.push(`${ns}/${name} is a pod of ${owner.id}; the answer is for that workload (no selector tells its pods apart)`);
  return owner;
}
