/**
 * The compiled form of every rule: a Block says "for sources in `rows`, destinations in `other`,
 * on port atoms `ports`: `action`". Ingress and egress rules, NetworkPolicies and the admin tiers all
 * compile to this one shape (compile once, then queries cannot fail), ordered by evaluation order, and each keeps
 * the rule it came from (provenance), so `explain` replays exactly what the index computed.
 */
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { Bits } from './bitset.js';
import type { IdSet } from './id-set.js';

/** A policy direction: traffic into the subject (ingress) or out of it (egress). */
export type Direction = 'ingress' | 'egress';

/**
 * Where a block's rule comes from. `Deny` holds Cilium's ingressDeny/egressDeny rules: first match
 * denies, anything else falls through (Cilium's denies beat every allow, compile/cilium-policy.ts).
 * Admin, NetworkPolicy and Baseline are the tiers Calico calls kube-admin, default and kube-baseline;
 * Calico policies carry their own tier name (RuleRef.calico), which may be one of those three or any
 * Tier of the input. The evaluation order of all of them is `Block.rank` (compile/compile.ts);
 * without Calico tiers the ranks are these.
 */
export type Tier = 'Deny' | 'Admin' | 'NetworkPolicy' | 'Baseline' | 'Calico';
export const TIER_ORDER: Readonly<Record<Exclude<Tier, 'Calico'>, number>> = { Deny: 0, Admin: 1, NetworkPolicy: 2, Baseline: 3 };

/** Accept (Calico's Allow), Deny, Pass (to the next tier), Log (no effect on the verdict). */
export type Action = 'Accept' | 'Deny' | 'Pass' | 'Log';

/** Calico placement of a rule: tier, orders and the name tie-break (see compile/calico-policy.ts). */
export interface CalicoPlacement {
  readonly tier: string;
  readonly tierOrder: number | null;
  /** The policy's order (null: last); null too for a tier's default-action block. */
  readonly order: number | null;
  readonly tieKey: string;
}

/**
 * Whether a rule or policy reference is a Kubernetes NetworkPolicy's: Cilium policies compile into
 * the NetworkPolicy tier too, and views that read NetworkPolicies alone (exposure, Calico's default
 * tier placement) tell them apart by kind.
 */
export function isKubernetesNetworkPolicy(r: { readonly tier: Tier; readonly policyKind: string }): boolean {
  return r.tier === 'NetworkPolicy' && r.policyKind === 'NetworkPolicy';
}

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
  /** Calico rules and tier ends (ruleIndex -1, policyKind `Tier`, policy = the tier's name). */
  readonly calico?: CalicoPlacement;
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
  /**
   * Position of the block's tier in evaluation order, set when blocks are sorted (compile.ts); a
   * block made later (an incremental update, only without Calico tiers) has none and takes
   * TIER_ORDER of its tier.
   */
  readonly rank?: number;
}

/** The tier rank of a block (see Block.rank). */
export function rankOf(b: Block): number {
  return b.rank ?? (b.tier === 'Calico' ? 1 : TIER_ORDER[b.tier]);
}

/** Policies that select (isolate or are subject to) a class; for explanations. */
export interface PolicyRef {
  readonly tier: Tier;
  readonly policy: string;
  readonly policyKind: string;
  readonly direction: Direction;
  readonly priority: number | null;
  readonly location: SourceLocation;
  /**
   * Subjects (classes) it selects.
   * @internal storage: ask the index (policiesSelecting) instead
   */
  readonly subjects: IdSet;
  /** NetworkPolicy only: whether it isolates the subjects in this direction. */
  readonly isolates: boolean;
  /** Calico policies: the tier. */
  readonly calicoTier?: string;
}
