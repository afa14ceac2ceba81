/**
 * Text rendering of explanations: what `kubereach can --explain` prints, and what the HTML report
 * shows for an edge (one text, so the page and the terminal never disagree).
 */
import { formatLocation } from '../diagnostics/diagnostic.js';
import { escapeControl as txt } from '../text/escape.js';
import type { PolicyRef } from '../compile/block.js';
import { calicoTierTag, formatRule, K8S_POLICY_KIND, type ConnectionVerdict, type DirectionVerdict, type PairSide, type Step } from './explain.js';

function policyLine(p: PolicyRef): string {
  if (p.calicoTier !== undefined)
    return `${p.tier === 'NetworkPolicy' ? K8S_POLICY_KIND : p.policyKind} ${txt(p.policy)} (tier ${p.calicoTier}, ${txt(formatLocation(p.location))})`;
  const prio = p.priority === null ? '' : ` priority ${p.priority}`;
  return `${p.tier === 'NetworkPolicy' ? p.policyKind : `${p.tier} ${p.policyKind}`} ${txt(p.policy)}${prio} (${txt(formatLocation(p.location))})`;
}

function stepText(s: Step): string {
  switch (s.kind) {
    case 'rule':
      return `${txt(formatRule(s.rule))} (${txt(formatLocation(s.rule.location))})`;
    case 'np-allow':
      return s.rules.map((r) => `${txt(formatRule(r))} (${txt(formatLocation(r.location))})`).join(' + ');
    case 'np-deny':
      if (s.calicoTier !== undefined)
        return `${calicoTierTag(s.calicoTier.tier, s.calicoTier.tierOrder)} default action Deny: isolated by ${s.policies.map((p) => `${K8S_POLICY_KIND} ${txt(p.policy)}`).join(', ')} and no rule allows it`;
      return `[NetworkPolicy] Deny: isolated by ${s.policies.map((p) => txt(p.policy)).join(', ')} and no rule allows it`;
    case 'default-allow':
      return 'no policy isolates it: allowed by default';
    case 'loopback':
      return 'loopback (a pod talking to itself): always allowed, whatever the policies say';
    default: {
      const never: never = s;
      return String(never);
    }
  }
}

function header(d: { direction: string; subject: string }): string {
  return `${d.direction} of ${txt(d.subject)}:`;
}

/** A connection verdict as text lines: per direction, the selecting policies and the deciding rule. */
export function renderVerdict(v: ConnectionVerdict): string {
  const side = (d: DirectionVerdict): string[] => {
    if (!d.applies) return [header(d), '  an external address: no policy applies on this side'];
    const lines = [header(d)];
    lines.push(d.selectedBy.length === 0 ? '  selected by no policy' : `  selected by: ${d.selectedBy.map(policyLine).join(', ')}`);
    lines.push(`  ${d.allowed ? 'allowed' : 'denied'}: ${d.steps.map(stepText).join(' -> ')}`);
    return lines;
  };
  return [...side(v.egress), ...side(v.ingress)].join('\n');
}

/** One side (egress or ingress) of a pair explanation as text lines. */
export function renderPairSide(s: PairSide): string {
  if (!s.applies) return `${header(s)}\n  an external address: no policy applies on this side`;
  const lines = [header(s)];
  lines.push(s.selectedBy.length === 0 ? '  selected by no policy' : `  selected by: ${s.selectedBy.map(policyLine).join(', ')}`);
  if (s.rules.length === 0) {
    lines.push(s.isolated ? '  isolated, and no rule matches this pair: nothing allowed' : '  not isolated: everything allowed by default');
  } else {
    for (const r of s.rules) lines.push(`  ${txt(formatRule(r.rule))} ${r.conn.toString()} (${txt(formatLocation(r.rule.location))})`);
    if (!s.isolated && s.rules.every((r) => r.rule.tier === 'NetworkPolicy')) lines.push('  (not isolated: everything else is allowed by default too)');
  }
  return lines.join('\n');
}
