/**
 * diffClusters on small clusters stated at the model level. Every expected row is worked out by hand
 * from the NetworkPolicy semantics (the reasoning is in each test's comment), never copied from a run.
 */
import { describe, expect, test } from 'vitest';
import { compilePair, diffClusters, diffIndexes, type ReachabilityDiff } from '../../src/diff/index.js';
import type { Cluster } from '../../src/model/types.js';
import { cluster, netpol, peer, pod, port, rule, sel } from '../support/model.js';

const V4 = '0.0.0.0-255.255.255.255[External]';
const V6 = '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External]';

/** Rows as `kind src => dst : before -> after` text, for exact comparison. */
function rows(d: ReachabilityDiff): string[] {
  return [
    ...d.added.map((e) => `added ${e.src} => ${e.dst} : ${e.conn.toString()}`),
    ...d.removed.map((e) => `removed ${e.src} => ${e.dst} : ${e.conn.toString()}`),
    ...d.changed.map((e) => `changed ${e.src} => ${e.dst} : ${e.before.toString()} -> ${e.after.toString()}`),
  ];
}

const WEB = pod('shop', 'web', { app: 'web' });
const DB = pod('shop', 'db', { app: 'db' });
const DENY = netpol('shop', 'deny', sel(), {});
const WEB_TO_DB_80 = netpol('shop', 'db-in', sel({ app: 'db' }), { ingress: [rule([peer.pods(sel({ app: 'web' }))], [port(80)])] });

describe('no change', () => {
  test('a cluster against itself is empty', () => {
    const c = cluster({ endpoints: [WEB, DB], policies: [DENY, WEB_TO_DB_80] });
    expect(rows(diffClusters(c, c))).toEqual([]);
  });

  test('reordering rules and policies is no change', () => {
    const r1 = rule([peer.pods(sel({ app: 'web' }))], [port(80)]);
    const r2 = rule([peer.ip('10.0.0.0/8')], [port(443)]);
    const a = cluster({ endpoints: [WEB, DB], policies: [DENY, netpol('shop', 'p', sel({ app: 'db' }), { ingress: [r1, r2] })] });
    const b = cluster({ endpoints: [WEB, DB], policies: [netpol('shop', 'p', sel({ app: 'db' }), { ingress: [r2, r1] }), DENY] });
    expect(rows(diffClusters(a, b))).toEqual([]);
  });

  test('splitting one policy into two with the same rules is no change', () => {
    const both = netpol('shop', 'p', sel({ app: 'db' }), { ingress: [rule([peer.pods(sel({ app: 'web' }))], [port(80), port(443)])] });
    const p80 = netpol('shop', 'p80', sel({ app: 'db' }), { ingress: [rule([peer.pods(sel({ app: 'web' }))], [port(80)])] });
    const p443 = netpol('shop', 'p443', sel({ app: 'db' }), { ingress: [rule([peer.pods(sel({ app: 'web' }))], [port(443)])] });
    expect(rows(diffClusters(cluster({ endpoints: [WEB, DB], policies: [both] }), cluster({ endpoints: [WEB, DB], policies: [p80, p443] })))).toEqual([]);
  });
});

describe('added, removed, changed', () => {
  test('an allow rule under a default deny adds exactly its connection', () => {
    // before: shop is ingress-isolated with nothing allowed; after: db also admits web on TCP 80.
    const a = cluster({ endpoints: [WEB, DB], policies: [DENY] });
    const b = cluster({ endpoints: [WEB, DB], policies: [DENY, WEB_TO_DB_80] });
    expect(rows(diffClusters(a, b))).toEqual(['added shop/web[Pod] => shop/db[Pod] : TCP 80']);
    expect(rows(diffClusters(b, a))).toEqual(['removed shop/web[Pod] => shop/db[Pod] : TCP 80']);
  });

  test('widening the ports of a rule is a change with both sides', () => {
    const wider = netpol('shop', 'db-in', sel({ app: 'db' }), {
      ingress: [rule([peer.pods(sel({ app: 'web' }))], [port(80), port(8000, 'TCP', 8080), port(53, 'UDP')])],
    });
    const a = cluster({ endpoints: [WEB, DB], policies: [DENY, WEB_TO_DB_80] });
    const b = cluster({ endpoints: [WEB, DB], policies: [DENY, wider] });
    expect(rows(diffClusters(a, b))).toEqual(['changed shop/web[Pod] => shop/db[Pod] : TCP 80 -> TCP 80,8000-8080,UDP 53']);
  });

  test('a new default deny removes every ingress of its namespace, from pods and from outside', () => {
    // no policy before: all allowed. After: shop's pods accept nothing; their egress is untouched,
    // and a pod always reaches itself (loopback pairs are never listed).
    const other = pod('other', 'x');
    const a = cluster({ endpoints: [WEB, other] });
    const b = cluster({ endpoints: [WEB, other], policies: [netpol('shop', 'deny', sel(), {})] });
    expect(rows(diffClusters(a, b))).toEqual([
      `removed ${V4} => shop/web[Pod] : All Connections`,
      `removed ${V6} => shop/web[Pod] : All Connections`,
      'removed other/x[Pod] => shop/web[Pod] : All Connections',
    ]);
  });

  test('a workload on one side only is added or removed with all its connections', () => {
    // no policies: the new pod talks to everything and everything to it; sorted like the matrix
    // (external sources first, then endpoints by id; destinations in the same order).
    const a = cluster({ endpoints: [WEB] });
    const b = cluster({ endpoints: [WEB, DB] });
    expect(rows(diffClusters(a, b))).toEqual([
      `added ${V4} => shop/db[Pod] : All Connections`,
      `added ${V6} => shop/db[Pod] : All Connections`,
      `added shop/db[Pod] => ${V4} : All Connections`,
      `added shop/db[Pod] => ${V6} : All Connections`,
      'added shop/db[Pod] => shop/web[Pod] : All Connections',
      'added shop/web[Pod] => shop/db[Pod] : All Connections',
    ]);
  });

  test('a workload added under an ingress deny-all gains only its own egress', () => {
    // the deny isolates ingress of every shop pod: nothing reaches db, and db reaches web only if
    // web admits it (it does not); db's egress is not isolated and addresses have no ingress side.
    const a = cluster({ endpoints: [WEB], policies: [DENY] });
    const b = cluster({ endpoints: [WEB, DB], policies: [DENY] });
    expect(rows(diffClusters(a, b))).toEqual([`added shop/db[Pod] => ${V4} : All Connections`, `added shop/db[Pod] => ${V6} : All Connections`]);
  });

  test('relabelling a pod moves it in and out of rules', () => {
    // before web2 is app=web and reaches db on 80; after it is app=batch and does not
    const w2 = pod('shop', 'web2', { app: 'web' });
    const w2b = pod('shop', 'web2', { app: 'batch' });
    const a = cluster({ endpoints: [WEB, w2, DB], policies: [DENY, WEB_TO_DB_80] });
    const b = cluster({ endpoints: [WEB, w2b, DB], policies: [DENY, WEB_TO_DB_80] });
    expect(rows(diffClusters(a, b))).toEqual(['removed shop/web2[Pod] => shop/db[Pod] : TCP 80']);
  });
});

describe('external ranges line up across the two sides', () => {
  const egressTo = (cidr: string) =>
    netpol('shop', 'out', sel({ app: 'web' }), { isolatesIngress: false, isolatesEgress: true, egress: [rule([peer.ip(cidr)])] });

  test('narrowing an ipBlock removes the cut-off range only, with ids on the union of both sides cuts', () => {
    // before web may reach 10.0.0.0/8, after only 10.0.0.0/16: the atoms are cut at 10.0.0.0,
    // 10.1.0.0 and 11.0.0.0 on both sides, and only 10.1.0.0-10.255.255.255 is lost.
    const a = cluster({ endpoints: [WEB], policies: [egressTo('10.0.0.0/8')] });
    const b = cluster({ endpoints: [WEB], policies: [egressTo('10.0.0.0/16')] });
    expect(rows(diffClusters(a, b))).toEqual(['removed shop/web[Pod] => 10.1.0.0-10.255.255.255[External] : All Connections']);
  });

  test('an IPv6 block is diffed like an IPv4 one', () => {
    // fd00::/56 minus fd00::/64 is fd00:0:0:1:: up to fd00:0:0:ff:ffff:ffff:ffff:ffff (RFC 5952 text)
    const a = cluster({ endpoints: [WEB], policies: [egressTo('fd00::/64')] });
    const b = cluster({ endpoints: [WEB], policies: [egressTo('fd00::/56')] });
    expect(rows(diffClusters(a, b))).toEqual(['added shop/web[Pod] => fd00:0:0:1::-fd00::ff:ffff:ffff:ffff:ffff[External] : All Connections']);
  });

  test('ipblockPods decides whether a pod inside a block is reached through it', () => {
    // db has IP 10.0.0.5. With 'match' the egress block 10.0.0.0/24 reaches db; with 'ignore' it
    // does not, so dropping the block removes web -> db only in 'match' mode.
    const db = pod('shop', 'db', { app: 'db' }, { ips: ['10.0.0.5'] });
    const a = cluster({ endpoints: [WEB, db], policies: [egressTo('10.0.0.0/24')] });
    const b = cluster({ endpoints: [WEB, db], policies: [egressTo('192.168.0.0/24')] });
    const m = rows(diffClusters(a, b, { ipblockPods: 'match' }));
    const i = rows(diffClusters(a, b, { ipblockPods: 'ignore' }));
    expect(m).toContain('removed shop/web[Pod] => shop/db[Pod] : All Connections');
    expect(i).not.toContain('removed shop/web[Pod] => shop/db[Pod] : All Connections');
    expect(i).toEqual([
      'added shop/web[Pod] => 192.168.0.0-192.168.0.255[External] : All Connections',
      'removed shop/web[Pod] => 10.0.0.0-10.0.0.255[External] : All Connections',
    ]);
  });
});

describe('skipping unchanged sources does not hide changes', () => {
  function full(a: Cluster, b: Cluster): string[] {
    // brute force: every pair of the two aligned indexes
    const pair = compilePair(a, b);
    const out: string[] = [];
    const ids = [...new Set([...pair.before.entities, ...pair.after.entities].map((e) => e.id))];
    for (const s of ids) {
      for (const d of ids) {
        if (s === d || (s.endsWith('[External]') && d.endsWith('[External]'))) continue;
        const get = (ix: typeof pair.before) => {
          try {
            const se = ix.resolve(s);
            const de = ix.resolve(d);
            return se.id === s && de.id === d ? ix.connectionsBetween(se, de).toString() : 'No Connections';
          } catch {
            return 'No Connections';
          }
        };
        const x = get(pair.before);
        const y = get(pair.after);
        if (x !== y) out.push(`${s} => ${d} : ${x} -> ${y}`);
      }
    }
    return out.sort();
  }
  function fast(a: Cluster, b: Cluster): string[] {
    const d = diffIndexes(compilePair(a, b));
    return [
      ...d.added.map((e) => `${e.src} => ${e.dst} : No Connections -> ${e.conn.toString()}`),
      ...d.removed.map((e) => `${e.src} => ${e.dst} : ${e.conn.toString()} -> No Connections`),
      ...d.changed.map((e) => `${e.src} => ${e.dst} : ${e.before.toString()} -> ${e.after.toString()}`),
    ].sort();
  }

  test('an egress isolation change (no rule change) is found', () => {
    const a = cluster({ endpoints: [WEB, DB], policies: [netpol('shop', 'p', sel({ app: 'web' }), { isolatesEgress: false })] });
    const b = cluster({ endpoints: [WEB, DB], policies: [netpol('shop', 'p', sel({ app: 'web' }), { isolatesEgress: true })] });
    expect(fast(a, b)).toEqual(full(a, b));
    expect(fast(a, b)).toContain(`shop/web[Pod] => shop/db[Pod] : All Connections -> No Connections`);
  });

  test('a named port that resolves differently after a container port change is found', () => {
    const db80 = pod('shop', 'db', { app: 'db' }, { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
    const db81 = pod('shop', 'db', { app: 'db' }, { ports: [{ name: 'http', port: 81, protocol: 'TCP' }] });
    const p = netpol('shop', 'db-in', sel({ app: 'db' }), { ingress: [rule([peer.pods(sel({ app: 'web' }))], [port('http')])] });
    const a = cluster({ endpoints: [WEB, db80], policies: [p] });
    const b = cluster({ endpoints: [WEB, db81], policies: [p] });
    expect(fast(a, b)).toEqual(['shop/web[Pod] => shop/db[Pod] : TCP 80 -> TCP 81']);
    expect(fast(a, b)).toEqual(full(a, b));
  });

  test('a namespace relabel that changes a namespaceSelector peer is found', () => {
    const other = pod('other', 'x');
    const p = netpol('shop', 'db-in', sel({ app: 'db' }), { ingress: [rule([peer.pods(null, sel({ team: 'blue' }))])] });
    const a = cluster({ endpoints: [other, DB], policies: [p], namespaces: { other: { team: 'blue' } } });
    const b = cluster({ endpoints: [other, DB], policies: [p], namespaces: { other: { team: 'red' } } });
    expect(fast(a, b)).toEqual(['other/x[Pod] => shop/db[Pod] : All Connections -> No Connections']);
    expect(fast(a, b)).toEqual(full(a, b));
  });
});
