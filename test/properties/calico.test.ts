/**
 * The engine equals the Calico reference evaluator (test/reference/calico-evaluator.ts, written from
 * Calico's documentation) on generated clusters mixing tiers, orders, every action, the selector
 * language, namespaceSelectors, service accounts, nets, ports, protocols (ICMP types included) and
 * ICMP codes, network sets, beside Kubernetes NetworkPolicies and StagedKubernetesNetworkPolicies: the engine loads the clusters from their manifests, so its reader is checked too. Both address readings (pods matched by
 * address or not) and --staged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, loadCluster } from '@kubereach/core';
import { calicoReferenceAllowed, type RCluster, type RPacket, type RParty } from '../reference/calico-evaluator.js';
import { calicoClusterArb, calicoSharedRulesClusterArb, renderCalico } from '../reference/calico-arbitraries.js';

const ADDRESSES = ['8.8.8.8', '192.168.1.5', '10.0.1.200', '1.2.3.4'];
const PORTS: [RPacket['protocol'], number, number?][] = [
  ['TCP', 80],
  ['TCP', 443],
  ['TCP', 8080],
  ['TCP', 8050],
  ['TCP', 9000],
  ['UDP', 9100],
  ['UDP', 53],
  ['TCP', 22],
  // ICMP messages (type, code): echo request, destination unreachable codes 0 and 4 and one no rule
  // names, a type no rule names; ICMPv6 echo request; and whole types (every code, as `icmp:TYPE` asks)
  ['ICMP', 8, 0],
  ['ICMP', 3, 0],
  ['ICMP', 3, 4],
  ['ICMP', 3, 13],
  ['ICMP', 42, 0],
  ['ICMPv6', 128, 0],
  ['ICMPv6', 128, 4],
  ['ICMPv6', 0, 0],
  ['ICMP', 3],
  ['ICMP', 8],
  ['ICMPv6', 128],
];

/**
 * Every code of a type, as far as the generated rules can tell them apart: they name codes 0, 4 and 9
 * only, so every other code (13 stands for them) is decided alike.
 */
const ALL_CODES = [0, 4, 9, 13];

function check(c: RCluster, byAddress: boolean, staged: boolean): void {
  const text = renderCalico(c);
  const loaded = loadCluster([{ name: 'gen.yaml', text }]);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`generated input rejected: ${errors.map((d) => d.message).join('; ')}\n${text}`);
  const index = compile(loaded.cluster, { ipblockPods: byAddress ? 'match' : 'ignore', staged });
  const parties: RParty[] = [...c.pods.map((pod): RParty => ({ kind: 'pod', pod })), ...ADDRESSES.map((address): RParty => ({ kind: 'ip', address }))];
  const ref = (p: RParty) => (p.kind === 'pod' ? `${p.pod.namespace}/${p.pod.name}` : p.address);
  for (const src of parties) {
    for (const dst of parties) {
      if (src.kind === 'ip' && dst.kind === 'ip') continue;
      const s = index.resolve(ref(src));
      const d = index.resolve(ref(dst));
      for (const [protocol, port, code] of PORTS) {
        // a whole ICMP type is allowed when every code of it is (the reference decides packets)
        const codes = protocol === 'ICMP' || protocol === 'ICMPv6' ? (code === undefined ? ALL_CODES : [code]) : [undefined];
        const want = codes.every((x) =>
          calicoReferenceAllowed(c, { src, dst, protocol, port, ...(x === undefined ? {} : { code: x }) }, { byAddress, staged }),
        );
        const got = index.allows(s, d, protocol, port, code);
        if (got !== want) {
          throw new Error(
            `${ref(src)} -> ${ref(dst)} ${protocol}/${port}${code === undefined ? '' : `:${code}`}: engine ${got}, reference ${want} (byAddress=${byAddress}, staged=${staged})\n${text}`,
          );
        }
      }
    }
  }
}

describe('Calico: engine = reference evaluator', () => {
  it('on generated clusters, pods matched by address', () => {
    fc.assert(
      fc.property(calicoClusterArb, (c) => check(c, true, false)),
      { numRuns: 150 },
    );
  });
  it('on generated clusters, addresses outside the cluster only', () => {
    fc.assert(
      fc.property(calicoClusterArb, (c) => check(c, false, false)),
      { numRuns: 100 },
    );
  });
  it('with --staged (staged policies enforced)', () => {
    fc.assert(
      fc.property(calicoClusterArb, (c) => check(c, true, true)),
      { numRuns: 80 },
    );
  });
  it('on clusters whose policies repeat the same rules (Allows evaluated together stop at a Deny, a Pass, a tier end)', () => {
    fc.assert(
      fc.property(calicoSharedRulesClusterArb, (c) => check(c, true, false)),
      { numRuns: 100 },
    );
  });
  it('a generated cluster always loads without errors (the generator writes valid Calico)', () => {
    fc.assert(
      fc.property(calicoClusterArb, (c) => {
        const r = loadCluster([{ name: 'g.yaml', text: renderCalico(c) }]);
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});
