/**
 * Cases of the nca-calico suite where kubereach's listing differs from network-config-analyzer's,
 * each with its reason and an exact check (nca-calico.test.ts fails when a listing differs in any
 * other way, or no longer differs). Two kinds of reason: where that analyzer departs from Calico
 * (its README's "Known NCA limitations"), kubereach keeps Calico's answer; where kubereach does not
 * model something (source ports, HostEndpoints), every answer carries that caveat.
 */

export type NcaCheck =
  /**
   * Their listing names exactly these protocols outside kubereach's universe; read into kubereach's
   * universe, the two listings are equal line for line.
   */
  | { readonly kind: 'outside-universe'; readonly others: readonly string[] }
  /**
   * The lines that differ are exactly `count` on each side, for the same (src, dst) pairs, and every
   * one of theirs restricts source ports (`src ...`).
   */
  | { readonly kind: 'source-ports'; readonly count: number }
  /** Only we print `count` lines, each matching `pattern`; they print nothing we do not. */
  | { readonly kind: 'only-ours'; readonly count: number; readonly pattern: RegExp }
  /** Only they print `count` lines, each with a HostEndpoint at one end; every other line is equal. */
  | { readonly kind: 'host-endpoints'; readonly count: number };

export interface NcaDifference {
  readonly case: string;
  readonly reason: string;
  readonly check: NcaCheck;
}

const HOST_ENDPOINTS =
  'HostEndpoint is out of scope (host protection: failsafe ports, forwarded vs host-terminated traffic, ' +
  'applyOnForward, preDNAT, which their tool does not model either, README limitation 6); kubereach lists ' +
  "no HostEndpoint and names the kind in every answer's caveats. Every line between the other endpoints is equal.";

export const NCA_CALICO_DIFFERENCES: readonly NcaDifference[] = [
  {
    case: 'tc15-source-ports',
    reason:
      'Rules with source.ports / source.notPorts: their listing splits connections by source port (`src 151`); ' +
      "kubereach's connections are destination ports only and takes such a rule to match every source port " +
      '(a CALICO_UNMODELLED caveat of every answer), so for the pairs these rules decide the two listings differ.',
    check: { kind: 'source-ports', count: 420 },
  },
  {
    case: 'tc16-nets-notnets-ingress-ipv6',
    reason:
      'Rules whose source is only `notNets` (two halves of the address space, IPv4 and IPv6). Calico matches ' +
      'nets and notNets against the packet\'s address (EntityRule reference: "traffic that originates from ' +
      'IP addresses not in any of the given subnets"), and every pod has an address, which lies outside one ' +
      'of the two halves: so every pod is allowed on TCP. Their tool gives endpoints no address (its README, ' +
      'limitation 5) and lets notNets match outside addresses only. kubereach lists the pods as Calico does, ' +
      'in its external-only ipBlock reading too: a notNets that cannot exclude an address excludes nothing.',
    check: { kind: 'only-ours', count: 252, pattern: /^\S+\[Pod\] => kube-system\/\S+\[Pod\] : TCP 1-65535$/ },
  },
  { case: 'hep-gnps-order-icmp-vrrp-ports', reason: HOST_ENDPOINTS, check: { kind: 'host-endpoints', count: 286 } },
  { case: 'hep-egress-to-all-endpoints', reason: HOST_ENDPOINTS, check: { kind: 'host-endpoints', count: 56 } },
  { case: 'hep-egress-namespaceselector-all', reason: HOST_ENDPOINTS, check: { kind: 'host-endpoints', count: 54 } },
  { case: 'hep-wep-pass-gnps', reason: HOST_ENDPOINTS, check: { kind: 'host-endpoints', count: 7 } },
  { case: 'hep-wep-pass-ports-gnps', reason: HOST_ENDPOINTS, check: { kind: 'host-endpoints', count: 6 } },
];
