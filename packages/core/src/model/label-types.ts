/**
 * Label and selector shapes shared by every policy kind's model (model/types.ts and the admin,
 * Cilium and Calico types import them from here, so no model file imports another's whole types).
 */
export type Labels = Readonly<Record<string, string>>;

/** A label-selector operator. */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** One matchExpressions entry of a label selector. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Empty for Exists / DoesNotExist. */
  readonly values: readonly string[];
}

/**
 * A validated metav1.LabelSelector. An empty selector (no labels, no expressions) matches everything;
 * a *nil* selector is represented by `null` where the API distinguishes the two.
 */
export interface LabelSelector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly LabelRequirement[];
}
