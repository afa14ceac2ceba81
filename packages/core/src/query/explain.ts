/**
 * Explanations: which policies select each side and which rule decided, replayed from the same
 * compiled blocks the index was built from (evaluate/rows.ts), bit by bit, in the same order — so an
 * explanation can never disagree with the verdict. Every verdict carries its rules.
 */
import * as B from '../compile/bitset.js';
import { isKubernetesNetworkPolicy, rankOf, type Block, type CalicoPlacement, type Direction, type PolicyRef, type RuleRef } from '../compile/block.js';
import { K8S_NETWORK_POLICY_ORDER } from '../model/calico/types.js';
import { destinations, sortedByRank } from '../evaluate/rows.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { ConnectionSet, type ConnProtocol } from '../net/connection-set.js';

/** One link of a decision chain, e.g. `[Admin cnp/x priority 10 rule 0] Pass -> [NetworkPolicy ns/p rule 1] Allow`. */
export type Step =
  | { readonly kind: 'rule'; readonly rule: RuleRef } // an admin or baseline rule matched; its action decides (Pass continues)
  | { readonly kind: 'np-allow'; readonly rules: readonly RuleRef[] } // isolated, and these NetworkPolicy rules allow
  // isolated by these policies, no rule allows; with Calico policies, the end of Calico's default tier (its default action Deny)
  | { readonly kind: 'np-deny'; readonly policies: readonly PolicyRef[]; readonly calicoTier?: { readonly tier: string; readonly tierOrder: number | null } }
  | { readonly kind: 'default-allow' } // nothing isolates or decides: allowed
  | { readonly kind: 'loopback' }; // a pod talking to itself: always allowed, whatever the rules say

/** One direction's decision for a connection: which policies select the subject and the steps that decided. */
export interface DirectionVerdict {
  readonly direction: Direction;
  /** The entity whose side this is (source for egress, destination for ingress). */
  readonly subject: string;
  /** False when that side is an external address: no policy applies there. */
  readonly applies: boolean;
  readonly allowed: boolean;
  /** Policies that select the subject in this direction. */
  readonly selectedBy: readonly PolicyRef[];
  readonly steps: readonly Step[];
}

/** Whether one connection is allowed, with both directions' decisions. */
export interface ConnectionVerdict {
  readonly allowed: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
}

/**
 * Per index (an index never changes; an edit makes a new one), the policies selecting each subject bit,
 * per direction. The first few subjects are found by a scan over every policy; an audit explains a
 * finding per workload, so past them the policies are listed per subject in one pass over each
 * policy's subjects (in policy order, as the scan finds them), which costs the sum of the selections
 * instead of a scan over every policy per subject.
 */
const selectedMemo = new WeakMap<ReachabilityIndex, { readonly bySubject: Map<number, PolicyRef[]>; scans: number; full: boolean }>();

/** Subjects found by scanning every policy before selectedBy lists the policies per subject. */
const SCANS_BEFORE_LISTING = 32;

function selects(r: PolicyRef, dir: Direction): boolean {
  return r.direction === dir && (r.tier !== 'NetworkPolicy' || r.isolates);
}

function selectedBy(index: ReachabilityIndex, dir: Direction, subjectBit: number): PolicyRef[] {
  let memo = selectedMemo.get(index);
  if (memo === undefined) selectedMemo.set(index, (memo = { bySubject: new Map(), scans: 0, full: false }));
  const key = dir === 'egress' ? 2 * subjectBit : 2 * subjectBit + 1;
  let refs = memo.bySubject.get(key);
  if (refs !== undefined) return refs;
  if (memo.full) return NO_REFS;
  const inDefault = defaultTier(index.compiled);
  const place = (r: PolicyRef): PolicyRef => (inDefault !== null && isKubernetesNetworkPolicy(r) ? { ...r, calicoTier: inDefault.tier } : r);
  if (++memo.scans <= SCANS_BEFORE_LISTING) {
    refs = index.compiled.policyRefs.filter((r) => selects(r, dir) && r.subjects.has(subjectBit)).map(place);
    memo.bySubject.set(key, refs);
    return refs;
  }
  // every subject of both directions at once, replacing the scanned lists with equal ones
  const bySubject = memo.bySubject;
  bySubject.clear();
  for (const r of index.compiled.policyRefs) {
    if (!selects(r, r.direction)) continue;
    const ref = place(r);
    const odd = r.direction === 'egress' ? 0 : 1;
    r.subjects.forEach((bit) => {
      const k = 2 * bit + odd;
      const list = bySubject.get(k);
      if (list === undefined) bySubject.set(k, [ref]);
      else list.push(ref);
    });
  }
  memo.full = true;
  return bySubject.get(key) ?? NO_REFS;
}

const NO_REFS: PolicyRef[] = [];

/**
 * With Calico policies in the input, Kubernetes NetworkPolicies are policies of Calico's `default`
 * tier at order 1000 (Calico's policy reference, "Tier"), and explanations name them so, e.g.
 * `[Tier default order 1000000] KubernetesNetworkPolicy app/db rule 0 Allow`: one notation for every
 * link of a chain across tiers. null without Calico policies (the NetworkPolicy notation stays).
 */
function defaultTier(c: ReachabilityIndex['compiled']): CalicoPlacement | null {
  if (!hasCalicoTier(c)) return null;
  const t = c.tierList[c.defaultRank]!;
  return { tier: t.name, tierOrder: t.order, order: K8S_NETWORK_POLICY_ORDER, tieKey: '' };
}

/** A NetworkPolicy rule placed in the default tier when Calico policies are present (see defaultTier). */
function placed(c: ReachabilityIndex['compiled'], r: RuleRef): RuleRef {
  const t = isKubernetesNetworkPolicy(r) && r.calico === undefined ? defaultTier(c) : null;
  return t === null ? r : { ...r, calico: t };
}

/**
 * The policies that select an endpoint in one direction, as explanations list them ("selected by"):
 * admin and baseline policies whose subject covers it, NetworkPolicies that isolate it there. None
 * for an external address.
 */
export function policiesSelecting(index: ReachabilityIndex, entity: IndexEntity, dir: Direction): PolicyRef[] {
  return entity.kind === 'endpoint' ? selectedBy(index, dir, entity.bit) : [];
}

/**
 * The general replay (evaluate/rows.ts evalTiers) for clusters with Calico tiers: tiers by rank, the
 * first matching rule decides, Pass moves to the next tier, Log is listed and evaluation goes on,
 * NetworkPolicy rules allow inside the default tier where NetworkPolicies isolate, and the default
 * tier ends with their isolation.
 */
function decideTiers(
  index: ReachabilityIndex,
  dir: Direction,
  src: IndexEntity,
  dst: IndexEntity,
  blocks: readonly Block[],
): { allowed: boolean; steps: Step[] } {
  const c = index.compiled;
  const subjectBit = dir === 'egress' ? src.bit : dst.bit;
  const isolated = B.has(dir === 'egress' ? c.egressIsolated : c.ingressIsolated, subjectBit);
  const ordered = sortedByRank(blocks);
  const steps: Step[] = [];
  const endDefault = (): { allowed: boolean; steps: Step[] } | null => {
    if (!isolated) return null;
    const t = defaultTier(c)!;
    steps.push({
      kind: 'np-deny',
      policies: selectedBy(index, dir, subjectBit).filter((r) => r.tier === 'NetworkPolicy'),
      calicoTier: { tier: t.tier, tierOrder: t.tierOrder },
    });
    return { allowed: false, steps };
  };
  let defaultDone = false;
  let i = 0;
  while (i < ordered.length) {
    const rank = rankOf(ordered[i]!);
    if (!defaultDone && rank > c.defaultRank) {
      defaultDone = true;
      const end = endDefault();
      if (end !== null) return end;
    }
    let passed = false;
    for (; i < ordered.length && rankOf(ordered[i]!) === rank; i++) {
      const b = ordered[i]!;
      if (passed) continue;
      if (b.tier === 'NetworkPolicy') {
        if (!isolated) continue;
        steps.push({ kind: 'np-allow', rules: [placed(c, b.rule)] });
        return { allowed: true, steps };
      }
      steps.push({ kind: 'rule', rule: b.rule });
      if (b.action === 'Accept') return { allowed: true, steps };
      if (b.action === 'Deny') return { allowed: false, steps };
      if (b.action === 'Pass') passed = true;
    }
    if (rank === c.defaultRank && !passed) {
      defaultDone = true;
      const end = endDefault();
      if (end !== null) return end;
    }
    if (rank === c.defaultRank) defaultDone = true;
  }
  if (!defaultDone) {
    const end = endDefault();
    if (end !== null) return end;
  }
  steps.push({ kind: 'default-allow' });
  return { allowed: true, steps };
}

/**
 * Whether any block is in a Calico tier, once per compilation: audit explains one connection per
 * finding, and scanning every block each time cost more than the explanations themselves (tens of
 * seconds on a cluster with thousands of per-pod policies).
 */
const calicoMemo = new WeakMap<object, boolean>();
function hasCalicoTier(c: ReachabilityIndex['compiled']): boolean {
  let has = calicoMemo.get(c);
  if (has === undefined) calicoMemo.set(c, (has = c.blocks.some((b) => b.tier === 'Calico')));
  return has;
}

function decide(index: ReachabilityIndex, dir: Direction, src: IndexEntity, dst: IndexEntity, atom: number): { allowed: boolean; steps: Step[] } {
  const c = index.compiled;
  const blocks = index.blocksFor(dir, src.bit).filter((b) => B.has(b.ports, atom) && b.other.has(dst.bit));
  if (hasCalicoTier(c)) return decideTiers(index, dir, src, dst, blocks);
  const steps: Step[] = [];
  const tier = (t: Block['tier']) => blocks.filter((b) => b.tier === t);
  for (const b of [...tier('Deny'), ...tier('Admin')]) {
    steps.push({ kind: 'rule', rule: b.rule });
    if (b.action === 'Accept') return { allowed: true, steps };
    if (b.action === 'Deny') return { allowed: false, steps };
    break; // Pass: on to the NetworkPolicy tier
  }
  const subjectBit = dir === 'egress' ? src.bit : dst.bit;
  const isolated = B.has(dir === 'egress' ? c.egressIsolated : c.ingressIsolated, subjectBit);
  if (isolated) {
    const np = tier('NetworkPolicy');
    if (np.length > 0) {
      steps.push({ kind: 'np-allow', rules: np.map((b) => b.rule) });
      return { allowed: true, steps };
    }
    steps.push({ kind: 'np-deny', policies: selectedBy(index, dir, subjectBit).filter((r) => r.tier === 'NetworkPolicy') });
    return { allowed: false, steps };
  }
  for (const b of tier('Baseline')) {
    steps.push({ kind: 'rule', rule: b.rule });
    if (b.action === 'Pass') steps.push({ kind: 'default-allow' });
    return { allowed: b.action !== 'Deny', steps };
  }
  steps.push({ kind: 'default-allow' });
  return { allowed: true, steps };
}

/**
 * Explains one connection (protocol and numeric port; ICMP: `port` the message type, `code` its code)
 * from src to dst. An ICMP type without a code is allowed when every code is (index.allows): where
 * its codes are decided apart, the explanation is that of the first code that is denied.
 */
export function explainConnection(
  index: ReachabilityIndex,
  src: IndexEntity,
  dst: IndexEntity,
  protocol: ConnProtocol,
  port: number,
  code?: number,
): ConnectionVerdict {
  const [first, last] = index.portAtoms(protocol, port, code);
  let atom = first;
  if (last > first && !(src.kind === 'external' && dst.kind === 'external') && !index.isLoopback(src, dst)) {
    const row = index.row(src.bit);
    for (let a = first; a <= last; a++)
      if (!B.has(destinations(row, a), dst.bit)) {
        atom = a;
        break;
      }
  }
  const side = (dir: Direction): DirectionVerdict => {
    const subject = dir === 'egress' ? src : dst;
    if (subject.kind === 'external') {
      return { direction: dir, subject: subject.id, applies: false, allowed: true, selectedBy: [], steps: [] };
    }
    // Loopback: a pod's traffic to itself is always allowed (index.allows says so), whatever the rules
    // say. Between two replicas of one workload it is ordinary traffic, decided below.
    if (index.isLoopback(src, dst)) {
      return {
        direction: dir,
        subject: subject.id,
        applies: true,
        allowed: true,
        selectedBy: selectedBy(index, dir, subject.bit),
        steps: [{ kind: 'loopback' }],
      };
    }
    const d = decide(index, dir, src, dst, atom);
    return { direction: dir, subject: subject.id, applies: true, allowed: d.allowed, selectedBy: selectedBy(index, dir, subject.bit), steps: d.steps };
  };
  const egress = side('egress');
  const ingress = side('ingress');
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}

/** A rule that matches a pair on some ports, with those ports. */
export interface PairRule {
  readonly rule: RuleRef;
  readonly conn: ConnectionSet;
}

/** One direction of a pair explanation: the policies that select the subject and the rules that allow something. */
export interface PairSide {
  readonly direction: Direction;
  readonly subject: string;
  readonly applies: boolean;
  readonly selectedBy: readonly PolicyRef[];
  /** Whether NetworkPolicies isolate the subject in this direction. */
  readonly isolated: boolean;
  /** Every rule (any tier) whose peers and subjects contain the pair, with the ports it covers. */
  readonly rules: readonly PairRule[];
}

/** For a pair without a port: each side's selecting policies and the rules that match the pair. */
export function explainPair(index: ReachabilityIndex, src: IndexEntity, dst: IndexEntity): { conn: ConnectionSet; egress: PairSide; ingress: PairSide } {
  const c = index.compiled;
  const side = (dir: Direction): PairSide => {
    const subject = dir === 'egress' ? src : dst;
    if (subject.kind === 'external') return { direction: dir, subject: subject.id, applies: false, selectedBy: [], isolated: false, rules: [] };
    const rules = index
      .blocksFor(dir, src.bit)
      .filter((b) => b.other.has(dst.bit))
      .map((b) => ({ rule: placed(c, b.rule), conn: c.ports.toConnectionSet(b.ports) }));
    const isolated = B.has(dir === 'egress' ? c.egressIsolated : c.ingressIsolated, subject.bit);
    return { direction: dir, subject: subject.id, applies: true, selectedBy: selectedBy(index, dir, subject.bit), isolated, rules };
  };
  return { conn: index.connectionsBetween(src, dst), egress: side('egress'), ingress: side('ingress') };
}

/** How a Calico explanation names a Kubernetes NetworkPolicy (Calico's own NetworkPolicy kind has that name). */
export const K8S_POLICY_KIND = 'KubernetesNetworkPolicy';

/** `[Tier security order 100]`, or `[Tier security]` for a tier of unknown order. */
export function calicoTierTag(tier: string, order: number | null): string {
  return `[Tier ${tier}${order === null ? '' : ` order ${order}`}]`;
}

/**
 * `[Tier policy priority N rule I] Action` as explanations print a rule; Calico rules as
 * `[Tier security order 100] GlobalNetworkPolicy deny-metadata rule 0 Deny`, a tier's end as
 * `[Tier security order 100] default action Deny`.
 */
export function formatRule(r: RuleRef): string {
  if (r.calico !== undefined) {
    const tier = calicoTierTag(r.calico.tier, r.calico.tierOrder);
    const action = r.action === 'Accept' ? 'Allow' : r.action;
    if (r.ruleIndex < 0) return `${tier} default action ${action}`;
    return `${tier} ${r.tier === 'NetworkPolicy' ? K8S_POLICY_KIND : r.policyKind} ${r.policy} rule ${r.ruleIndex} ${action}`;
  }
  const action = r.action === 'Accept' && (r.tier === 'NetworkPolicy' || r.policyKind.startsWith('Cilium')) ? 'Allow' : r.action;
  if (r.policyKind.startsWith('Cilium')) return `[${r.policyKind} ${r.policy} ${r.ruleName ?? ''} rule ${r.ruleIndex}] ${action}`;
  const prio = r.priority === null ? '' : ` priority ${r.priority}`;
  return `[${r.tier} ${r.policy}${prio} rule ${r.ruleIndex}] ${action}`;
}

export { ConnectionSet };
