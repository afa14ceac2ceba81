/**
 * Admin-tier policies (ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy / BaselineAdminNetworkPolicy
 * v1alpha1, already unified by model/admin) -> Blocks with an action and a tier, the same shape as
 * NetworkPolicy rules, so the index, queries, diff and audit need nothing else.
 *
 * | peer / subject | classes or atoms                                                            |
 * |----------------|-----------------------------------------------------------------------------|
 * | subject        | non-host-network classes of namespaces matching nsSel (and podSel for pods) |
 * | namespaces     | non-host-network classes of the matching namespaces                         |
 * | pods           | non-host-network classes matching both selectors                            |
 * | nodes          | the IP atoms of the selected Nodes' addresses                               |
 * | networks       | IP atoms inside the CIDRs, and classes with a known IP there (ipblockPods)   |
 * | domainNames    | nothing (cannot be evaluated from manifests; the loader warned)             |
 * Named ports carry no protocol: they resolve on each destination class to (protocol, number).
 */
import type { AdminPeer, AdminPolicy, AdminPort, AdminRule } from '../model/admin/types.js';
import type { LabelSelector, Protocol } from '../model/types.js';
import { PROTOCOLS } from '../model/types.js';
import { parseIP } from '../net/ip.js';
import * as B from './bitset.js';
import type { Block, Direction, PolicyRef, RuleRef } from './block.js';
import type { NpCompileContext } from './network-policy.js';
import { matches } from './selector.js';

const PREFIX: Record<AdminPolicy['sourceKind'], string> = {
  ClusterNetworkPolicy: 'cnp',
  AdminNetworkPolicy: 'anp',
  BaselineAdminNetworkPolicy: 'banp',
};

/** `cnp/name`, `anp/name`, `banp/default`: how explanations name an admin-tier policy. */
export function adminPolicyName(p: AdminPolicy): string {
  return `${PREFIX[p.sourceKind]}/${p.name}`;
}

export interface AdminCompileContext extends NpCompileContext {
  /** Classes whose pods use hostNetwork (never admin subjects or pod peers). */
  readonly hostNetwork: B.Bits;
  /** Node name -> its labels and addresses. */
  readonly nodes: readonly { readonly labels: Readonly<Record<string, string>>; readonly addresses: readonly string[] }[];
}

function classesOf(ctx: AdminCompileContext, nsSel: LabelSelector, podSel: LabelSelector | null): B.Bits {
  const bits = ctx.u.pods(ctx.u.namespaces(nsSel), podSel).slice();
  B.andNotInto(bits, ctx.hostNetwork);
  return bits;
}

function peerBits(ctx: AdminCompileContext, peer: AdminPeer): B.Bits {
  const u = ctx.u;
  switch (peer.kind) {
    case 'namespaces':
      return classesOf(ctx, peer.namespaceSelector, null);
    case 'pods':
      return classesOf(ctx, peer.namespaceSelector, peer.podSelector);
    case 'nodes': {
      const bits = B.empty(u.size);
      for (const n of ctx.nodes) {
        if (!matches(peer.nodeSelector, n.labels)) continue;
        for (const a of n.addresses) {
          const ip = parseIP(a);
          if (ip !== null) B.set(bits, u.atomBit(u.atoms.find(ip.value)));
        }
      }
      return bits;
    }
    case 'networks': {
      const bits = B.empty(u.size);
      for (const c of peer.cidrs) B.orInto(bits, u.ipBlock(c, [], ctx.ipblockPods));
      return bits;
    }
    case 'domainNames':
      return B.empty(u.size);
    default: {
      const never: never = peer;
      throw new Error(`unreachable admin peer ${JSON.stringify(never)}`);
    }
  }
}

function compileRule(ctx: AdminCompileContext, pol: AdminPolicy, dir: Direction, rule: AdminRule, subjects: B.Bits, out: Block[]): void {
  const peers = B.empty(ctx.u.size);
  for (const p of rule.peers) B.orInto(peers, peerBits(ctx, p));
  const src = dir === 'egress' ? subjects : peers;
  const dst = dir === 'egress' ? peers : subjects;
  const ref: RuleRef = {
    tier: pol.tier,
    policy: adminPolicyName(pol),
    policyKind: pol.sourceKind,
    direction: dir,
    ruleIndex: rule.index,
    priority: pol.priority,
    ruleName: rule.name === '' ? null : rule.name,
    action: rule.action,
    location: rule.location,
    policyLocation: pol.location,
  };
  const push = (other: B.Bits, ports: B.Bits) => {
    if (B.isEmpty(other) || B.isEmpty(src) || B.isEmpty(ports)) return;
    out.push({ id: ctx.nextId++, direction: dir, tier: pol.tier, action: rule.action, rows: src, other, ports, rule: ref });
  };
  if (rule.ports === null) return push(dst, ctx.ports.all());
  // one block per rule for numeric ports and ranges; named ports split the destinations by resolution.
  // All blocks of one rule are adjacent and carry the same action, so first-match order is kept.
  const numeric = B.empty(ctx.ports.count);
  const named = new Map<string, B.Bits>(); // "PROTO/port" -> destination classes
  for (const p of rule.ports) {
    if (p.kind === 'number') ctx.ports.rangeBits(p.protocol, p.port, p.port, numeric);
    else if (p.kind === 'range') ctx.ports.rangeBits(p.protocol, p.start, p.end, numeric);
    else resolveNamed(ctx, p, dst, named);
  }
  if (!B.isEmpty(numeric)) push(dst, numeric);
  for (const [key, group] of named) {
    const [proto, num] = key.split('/') as [Protocol, string];
    push(group, ctx.ports.rangeBits(proto, Number(num), Number(num)));
  }
}

function resolveNamed(ctx: AdminCompileContext, p: Extract<AdminPort, { kind: 'named' }>, among: B.Bits, out: Map<string, B.Bits>): void {
  const { classes } = ctx.u;
  B.forEach(among, (c) => {
    if (c >= classes.count) return;
    const cp = classes.rep[c]!.ports.find((x) => x.name === p.name);
    if (cp === undefined) return;
    const key = `${cp.protocol}/${cp.port}`;
    let g = out.get(key);
    if (g === undefined) out.set(key, (g = B.empty(ctx.u.size)));
    B.set(g, c);
  });
}

export function compileAdminPolicy(ctx: AdminCompileContext, pol: AdminPolicy, out: Block[], refs: PolicyRef[]): void {
  const s = pol.subject;
  const subjects = classesOf(ctx, s.namespaceSelector, s.kind === 'pods' ? s.podSelector : null);
  for (const dir of ['ingress', 'egress'] as const) {
    const rules = dir === 'ingress' ? pol.ingress : pol.egress;
    if (rules.length === 0) continue;
    refs.push({ tier: pol.tier, policy: adminPolicyName(pol), policyKind: pol.sourceKind, direction: dir, priority: pol.priority, location: pol.location, subjects, isolates: false });
    for (const r of rules) compileRule(ctx, pol, dir, r, subjects, out);
  }
}

/** Cut points an admin policy contributes. */
export function adminCuts(pol: AdminPolicy, nodes: AdminCompileContext['nodes'], ipCuts: bigint[], portCuts: Record<Protocol, number[]>, named: Set<string>): void {
  for (const r of [...pol.ingress, ...pol.egress]) {
    for (const peer of r.peers) {
      if (peer.kind === 'networks') for (const c of peer.cidrs) ipCuts.push(c.start, c.end + 1n);
      if (peer.kind === 'nodes') {
        for (const n of nodes) {
          if (!matches(peer.nodeSelector, n.labels)) continue;
          for (const a of n.addresses) {
            const ip = parseIP(a);
            if (ip !== null) ipCuts.push(ip.value, ip.value + 1n);
          }
        }
      }
    }
    for (const p of r.ports ?? []) {
      if (p.kind === 'number') portCuts[p.protocol].push(p.port, p.port + 1);
      else if (p.kind === 'range') portCuts[p.protocol].push(p.start, p.end + 1);
      else for (const proto of PROTOCOLS) named.add(`${p.name}/${proto}`);
    }
  }
}
