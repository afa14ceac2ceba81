/**
 * Lint checks of Calico policies, proved on the compiled blocks (the engine's own first-match order):
 *
 * | id                       | raised when                                                              |
 * |--------------------------|--------------------------------------------------------------------------|
 * | CALICO_RULE_UNREACHABLE  | a rule can never decide: earlier rules of its tier (Allow, Deny or Pass)  |
 * |                          | whose sources and ports contain the rule's already cover all of its      |
 * |                          | destinations (a Log rule never hides anything: evaluation continues)     |
 * | CALICO_TIER_DEFAULT_DENY | a tier other than `default` whose defaultAction is Deny, with no Allow    |
 * |                          | rule in a direction (a deny list: its rules only Deny, Pass or Log), and  |
 * |                          | some connection of an endpoint it applies to that none of its rules      |
 * |                          | matches: that connection is dropped at the tier's end (Tier reference:   |
 * |                          | "If the Tier applies to the endpoint, but takes no action on the packet  |
 * |                          | the packet is dropped"), usually a forgotten final Pass                  |
 *
 * CALICO_RULE_UNREACHABLE is sound, not complete: only earlier rules that each cover all of the
 * rule's sources and ports are counted, so a rule reported can never match, while a rule hidden by
 * several partial rules together is not reported. CALICO_TIER_DEFAULT_DENY is exact within the tier:
 * it names one connection that reaches the tier's end (earlier tiers may still decide it first).
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
  return [...unreachableRules(index, blocks), ...tierDefaultDeny(index, blocks)];
}

function unreachableRules(index: ReachabilityIndex, blocks: readonly Block[]): Finding[] {
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
        (e) =>
          e.direction === b.direction &&
          rankOf(e) === rankOf(b) &&
          e.id < b.id &&
          e.action !== 'Log' &&
          !sameRule(e, b) &&
          e.rows.containsAll(b.rows.dense()) &&
          B.containsAll(e.ports, b.ports),
      );
      if (earlier.length === 0) return false;
      const covered = IdSet.union(
        b.other.size,
        earlier.map((e) => e.other),
      );
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

/**
 * One connection (row, port atom, destination) of a tier's end block that no deciding rule of the
 * tier matches, or null. Rows are grouped by the rules that list them, and port atoms by the rules
 * of the group that cover them, so the cost is groups x rules, not rows x atoms x rules.
 */
function uncovered(end: Block, rules: readonly Block[], portCount: number): { row: number; atom: number; other: number } | null {
  const groups = new Map<string, { row: number; rules: Block[] }>();
  end.rows.forEach((r) => {
    const mine = rules.filter((b) => b.rows.has(r));
    const key = mine.map((b) => b.id).join(',');
    if (!groups.has(key)) groups.set(key, { row: r, rules: mine });
  });
  const want = end.other.dense();
  for (const g of groups.values()) {
    const byAtoms = new Map<string, number>();
    for (let a = 0; a < portCount; a++) {
      if (!B.has(end.ports, a)) continue;
      const key = g.rules
        .filter((b) => B.has(b.ports, a))
        .map((b) => b.id)
        .join(',');
      if (!byAtoms.has(key)) byAtoms.set(key, a);
    }
    for (const atom of byAtoms.values()) {
      const covering = g.rules.filter((b) => B.has(b.ports, atom));
      const covered = IdSet.union(
        end.other.size,
        covering.map((b) => b.other),
      ).dense();
      const left = B.empty(end.other.size);
      B.orInto(left, want);
      B.andNotInto(left, covered);
      // a destination other than the source itself, when there is one (a pod to itself is loopback)
      const left1 = B.toArray(left);
      const other = left1.find((x) => x !== g.row) ?? left1[0];
      if (other !== undefined) return { row: g.row, atom, other };
    }
  }
  return null;
}

function tierDefaultDeny(index: ReachabilityIndex, blocks: readonly Block[]): Finding[] {
  const out: Finding[] = [];
  const c = index.compiled;
  const name = (bit: number) => index.entities.find((e) => e.bit === bit)?.id ?? `#${bit}`;
  for (const end of blocks) {
    if (end.rule.ruleIndex >= 0 || end.action !== 'Deny' || end.rule.calico?.tier === 'default') continue;
    const rules = blocks.filter((b) => b.direction === end.direction && rankOf(b) === rankOf(end) && b.rule.ruleIndex >= 0);
    if (rules.some((b) => b.action === 'Accept')) continue; // an allow list: its default Deny is the design
    const hit = uncovered(
      end,
      rules.filter((b) => b.action !== 'Log'),
      c.ports.count,
    );
    if (hit === null) continue;
    const tier = end.rule.policy;
    const [src, dst] = [hit.row, hit.other];
    const port = B.empty(c.ports.count);
    B.set(port, hit.atom);
    const policies = [
      ...new Set(
        c.policyRefs
          .filter((r) => r.tier === 'Calico' && r.calicoTier === tier && r.direction === end.direction && !r.subjects.isEmpty())
          .map((r) => `${r.policyKind} ${r.policy}`),
      ),
    ];
    out.push({
      id: 'CALICO_TIER_DEFAULT_DENY',
      severity: 'medium',
      subject: `${tier}[Tier]`,
      message: `tier ${tier} (defaultAction Deny) has no Allow rule for ${end.direction}: connections of the endpoints its policies apply to that no rule passes are dropped at the tier's end, e.g. ${name(src)} -> ${name(dst)} ${c.ports.toConnectionSet(port).toString()}`,
      evidence: `${end.direction} policies of tier ${tier}: ${policies.join(', ')}; their rules only deny, pass or log`,
      fix: `end the tier's policies with a Pass rule (action: Pass), or set the tier's defaultAction to Pass, so traffic the tier does not deny goes on to the next tier`,
      location: end.rule.location,
    });
  }
  return out;
}
