/**
 * Which objects the model interprets. A kind counts only in its own API group, so a Calico
 * `projectcalico.org/v3 NetworkPolicy` or a CRD that reuses a name goes to `others`, not the model.
 * Older group versions (extensions/v1beta1, apps/v1beta2) are accepted: their fields are the same.
 */

export type ModelledKind =
  | 'Namespace'
  | 'Node'
  | 'Service'
  | 'Pod'
  | 'ReplicationController'
  | 'Deployment'
  | 'ReplicaSet'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'Job'
  | 'CronJob'
  | 'NetworkPolicy';

const GROUPS: Readonly<Record<ModelledKind, readonly string[]>> = {
  Namespace: [''],
  Node: [''],
  Service: [''],
  Pod: [''],
  ReplicationController: [''],
  Deployment: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  DaemonSet: ['apps', 'extensions'],
  Job: ['batch'],
  CronJob: ['batch'],
  NetworkPolicy: ['networking.k8s.io', 'extensions'],
};

/** The modelled kind of an object, or null when it belongs in `others`. */
export function modelledKind(kind: string, apiVersion: string): ModelledKind | null {
  if (!Object.prototype.hasOwnProperty.call(GROUPS, kind)) return null;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  return GROUPS[kind as ModelledKind].includes(group) ? (kind as ModelledKind) : null;
}

/** Kinds that have no namespace. */
export function isClusterScoped(kind: ModelledKind): boolean {
  return kind === 'Namespace' || kind === 'Node';
}

/** Versions each group serves (or served: old manifests still load), per kind where they differ. */
const SERVED: Readonly<Record<string, readonly string[]>> = {
  '': ['v1'],
  apps: ['v1', 'v1beta1', 'v1beta2'],
  extensions: ['v1beta1'],
  batch: ['v1', 'v1beta1', 'v2alpha1'],
  'networking.k8s.io': ['v1'],
};

/** Whether the apiVersion of a modelled kind names a version its group serves. */
export function servedVersion(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return SERVED[group]?.includes(version) ?? false;
}

/** The apiVersion to write for a modelled kind (its group's current version). */
export function preferredApiVersion(kind: ModelledKind): string {
  const group = GROUPS[kind][0]!;
  return group === '' ? 'v1' : `${group}/v1`;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Groups where a modelled kind's near miss is a typo rather than somebody's CRD: the core group,
 * Kubernetes' own groups (no dot, or *.k8s.io), and groups a few edits from a modelled one.
 */
function kubernetesLike(group: string): boolean {
  if (group === '' || !group.includes('.') || group.endsWith('.k8s.io')) return true;
  return Object.values(GROUPS).some((gs) => gs.some((g) => g !== '' && distance(group, g) <= 3));
}

/**
 * A kind/apiVersion that is not modelled but is near a modelled one: `kind: Networkpolicy`,
 * `apiVersion: networking/v1` (or `v1`, `apps/v1`) with `kind: NetworkPolicy`. Such an object would
 * otherwise be kept aside silently and its policy never applied. Returns the kind meant, or null
 * (a kind of its own, such as a CRD in another domain or another CNI's NetworkPolicy).
 */
export function nearModelledKind(kind: string, apiVersion: string, isOtherCnis: (kind: string, apiVersion: string) => boolean): ModelledKind | null {
  if (isOtherCnis(kind, apiVersion)) return null;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  if (!kubernetesLike(group)) return null;
  for (const k of Object.keys(GROUPS) as ModelledKind[]) {
    if (k === kind) return k; // the kind is right; its group is not one that serves it
    if (k.toLowerCase() === kind.toLowerCase()) return k;
    if (kind.length > 4 && distance(kind, k) <= 2) return k;
  }
  return null;
}
