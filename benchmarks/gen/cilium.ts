/**
 * Cilium variant of a generated cluster: a share of its NetworkPolicies rewritten as
 * CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies with the same selectors, peers and
 * ports (every 4th rewritten one turns its rules into denies), so a benchmark can compare a mixed
 * cluster with the NetworkPolicy-only one of the same size. Deterministic: policy i is rewritten
 * when i % round(100 / percent) === 0.
 */
import type { K8sObject, LabelSelectorJson, NetworkPolicyJson, PeerJson, PolicyPortJson } from './types.js';

type Json = Record<string, unknown>;

function endpointSelector(sel: LabelSelectorJson | undefined, ns: string | null): Json {
  const out: Json = { ...(sel ?? {}) };
  if (ns !== null) out['matchLabels'] = { ...(sel?.matchLabels ?? {}), 'k8s:io.kubernetes.pod.namespace': ns };
  return out;
}

function peers(list: PeerJson[] | undefined, dir: 'from' | 'to', ns: string): Json {
  if (list === undefined || list.length === 0) return { [`${dir}Entities`]: ['all'] };
  const endpoints: Json[] = [];
  const cidrs: Json[] = [];
  for (const p of list) {
    if (p.ipBlock !== undefined) {
      cidrs.push({ cidr: p.ipBlock.cidr, ...(p.ipBlock.except === undefined ? {} : { except: p.ipBlock.except }) });
      continue;
    }
    const sel: Json = { ...(p.podSelector ?? {}) };
    const labels: Record<string, string> = { ...(p.podSelector?.matchLabels ?? {}) };
    const exprs = [...(p.podSelector?.matchExpressions ?? [])];
    if (p.namespaceSelector === undefined) labels['k8s:io.kubernetes.pod.namespace'] = ns;
    else {
      for (const [k, v] of Object.entries(p.namespaceSelector.matchLabels ?? {})) labels[`io.cilium.k8s.namespace.labels.${k}`] = v;
      for (const e of p.namespaceSelector.matchExpressions ?? []) exprs.push({ ...e, key: `io.cilium.k8s.namespace.labels.${e.key}` });
    }
    if (Object.keys(labels).length > 0) sel['matchLabels'] = labels;
    if (exprs.length > 0) sel['matchExpressions'] = exprs;
    endpoints.push(sel);
  }
  const out: Json = {};
  if (endpoints.length > 0) out[`${dir}Endpoints`] = endpoints;
  if (cidrs.length > 0) out[`${dir}CIDRSet`] = cidrs;
  return out;
}

function toPorts(ports: PolicyPortJson[] | undefined): Json {
  if (ports === undefined || ports.length === 0) return {};
  return {
    toPorts: [
      {
        ports: ports.map((p) => ({
          port: p.port === undefined ? '0' : String(p.port),
          protocol: p.protocol ?? 'TCP',
          ...(p.endPort === undefined ? {} : { endPort: p.endPort }),
        })),
      },
    ],
  };
}

export function toCilium(np: NetworkPolicyJson, clusterwide: boolean, deny: boolean): K8sObject {
  const ns = np.metadata.namespace!;
  const spec: Json = { endpointSelector: endpointSelector(np.spec.podSelector as LabelSelectorJson | undefined, clusterwide ? ns : null) };
  const types = (np.spec as { policyTypes?: string[] }).policyTypes ?? ['Ingress', ...(np.spec.egress !== undefined ? ['Egress'] : [])];
  if (types.includes('Ingress'))
    spec[deny ? 'ingressDeny' : 'ingress'] = (np.spec.ingress ?? []).map((r) => ({ ...peers(r.from, 'from', ns), ...toPorts(r.ports) }));
  if (types.includes('Egress')) spec[deny ? 'egressDeny' : 'egress'] = (np.spec.egress ?? []).map((r) => ({ ...peers(r.to, 'to', ns), ...toPorts(r.ports) }));
  return {
    apiVersion: 'cilium.io/v2',
    kind: clusterwide ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy',
    metadata: clusterwide ? { name: `${ns}-${np.metadata.name}` } : { name: np.metadata.name, namespace: ns },
    spec,
  } as K8sObject;
}

/** The objects with `percent`% of the NetworkPolicies rewritten as Cilium policies (half of them clusterwide). */
export function withCiliumPolicies(objects: readonly K8sObject[], percent: number): K8sObject[] {
  const every = Math.max(1, Math.round(100 / percent));
  let i = 0;
  let converted = 0;
  return objects.map((o) => {
    if (o.kind !== 'NetworkPolicy') return o;
    if (i++ % every !== 0) return o;
    const n = converted++;
    return toCilium(o as NetworkPolicyJson, n % 2 === 1, n % 4 === 3);
  });
}
