/**
 * One named test per NetworkPolicy v1 rule the engine commits to (README "Semantics"). Clusters are
 * stated at the model level so each test shows exactly the rule it checks; expected answers come
 * from the Kubernetes API reference, not from running the engine.
 */
import { describe, expect, test } from 'vitest';
import { compile } from '../../src/index.js';
import { cluster, cport, netpol, peer, pod, port, rule, sel } from '../support/model.js';

const A = pod('a', 'a1', { app: 'a1', tier: 'web' }, { ips: ['10.0.1.1', 'fd00::1:1'] });
const A2 = pod('a', 'a2', { app: 'a2' }, { ips: ['10.0.1.2'] });
const B = pod('b', 'b1', { app: 'b1', tier: 'web' }, { ips: ['10.0.2.1'] });
const C = pod('c', 'c1', { app: 'c1' });

function conns(c: ReturnType<typeof cluster>, s: string, d: string, opts = {}) {
  return compile(c, opts).connections(s, d).toString();
}

describe('isolation and defaults', () => {
  test('no policy: everything is allowed in both directions', () => {
    const c = cluster({ endpoints: [A, B] });
    expect(conns(c, 'a/a1', 'b/b1')).toBe('All Connections');
    expect(conns(c, '8.8.8.8', 'a/a1')).toBe('All Connections');
    expect(conns(c, 'a/a1', '8.8.8.8')).toBe('All Connections');
  });

  test('policyTypes [Egress] alone does not isolate ingress', () => {
    const c = cluster({ endpoints: [A, B], policies: [netpol('a', 'eg', sel(), { isolatesIngress: false, isolatesEgress: true })] });
    expect(conns(c, 'b/b1', 'a/a1')).toBe('All Connections');
    expect(conns(c, 'a/a1', 'b/b1')).toBe('No Connections');
  });

  test('rules of a direction the policy does not isolate have no effect', () => {
    const c = cluster({
      endpoints: [A, B],
      policies: [netpol('a', 'p', sel(), { isolatesIngress: false, isolatesEgress: true, ingress: [rule(null)] })],
    });
    expect(conns(c, 'a/a1', 'b/b1')).toBe('No Connections');
  });

  test('podSelector {} selects every pod of the policy namespace and no other', () => {
    const c = cluster({ endpoints: [A, A2, B], policies: [netpol('a', 'deny', sel(), {})] });
    expect(conns(c, 'b/b1', 'a/a1')).toBe('No Connections');
    expect(conns(c, 'b/b1', 'a/a2')).toBe('No Connections');
    expect(conns(c, 'a/a1', 'b/b1')).toBe('All Connections');
  });

  test('ingress: [] isolates with nothing allowed; ingress: [{}] allows everything', () => {
    const deny = cluster({ endpoints: [A, B], policies: [netpol('a', 'p', sel(), { ingress: [] })] });
    expect(conns(deny, 'b/b1', 'a/a1')).toBe('No Connections');
    expect(conns(deny, '1.2.3.4', 'a/a1')).toBe('No Connections');
    const allow = cluster({ endpoints: [A, B], policies: [netpol('a', 'p', sel(), { ingress: [rule(null, null)] })] });
    expect(conns(allow, 'b/b1', 'a/a1')).toBe('All Connections');
    expect(conns(allow, '1.2.3.4', 'a/a1')).toBe('All Connections');
  });

  test('a rule without ports allows every port of every protocol', () => {
    const c = cluster({ endpoints: [A, B], policies: [netpol('a', 'p', sel(), { ingress: [rule([peer.pods(null, sel())])] })] });
    expect(conns(c, 'b/b1', 'a/a1')).toBe('All Connections');
  });

  test('union across policies selecting the same pod', () => {
    const c = cluster({
      endpoints: [A, B],
      policies: [
        netpol('a', 'p1', sel({ app: 'a1' }), { ingress: [rule(null, [port(80)])] }),
        netpol('a', 'p2', sel(), { ingress: [rule(null, [port(53, 'UDP')])] }),
      ],
    });
    expect(conns(c, 'b/b1', 'a/a1')).toBe('TCP 80,UDP 53');
  });

  test('allowed iff the egress side and the ingress side both allow', () => {
    const c = cluster({
      endpoints: [A, B],
      policies: [
        netpol('a', 'out', sel(), { isolatesIngress: false, egress: [rule(null, [port(80), port(443)])] }),
        netpol('b', 'in', sel(), { ingress: [rule(null, [port(443), port(8443)])] }),
      ],
    });
    expect(conns(c, 'a/a1', 'b/b1')).toBe('TCP 443');
  });

  test('for an external address only the pod side applies', () => {
    const c = cluster({ endpoints: [A], policies: [netpol('a', 'p', sel(), { ingress: [rule(null, [port(22)])], egress: [rule(null, [port(53, 'UDP')])] })] });
    expect(conns(c, '8.8.8.8', 'a/a1')).toBe('TCP 22');
    expect(conns(c, 'a/a1', '8.8.8.8')).toBe('UDP 53');
  });

  test('loopback (a pod to itself) is always allowed', () => {
    const c = cluster({ endpoints: [A], policies: [netpol('a', 'p', sel(), { isolatesEgress: true })] });
    expect(conns(c, 'a/a1', 'a/a1')).toBe('All Connections');
  });
});

describe('peers', () => {
  const nsl = { a: { team: 'x' }, b: { team: 'y' }, c: { team: 'x' } };
  const at = (peers: ReturnType<typeof peer.pods>[]) =>
    cluster({ namespaces: nsl, endpoints: [A, A2, B, C], policies: [netpol('a', 'p', sel({ app: 'a1' }), { ingress: [rule(peers)] })] });
  const from = (c: ReturnType<typeof cluster>) => ['a/a2', 'b/b1', 'c/c1'].filter((s) => compile(c).connections(s, 'a/a1').toString() !== 'No Connections');

  test('podSelector only: pods of the policy namespace', () => {
    expect(from(at([peer.pods(sel())]))).toEqual(['a/a2']);
  });
  test('namespaceSelector only: every pod of the matching namespaces', () => {
    expect(from(at([peer.pods(null, sel({ team: 'x' }))]))).toEqual(['a/a2', 'c/c1']);
  });
  test('empty namespaceSelector: every namespace', () => {
    expect(from(at([peer.pods(null, sel())]))).toEqual(['a/a2', 'b/b1', 'c/c1']);
  });
  test('podSelector and namespaceSelector in one element: AND', () => {
    expect(from(at([peer.pods(sel({ tier: 'web' }), sel({ team: 'y' }))]))).toEqual(['b/b1']);
    expect(from(at([peer.pods(sel({ app: 'c1' }), sel({ team: 'y' }))]))).toEqual([]);
  });
  test('separate elements: OR', () => {
    expect(from(at([peer.pods(sel({ app: 'a2' })), peer.pods(null, sel({ team: 'y' }))]))).toEqual(['a/a2', 'b/b1']);
  });
  test('kubernetes.io/metadata.name selects a namespace by name', () => {
    expect(from(at([peer.pods(null, sel({ 'kubernetes.io/metadata.name': 'c' }))]))).toEqual(['c/c1']);
  });
  test('matchExpressions In, NotIn, Exists, DoesNotExist; NotIn and DoesNotExist match pods without the key', () => {
    const e = (operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', values: string[] = []) =>
      at([peer.pods(sel({}, [{ key: 'tier', operator, values }]), sel())]);
    expect(from(e('In', ['web']))).toEqual(['b/b1']);
    expect(from(e('NotIn', ['web']))).toEqual(['a/a2', 'c/c1']);
    expect(from(e('Exists'))).toEqual(['b/b1']);
    expect(from(e('DoesNotExist'))).toEqual(['a/a2', 'c/c1']);
  });
  test('matchLabels and matchExpressions are ANDed', () => {
    expect(from(at([peer.pods(sel({ tier: 'web' }, [{ key: 'app', operator: 'NotIn', values: ['b1'] }]), sel())]))).toEqual([]);
  });
});

describe('ipBlock', () => {
  const eg = (...peers: ReturnType<typeof peer.ip>[]) =>
    cluster({ endpoints: [A, A2, B], policies: [netpol('b', 'p', sel(), { isolatesIngress: false, egress: [rule(peers)] })] });

  test('cidr minus except, IPv4', () => {
    const c = eg(peer.ip('0.0.0.0/0', '169.254.169.254/32', '10.0.0.0/8'));
    expect(conns(c, 'b/b1', '8.8.8.8')).toBe('All Connections');
    expect(conns(c, 'b/b1', '169.254.169.254')).toBe('No Connections');
    expect(conns(c, 'b/b1', '169.254.169.253')).toBe('All Connections');
    expect(conns(c, 'b/b1', '10.9.9.9')).toBe('No Connections');
  });

  test('cidr minus except, IPv6, in the same policy as IPv4', () => {
    const c = eg(peer.ip('::/0', 'fd00::/8'), peer.ip('192.168.0.0/16'));
    expect(conns(c, 'b/b1', '2001:db8::1')).toBe('All Connections');
    expect(conns(c, 'b/b1', 'fd00::5')).toBe('No Connections');
    expect(conns(c, 'b/b1', '192.168.3.4')).toBe('All Connections');
    expect(conns(c, 'b/b1', '8.8.8.8')).toBe('No Connections');
  });

  test('ipBlock matches pod IPs the input knows by default (upstream e2e reading)', () => {
    const c = eg(peer.ip('10.0.1.0/24'));
    expect(conns(c, 'b/b1', 'a/a1')).toBe('All Connections');
    expect(conns(c, 'b/b1', 'a/a2')).toBe('All Connections');
  });

  test('an IPv6 pod IP matches an IPv6 ipBlock', () => {
    const c = eg(peer.ip('fd00::1:0/112'));
    expect(conns(c, 'b/b1', 'a/a1')).toBe('All Connections');
    expect(conns(c, 'b/b1', 'a/a2')).toBe('No Connections');
  });

  test('--ipblock-pods=ignore: ipBlocks match external addresses only', () => {
    const c = eg(peer.ip('10.0.1.0/24'));
    expect(conns(c, 'b/b1', 'a/a1', { ipblockPods: 'ignore' })).toBe('No Connections');
    expect(conns(c, 'b/b1', '10.0.1.99', { ipblockPods: 'ignore' })).toBe('All Connections');
  });

  test('an except boundary splits pods: a pod in the except is not matched', () => {
    const c = eg(peer.ip('10.0.0.0/16', '10.0.2.0/24'));
    expect(conns(c, 'b/b1', 'a/a1')).toBe('All Connections');
    expect(conns(c, 'a/a1', 'b/b1')).toBe('All Connections'); // a is not isolated
    const c2 = cluster({
      endpoints: [A, B],
      policies: [netpol('a', 'p', sel(), { isolatesIngress: false, egress: [rule([peer.ip('10.0.0.0/16', '10.0.2.0/24')])] })],
    });
    expect(conns(c2, 'a/a1', 'b/b1')).toBe('No Connections');
  });
});

describe('ports', () => {
  const web = pod('s', 'web', { app: 'web' }, { ports: [cport('http', 8080), cport('dns', 5353, 'UDP'), cport('metrics', 9090)] });
  const alt = pod('s', 'alt', { app: 'alt' }, { ports: [cport('http', 8000)] });
  const none = pod('s', 'none', { app: 'none' });
  const client = pod('s', 'client', { app: 'client' });
  const onPorts = (ports: ReturnType<typeof port>[]) =>
    cluster({ endpoints: [web, alt, none, client], policies: [netpol('s', 'in', sel(), { ingress: [rule(null, ports)] })] });

  test('numeric port, TCP by default', () => {
    expect(conns(onPorts([port(80)]), 's/client', 's/web')).toBe('TCP 80');
  });
  test('protocols UDP and SCTP', () => {
    expect(conns(onPorts([port(53, 'UDP'), port(9000, 'SCTP')]), 's/client', 's/web')).toBe('SCTP 9000,UDP 53');
  });
  test('a protocol without a port: every port of that protocol', () => {
    expect(conns(onPorts([port(null, 'UDP')]), 's/client', 's/web')).toBe('UDP 1-65535');
  });
  test('endPort: an inclusive range', () => {
    expect(conns(onPorts([port(32000, 'TCP', 32768)]), 's/client', 's/web')).toBe('TCP 32000-32768');
  });
  test('named port resolves on each destination pod', () => {
    const c = onPorts([port('http')]);
    expect(conns(c, 's/client', 's/web')).toBe('TCP 8080');
    expect(conns(c, 's/client', 's/alt')).toBe('TCP 8000');
    expect(conns(c, 's/client', 's/none')).toBe('No Connections');
  });
  test('named port resolves by name AND protocol', () => {
    const c = onPorts([port('dns', 'TCP'), port('http', 'UDP')]);
    expect(conns(c, 's/client', 's/web')).toBe('No Connections');
    expect(conns(onPorts([port('dns', 'UDP')]), 's/client', 's/web')).toBe('UDP 5353');
  });
  test('named port in an egress rule resolves on the peer, and never matches an external address', () => {
    const c = cluster({
      endpoints: [web, alt, client],
      policies: [netpol('s', 'out', sel({ app: 'client' }), { isolatesIngress: false, egress: [rule(null, [port('http')])] })],
    });
    expect(conns(c, 's/client', 's/web')).toBe('TCP 8080');
    expect(conns(c, 's/client', 's/alt')).toBe('TCP 8000');
    expect(conns(c, 's/client', '8.8.8.8')).toBe('No Connections');
  });
});
