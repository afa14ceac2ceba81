/**
 * What a live read lists: every kind the model or the audit reads, and the policy kinds of other
 * CNIs and meshes, which kubereach does not model but must name when a cluster has them (an answer
 * that ignored a CiliumNetworkPolicy silently would be wrong). Versions are in preference order;
 * discovery picks the first one the server serves. A group the server does not serve (a CRD that is
 * not installed) is skipped without a word.
 */

export interface LiveResource {
  readonly group: string;
  /** Versions in preference order. */
  readonly versions: readonly string[];
  /** The plural resource name of the REST path. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** True when the resource must be served (a core kind): its absence is an error, not a skip. */
  readonly required: boolean;
  /** Why kubereach reads it (for --verbose and the RBAC role). */
  readonly purpose: 'model' | 'audit' | 'name-unmodelled';
}

const core = (resource: string, kind: string, namespaced: boolean, purpose: LiveResource['purpose'] = 'model'): LiveResource => ({
  group: '',
  versions: ['v1'],
  resource,
  kind,
  namespaced,
  required: true,
  purpose,
});

export const LIVE_RESOURCES: readonly LiveResource[] = [
  core('namespaces', 'Namespace', false),
  core('nodes', 'Node', false),
  core('pods', 'Pod', true),
  core('services', 'Service', true),
  core('replicationcontrollers', 'ReplicationController', true),
  core('limitranges', 'LimitRange', true, 'audit'),
  core('resourcequotas', 'ResourceQuota', true, 'audit'),
  { group: 'discovery.k8s.io', versions: ['v1'], resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true, required: false, purpose: 'model' },
  { group: 'apps', versions: ['v1'], resource: 'deployments', kind: 'Deployment', namespaced: true, required: false, purpose: 'model' },
  { group: 'apps', versions: ['v1'], resource: 'replicasets', kind: 'ReplicaSet', namespaced: true, required: false, purpose: 'model' },
  { group: 'apps', versions: ['v1'], resource: 'statefulsets', kind: 'StatefulSet', namespaced: true, required: false, purpose: 'model' },
  { group: 'apps', versions: ['v1'], resource: 'daemonsets', kind: 'DaemonSet', namespaced: true, required: false, purpose: 'model' },
  { group: 'batch', versions: ['v1'], resource: 'jobs', kind: 'Job', namespaced: true, required: false, purpose: 'model' },
  { group: 'batch', versions: ['v1', 'v1beta1'], resource: 'cronjobs', kind: 'CronJob', namespaced: true, required: false, purpose: 'model' },
  { group: 'networking.k8s.io', versions: ['v1'], resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, required: false, purpose: 'model' },
  {
    group: 'policy.networking.k8s.io',
    versions: ['v1alpha2'],
    resource: 'clusternetworkpolicies',
    kind: 'ClusterNetworkPolicy',
    namespaced: false,
    required: false,
    purpose: 'model',
  },
  {
    group: 'policy.networking.k8s.io',
    versions: ['v1alpha1'],
    resource: 'adminnetworkpolicies',
    kind: 'AdminNetworkPolicy',
    namespaced: false,
    required: false,
    purpose: 'model',
  },
  {
    group: 'policy.networking.k8s.io',
    versions: ['v1alpha1'],
    resource: 'baselineadminnetworkpolicies',
    kind: 'BaselineAdminNetworkPolicy',
    namespaced: false,
    required: false,
    purpose: 'model',
  },
  { group: 'cilium.io', versions: ['v2'], resource: 'ciliumnetworkpolicies', kind: 'CiliumNetworkPolicy', namespaced: true, required: false, purpose: 'model' },
  {
    group: 'cilium.io',
    versions: ['v2'],
    resource: 'ciliumclusterwidenetworkpolicies',
    kind: 'CiliumClusterwideNetworkPolicy',
    namespaced: false,
    required: false,
    purpose: 'model',
  },
  {
    group: 'cilium.io',
    versions: ['v2', 'v2alpha1'],
    resource: 'ciliumcidrgroups',
    kind: 'CiliumCIDRGroup',
    namespaced: false,
    required: false,
    purpose: 'model',
  },
  {
    group: 'crd.projectcalico.org',
    versions: ['v1'],
    resource: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
    required: false,
    purpose: 'name-unmodelled',
  },
  {
    group: 'crd.projectcalico.org',
    versions: ['v1'],
    resource: 'globalnetworkpolicies',
    kind: 'GlobalNetworkPolicy',
    namespaced: false,
    required: false,
    purpose: 'name-unmodelled',
  },
  {
    group: 'security.istio.io',
    versions: ['v1', 'v1beta1'],
    resource: 'authorizationpolicies',
    kind: 'AuthorizationPolicy',
    namespaced: true,
    required: false,
    purpose: 'name-unmodelled',
  },
];

/** `networking.k8s.io/networkpolicies`, or `pods` for the core group: how RBAC rules name a resource. */
export function rbacName(r: Pick<LiveResource, 'group' | 'resource'>): string {
  return r.group === '' ? r.resource : `${r.group}/${r.resource}`;
}
