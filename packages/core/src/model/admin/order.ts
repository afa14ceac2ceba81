/**
 * The order the admin tiers are evaluated in, and the warning when that order is ours rather than
 * the API's. Output order is evaluation order: Admin before Baseline, ascending priority, then by
 * name. Equal priorities within a tier have no defined order upstream; when the two subjects could
 * select a common pod and both policies have rules in a common direction, ADMIN_PRIORITY_CONFLICT
 * (a warning) names both, and the name order is our documented tie-break.
 */
import { makeDiagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatLocation } from '../../diagnostics/diagnostic.js';
import { selectorsMayOverlap, EMPTY_SELECTOR } from './selector.js';
import type { AdminPolicy, AdminSubject } from './types.js';
import { adminPolicyRef } from './types.js';

function subjectParts(s: AdminSubject): { ns: AdminSubject['namespaceSelector']; pod: AdminSubject['namespaceSelector'] } {
  switch (s.kind) {
    case 'namespaces':
      return { ns: s.namespaceSelector, pod: EMPTY_SELECTOR };
    case 'pods':
      return { ns: s.namespaceSelector, pod: s.podSelector };
    default: {
      const never: never = s;
      throw new Error(`unreachable subject ${JSON.stringify(never)}`);
    }
  }
}

/** Whether some pod could be selected by both subjects (selectors are compared, not the cluster). */
function subjectsMayOverlap(a: AdminSubject, b: AdminSubject): boolean {
  const pa = subjectParts(a);
  const pb = subjectParts(b);
  return selectorsMayOverlap(pa.ns, pb.ns) && selectorsMayOverlap(pa.pod, pb.pod);
}

function sharesDirection(a: AdminPolicy, b: AdminPolicy): boolean {
  return (a.ingress.length > 0 && b.ingress.length > 0) || (a.egress.length > 0 && b.egress.length > 0);
}

/** Evaluation order: Admin before Baseline, ascending priority, then by name (our tie-break), then kind. */
export function compareEvaluationOrder(a: AdminPolicy, b: AdminPolicy): number {
  if (a.tier !== b.tier) return a.tier === 'Admin' ? -1 : 1;
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.sourceKind < b.sourceKind ? -1 : a.sourceKind > b.sourceKind ? 1 : 0;
}

/**
 * ADMIN_PRIORITY_CONFLICT warnings over policies in evaluation order: each later policy of an equal
 * (tier, priority) pair whose subjects can overlap and which share a direction.
 */
export function priorityConflicts(sorted: readonly AdminPolicy[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      if (b.tier !== a.tier || b.priority !== a.priority) break;
      if (!sharesDirection(a, b) || !subjectsMayOverlap(a.subject, b.subject)) continue;
      out.push(
        makeDiagnostic(
          'ADMIN_PRIORITY_CONFLICT',
          'warning',
          `${adminPolicyRef(b)} has the same ${b.tier} priority ${b.priority} as ${adminPolicyRef(a)} ` +
            `(${formatLocation(a.location)}) and their subjects can overlap; the order between them is undefined ` +
            `upstream (kubereach evaluates ${a.name} first, by name)`,
          b.location,
          adminPolicyRef(b),
        ),
      );
    }
  }
  return out;
}
