/**
 * Where the sensitive targets are in a given cluster: metadata addresses (always), control-plane
 * addresses from Node objects (role labels), from `--control-plane-ip`, and from hostNetwork static
 * pods (kube-apiserver, etcd); every node's addresses for the kubelet. When no control-plane address
 * is known the targets say so (`known: false`) and callers evaluate every external range instead of
 * guessing one.
 */
import type { Cluster } from '../model/types.js';
import { parseCidr, parseIP, type Cidr } from '../net/ip.js';
import { CLOUD_METADATA, COMPONENT_PORTS, METADATA_ADDRESSES, type Cloud, type ComponentPort, type TargetWord } from './well-known.js';

/** One address of a target, and where it came from. */
export interface TargetAddress {
  readonly address: string;
  /** Where we learnt it, e.g. `Node cp-1 InternalIP`, `--control-plane-ip`, `kube-system/etcd-cp-1 hostNetwork`. */
  readonly source: string;
}

/** One address (or, when unknown, every external range) and the ports that make it sensitive. */
export interface Target {
  readonly word: TargetWord;
  readonly label: string;
  /** Known addresses; empty when unknown (`known` false). */
  readonly addresses: readonly TargetAddress[];
  readonly known: boolean;
  /** Ports that matter (TCP); null = any port (metadata). */
  readonly ports: readonly ComponentPort[] | null;
}

/** Extra target addresses: metadata and control-plane IPs, the cloud. */
export interface TargetOptions {
  readonly extraMetadataIPs?: readonly string[];
  /** Only this cloud's metadata addresses (default: every known one). */
  readonly cloud?: Cloud;
  readonly controlPlaneIPs?: readonly string[];
}

function nodeAddresses(cluster: Cluster, which: 'control-plane' | 'all'): TargetAddress[] {
  const out: TargetAddress[] = [];
  for (const n of cluster.nodes) {
    if (which === 'control-plane' && !n.controlPlane) continue;
    for (const a of n.addresses) {
      if ((a.type === 'InternalIP' || a.type === 'ExternalIP') && parseIP(a.address) !== null) {
        out.push({ address: a.address, source: `Node ${n.name} ${a.type}` });
      }
    }
  }
  return out;
}

function staticPodAddresses(cluster: Cluster, names: readonly string[]): TargetAddress[] {
  const out: TargetAddress[] = [];
  const nodeIPs = new Map(cluster.nodes.map((n) => [n.name, n.addresses.filter((a) => a.type === 'InternalIP').map((a) => a.address)]));
  for (const e of cluster.endpoints) {
    if (!e.hostNetwork || e.namespace !== 'kube-system') continue;
    const comp = e.labels['component'] ?? '';
    if (!names.some((n) => comp === n || e.name.startsWith(`${n}-`) || e.name === n)) continue;
    const ips = e.ips.length > 0 ? e.ips : e.nodeName !== null ? (nodeIPs.get(e.nodeName) ?? []) : [];
    for (const ip of ips) out.push({ address: ip, source: `${e.id} hostNetwork` });
  }
  return out;
}

function dedupe(list: TargetAddress[]): TargetAddress[] {
  const seen = new Set<string>();
  return list.filter((a) => (seen.has(a.address) ? false : (seen.add(a.address), true)));
}

/** The well-known targets (metadata, control-plane, etcd, kubelet) of a cluster, with their addresses. */
export function resolveTargets(cluster: Cluster, options: TargetOptions = {}): Target[] {
  const metadata: TargetAddress[] = [
    ...(options.cloud === undefined
      ? METADATA_ADDRESSES.map((m) => ({ address: m.address, source: m.provider }))
      : CLOUD_METADATA[options.cloud].map((address) => ({ address, source: `--cloud ${options.cloud}` }))),
    ...(options.extraMetadataIPs ?? []).map((a) => ({ address: a, source: '--metadata-ip' })),
  ];
  const cp = dedupe([
    ...nodeAddresses(cluster, 'control-plane'),
    ...(options.controlPlaneIPs ?? []).map((a) => ({ address: a, source: '--control-plane-ip' })),
    ...staticPodAddresses(cluster, ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler']),
  ]);
  const etcd = dedupe([...staticPodAddresses(cluster, ['etcd']), ...cp]);
  const nodes = dedupe([...nodeAddresses(cluster, 'all'), ...cp]);
  const cpPorts = COMPONENT_PORTS.filter((p) => p.on === 'control-plane' || p.component === 'kubelet');
  return [
    { word: 'metadata', label: 'cloud metadata service', addresses: metadata, known: true, ports: null },
    { word: 'control-plane', label: 'control plane', addresses: cp, known: cp.length > 0, ports: cpPorts },
    { word: 'etcd', label: 'etcd', addresses: etcd, known: etcd.length > 0, ports: COMPONENT_PORTS.filter((p) => p.component === 'etcd') },
    { word: 'kubelet', label: 'kubelet', addresses: nodes, known: nodes.length > 0, ports: COMPONENT_PORTS.filter((p) => p.component === 'kubelet') },
  ];
}

/** CIDRs to cut as their own IP atoms so evidence names exact addresses. */
export function targetCidrs(targets: readonly Target[]): Cidr[] {
  const out: Cidr[] = [];
  for (const t of targets) {
    for (const a of t.addresses) {
      const ip = parseIP(a.address);
      if (ip === null) continue;
      const c = parseCidr(`${a.address}/${ip.family === 4 ? 32 : 128}`);
      if (typeof c !== 'string') out.push(c);
    }
  }
  return out;
}
