/**
 * The admin part of a generated cluster as a compact listing, for property-test failure messages
 * (describe.ts prints the rest): one line per Node, per admin policy and per rule, and the oracle's
 * decision chain in the `[Tier kind/name priority N rule I] Action -> ...` shape explanations print.
 */
import type { AdminPeer, AdminPolicy, AdminPort, AdminSubject } from '../../packages/core/src/model/admin/types.js';
import type { Cluster, LabelSelector } from '../../packages/core/src/model/types.js';
import type { AdminStep, SideDecision } from './admin-evaluator.js';
import { describeCluster } from './describe.js';

function sel(s: LabelSelector): string {
  const parts = Object.entries(s.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions) parts.push(`${e.key} ${e.operator}${e.values.length > 0 ? ` (${e.values.join(',')})` : ''}`);
  return `{${parts.join(', ')}}`;
}

function subject(s: AdminSubject): string {
  return s.kind === 'namespaces' ? `namespaces ${sel(s.namespaceSelector)}` : `pods ns=${sel(s.namespaceSelector)} pod=${sel(s.podSelector)}`;
}

function peer(p: AdminPeer): string {
  switch (p.kind) {
    case 'namespaces':
      return `namespaces ${sel(p.namespaceSelector)}`;
    case 'pods':
      return `pods ns=${sel(p.namespaceSelector)} pod=${sel(p.podSelector)}`;
    case 'nodes':
      return `nodes ${sel(p.nodeSelector)}`;
    case 'networks':
      return `networks ${p.cidrs.map((c) => c.text).join(',')}`;
    case 'domainNames':
      return `domainNames ${p.names.join(',')}`;
    default: {
      const _x: never = p;
      return String(_x);
    }
  }
}

function port(p: AdminPort): string {
  switch (p.kind) {
    case 'number':
      return `${p.protocol} ${p.port}`;
    case 'range':
      return `${p.protocol} ${p.start}-${p.end}`;
    case 'named':
      return `named ${p.name}`;
    default: {
      const _x: never = p;
      return String(_x);
    }
  }
}

const PREFIX: Record<AdminPolicy['sourceKind'], string> = {
  ClusterNetworkPolicy: 'cnp',
  AdminNetworkPolicy: 'anp',
  BaselineAdminNetworkPolicy: 'banp',
};

/** `kind/name` as the engine's explanations name an admin policy (compile/admin-policy.ts). */
export function adminName(p: AdminPolicy): string {
  return `${PREFIX[p.sourceKind]}/${p.name}`;
}

export function describeAdminCluster(cluster: Cluster): string {
  const out = [describeCluster(cluster)];
  const hosts = cluster.endpoints.filter((e) => e.hostNetwork).map((e) => e.id);
  if (hosts.length > 0) out.push(`hostNetwork: ${hosts.join(' ')}`);
  out.push('nodes:');
  for (const n of cluster.nodes) out.push(`  ${n.name} ${JSON.stringify(n.labels)} ${n.addresses.map((a) => a.address).join(' ')}`);
  out.push('admin policies:');
  for (const p of cluster.adminPolicies ?? []) {
    out.push(`  [${p.tier} ${adminName(p)} priority ${p.priority}] subject ${subject(p.subject)}`);
    for (const [dir, rules] of [
      ['ingress', p.ingress],
      ['egress ', p.egress],
    ] as const) {
      for (const r of rules) {
        const ports = r.ports === null ? 'any port' : r.ports.map(port).join(', ');
        out.push(`    ${dir} #${r.index} ${r.action} ${r.peers.map(peer).join(' | ')} ; ${ports}`);
      }
    }
  }
  return out.join('\n');
}

function step(s: AdminStep): string {
  switch (s.kind) {
    case 'rule':
      return `[${s.tier} ${adminName(s.policy)} priority ${s.policy.priority} rule ${s.rule.index}] ${s.rule.action}`;
    case 'networkPolicy':
      return `[NetworkPolicy] ${s.allowed ? 'Allow' : 'Deny'}`;
    case 'default':
      return 'default Allow';
    default: {
      const _x: never = s;
      return String(_x);
    }
  }
}

/** The oracle's chain for one side, e.g. `[Admin cnp/x priority 3 rule 0] Pass -> [NetworkPolicy] Allow`. */
export function chainText(d: SideDecision): string {
  return d.steps.length === 0 ? '(no subject)' : d.steps.map(step).join(' -> ');
}
