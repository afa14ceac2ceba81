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
