/**
 * Sensitive rows (metadata, kube-system, control-plane ports), `--fail-on-new` decisions, and the
 * edits `diff --explain` attributes to a pair.
 */
import { describe, expect, test } from 'vitest';
import {
  clusterEdits,
  compilePair,
  diffClusters,
  editsFor,
  isSensitive,
  opensReachability,
  sensitiveReason,
  type DiffRow,
  type Edit,
} from '../../src/diff/index.js';
import { ConnectionSet } from '../../src/net/connection-set.js';
import { cluster, netpol, peer, pod, port, rule, sel } from '../support/model.js';

const TCP = (p: number, e = p) => ConnectionSet.port('TCP', p, e);

describe('sensitiveReason', () => {
  test('an external range containing a metadata address is sensitive, whatever the ports', () => {
    expect(sensitiveReason('0.0.0.0-255.255.255.255[External]', TCP(443))).toEqual({ kind: 'metadata', address: '169.254.169.254' });
    expect(sensitiveReason('100.100.100.200-100.100.100.200[External]', TCP(80))).toEqual({ kind: 'metadata', address: '100.100.100.200' });
    expect(sensitiveReason('fd00:ec2::-fd00:ec2::ffff[External]', TCP(80))).toEqual({ kind: 'metadata', address: 'fd00:ec2::254' });
    expect(sensitiveReason('169.254.169.255-169.254.255.255[External]', TCP(80))).toBeNull();
  });

  test('kube-system destinations are sensitive, kube-system sources are not', () => {
    expect(sensitiveReason('kube-system/coredns[Deployment]', TCP(53))).toEqual({ kind: 'kube-system' });
    expect(sensitiveReason('kube-systemx/coredns[Deployment]', TCP(53))).toBeNull();
  });

  test('control-plane TCP ports make an external range sensitive; not a pod, not NodePorts, not 8080', () => {
    const nodes = '10.0.0.0-10.255.255.255[External]';
    expect(sensitiveReason(nodes, TCP(10250))).toEqual({ kind: 'control-plane-port', label: 'kubelet API', port: 10250 });
    expect(sensitiveReason(nodes, TCP(2000, 2380))).toEqual({ kind: 'control-plane-port', label: 'etcd', port: 2379 });
    expect(sensitiveReason(nodes, ConnectionSet.port('UDP', 10250))).toBeNull();
    expect(sensitiveReason(nodes, TCP(30000, 32767))).toBeNull();
    expect(sensitiveReason(nodes, TCP(8080))).toBeNull();
    // a pod listening on 10250 is not a kubelet
    expect(sensitiveReason('shop/db[Pod]', TCP(10250))).toBeNull();
  });

  test('no connections are never sensitive', () => {
    expect(sensitiveReason('kube-system/x[Pod]', ConnectionSet.NONE)).toBeNull();
  });
});

describe('isSensitive and opensReachability', () => {
  const changed = (before: ConnectionSet, after: ConnectionSet): DiffRow => ({
    kind: 'changed',
    src: 'a/x[Pod]',
    dst: '10.0.0.0-10.255.255.255[External]',
    before,
    after,
  });

  test('a changed row is judged on what changed, not on what stayed', () => {
    // 10250 allowed on both sides: only 80 changed, so the row is not sensitive
    expect(isSensitive(changed(TCP(10250), TCP(10250).union(TCP(80))))).toBe(false);
    expect(isSensitive(changed(TCP(80), TCP(80).union(TCP(10250))))).toBe(true);
  });

  test('--fail-on-new: tightening never fails, widening fails for any, sensitive widening for sensitive', () => {
    const meta = '169.254.169.254-169.254.169.254[External]';
    const removedOnly = { added: [], removed: [{ src: 'a/x[Pod]', dst: meta, conn: ConnectionSet.ALL }], changed: [] };
    expect(opensReachability(removedOnly, 'any')).toBe(false);
    expect(opensReachability(removedOnly, 'sensitive')).toBe(false);
    const plainAdd = { added: [{ src: 'a/x[Pod]', dst: 'a/y[Pod]', conn: TCP(80) }], removed: [], changed: [] };
    expect(opensReachability(plainAdd, 'any')).toBe(true);
    expect(opensReachability(plainAdd, 'sensitive')).toBe(false);
    // a changed row that narrows to a metadata range opens nothing
    const narrowed = { added: [], removed: [], changed: [{ src: 'a/x[Pod]', dst: meta, before: ConnectionSet.ALL, after: TCP(80) }] };
    expect(opensReachability(narrowed, 'any')).toBe(false);
    const widened = { added: [], removed: [], changed: [{ src: 'a/x[Pod]', dst: meta, before: TCP(80), after: TCP(80, 81) }] };
    expect(opensReachability(widened, 'sensitive')).toBe(true);
  });
});

describe('clusterEdits', () => {
  const WEB = pod('shop', 'web', { app: 'web' });
  const DB = pod('shop', 'db', { app: 'db' });
  const r80 = rule([peer.pods(sel({ app: 'web' }))], [port(80)]);
  const r443 = rule([peer.pods(sel({ app: 'web' }))], [port(443)]);
  const at = (line: number) => ({ file: 'p.yaml', line, col: 3, doc: 0 });

  test('rules are compared as multisets: a reorder is no edit, a port change is a removed and an added rule', () => {
    const a = netpol('shop', 'p', sel({ app: 'db' }), { ingress: [r80, r443] });
    const b = netpol('shop', 'p', sel({ app: 'db' }), { ingress: [r443, r80] });
    expect(clusterEdits(cluster({ endpoints: [DB], policies: [a] }), cluster({ endpoints: [DB], policies: [b] }))).toEqual([]);
    const r8080 = { ...rule([peer.pods(sel({ app: 'web' }))], [port(8080)]), location: at(12) };
    const c = netpol('shop', 'p', sel({ app: 'db' }), { ingress: [{ ...r80, location: at(7) }, r8080] });
    const edits = clusterEdits(cluster({ endpoints: [DB], policies: [a] }), cluster({ endpoints: [DB], policies: [c] }));
    expect(edits).toEqual([
      { kind: 'rule-removed', policy: 'shop/p', direction: 'ingress', index: 1, location: r443.location },
      { kind: 'rule-added', policy: 'shop/p', direction: 'ingress', index: 1, location: at(12) },
    ]);
  });

  test('policies by ns/name; selectors and policyTypes; endpoints by id; namespace labels', () => {
    const p1 = { ...netpol('shop', 'p1', sel({ app: 'db' }), {}), location: at(1) };
    const p1b = { ...netpol('shop', 'p1', sel({ app: 'web' }), { isolatesEgress: true }), location: at(2) };
    const gone = { ...netpol('shop', 'gone', sel(), {}), location: at(3) };
    const fresh = { ...netpol('shop', 'fresh', sel(), {}), location: at(4) };
    const web2 = { ...pod('shop', 'web', { app: 'web', v: '2' }), location: at(5) };
    const a = cluster({ endpoints: [WEB, DB], policies: [p1, gone], namespaces: { shop: { team: 'a' } } });
    const b = cluster({ endpoints: [web2], policies: [p1b, fresh], namespaces: { shop: { team: 'b' } } });
    expect(clusterEdits(a, b)).toEqual<Edit[]>([
      { kind: 'policy-added', policy: 'shop/fresh', location: at(4) },
      { kind: 'policy-removed', policy: 'shop/gone', location: at(3) },
      { kind: 'policy-selector-changed', policy: 'shop/p1', what: ['podSelector', 'policyTypes'], before: at(1), location: at(2) },
      { kind: 'endpoint-removed', endpoint: 'shop/db[Pod]', location: DB.location },
      { kind: 'endpoint-changed', endpoint: 'shop/web[Pod]', before: WEB.location, location: at(5) },
      { kind: 'namespace-changed', namespace: 'shop', location: null },
    ]);
  });
});

describe('editsFor: which edits can cause a pair change', () => {
  const WEB = pod('shop', 'web', { app: 'web' });
  const API = pod('shop', 'api', { app: 'api' });
  const DB = pod('shop', 'db', { app: 'db' });
  const DENY = netpol('shop', 'deny', sel(), {});

  test('an added rule is attributed to the pairs it covers and no other', () => {
    const before = netpol('shop', 'db-in', sel({ app: 'db' }), { ingress: [rule([peer.pods(sel({ app: 'web' }))], [port(80)])] });
    const after = netpol('shop', 'db-in', sel({ app: 'db' }), {
      ingress: [rule([peer.pods(sel({ app: 'web' }))], [port(80)]), rule([peer.pods(sel({ app: 'api' }))], [port(5432)])],
    });
    const a = cluster({ endpoints: [WEB, API, DB], policies: [DENY, before] });
    const b = cluster({ endpoints: [WEB, API, DB], policies: [DENY, after] });
    const pair = compilePair(a, b);
    const edits = clusterEdits(a, b);
    expect(edits.map((e) => e.kind)).toEqual(['rule-added']);
    expect(editsFor(pair, edits, 'shop/api[Pod]', 'shop/db[Pod]')).toEqual(edits);
    expect(editsFor(pair, edits, 'shop/web[Pod]', 'shop/db[Pod]')).toEqual([]);
    // api is a peer of the new rule, but web is not one of its subjects
    expect(editsFor(pair, edits, 'shop/api[Pod]', 'shop/web[Pod]')).toEqual([]);
    // and the diff itself agrees on which pair changed
    const d = diffClusters(a, b);
    expect(d.added.map((e) => `${e.src} ${e.dst} ${e.conn.toString()}`)).toEqual(['shop/api[Pod] shop/db[Pod] TCP 5432']);
  });

  test('an added policy is attributed to pairs whose destination (ingress) or source (egress) it isolates', () => {
    const egressOnly = netpol('shop', 'web-out', sel({ app: 'web' }), { isolatesIngress: false, isolatesEgress: true });
    const a = cluster({ endpoints: [WEB, DB] });
    const b = cluster({ endpoints: [WEB, DB], policies: [egressOnly] });
    const pair = compilePair(a, b);
    const edits = clusterEdits(a, b);
    expect(editsFor(pair, edits, 'shop/web[Pod]', 'shop/db[Pod]').map((e) => e.kind)).toEqual(['policy-added']);
    // db -> web: web is the destination, and the policy does not isolate web's ingress
    expect(editsFor(pair, edits, 'shop/db[Pod]', 'shop/web[Pod]')).toEqual([]);
  });

  test('endpoint edits are attributed to pairs the endpoint is part of', () => {
    const a = cluster({ endpoints: [WEB] });
    const b = cluster({ endpoints: [WEB, DB] });
    const pair = compilePair(a, b);
    const edits = clusterEdits(a, b);
    expect(editsFor(pair, edits, 'shop/web[Pod]', 'shop/db[Pod]').map((e) => e.kind)).toEqual(['endpoint-added']);
    expect(editsFor(pair, edits, 'shop/web[Pod]', '0.0.0.0-255.255.255.255[External]')).toEqual([]);
  });
});
