/**
 * Incremental updates (evaluate/update.ts): named cases, each compared with a full compile of the
 * edited cluster by entity (answers and the rules explanations list).
 */
import { describe, expect, test } from 'vitest';
import {
  compile,
  diffIndexes,
  diffUpdate,
  replaceEndpoint,
  replaceNamespace,
  replacePolicy,
  type Endpoint,
  type NetworkPolicy,
  type ReachabilityIndex,
} from '../../src/index.js';
import { cluster, netpol, peer, pod, rule, sel } from '../support/model.js';
import { atomAddresses, ruleLists } from '../../../../test/reference/rule-lists.js';

function answers(ix: ReachabilityIndex, addresses: readonly string[]): string[] {
  const refs = [...ix.entities.filter((e) => e.kind === 'endpoint'), ...addresses.map((a) => ix.addressEntity(a)!)];
  const label = (i: number) => (i < ix.entities.filter((e) => e.kind === 'endpoint').length ? refs[i]!.id : addresses[i - (refs.length - addresses.length)]!);
  const out: string[] = [];
  refs.forEach((a, i) => refs.forEach((b, j) => out.push(`${label(i)} -> ${label(j)}: ${ix.connectionsBetween(a, b).toString()}`)));
  return out;
}

function expectSame(inc: ReachabilityIndex, full: ReachabilityIndex): void {
  const addresses = atomAddresses(inc, full);
  expect(answers(inc, addresses)).toEqual(answers(full, addresses));
  expect(ruleLists(inc, addresses)).toEqual(ruleLists(full, addresses));
}

const endpoints = [pod('ns-c', 'pod-0'), pod('ns-c', 'pod-1', { tier: 'a' }), pod('ns-a', 'pod-2')];

describe('replacePolicy', () => {
  test('twins: a rule added to one, the other removed, then a rule dropped; the classes kept from before still explain by entity', () => {
    // found by the twin-edit property: after the edits the incremental index still tells pod-1 apart
    // (the `tier` key was observed), a fresh compile does not, so the two number their sources differently
    const np0 = netpol('ns-a', 'np-0', sel(), { ingress: [rule(null)], egress: [rule([peer.pods(sel({ tier: 'a' }))])], isolatesEgress: false });
    const twin: NetworkPolicy = { ...np0, name: 'np-0-twin' };
    let index = compile(cluster({ endpoints, policies: [np0, twin] }));
    const np1: NetworkPolicy = { ...np0, ingress: [...np0.ingress, rule([peer.pods(sel()), peer.ip('10.0.0.0/25')], null, 1)] };
    const np2: NetworkPolicy = { ...np1, ingress: np1.ingress.slice(1), egress: [] };
    for (const [before, after] of [
      [np0, np1],
      [twin, null],
      [np1, np2],
    ] as const) {
      index.materialize();
      index = replacePolicy(index, before, after).index;
    }
    const full = compile(cluster({ endpoints, policies: [np2] }));
    expect(index.resolve('ns-c/pod-1').bit).not.toBe(index.resolve('ns-c/pod-0').bit);
    expect(full.resolve('ns-c/pod-1').bit).toBe(full.resolve('ns-c/pod-0').bit);
    expectSame(index, full);
    expect(ruleLists(index, [])).toEqual(
      new Map([
        // a peer with a podSelector alone selects pods of the policy's namespace: pod-2, not ns-c
        ['ns-c/pod-0[Pod]', 'ingress: ; egress: '],
        ['ns-c/pod-1[Pod]', 'ingress: ; egress: '],
        ['ns-a/pod-2[Pod]', 'ingress: ns-a/np-0#1; egress: '],
      ]),
    );
  });

  test('two updates made from one index are independent: the second does not change the first', () => {
    // pod-2 egress-isolated by one update and not by the other: each keeps its own source groups
    const base = netpol('ns-a', 'base', sel(), { ingress: [rule([peer.pods(sel({ tier: 'a' }), sel())])], isolatesEgress: false });
    const index = compile(cluster({ endpoints, policies: [base] }));
    index.materialize();
    const deny = netpol('ns-a', 'deny-egress', sel(), { egress: [rule([peer.pods(sel({ tier: 'a' }), sel())])], isolatesIngress: false, isolatesEgress: true });
    const open = netpol('ns-a', 'open', sel(), { ingress: [rule([peer.pods(sel(), sel())])], isolatesEgress: false });
    // the first is asked nothing until the second exists: its groups must not have been overwritten
    const first = replacePolicy(index, null, deny);
    const second = replacePolicy(index, null, open);
    expect([first.incremental, second.incremental]).toEqual([true, true]);
    expectSame(first.index, compile(cluster({ endpoints, policies: [base, deny] })));
    expectSame(second.index, compile(cluster({ endpoints, policies: [base, open] })));
  });

  test('two branches adding different rules under the same fresh block id do not share cached results', () => {
    // both updates compile their rule as the same next block id with the same sources (ns-c) and
    // different destinations; rows computed for the first must not answer for the second
    const base = [
      netpol('ns-a', 'base', sel(), { ingress: [rule([peer.pods(sel({ tier: 'a' }), sel())])], isolatesEgress: false }),
      netpol('ns-c', 'deny', sel(), { ingress: [], isolatesEgress: false }),
    ];
    const index = compile(cluster({ endpoints, policies: base }));
    index.materialize();
    const toA = netpol('ns-a', 'from-c', sel(), { ingress: [rule([peer.pods(sel(), sel({ 'kubernetes.io/metadata.name': 'ns-c' }))])], isolatesEgress: false });
    const toC = netpol('ns-c', 'from-c', sel(), { ingress: [rule([peer.pods(sel())])], isolatesEgress: false });
    const first = replacePolicy(index, null, toA);
    const second = replacePolicy(index, null, toC);
    expect([first.incremental, second.incremental]).toEqual([true, true]);
    expectSame(first.index, compile(cluster({ endpoints, policies: [...base, toA] })));
    expectSame(second.index, compile(cluster({ endpoints, policies: [...base, toC] })));
  });

  test("deleting the only policy that isolates a pod for ingress: other sources keep their rows, patched in that pod's column", () => {
    // NetworkPolicy isolation is per destination: once `deny-c` is gone, ns-c/pod-1 admits every source
    // again (API reference: a pod no policy selects for ingress is non-isolated), so every row may
    // change in pod-1's column and nowhere else; ns-a/pod-2's egress rule keeps its row otherwise
    const denyC = netpol('ns-c', 'deny-c', sel({ tier: 'a' }), { ingress: [], isolatesEgress: false });
    const egress = netpol('ns-a', 'out', sel(), { egress: [rule([peer.pods(sel(), sel())])], isolatesIngress: false, isolatesEgress: true });
    const index = compile(cluster({ endpoints, policies: [denyC, egress] }));
    index.materialize();
    const pod2 = index.resolve('ns-a/pod-2');
    const pod1 = index.resolve('ns-c/pod-1');
    expect(index.connectionsBetween(pod2, pod1).toString()).toBe('No Connections');
    const res = replacePolicy(index, denyC, null);
    expect([res.incremental, res.reason]).toEqual([true, null]);
    expect([...res.ingressChanged!].flatMap((w, k) => [...Array(32).keys()].filter((b) => (w >>> b) & 1).map((b) => k * 32 + b))).toEqual([pod1.bit]);
    expect(res.index.connectionsBetween(pod2, pod1).toString()).toBe('All Connections');
    expectSame(res.index, compile(cluster({ endpoints, policies: [egress] })));
  });
});

describe('replaceNamespace', () => {
  // A namespaceSelector selects namespaces by their labels (API reference, NetworkPolicyPeer): a
  // namespace relabelled enters or leaves the peers of every rule whose selector it now matches or no
  // longer matches; the classes (pods) stay, and a podSelector, which picks a policy's subjects in its
  // own namespace, never looks at namespace labels, so isolation stays.
  const allowTeamX = netpol('ns-a', 'from-team-x', sel(), { ingress: [rule([peer.pods(sel(), sel({ team: 'x' }))])], isolatesEgress: false });
  const labels = (team: string | null) => ({ ...(team === null ? {} : { team }), 'kubernetes.io/metadata.name': 'ns-c' });

  test('a namespace gaining the label a namespaceSelector asks for: its pods gain the ingress, nothing else changes', () => {
    const before = cluster({ endpoints, policies: [allowTeamX] });
    const index = compile(before);
    index.materialize();
    const ns = before.namespaces.find((n) => n.name === 'ns-c')!;
    expect(index.connections('ns-c/pod-0', 'ns-a/pod-2').toString()).toBe('No Connections');
    const res = replaceNamespace(index, ns, { ...ns, labels: labels('x') });
    expect([res.incremental, res.reason, res.ingressChanged]).toEqual([true, null, null]);
    // the rows redone are those of the peers the selector gains (both ns-c classes), no others
    expect(res.touchedSources).toBe(2);
    expect(res.index.connections('ns-c/pod-0', 'ns-a/pod-2').toString()).toBe('All Connections');
    expect(res.index.connections('ns-c/pod-1', 'ns-a/pod-2').toString()).toBe('All Connections');
    expectSame(res.index, compile(cluster({ endpoints, policies: [allowTeamX], namespaces: { 'ns-c': { team: 'x' } } })));
    // and losing it again takes the ingress back
    const back = replaceNamespace(res.index, { ...ns, labels: labels('x') }, { ...ns, labels: labels('y') });
    expect(back.index.connections('ns-c/pod-0', 'ns-a/pod-2').toString()).toBe('No Connections');
    expectSame(back.index, compile(cluster({ endpoints, policies: [allowTeamX], namespaces: { 'ns-c': { team: 'y' } } })));
  });

  test('a relabel no namespaceSelector tells apart compiles no policy again and keeps every row', () => {
    const before = cluster({ endpoints, policies: [allowTeamX], namespaces: { 'ns-c': { team: 'y' } } });
    const index = compile(before);
    const ns = before.namespaces.find((n) => n.name === 'ns-c')!;
    const res = replaceNamespace(index, ns, { ...ns, labels: { ...labels('z'), stage: 'prod' } });
    expect([res.incremental, res.touchedSources]).toEqual([true, 0]);
    expect(res.index.compiled.blocks).toEqual(index.compiled.blocks);
  });

  test('two names are a misuse', () => {
    const c = cluster({ endpoints });
    expect(() => replaceNamespace(compile(c), c.namespaces[0]!, c.namespaces[1]!)).toThrow(/two namespaces/);
  });
});

describe('replaceEndpoint', () => {
  // A podSelector selects pods by their labels (API reference, LabelSelector): a relabelled pod enters
  // or leaves the subjects and peers of every selector that tells its old labels from its new ones.
  const web = pod('ns-a', 'web', { app: 'web' });
  const db = pod('ns-a', 'db', { app: 'db' });
  const dbFromWeb = netpol('ns-a', 'db-from-web', sel({ app: 'db' }), { ingress: [rule([peer.pods(sel({ app: 'web' }))])], isolatesEgress: false });
  const entries = (index: ReachabilityIndex, res: ReturnType<typeof replaceEndpoint>) =>
    [...diffUpdate(index, res).added.map((e) => `+ ${e.src} -> ${e.dst}`), ...diffUpdate(index, res).removed.map((e) => `- ${e.src} -> ${e.dst}`)].sort();

  test('alone in its class: the class takes the new labels in place, and the policies telling them apart are compiled again', () => {
    const other = pod('ns-a', 'other', { app: 'other' });
    const index = compile(cluster({ endpoints: [web, db, other], policies: [dbFromWeb] }));
    index.materialize();
    const after: Endpoint = { ...other, labels: { app: 'web' } };
    const res = replaceEndpoint(index, other, after);
    expect([res.incremental, res.reason, res.moved]).toEqual([true, null, undefined]);
    expect(res.index.resolve('ns-a/other').bit).toBe(index.resolve('ns-a/other').bit);
    expect(entries(index, res)).toEqual(['+ ns-a/other[Pod] -> ns-a/db[Pod]']);
    expectSame(res.index, compile(cluster({ endpoints: [web, db, after], policies: [dbFromWeb] })));
  });

  test('sharing its class, relabelled like another class: it moves there; no set or row changes, its pairs are the diff', () => {
    const twin = pod('ns-a', 'web-2', { app: 'web' });
    const index = compile(cluster({ endpoints: [web, twin, db], policies: [dbFromWeb] }));
    expect(index.resolve('ns-a/web-2').bit).toBe(index.resolve('ns-a/web').bit);
    const after: Endpoint = { ...twin, labels: { app: 'db' } };
    const res = replaceEndpoint(index, twin, after);
    expect([res.incremental, res.touchedSources, res.moved]).toEqual([true, 0, [index.resolve('ns-a/web-2').index]]);
    expect(res.index.resolve('ns-a/web-2').bit).toBe(index.resolve('ns-a/db').bit);
    // web-2 is now a db pod: db-from-web isolates it for ingress and admits app=web pods of ns-a only
    // (addresses and db lose it; web keeps it), and as a db pod it is no longer admitted by db; a single
    // pod to itself is loopback, allowed before and after
    expect(entries(index, res)).toEqual([
      '- 0.0.0.0-255.255.255.255[External] -> ns-a/web-2[Pod]',
      '- ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] -> ns-a/web-2[Pod]',
      '- ns-a/db[Pod] -> ns-a/web-2[Pod]',
      '- ns-a/web-2[Pod] -> ns-a/db[Pod]',
    ]);
    expectSame(res.index, compile(cluster({ endpoints: [web, after, db], policies: [dbFromWeb] })));
    expect(diffUpdate(index, res)).toEqual(diffIndexes({ before: index, after: res.index }));
  });

  test('labels no selector observes: no class changes and nothing is compiled', () => {
    const index = compile(cluster({ endpoints: [web, db], policies: [dbFromWeb] }));
    const res = replaceEndpoint(index, web, { ...web, labels: { app: 'web', version: 'v2' } });
    expect([res.incremental, res.touchedSources, res.moved]).toEqual([true, 0, undefined]);
    const entity = res.index.resolve('ns-a/web');
    expect(entity.kind === 'endpoint' && entity.endpoint.labels).toEqual({ app: 'web', version: 'v2' });
    expect(res.index.compiled.blocks).toEqual(index.compiled.blocks);
  });

  test('sharing its class and needing a class of its own: a full compile, which says why', () => {
    const twin = pod('ns-a', 'web-2', { app: 'web' });
    const index = compile(cluster({ endpoints: [web, twin, db], policies: [dbFromWeb] }));
    const after: Endpoint = { ...twin, labels: { app: 'api' } };
    const res = replaceEndpoint(index, twin, after);
    expect([res.incremental, res.reason]).toEqual([false, 'a new endpoint class is needed: recompiled in full']);
    expectSame(res.index, compile(cluster({ endpoints: [web, after, db], policies: [dbFromWeb] })));
  });

  test('more than labels (an address) or two ids: a full compile, or a misuse', () => {
    const index = compile(cluster({ endpoints: [web, db], policies: [dbFromWeb] }));
    expect(replaceEndpoint(index, web, { ...web, ips: ['10.0.0.9'] }).reason).toBe('more than labels changed: recompiled in full');
    expect(() => replaceEndpoint(index, web, db)).toThrow(/two endpoints/);
  });
});
