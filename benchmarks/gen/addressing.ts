/**
 * The address plan of a generated cluster, and text formatting of addresses. Numbers, not bigints:
 * IPv4 fits a double exactly, and IPv6 is built from 16-bit groups, so generating 150k pods never
 * allocates a bigint.
 *
 * | what            | IPv4                         | IPv6 (--dual-stack)             |
 * |-----------------|------------------------------|---------------------------------|
 * | pod network     | 10.128.0.0/9, a /24 per node | fd00::/48, a /64 per node       |
 * | service network | 10.96.0.0/12                 | fd02::/96                       |
 * | node addresses  | 172.16.0.0/12                | fd01::/64                       |
 *
 * Pod IPs are therefore all inside 10.0.0.0/8 (and fd00::/48), unique, and inside their node's
 * spec.podCIDR(s). hostNetwork pods (kube-proxy, node-exporter, control-plane static pods) take the
 * node's addresses, as they do in a real cluster.
 */

/** Addresses per node block: a /24, so at most 253 pod-network pods per node (.0, .1, .255 unused). */
export const NODE_BLOCK = 256;
export const NODE_BLOCK_PREFIX = 24;
export const MAX_PODS_PER_NODE = NODE_BLOCK - 3;

const POD_V4_BASE = v4(10, 128, 0, 0);
const SERVICE_V4_BASE = v4(10, 96, 0, 0);
const NODE_V4_BASE = v4(172, 16, 0, 0);
/** Nodes that fit the pod /9 with a /24 each (the IPv6 /48 holds 65,536 /64s, more than enough). */
export const MAX_NODES = 1 << 15;

export function v4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

export function formatV4(n: number): string {
  return `${Math.floor(n / 16777216) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Network address of `n` with `prefix` bits kept. */
export function maskV4(n: number, prefix: number): number {
  if (prefix === 0) return 0;
  return (n & (0xffffffff << (32 - prefix))) >>> 0;
}

/** RFC 5952 text of eight 16-bit groups: lowercase, no leading zeros, longest zero run (>= 2) as `::`. */
export function formatV6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

export function podCidrV4(node: number): string {
  return `${formatV4(POD_V4_BASE + node * NODE_BLOCK)}/${NODE_BLOCK_PREFIX}`;
}

export function podCidrV6(node: number): string {
  return `${formatV6([0xfd00, 0, 0, node, 0, 0, 0, 0])}/64`;
}

/** The `slot`-th pod-network address on `node` (slot 0 is .2). */
export function podIPv4(node: number, slot: number): string {
  return formatV4(POD_V4_BASE + node * NODE_BLOCK + 2 + slot);
}

export function podIPv6(node: number, slot: number): string {
  return formatV6([0xfd00, 0, 0, node, 0, 0, 0, 2 + slot]);
}

export function nodeIPv4(node: number): string {
  return formatV4(NODE_V4_BASE + 10 + node);
}

export function nodeIPv6(node: number): string {
  return formatV6([0xfd01, 0, 0, 0, 0, 0, (10 + node) >>> 16, (10 + node) & 0xffff]);
}

/** Service index 1 is `default/kubernetes`, 10 is kube-dns, as kubeadm lays them out. */
export function serviceIPv4(index: number): string {
  return formatV4(SERVICE_V4_BASE + index);
}

export function serviceIPv6(index: number): string {
  return formatV6([0xfd02, 0, 0, 0, 0, 0, index >>> 16, index & 0xffff]);
}

/** Private and special ranges that "internet egress" policies except, per family. */
export const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] as const;
export const PRIVATE_V6 = ['fc00::/7', 'fe80::/10'] as const;

/** First octets of globally routed IPv4 space that partner/SaaS ipBlocks are drawn from. */
export const PUBLIC_FIRST_OCTETS: readonly number[] = [
  3, 13, 18, 20, 23, 34, 35, 40, 44, 52, 54, 64, 66, 72, 74, 81, 88, 91, 104, 108, 128, 131, 134, 137, 140, 141, 146, 151, 157, 162, 185, 193, 195, 198, 199,
  203, 204, 208, 212, 213, 216,
];
