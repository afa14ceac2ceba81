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
import { IdSet } from './id-set.js';
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

function classesOf(ctx: AdminCompileContext, nsSel: LabelSelector, podSel: LabelSelector | null): IdSet {
  return ctx.u.pods(ctx.u.namespaces(nsSel), podSel).minus(ctx.hostNetwork);
}

function peerSet(ctx: AdminCompileContext, peer: AdminPeer): IdSet {
  const u = ctx.u;
  switch (peer.kind) {
    case 'namespaces':
      return classesOf(ctx, peer.namespaceSelector, null);
    case 'pods':
      return classesOf(ctx, peer.namespaceSelector, peer.podSelector);
    case 'nodes': {
      const ids: number[] = [];
      for (const n of ctx.nodes) {
        if (!matches(peer.nodeSelector, n.labels)) continue;
        for (const a of n.addresses) {
          const ip = parseIP(a);
          if (ip !== null) ids.push(u.atomBit(u.atoms.find(ip.value)));
        }
      }
      return IdSet.ofIds(u.size, ids);
    }
    case 'networks':
      return IdSet.union(
        u.size,
        peer.cidrs.map((c) => u.ipBlock(c, [], ctx.ipblockPods)),
      );
    case 'domainNames':
      return IdSet.empty(u.size);
    default: {
      const never: never = peer;
      throw new Error(`unreachable admin peer ${JSON.stringify(never)}`);
    }
  }
}

function compileRule(ctx: AdminCompileContext, pol: AdminPolicy, dir: Direction, rule: AdminRule, subjects: IdSet, out: Block[]): void {
  const peers = IdSet.union(
    ctx.u.size,
    rule.peers.map((p) => peerSet(ctx, p)),
  );
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
  const push = (other: IdSet, ports: B.Bits) => {
    if (other.isEmpty() || src.isEmpty() || B.isEmpty(ports)) return;
    out.push({ id: ctx.nextId++, direction: dir, tier: pol.tier, action: rule.action, rows: src, other, ports, rule: ref });
  };
  if (rule.ports === null) return push(dst, ctx.ports.all());
  // one block per rule for numeric ports and ranges; named ports split the destinations by resolution.
  // All blocks of one rule are adjacent and carry the same action, so first-match order is kept.
  const numeric = B.empty(ctx.ports.count);
  const named = new Map<string, number[]>(); // "PROTO/port" -> destination classes
  for (const p of rule.ports) {
    if (p.kind === 'number') ctx.ports.rangeBits(p.protocol, p.port, p.port, numeric);
    else if (p.kind === 'range') ctx.ports.rangeBits(p.protocol, p.start, p.end, numeric);
    else resolveNamed(ctx, p, dst, named);
  }
  if (!B.isEmpty(numeric)) push(dst, numeric);
  for (const [key, group] of named) {
    const [proto, num] = key.split('/') as [Protocol, string];
    push(IdSet.ofIds(ctx.u.size, group), ctx.ports.rangeBits(proto, Number(num), Number(num)));
  }
}

function resolveNamed(ctx: AdminCompileContext, p: Extract<AdminPort, { kind: 'named' }>, among: IdSet, out: Map<string, number[]>): void {
  const { classes } = ctx.u;
  among.forEach((c) => {
    if (c >= classes.count) return;
    const cp = classes.rep[c]!.ports.find((x) => x.name === p.name);
    if (cp === undefined) return;
    const key = `${cp.protocol}/${cp.port}`;
    let g = out.get(key);
    if (g === undefined) out.set(key, (g = []));
    g.push(c);
  });
}

export function compileAdminPolicy(ctx: AdminCompileContext, pol: AdminPolicy, out: Block[], refs: PolicyRef[]): void {
  const s = pol.subject;
  const subjects = classesOf(ctx, s.namespaceSelector, s.kind === 'pods' ? s.podSelector : null);
  for (const dir of ['ingress', 'egress'] as const) {
    const rules = dir === 'ingress' ? pol.ingress : pol.egress;
    if (rules.length === 0) continue;
    refs.push({
      tier: pol.tier,
      policy: adminPolicyName(pol),
      policyKind: pol.sourceKind,
      direction: dir,
      priority: pol.priority,
      location: pol.location,
      subjects,
      isolates: false,
    });
    for (const r of rules) compileRule(ctx, pol, dir, r, subjects, out);
  }
}

/** Cut points an admin policy contributes. */
export function adminCuts(
  pol: AdminPolicy,
  nodes: AdminCompileContext['nodes'],
  ipCuts: bigint[],
  portCuts: Record<Protocol, number[]>,
  named: Set<string>,
): void {
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
