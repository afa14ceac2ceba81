/**
 * Readable renderings for property-test failure messages (after the upstream e2e
 * suite's printed truth tables): the cluster as a compact listing, and a reachability grid where a
 * wrong cell stands out at a glance.
 */
import type { Cluster, LabelSelector, Labels, PolicyPeer, PolicyPort, PolicyRule } from '../../packages/core/src/model/types.js';
import type { Ref } from './evaluator.js';

function labels(l: Labels): string {
  const entries = Object.entries(l).filter(([k]) => k !== 'kubernetes.io/metadata.name');
  return `{${entries.map(([k, v]) => `${k}=${v}`).join(',')}}`;
}

function sel(s: LabelSelector | null): string {
  if (s === null) return 'nil';
  const parts = Object.entries(s.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions) {
    parts.push(e.values.length > 0 ? `${e.key} ${e.operator} (${e.values.join(',')})` : `${e.operator === 'Exists' ? '' : '!'}${e.key}`);
  }
  return `{${parts.join(', ')}}`;
}

function peer(p: PolicyPeer): string {
  switch (p.kind) {
    case 'pods':
      return `pods(ns=${sel(p.namespaceSelector)} pod=${sel(p.podSelector)})`;
    case 'ipBlock':
      return `ipBlock(${p.cidr.text}${p.except.length > 0 ? ` except ${p.except.map((e) => e.text).join(',')}` : ''})`;
    default: {
      const _x: never = p;
      return String(_x);
    }
  }
}

function port(p: PolicyPort): string {
  if (p.port === null) return `${p.protocol} *`;
  return `${p.protocol} ${p.port}${p.endPort !== null ? `-${p.endPort}` : ''}`;
}

function ruleText(r: PolicyRule): string {
  const peers = r.peers === null ? 'any peer' : r.peers.map(peer).join(' | ');
  const ports = r.ports === null ? 'any port' : r.ports.map(port).join(', ');
  return `#${r.index} ${peers} ; ${ports}`;
}

/** The cluster, one line per namespace, endpoint and rule. */
export function describeCluster(cluster: Cluster): string {
  const out: string[] = ['namespaces:'];
  for (const ns of cluster.namespaces) out.push(`  ${ns.name} ${labels(ns.labels)}`);
  out.push('endpoints:');
  for (const e of cluster.endpoints) {
    const ports = e.ports.map((p) => `${p.name === '' ? '' : `${p.name}=`}${p.port}/${p.protocol}`).join(' ');
    out.push(`  ${e.id} ${labels(e.labels)} ips[${e.ips.join(' ')}] ports[${ports}]`);
  }
  out.push('policies:');
  for (const p of cluster.policies) {
    const types = [p.isolatesIngress ? 'Ingress' : '', p.isolatesEgress ? 'Egress' : ''].filter((t) => t !== '').join(',');
    out.push(`  ${p.namespace}/${p.name} select ${sel(p.podSelector)} types [${types}]`);
    for (const r of p.ingress) out.push(`    ingress ${ruleText(r)}`);
    for (const r of p.egress) out.push(`    egress  ${ruleText(r)}`);
  }
  return out.join('\n');
}

export function refText(r: Ref): string {
  return r.kind === 'endpoint' ? r.id : r.address;
}

/**
 * A grid with sources as rows and destinations as columns (numbered, with a legend), each cell
 * given by `cell` (one or two characters). Address-to-address cells are blank.
 */
export function grid(refs: readonly Ref[], cell: (src: Ref, dst: Ref) => string): string {
  const legend = refs.map((r, i) => `  ${String(i).padStart(2)} ${refText(r)}`);
  const header = `      ${refs.map((_, i) => String(i).padStart(3)).join('')}`;
  const rows = refs.map((src, i) => {
    const cells = refs.map((dst) => (src.kind === 'ip' && dst.kind === 'ip' ? '' : cell(src, dst)).padStart(3));
    return `  ${String(i).padStart(2)}  ${cells.join('')}`;
  });
  return [...legend, header, ...rows].join('\n');
}
