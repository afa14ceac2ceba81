/**
 * Hand-checked cases for the reference evaluator: the oracle has to be proven before the engine is
 * measured against it. Each expected answer below was worked out from the API reference text quoted
 * in evaluator.ts, not by running anything. One `it` per rule, named after it.
 *
 * The cluster (labels in braces, IPs and container ports after):
 *   namespace x {team: red}:  x/a {app: a}          10.0.0.1, fd00::1   http 80/TCP, dns 53/UDP
 *                             x/b {app: b, tier: db} 10.0.0.2
 *   namespace y {team: blue}: y/a {app: a}          fd00::3
 *   namespace z {}:           z/c {}                 (no IPs)            assoc 9000/SCTP, http 8080/TCP
 */
import { describe, expect, it } from 'vitest';
import type { NetworkPolicy, Protocol } from '../../packages/core/src/model/types.js';
import { referenceAllowed, requirementMatches, type Ref } from './evaluator.js';
import { ALL, cluster, cport, endpoint, ipBlock, namespace, podsPeer, policy, pport, rule, selector } from './build.js';

const NAMESPACES = [namespace('x', { team: 'red' }), namespace('y', { team: 'blue' }), namespace('z')];
const ENDPOINTS = [
  endpoint('x', 'a', { app: 'a' }, { ips: ['10.0.0.1', 'fd00::1'], ports: [cport('http', 80), cport('dns', 53, 'UDP')] }),
  endpoint('x', 'b', { app: 'b', tier: 'db' }, { ips: ['10.0.0.2'] }),
  endpoint('y', 'a', { app: 'a' }, { ips: ['fd00::3'] }),
  endpoint('z', 'c', {}, { ports: [cport('assoc', 9000, 'SCTP'), cport('http', 8080)] }),
];

/** `x/a` is the endpoint x/a[Pod]; anything without a slash is an outside address. */
function ref(text: string): Ref {
  return text.includes('/') ? { kind: 'endpoint', id: `${text}[Pod]` } : { kind: 'ip', address: text };
}

function can(
  policies: readonly NetworkPolicy[],
  src: string,
  dst: string,
  protocol: Protocol = 'TCP',
  port = 80,
  ipblockPods: 'match' | 'ignore' = 'match',
): boolean {
  const c = cluster({ namespaces: NAMESPACES, endpoints: ENDPOINTS, policies });
  return referenceAllowed(c, ref(src), ref(dst), protocol, port, { ipblockPods });
}

/** A policy in `ns` selecting `sel`, isolating the given directions, with the given rules. */
function np(
  ns: string,
  sel: ReturnType<typeof selector>,
  types: { ingress?: boolean; egress?: boolean },
  rules: { ingress?: ReturnType<typeof rule>[]; egress?: ReturnType<typeof rule>[] } = {},
): NetworkPolicy {
  return policy({
    namespace: ns,
    name: 'p',
    podSelector: sel,
    isolatesIngress: types.ingress ?? false,
    isolatesEgress: types.egress ?? false,
    ...rules,
  });
}

describe('reference evaluator', () => {
  it('no policy: everything is allowed (pods are non-isolated by default)', () => {
    expect(can([], 'x/a', 'y/a', 'UDP', 5353)).toBe(true);
    expect(can([], '8.8.8.8', 'z/c', 'SCTP', 1)).toBe(true);
    expect(can([], 'z/c', '2001:db8::1', 'TCP', 65535)).toBe(true);
  });

  it('policyTypes default [Ingress]: ingress isolated, egress untouched and its egress rules ignored', () => {
    // policyTypes: [Ingress] with an egress rule that would only allow z: the egress rule is ignored.
    const p = np('x', selector({ app: 'a' }), { ingress: true }, { egress: [rule([podsPeer(null, ALL)])] });
    expect(can([p], 'x/b', 'x/a')).toBe(false);
    expect(can([p], 'x/a', 'x/b')).toBe(true);
    expect(can([p], 'x/a', '8.8.8.8')).toBe(true);
  });

  it('policyTypes [Egress] alone does not isolate ingress, and its ingress rules are ignored', () => {
    const p = np('x', selector({ app: 'a' }), { egress: true }, { ingress: [rule([ipBlock('10.9.0.0/16')])] });
    expect(can([p], 'x/b', 'x/a')).toBe(true);
    expect(can([p], '8.8.8.8', 'x/a')).toBe(true);
    expect(can([p], 'x/a', 'x/b')).toBe(false);
    expect(can([p], 'x/a', '8.8.8.8')).toBe(false);
  });

  it('policyTypes [Ingress, Egress] with no rules: nothing in, nothing out', () => {
    const p = np('x', selector({ app: 'a' }), { ingress: true, egress: true });
    expect(can([p], 'x/a', 'y/a')).toBe(false);
    expect(can([p], 'y/a', 'x/a')).toBe(false);
    expect(can([p], 'x/b', 'y/a')).toBe(true);
  });

  it('empty podSelector selects every pod of the policy namespace and no other', () => {
    const p = np('x', ALL, { ingress: true });
    expect(can([p], 'y/a', 'x/a')).toBe(false);
    expect(can([p], 'y/a', 'x/b')).toBe(false);
    expect(can([p], 'x/a', 'y/a')).toBe(true);
    expect(can([p], 'x/a', 'z/c')).toBe(true);
  });

  it('a policy never selects pods of another namespace, whatever their labels', () => {
    const p = np('y', selector({ app: 'a' }), { ingress: true });
    expect(can([p], 'z/c', 'x/a')).toBe(true);
    expect(can([p], 'z/c', 'y/a')).toBe(false);
  });

  it('ingress: [] allows nothing, ingress: [{}] allows every peer on every port', () => {
    const none = np('x', selector({ app: 'a' }), { ingress: true }, { ingress: [] });
    const any = np('x', selector({ app: 'a' }), { ingress: true }, { ingress: [rule(null, null)] });
    for (const src of ['x/b', 'y/a', 'z/c', '8.8.8.8', '2001:db8::1']) {
      expect(can([none], src, 'x/a', 'UDP', 53)).toBe(false);
      expect(can([any], src, 'x/a', 'UDP', 53)).toBe(true);
      expect(can([any], src, 'x/a', 'SCTP', 7)).toBe(true);
    }
  });

  it('rules and policies add up: two policies selecting one pod allow the union of their ports', () => {
    const p80 = np('x', selector({ app: 'a' }), { ingress: true }, { ingress: [rule(null, [pport('TCP', 80)])] });
    const p443 = np('x', ALL, { ingress: true }, { ingress: [rule(null, [pport('TCP', 443)])] });
    expect(can([p80, p443], 'y/a', 'x/a', 'TCP', 80)).toBe(true);
    expect(can([p80, p443], 'y/a', 'x/a', 'TCP', 443)).toBe(true);
    expect(can([p80, p443], 'y/a', 'x/a', 'TCP', 8080)).toBe(false);
    expect(can([p80, p443], 'y/a', 'x/b', 'TCP', 80)).toBe(false);
  });

  it('peers: podSelector only means the policy namespace only', () => {
    const p = np('x', selector({ app: 'b' }), { ingress: true }, { ingress: [rule([podsPeer(selector({ app: 'a' }))])] });
    expect(can([p], 'x/a', 'x/b')).toBe(true);
    expect(can([p], 'y/a', 'x/b')).toBe(false);
  });

  it('peers: namespaceSelector + podSelector in one element is AND', () => {
    const and = podsPeer(selector({ app: 'a' }), selector({ team: 'blue' }));
    const p = np('x', selector({ app: 'b' }), { ingress: true }, { ingress: [rule([and])] });
    expect(can([p], 'y/a', 'x/b')).toBe(true);
    expect(can([p], 'x/a', 'x/b')).toBe(false); // app a, but namespace red
    expect(can([p], 'z/c', 'x/b')).toBe(false);
  });

  it('peers: separate elements are OR', () => {
    const p = np(
      'x',
      selector({ app: 'b' }),
      { ingress: true },
      {
        ingress: [rule([podsPeer(null, selector({ team: 'blue' })), podsPeer(selector({ app: 'a' }))])],
      },
    );
    expect(can([p], 'y/a', 'x/b')).toBe(true); // by namespace
    expect(can([p], 'x/a', 'x/b')).toBe(true); // by pod, own namespace
    expect(can([p], 'z/c', 'x/b')).toBe(false);
  });

  it('peers: namespaceSelector {} alone is every pod of every namespace, but no outside address', () => {
    const p = np('x', selector({ app: 'b' }), { ingress: true }, { ingress: [rule([podsPeer(null, ALL)])] });
    expect(can([p], 'z/c', 'x/b')).toBe(true);
    expect(can([p], 'y/a', 'x/b')).toBe(true);
    expect(can([p], '10.0.0.9', 'x/b')).toBe(false);
  });

  it('peers: namespaceSelector on kubernetes.io/metadata.name', () => {
    const peer = podsPeer(null, selector({ 'kubernetes.io/metadata.name': 'z' }));
    const p = np('x', selector({ app: 'b' }), { ingress: true }, { ingress: [rule([peer])] });
    expect(can([p], 'z/c', 'x/b')).toBe(true);
    expect(can([p], 'y/a', 'x/b')).toBe(false);
  });

  it('selectors: NotIn and DoesNotExist match pods without the key; In and Exists do not', () => {
    const labels = { app: 'a' };
    expect(requirementMatches({ key: 'tier', operator: 'NotIn', values: ['db'] }, labels)).toBe(true);
    expect(requirementMatches({ key: 'tier', operator: 'DoesNotExist', values: [] }, labels)).toBe(true);
    expect(requirementMatches({ key: 'tier', operator: 'In', values: ['db'] }, labels)).toBe(false);
    expect(requirementMatches({ key: 'tier', operator: 'Exists', values: [] }, labels)).toBe(false);
    // Through a policy: tier NotIn [db] selects x/a (no tier) and not x/b (tier db).
    const notIn = np('x', selector({}, [{ key: 'tier', operator: 'NotIn', values: ['db'] }]), { ingress: true });
    expect(can([notIn], 'y/a', 'x/a')).toBe(false);
    expect(can([notIn], 'y/a', 'x/b')).toBe(true);
    const dne = np('x', selector({}, [{ key: 'tier', operator: 'DoesNotExist', values: [] }]), { ingress: true });
    expect(can([dne], 'y/a', 'x/a')).toBe(false);
    expect(can([dne], 'y/a', 'x/b')).toBe(true);
  });

  it('selectors: matchLabels and every expression must all hold', () => {
    const sel = selector({ app: 'b' }, [
      { key: 'tier', operator: 'In', values: ['db', 'web'] },
      { key: 'app', operator: 'NotIn', values: ['a'] },
    ]);
    const p = np('x', sel, { ingress: true });
    expect(can([p], 'y/a', 'x/b')).toBe(false);
    expect(can([p], 'y/a', 'x/a')).toBe(true);
    const q = np('x', selector({ app: 'b' }, [{ key: 'tier', operator: 'In', values: ['web'] }]), { ingress: true });
    expect(can([q], 'y/a', 'x/b')).toBe(true);
  });

  it('ipBlock: cidr minus except, IPv4 and IPv6 in one rule', () => {
    const p = np(
      'x',
      selector({ app: 'b' }),
      { egress: true },
      {
        egress: [rule([ipBlock('10.0.0.0/8', ['10.1.0.0/16']), ipBlock('fd00::/56', ['fd00::/64'])])],
      },
    );
    expect(can([p], 'x/b', '10.2.3.4')).toBe(true);
    expect(can([p], 'x/b', '10.1.2.3')).toBe(false); // except
    expect(can([p], 'x/b', '10.1.255.255')).toBe(false); // last address of the except
    expect(can([p], 'x/b', '10.2.0.0')).toBe(true); // first address after it
    expect(can([p], 'x/b', '192.168.0.1')).toBe(false);
    expect(can([p], 'x/b', 'fd00:0:0:1::5')).toBe(true); // in /56, outside the /64 except
    expect(can([p], 'x/b', 'fd00::ff')).toBe(false); // except
    expect(can([p], 'x/b', 'fd00:0:0:100::')).toBe(false); // first address after the /56
    expect(can([p], 'x/b', '2001:db8::1')).toBe(false);
  });

  it('ipBlock: 0.0.0.0/0 is every IPv4 address and no IPv6 one; ::/0 the reverse', () => {
    const v4 = np('x', selector({ app: 'b' }), { egress: true }, { egress: [rule([ipBlock('0.0.0.0/0')])] });
    const v6 = np('x', selector({ app: 'b' }), { egress: true }, { egress: [rule([ipBlock('::/0')])] });
    expect(can([v4], 'x/b', '255.255.255.255')).toBe(true);
    expect(can([v4], 'x/b', '::ffff:1.2.3.4')).toBe(false);
    expect(can([v6], 'x/b', '2001:db8::1')).toBe(true);
    expect(can([v6], 'x/b', '1.2.3.4')).toBe(false);
  });

  it('ipBlock: a pod matches by any known IP with ipblockPods=match, never with ignore', () => {
    // x/a is 10.0.0.1 and fd00::1; y/a is fd00::3; z/c has no IPs.
    const p = np(
      'x',
      selector({ app: 'b' }),
      { ingress: true },
      {
        ingress: [rule([ipBlock('10.0.0.0/24', ['10.0.0.1/32']), ipBlock('fd00::/64', ['fd00::3/128'])])],
      },
    );
    expect(can([p], 'x/a', 'x/b', 'TCP', 80, 'match')).toBe(true); // by fd00::1 (10.0.0.1 is excepted)
    expect(can([p], 'y/a', 'x/b', 'TCP', 80, 'match')).toBe(false); // its only IP is excepted
    expect(can([p], 'z/c', 'x/b', 'TCP', 80, 'match')).toBe(false); // no known IP
    expect(can([p], 'x/a', 'x/b', 'TCP', 80, 'ignore')).toBe(false);
    expect(can([p], '10.0.0.7', 'x/b', 'TCP', 80, 'ignore')).toBe(true);
    expect(can([p], '10.0.1.1', 'x/b', 'TCP', 80, 'ignore')).toBe(false); // outside the cidr
  });

  it('ports: a named port resolves on the destination pod by name AND protocol', () => {
    const http = np('x', selector({ app: 'a' }), { ingress: true }, { ingress: [rule(null, [pport('TCP', 'http')])] });
    expect(can([http], 'y/a', 'x/a', 'TCP', 80)).toBe(true);
    expect(can([http], 'y/a', 'x/a', 'TCP', 81)).toBe(false);
    expect(can([http], 'y/a', 'x/a', 'UDP', 80)).toBe(false);
    const dnsTcp = np('x', selector({ app: 'a' }), { ingress: true }, { ingress: [rule(null, [pport('TCP', 'dns')])] });
    expect(can([dnsTcp], 'y/a', 'x/a', 'TCP', 53)).toBe(false); // x/a's dns is UDP
    expect(can([dnsTcp], 'y/a', 'x/a', 'UDP', 53)).toBe(false);
    const dnsUdp = np('x', selector({ app: 'a' }), { ingress: true }, { ingress: [rule(null, [pport('UDP', 'dns')])] });
    expect(can([dnsUdp], 'y/a', 'x/a', 'UDP', 53)).toBe(true);
  });

  it('ports: an egress named port resolves on each peer pod, and never on an outside address', () => {
    const p = np('x', selector({ app: 'b' }), { egress: true }, { egress: [rule(null, [pport('TCP', 'http')])] });
    expect(can([p], 'x/b', 'x/a', 'TCP', 80)).toBe(true); // x/a: http = 80
    expect(can([p], 'x/b', 'z/c', 'TCP', 8080)).toBe(true); // z/c: http = 8080
    expect(can([p], 'x/b', 'z/c', 'TCP', 80)).toBe(false);
    expect(can([p], 'x/b', 'y/a', 'TCP', 80)).toBe(false); // y/a has no ports
    expect(can([p], 'x/b', '8.8.8.8', 'TCP', 80)).toBe(false);
  });

  it('ports: endPort is an inclusive range of one protocol', () => {
    const p = np('x', selector({ app: 'a' }), { ingress: true }, { ingress: [rule(null, [pport('TCP', 8000, 8080)])] });
    expect(can([p], 'y/a', 'x/a', 'TCP', 7999)).toBe(false);
    expect(can([p], 'y/a', 'x/a', 'TCP', 8000)).toBe(true);
    expect(can([p], 'y/a', 'x/a', 'TCP', 8080)).toBe(true);
    expect(can([p], 'y/a', 'x/a', 'TCP', 8081)).toBe(false);
    expect(can([p], 'y/a', 'x/a', 'UDP', 8000)).toBe(false);
  });

  it('ports: SCTP is a protocol of its own, by number and by name', () => {
    const any = np('z', ALL, { ingress: true }, { ingress: [rule(null, [pport('SCTP')])] });
    expect(can([any], 'x/a', 'z/c', 'SCTP', 1)).toBe(true);
    expect(can([any], 'x/a', 'z/c', 'TCP', 1)).toBe(false);
    const named = np('z', ALL, { ingress: true }, { ingress: [rule(null, [pport('SCTP', 'assoc')])] });
    expect(can([named], 'x/a', 'z/c', 'SCTP', 9000)).toBe(true);
    expect(can([named], 'x/a', 'z/c', 'TCP', 9000)).toBe(false);
  });

  it('outside address: only the pod side applies', () => {
    // x/a may send nothing, but that is its egress side: ingress from outside is not affected.
    const noEgress = np('x', selector({ app: 'a' }), { egress: true });
    expect(can([noEgress], '8.8.8.8', 'x/a')).toBe(true);
    expect(can([noEgress], 'x/a', '8.8.8.8')).toBe(false);
    // x/a accepts only pods: an outside source never matches a pods peer.
    const podsOnly = np('x', selector({ app: 'a' }), { ingress: true }, { ingress: [rule([podsPeer(ALL, ALL)])] });
    expect(can([podsOnly], '8.8.8.8', 'x/a')).toBe(false);
    expect(can([podsOnly], 'z/c', 'x/a')).toBe(true);
    expect(can([podsOnly], 'x/a', '8.8.8.8')).toBe(true);
  });

  it('both sides: egress of the source AND ingress of the destination', () => {
    const out = np('x', selector({ app: 'b' }), { egress: true }, { egress: [rule(null, [pport('TCP', 80)])] });
    const inn = np('y', ALL, { ingress: true }, { ingress: [rule(null, [pport('TCP', 80, 90)])] });
    expect(can([out, inn], 'x/b', 'y/a', 'TCP', 80)).toBe(true);
    expect(can([out, inn], 'x/b', 'y/a', 'TCP', 85)).toBe(false); // egress refuses
    expect(can([out, inn], 'x/a', 'y/a', 'TCP', 85)).toBe(true); // x/a not egress-isolated
    expect(can([out, inn], 'x/a', 'y/a', 'TCP', 91)).toBe(false); // ingress refuses
  });

  it('loopback: a pod reaches itself whatever its policies say', () => {
    const p = np('x', ALL, { ingress: true, egress: true });
    expect(can([p], 'x/a', 'x/a', 'SCTP', 4)).toBe(true);
    expect(can([p], 'x/a', 'x/b', 'SCTP', 4)).toBe(false);
  });

  it('address to address is not a question and throws', () => {
    expect(() => can([], '8.8.8.8', '1.1.1.1')).toThrow(/address to address/);
  });
});
