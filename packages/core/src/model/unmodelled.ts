/**
 * Policy kinds of CNIs, meshes and clouds that change real reachability but that kubereach does not
 * simulate. Objects of these kinds are never dropped quietly: every command names them (a warning,
 * and a `caveats` entry in machine-readable outputs), and `--strict` makes them an error.
 *
 * Keyed by API group, because a kind name alone is ambiguous (Calico's and Antrea's `NetworkPolicy`
 * are not the Kubernetes one). A kind leaves this table the day a compiler for it lands.
 */

/**
 * Calico's kinds that stay unmodelled, under both of its groups: the rest are modelled
 * (model/calico); host protection is out of scope.
 */
const CALICO: readonly string[] = ['HostEndpoint'];

/** Group -> the kinds of that group that decide traffic. */
const UNMODELLED: Readonly<Record<string, readonly string[]>> = {
  // CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy and CiliumCIDRGroup are modelled (model/cilium);
  // these change where traffic goes or what the proxy lets through, which no answer here accounts for
  'cilium.io': ['CiliumEnvoyConfig', 'CiliumClusterwideEnvoyConfig', 'CiliumLocalRedirectPolicy'],
  'projectcalico.org': CALICO,
  // how the same kinds appear in `kubectl get` dumps (Calico's CRDs behind its API server)
  'crd.projectcalico.org': CALICO,
  'crd.antrea.io': ['NetworkPolicy', 'ClusterNetworkPolicy', 'Tier', 'ClusterGroup', 'Group'],
  'k8s.ovn.org': ['EgressFirewall'],
  'k8s.cni.cncf.io': ['MultiNetworkPolicy'],
  'security.istio.io': ['AuthorizationPolicy', 'PeerAuthentication'],
  'policy.linkerd.io': ['AuthorizationPolicy', 'Server', 'ServerAuthorization', 'NetworkAuthentication', 'MeshTLSAuthentication'],
  'vpcresources.k8s.aws': ['SecurityGroupPolicy'],
  'network.openshift.io': ['EgressNetworkPolicy'],
};

/** The API group of an apiVersion (`''` for the core group). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether an object of this kind and apiVersion is a traffic policy kubereach does not simulate. */
export function isUnmodelledPolicy(kind: string, apiVersion: string): boolean {
  const kinds = UNMODELLED[apiGroup(apiVersion)];
  return kinds !== undefined && kinds.includes(kind);
}
