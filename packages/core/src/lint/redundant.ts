/**
 * RULE_REDUNDANT and POLICY_SHADOWED, proved with the engine rather than by comparing YAML:
 *
 * - a rule is redundant when removing it changes no allowed connection. The rule is removed with
 *   the incremental update (evaluate/update.ts: only the sources its blocks list get new rows), and
 *   every such row is compared with the one before, port atom by port atom (rows-equal.ts).
 *   Rules are tried last first and each redundant one stays removed for the next tries, so of two
 *   rules that cover each other the later is reported, and removing every reported rule together
 *   still changes nothing (a property test checks this).
 * - a redundant rule is shadowed when the Admin tier decides every connection it matches: in a
 *   cluster of the Admin tier alone plus the policy with only that rule (nothing isolates the other
 *   side, no Baseline), the rule still changes nothing. Admin Pass hands a connection on to the
 *   NetworkPolicy tier, so only Accept and Deny rules can shadow one.
 *
 * A rule that matches nothing (its peers, ports or subjects select nothing) is left to the
 * selection checks, which name the cause.
 */
import * as B from '../compile/bitset.js';
import type { Block } from '../compile/block.js';
import { compile, type IndexEntity, type ReachabilityIndex } from '../evaluate/index.js';
import { replacePolicy } from '../evaluate/update.js';
import type { Finding } from '../audit/finding.js';
import { samplePort, sampleText } from '../query/evidence.js';
import { formatLocation } from '../diagnostics/diagnostic.js';
import type { NetworkPolicy, PolicyRule } from '../model/types.js';
import { explainConnection, formatRule, type Step } from '../query/explain.js';
import { rowsEqual } from './rows-equal.js';
import { policySubject, ruleName } from './selection.js';

type Dir = 'ingress' | 'egress';

const pid = (p: Pick<NetworkPolicy, 'namespace' | 'name'>) => `${p.namespace}/${p.name}`;

function ruleBlocks(index: ReachabilityIndex, policy: string, dir: Dir, ruleIndex: number): Block[] {
  return index.compiled.blocks.filter((b) => b.tier === 'NetworkPolicy' && b.rule.policy === policy && b.direction === dir && b.rule.ruleIndex === ruleIndex);
}

function withoutRule(p: NetworkPolicy, dir: Dir, rule: PolicyRule): NetworkPolicy {
  return dir === 'ingress' ? { ...p, ingress: p.ingress.filter((r) => r !== rule) } : { ...p, egress: p.egress.filter((r) => r !== rule) };
}

/** Whether every source the blocks list has the same row in both indexes. */
function unchanged(before: ReachabilityIndex, after: ReachabilityIndex, blocks: readonly Block[]): boolean {
  const P = before.compiled.ports.count;
  const seen = B.empty(before.compiled.u.size);
  let same = true;
  for (const b of blocks) {
    b.rows.forEach((s) => {
      if (!same || B.has(seen, s)) return;
      B.set(seen, s);
      if (!rowsEqual(before.row(s), after.row(s), P)) same = false;
    });
    if (!same) return false;
  }
  return true;
}

function entityOfBit(index: ReachabilityIndex): Map<number, IndexEntity> {
  const m = new Map<number, IndexEntity>();
  for (const e of index.entities) if (!m.has(e.bit)) m.set(e.bit, e);
  return m;
}

/** One connection a block matches: its first source, first destination other than the source, first port. */
function sample(index: ReachabilityIndex, blocks: readonly Block[], ents: Map<number, IndexEntity>) {
  for (const b of blocks) {
    let src: IndexEntity | undefined;
    let dst: IndexEntity | undefined;
    b.rows.forEach((s) => {
      if (src !== undefined) return;
      b.other.forEach((d) => {
        if (dst !== undefined) return;
        const a = ents.get(s);
        const z = ents.get(d);
        if (a === undefined || z === undefined || (a.kind === 'external' && z.kind === 'external') || a === z) return;
        src = a;
        dst = z;
      });
    });
    const sp = samplePort(index.compiled.ports.toConnectionSet(b.ports));
    if (src !== undefined && dst !== undefined && sp !== null) return { src: src as IndexEntity, dst: dst as IndexEntity, ...sp };
  }
  return null;
}

function stepText(s: Step): string {
  switch (s.kind) {
    case 'rule':
      return `${formatRule(s.rule)} at ${formatLocation(s.rule.location)}`;
    case 'np-allow':
      return s.rules.map((r) => `${formatRule(r)} at ${formatLocation(r.location)}`).join(', ');
    case 'np-deny':
      return `isolated by ${s.policies.map((p) => p.policy).join(', ')} with no rule allowing it`;
    case 'default-allow':
      return 'not isolated: allowed by default';
    case 'loopback':
      return 'loopback: always allowed';
    default: {
      const never: never = s;
      return never;
    }
  }
}

/** Why a sample connection of a removed rule is unchanged, from the index without the rule. */
function redundantEvidence(after: ReachabilityIndex, blocks: readonly Block[], ents: Map<number, IndexEntity>, sources: number): string {
  const proof = `removed, the ${sources} source${sources === 1 ? '' : 's'} it lists were re-evaluated and every one allows the same connections as before`;
  const sm = sample(after, blocks, ents);
  if (sm === null) return proof;
  const v = explainConnection(after, sm.src, sm.dst, sm.protocol, sm.port, sm.code);
  const why = v.allowed
    ? `${sm.src.id} -> ${sm.dst.id} ${sampleText(sm)} is still allowed (${[v.egress, v.ingress]
        .filter((d) => d.applies)
        .map((d) => `${d.direction}: ${d.steps.map(stepText).join(' -> ')}`)
        .join('; ')})`
    : `${sm.src.id} -> ${sm.dst.id} ${sampleText(sm)} stays denied (${[v.egress, v.ingress]
        .filter((d) => d.applies && !d.allowed)
        .map((d) => `${d.direction}: ${d.steps.map(stepText).join(' -> ') || 'denied'}`)
        .join('; ')})`;
  return `${proof}; e.g. ${why}`;
}

/** Whether the Admin tier alone decides every connection of the rule; the deciding admin rule as evidence. */
function shadowedBy(index: ReachabilityIndex, pol: NetworkPolicy, dir: Dir, rule: PolicyRule): string | null {
  const cluster = index.compiled.cluster;
  const admin = (cluster.adminPolicies ?? []).filter((a) => a.tier === 'Admin');
  if (admin.length === 0) return null;
  const only: NetworkPolicy = {
    ...pol,
    isolatesIngress: dir === 'ingress',
    isolatesEgress: dir === 'egress',
    ingress: dir === 'ingress' ? [rule] : [],
    egress: dir === 'egress' ? [rule] : [],
  };
  const x = compile({ ...cluster, policies: [only], adminPolicies: admin }, index.compiled.options);
  const blocks = ruleBlocks(x, pid(pol), dir, rule.index);
  if (blocks.length === 0) return null;
  const y = replacePolicy(x, only, withoutRule(only, dir, rule)).index;
  if (!unchanged(x, y, blocks)) return null;
  const sm = sample(x, blocks, entityOfBit(x));
  if (sm === null) return 'the Admin tier decides every connection it matches';
  const v = explainConnection(x, sm.src, sm.dst, sm.protocol, sm.port, sm.code);
  const step = [...v.egress.steps, ...v.ingress.steps].find(
    (s): s is Extract<Step, { kind: 'rule' }> => s.kind === 'rule' && s.rule.tier === 'Admin' && s.rule.action !== 'Pass',
  );
  const by = step === undefined ? 'the Admin tier' : `${formatRule(step.rule)} at ${formatLocation(step.rule.location)}`;
  return `${sm.src.id} -> ${sm.dst.id} ${sampleText(sm)} is decided by ${by} before NetworkPolicies are consulted; with the Admin tier alone and this rule, removing the rule changes no connection`;
}

/** A rule proved redundant: removing it (with every rule listed before it) changes no connection. */
export interface RedundantRule {
  /** `ns/name` of the NetworkPolicy. */
  readonly policy: string;
  readonly direction: Dir;
  /** The rule's index in its list, as written. */
  readonly ruleIndex: number;
  /** Evidence that the Admin tier decides all its traffic, or null when it is merely redundant. */
  readonly shadowedBy: string | null;
  readonly finding: Finding;
}

/**
 * Rules whose removal changes no allowed connection, last first; each stays removed while the next
 * is tried, so removing all of them together changes nothing either.
 */
export function redundantRules(index: ReachabilityIndex): RedundantRule[] {
  const out: RedundantRule[] = [];
  const ents = entityOfBit(index);
  let cur = index;
  const policies = index.compiled.cluster.policies;
  for (let pi = policies.length - 1; pi >= 0; pi--) {
    let pol = policies[pi]!;
    const id = pid(pol);
    for (const dir of ['egress', 'ingress'] as const) {
      if (!(dir === 'ingress' ? pol.isolatesIngress : pol.isolatesEgress)) continue;
      const rules = dir === 'ingress' ? pol.ingress : pol.egress;
      for (let ri = rules.length - 1; ri >= 0; ri--) {
        const rule = rules[ri]!;
        const blocks = ruleBlocks(cur, id, dir, rule.index);
        if (blocks.length === 0) continue; // matches nothing: the selection checks say why
        const next = withoutRule(pol, dir, rule);
        const upd = replacePolicy(cur, pol, next).index;
        if (!unchanged(cur, upd, blocks)) continue;
        const sources = new Set<number>();
        for (const b of blocks) b.rows.forEach((s) => sources.add(s));
        const subject = policySubject(pol);
        const where = `${subject} ${ruleName(dir, rule)}`;
        const shadow = shadowedBy(index, policies[pi]!, dir, rule);
        const finding: Finding =
          shadow !== null
            ? {
                id: 'POLICY_SHADOWED',
                severity: 'medium',
                subject,
                message: `${where} never decides anything: an Admin-tier rule accepts or denies every connection it matches first.`,
                evidence: shadow,
                fix: 'Delete the rule, or change the Admin-tier policy (a Pass hands the traffic to NetworkPolicies) if the rule is what is meant.',
                location: rule.location,
              }
            : {
                id: 'RULE_REDUNDANT',
                severity: 'low',
                subject,
                message: `${where} is redundant: removing it changes no allowed connection.`,
                evidence: `proved with the engine: ${redundantEvidence(upd, blocks, ents, sources.size)}`,
                fix: `Delete ${ruleName(dir, rule)} (keep spec.policyTypes explicit if it is the last ${dir} rule, so the pods stay isolated).`,
                location: rule.location,
              };
        out.push({ policy: id, direction: dir, ruleIndex: rule.index, shadowedBy: shadow, finding });
        cur = upd;
        pol = next;
      }
    }
  }
  return out;
}

export function redundancyFindings(index: ReachabilityIndex): Finding[] {
  return redundantRules(index).map((r) => r.finding);
}
