/**
 * The compiled form of every rule: a Block says "for sources in `rows`, destinations in `other`,
 * on port atoms `ports`: `action`". Ingress and egress rules, NetworkPolicies and the admin tiers all
 * compile to this one shape (DESIGN.md "Compile once"), ordered by evaluation order, and each keeps
 * the rule it came from (provenance), so `explain` replays exactly what the index computed.
 */
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { Bits } from './bitset.js';
import type { IdSet } from './id-set.js';

export type Direction = 'ingress' | 'egress';

/**
 * Evaluation tiers in order. `Deny` holds Cilium's ingressDeny/egressDeny rules: first match denies,
 * anything else falls through (Cilium's denies beat every allow, compile/cilium-policy.ts).
 */
export type Tier = 'Deny' | 'Admin' | 'NetworkPolicy' | 'Baseline';
export const TIER_ORDER: Readonly<Record<Tier, number>> = { Deny: 0, Admin: 1, NetworkPolicy: 2, Baseline: 3 };

export type Action = 'Accept' | 'Deny' | 'Pass';

/** Where a rule came from. */
export interface RuleRef {
  readonly tier: Tier;
  /** `ns/name` for a NetworkPolicy, the object name for admin-tier policies. */
  readonly policy: string;
  readonly policyKind: string;
  readonly direction: Direction;
  readonly ruleIndex: number;
  /** Admin tier only. */
  readonly priority: number | null;
  readonly ruleName: string | null;
  readonly action: Action;
  readonly location: SourceLocation;
  readonly policyLocation: SourceLocation;
  /** Cilium only: the L7 rules (http, dns, kafka) the rule attaches, summarised; the allow is subject to them. */
  readonly l7?: string | null;
}

export interface Block {
  readonly id: number;
  readonly direction: Direction;
  readonly tier: Tier;
  readonly action: Action;
  /** Sources the block applies to (over the Universe). */
  readonly rows: IdSet;
  /** Destinations it decides (over the Universe). */
  readonly other: IdSet;
  /** Port atoms it covers. */
  readonly ports: Bits;
  readonly rule: RuleRef;
}

/** Policies that select (isolate or are subject to) a class; for explanations. */
export interface PolicyRef {
  readonly tier: Tier;
  readonly policy: string;
  readonly policyKind: string;
  readonly direction: Direction;
  readonly priority: number | null;
  readonly location: SourceLocation;
  /** Subjects (classes) it selects. */
  readonly subjects: IdSet;
  /** NetworkPolicy only: whether it isolates the subjects in this direction. */
  readonly isolates: boolean;
}
