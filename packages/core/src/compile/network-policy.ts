/**
 * NetworkPolicy v1 -> Blocks. The per-rule semantics live here, one decision per line:
 * - subjects: classes of the policy's namespace matching podSelector (`{}` = all of them);
 * - a rule with peers null (from/to absent or empty) matches every class and every external atom;
 * - pods peer: namespaceSelector nil = the policy's namespace, else matching namespaces; podSelector
 *   nil = all pods there (both given = AND of the two);
 * - ipBlock peer: external atoms inside cidr minus except, and (ipblockPods 'match') classes having a
 *   known IP there;
 * - ports null = every port of every protocol; numeric (+endPort) = that range; a named port resolves
 *   on each *destination* class (ingress: the subject, egress: the peer) by name and protocol, and
 *   never matches an external address.
 */
import type { NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule, Protocol } from '../model/types.js';
import * as B from './bitset.js';
import type { Block, Direction, PolicyRef } from './block.js';
import { IdSet } from './id-set.js';
import type { PortAtoms } from './port-atoms.js';
import type { Universe } from './universe.js';

export interface NpCompileContext {
  readonly u: Universe;
  readonly ports: PortAtoms;
  readonly ipblockPods: boolean;
  nextId: number;
  /**
   * From the CNI profile (compile/profile.ts): classes that are never subjects or pod peers
   * (host-network pods under Cilium), and atoms an ipBlock never matches (node addresses under
   * Cilium). Absent: none.
   */
  readonly notPods?: B.Bits;
  readonly notCidr?: B.Bits;
}

const WITHOUT_MEMO = new WeakMap<B.Bits, WeakMap<IdSet, IdSet>>();

/**
 * `set` minus `bits`, once per (set, bits): selections are shared, memoised sets (Universe.pods), and
 * so is what the profile leaves of them, so equal peers keep giving one object (named ports and the
 * index's block merging key on them) and no set is copied per rule.
 */
function without(set: IdSet, bits: B.Bits): IdSet {
  let m = WITHOUT_MEMO.get(bits);
  if (m === undefined) WITHOUT_MEMO.set(bits, (m = new WeakMap()));
  let r = m.get(set);
  if (r === undefined) m.set(set, (r = set.minus(bits)));
  return r;
}

function peerSet(ctx: NpCompileContext, pol: NetworkPolicy, peer: PolicyPeer): IdSet {
  const u = ctx.u;
  switch (peer.kind) {
    case 'pods': {
      const nss = peer.namespaceSelector === null ? [pol.namespace] : u.namespaces(peer.namespaceSelector);
      const set = u.pods(nss, peer.podSelector);
      return ctx.notPods === undefined ? set : without(set, ctx.notPods);
    }
    case 'ipBlock': {
      const set = u.ipBlock(peer.cidr, peer.except, ctx.ipblockPods);
      return ctx.notCidr === undefined ? set : without(set, ctx.notCidr);
    }
    default: {
      const never: never = peer;
      throw new Error(`unreachable peer ${JSON.stringify(never)}`);
    }
  }
}

const NAMED_MEMO = new WeakMap<IdSet, Map<string, Map<number, IdSet>>>();

/**
 * Named port -> groups of destination classes resolving it to the same number. Memoised per
 * destination set (those are shared, memoised bitsets), as many rules name the same port.
 */
function resolveNamed(ctx: NpCompileContext, name: string, protocol: Protocol, among: IdSet): Map<number, IdSet> {
  let byName = NAMED_MEMO.get(among);
  if (byName === undefined) NAMED_MEMO.set(among, (byName = new Map()));
  const key = `${name}/${protocol}`;
  const memo = byName.get(key);
  if (memo !== undefined) return memo;
  const ids = new Map<number, number[]>();
  const { classes } = ctx.u;
  among.forEach((c) => {
    if (c >= classes.count) return; // external atoms have no named ports
    const cp = classes.rep[c]!.ports.find((p) => p.name === name && p.protocol === protocol);
    if (cp === undefined) return;
    let g = ids.get(cp.port);
    if (g === undefined) ids.set(cp.port, (g = []));
    g.push(c);
  });
  const groups = new Map<number, IdSet>();
  for (const [port, members] of ids) groups.set(port, IdSet.ofIds(ctx.u.size, members));
  byName.set(key, groups);
  return groups;
}

function portBits(ctx: NpCompileContext, p: PolicyPort): B.Bits {
  if (p.port === null) return ctx.ports.protocolBits(p.protocol);
  const n = p.port as number;
  return ctx.ports.rangeBits(p.protocol, n, p.endPort ?? n);
}

function compileRule(ctx: NpCompileContext, pol: NetworkPolicy, dir: Direction, rule: PolicyRule, subjects: IdSet, out: Block[]): void {
  const peers =
    rule.peers === null
      ? ctx.u.allSet
      : IdSet.union(
          ctx.u.size,
          rule.peers.map((p) => peerSet(ctx, pol, p)),
        ); // one peer: its shared (memoised) set
  const src = dir === 'egress' ? subjects : peers;
  const dst = dir === 'egress' ? peers : subjects;
  const ref = {
    tier: 'NetworkPolicy' as const,
    policy: `${pol.namespace}/${pol.name}`,
    policyKind: 'NetworkPolicy',
    direction: dir,
    ruleIndex: rule.index,
    priority: null,
    ruleName: null,
    action: 'Accept' as const,
    location: rule.location,
    policyLocation: pol.location,
  };
  const push = (other: IdSet, ports: B.Bits) => {
    if (other.isEmpty() || src.isEmpty() || B.isEmpty(ports)) return;
    out.push({ id: ctx.nextId++, direction: dir, tier: 'NetworkPolicy', action: 'Accept', rows: src, other, ports, rule: ref });
  };
  if (rule.ports === null) {
    push(dst, ctx.ports.all());
    return;
  }
  // numeric ports of one rule share one block; named ports get one block per resolved number
  const numeric = B.empty(ctx.ports.count);
  let anyNumeric = false;
  for (const p of rule.ports) {
    if (typeof p.port === 'string') {
      for (const [num, group] of resolveNamed(ctx, p.port, p.protocol, dst)) {
        push(group, ctx.ports.rangeBits(p.protocol, num, num));
      }
    } else {
      B.orInto(numeric, portBits(ctx, p));
      anyNumeric = true;
    }
  }
  if (anyNumeric) push(dst, numeric);
}

/** Compiles one policy: its blocks (appended to `out`) and the policy refs for explanations. */
export function compileNetworkPolicy(ctx: NpCompileContext, pol: NetworkPolicy, out: Block[], refs: PolicyRef[]): void {
  const selected = ctx.u.pods([pol.namespace], pol.podSelector);
  const subjects = ctx.notPods === undefined ? selected : without(selected, ctx.notPods);
  for (const dir of ['ingress', 'egress'] as const) {
    const isolates = dir === 'ingress' ? pol.isolatesIngress : pol.isolatesEgress;
    refs.push({
      tier: 'NetworkPolicy',
      policy: `${pol.namespace}/${pol.name}`,
      policyKind: 'NetworkPolicy',
      direction: dir,
      priority: null,
      location: pol.location,
      subjects,
      isolates,
    });
    // rules of a direction the policy does not isolate have no effect (the API server accepts them)
    if (!isolates) continue;
    for (const rule of dir === 'ingress' ? pol.ingress : pol.egress) compileRule(ctx, pol, dir, rule, subjects, out);
  }
}

/** Port boundaries a policy contributes (named ports are added once resolved, by the caller). */
export function npPortCuts(pol: NetworkPolicy, cuts: Record<Protocol, number[]>, named: Set<string>): void {
  for (const rules of [pol.ingress, pol.egress]) {
    for (const r of rules) {
      for (const p of r.ports ?? []) {
        if (typeof p.port === 'number') cuts[p.protocol].push(p.port, (p.endPort ?? p.port) + 1);
        else if (typeof p.port === 'string') named.add(`${p.port}/${p.protocol}`);
      }
    }
  }
}
