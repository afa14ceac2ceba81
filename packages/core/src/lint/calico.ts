/**
 * Lint checks of Calico policies, proved on the compiled blocks (the engine's own first-match order):
 *
 * | id                       | raised when                                                              |
 * |--------------------------|--------------------------------------------------------------------------|
 * | CALICO_RULE_UNREACHABLE  | a rule can never decide: earlier rules of its tier (Allow, Deny or Pass)  |
 * |                          | whose sources and ports contain the rule's already cover all of its      |
 * |                          | destinations (a Log rule never hides anything: evaluation continues)     |
 *
 * Sound, not complete: only earlier rules that each cover all of the rule's sources and ports are
 * counted, so a rule reported can never match, while a rule hidden by several partial rules together
 * is not reported.
 */
import * as B from '../compile/bitset.js';
import { rankOf, type Block } from '../compile/block.js';
import { IdSet } from '../compile/id-set.js';
import type { Finding } from '../audit/finding.js';
import type { ReachabilityIndex } from '../evaluate/index.js';
import { formatRule } from '../query/explain.js';

function subject(b: Block): string {
  return `${b.rule.policy}[${b.rule.policyKind}]`;
}

export function calicoFindings(index: ReachabilityIndex): Finding[] {
  const blocks = index.compiled.blocks.filter((b) => b.tier === 'Calico');
  if (blocks.length === 0) return [];
  const all = index.compiled.blocks;
  const out: Finding[] = [];
  const reported = new Set<string>();
  // the blocks of one rule (named ports split destinations): the rule is unreachable when each is
  const byRule = new Map<string, Block[]>();
  for (const b of blocks) {
    if (b.rule.ruleIndex < 0) continue; // a tier's end
    const k = `${b.rule.policyKind}|${b.rule.policy}|${b.direction}|${b.rule.ruleIndex}`;
    (byRule.get(k) ?? byRule.set(k, []).get(k)!).push(b);
  }
  for (const [k, rule] of byRule) {
    const hidden = rule.every((b) => {
      const earlier = all.filter(
        (e) => e.direction === b.direction && rankOf(e) === rankOf(b) && e.id < b.id && e.action !== 'Log' && !sameRule(e, b) && e.rows.containsAll(b.rows.dense()) && B.containsAll(e.ports, b.ports),
      );
      if (earlier.length === 0) return false;
      const covered = IdSet.union(b.other.size, earlier.map((e) => e.other));
      return covered.containsAll(b.other.dense());
    });
    if (!hidden || reported.has(k)) continue;
    reported.add(k);
    const b = rule[0]!;
    out.push({
      id: 'CALICO_RULE_UNREACHABLE',
      severity: 'low',
      subject: subject(b),
      message: `${b.direction} rule ${b.rule.ruleIndex} of ${b.rule.policyKind} ${b.rule.policy} can never decide: earlier rules of tier ${b.rule.calico?.tier ?? ''} already allow, deny or pass all of its traffic`,
      evidence: `${formatRule(b.rule)}: every source, destination and port it matches is decided first`,
      fix: 'remove the rule, or move it (or give its policy a lower order) so it comes before the rules that hide it',
      location: b.rule.location,
    });
  }
  return out;
}

function sameRule(a: Block, b: Block): boolean {
  return a.rule.policy === b.rule.policy && a.rule.policyKind === b.rule.policyKind && a.rule.ruleIndex === b.rule.ruleIndex;
}
