/**
 * The Calico variant of a generated cluster (`calico: fraction`): that fraction of the NetworkPolicies
 * (every k-th, deterministic) is rewritten as the equivalent projectcalico.org/v3 NetworkPolicy, and
 * two tiers are added the way Calico's tiered-policy guide lays them out: `security` (order 100: a
 * GlobalNetworkPolicy denying the metadata service and passing the rest) and `platform` (order 200,
 * defaultAction Pass: a GlobalNetworkPolicy allowing DNS to kube-dns). The rewrite keeps each
 * policy's meaning (Allow rules, the default tier's end denying what they do not allow), so the
 * benchmark measures the evaluation model, not a different cluster.
 */
import type { IPBlockJson, K8sObject, LabelSelectorJson, NetworkPolicyJson, PeerJson, PolicyPortJson } from './types.js';

function quote(v: string): string {
  return `'${v}'`;
}

/** A metav1.LabelSelector as a Calico selector (matchLabels and the four operators). */
export function selectorText(s: LabelSelectorJson | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(s?.matchLabels ?? {})) parts.push(`${k} == ${quote(v)}`);
  for (const r of s?.matchExpressions ?? []) {
    const vals = (r.values ?? []).map(quote).join(', ');
    if (r.operator === 'In') parts.push(`${r.key} in {${vals}}`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} not in {${vals}}`);
    else if (r.operator === 'Exists') parts.push(`has(${r.key})`);
    else parts.push(`!has(${r.key})`);
  }
  return parts.length === 0 ? 'all()' : parts.join(' && ');
}

function entity(peer: PeerJson): Record<string, unknown> {
  if (peer.ipBlock !== undefined) return ipEntity(peer.ipBlock);
  const out: Record<string, unknown> = {};
  if (peer.podSelector !== undefined) out['selector'] = selectorText(peer.podSelector);
  if (peer.namespaceSelector !== undefined) out['namespaceSelector'] = selectorText(peer.namespaceSelector);
  // a pods peer without podSelector means every pod of the selected (or own) namespace
  if (peer.podSelector === undefined) out['selector'] = 'all()';
  return out;
}

function ipEntity(b: IPBlockJson): Record<string, unknown> {
  return b.except === undefined ? { nets: [b.cidr] } : { nets: [b.cidr], notNets: b.except };
}

/** Calico rules for one NetworkPolicy rule: one per (peer, protocol) pair, all Allow. */
function rules(peers: PeerJson[] | undefined, ports: PolicyPortJson[] | undefined, side: 'source' | 'destination'): Record<string, unknown>[] {
  const ents = peers === undefined || peers.length === 0 ? [{}] : peers.map(entity);
  const out: Record<string, unknown>[] = [];
  for (const e of ents) {
    if (ports === undefined || ports.length === 0) {
      out.push({ action: 'Allow', [side]: e });
      continue;
    }
    const byProto = new Map<string, (number | string)[]>();
    for (const p of ports) {
      const list = byProto.get(p.protocol) ?? byProto.set(p.protocol, []).get(p.protocol)!;
      if (p.port === undefined) list.push('1:65535');
      else if (p.endPort !== undefined) list.push(`${p.port}:${p.endPort}`);
      else list.push(p.port);
    }
    for (const [protocol, list] of byProto) {
      const dest = side === 'destination' ? { ...e, ports: list } : { ports: list };
      out.push(side === 'destination' ? { action: 'Allow', protocol, destination: dest } : { action: 'Allow', protocol, source: e, destination: dest });
    }
  }
  return out;
}

function toCalico(np: NetworkPolicyJson): K8sObject {
  const spec: Record<string, unknown> = {
    order: 1000,
    selector: selectorText(np.spec.podSelector),
    types: np.spec.policyTypes,
  };
  if (np.spec.policyTypes.includes('Ingress')) spec['ingress'] = (np.spec.ingress ?? []).flatMap((r) => rules(r.from, r.ports, 'source'));
  if (np.spec.policyTypes.includes('Egress')) spec['egress'] = (np.spec.egress ?? []).flatMap((r) => rules(r.to, r.ports, 'destination'));
  return { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { ...np.metadata, name: `calico-${np.metadata.name}` }, spec };
}

function meta(name: string): K8sObject['metadata'] {
  return { name, creationTimestamp: '2024-01-01T00:00:00Z', resourceVersion: '1', uid: `calico-${name}` };
}

/** The tiers and their global policies. */
function tiers(): K8sObject[] {
  return [
    { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: meta('security'), spec: { order: 100 } },
    { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: meta('platform'), spec: { order: 200, defaultAction: 'Pass' } },
    {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: meta('deny-metadata'),
      spec: {
        tier: 'security',
        order: 10,
        selector: 'all()',
        types: ['Egress'],
        egress: [{ action: 'Deny', destination: { nets: ['169.254.169.254/32'] } }, { action: 'Pass' }],
      },
    },
    {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: meta('allow-dns'),
      spec: {
        tier: 'platform',
        order: 10,
        selector: 'all()',
        types: ['Egress'],
        egress: [
          {
            action: 'Allow',
            protocol: 'UDP',
            destination: { selector: "k8s-app == 'kube-dns'", namespaceSelector: "projectcalico.org/name == 'kube-system'", ports: [53] },
          },
        ],
      },
    },
  ];
}

/**
 * Rewrites every k-th NetworkPolicy (k = round(1 / fraction)) as a Calico NetworkPolicy and adds the
 * tiers; `objects` is changed in place (policies replaced where they stand). Returns how many were
 * rewritten.
 */
export function applyCalico(objects: K8sObject[], fraction: number): number {
  if (fraction <= 0) return 0;
  const every = Math.max(1, Math.round(1 / fraction));
  let seen = 0;
  let rewritten = 0;
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i]!;
    if (o.kind !== 'NetworkPolicy' || o.apiVersion !== 'networking.k8s.io/v1') continue;
    if (seen++ % every !== 0) continue;
    objects[i] = toCalico(o as NetworkPolicyJson);
    rewritten++;
  }
  objects.push(...tiers());
  return rewritten;
}
