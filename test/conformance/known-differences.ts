/**
 * Cases of netpol-analyzer's connlist suite where kubereach's listing differs from theirs after the
 * documented normalisations (connlist.test.ts), each with the exact reason. A known difference is
 * still checked: its `check` says precisely what the difference is, and the runner fails if the
 * listings differ in any other way (or no longer differ at all, so a stale entry is noticed).
 */

export type DifferenceCheck =
  | {
      /**
       * Their tool groups several of our endpoints into one; our listing, with each member renamed to
       * the group's id and the lines between members dropped, must equal theirs. The members must be
       * indistinguishable (every line of one member is a line of each other member), so the merge
       * loses nothing but the lines between members.
       */
      readonly kind: 'merge';
      readonly groups: Readonly<Record<string, readonly string[]>>;
    }
  | {
      /** The exact lines (normalised text) that only one side prints. */
      readonly kind: 'lines';
      readonly onlyOurs: readonly string[];
      readonly onlyTheirs: readonly string[];
    };

export interface KnownDifference {
  /** cases.json `testDirName`. */
  readonly case: string;
  /** Which rule and object, what netpol-analyzer does, what Kubernetes specifies, what kubereach does. */
  readonly reason: string;
  readonly check: DifferenceCheck;
}

/**
 * The six "pods with the same owner" cases share one input shape: pod-1 and pod-2 in `default` each
 * carry `ownerReferences: [{name: internal-security, controller: true}]` with no kind, apiVersion or
 * uid, and different labels; pod-3 has no owner.
 *
 * netpol-analyzer groups pods by owner name and prints the group once, as
 * `default/internal-security[Pod]`, listing no connection between its members. Kubernetes: an
 * OwnerReference requires apiVersion, kind, name and uid (API reference, meta/v1 OwnerReference), so
 * this reference names no object and no controller; and NetworkPolicy applies to pods one by one —
 * grouping is presentation. kubereach (its naming rules: the controller is a reference to a
 * workload kind) keeps pod-1 and pod-2 as the bare pods `default/pod-1[Pod]` and
 * `default/pod-2[Pod]`, and lists pod-1 <-> pod-2, which is real traffic between two pods.
 *
 * The check merges pod-1 and pod-2 into their group only after proving that the two are
 * indistinguishable in our listing (each has exactly the other's lines), so the only lines the
 * merge hides are the ones between the two pods.
 */
const SAME_OWNER_NO_KIND =
  'Pods default/pod-1 and default/pod-2 have ownerReferences [{name: internal-security, controller: true}] ' +
  'without kind/apiVersion/uid. netpol-analyzer groups them by owner name as one entity ' +
  'default/internal-security[Pod] and omits pod-1<->pod-2; Kubernetes requires OwnerReference.kind ' +
  '(meta/v1 API reference), so the reference names no controller, and NetworkPolicy isolates pods one by ' +
  'one. kubereach lists them as the bare pods default/pod-1[Pod] and default/pod-2[Pod] and includes the ' +
  'pod-1<->pod-2 connections.';

const SAME_OWNER_GROUPS = { 'default/internal-security[Pod]': ['default/pod-1[Pod]', 'default/pod-2[Pod]'] };

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    case: 'example_pods_w_same_owner_and_labels_gap_no_policy',
    reason: `${SAME_OWNER_NO_KIND} No policy: both pods allow everything, so we list pod-1<->pod-2 All Connections.`,
    check: { kind: 'merge', groups: SAME_OWNER_GROUPS },
  },
  {
    case: 'example_pods_w_same_owner_and_labels_gap_with_policy_selector_not_in_gap',
    reason:
      `${SAME_OWNER_NO_KIND} Policy default/use_common_labels_same_values selects every pod for ingress and allows ` +
      'TCP 8050 from pods with security=internal (pod-1 and pod-2), so we list pod-1<->pod-2 TCP 8050.',
    check: { kind: 'merge', groups: SAME_OWNER_GROUPS },
  },
  {
    case: 'example_pods_w_same_owner_and_labels_gap_with_good_match_expression',
    reason:
      `${SAME_OWNER_NO_KIND} Policy default/use_common_labels_same_values selects every pod for ingress and allows ` +
      'TCP 90 from pods where the key app exists (all three), so we list pod-1<->pod-2 TCP 90.',
    check: { kind: 'merge', groups: SAME_OWNER_GROUPS },
  },
  {
    case: 'example_pods_w_same_owner_and_labels_gap_with_good_match_expression2',
    reason:
      `${SAME_OWNER_NO_KIND} Policy default/use_match_exp_with_all_gap_values_of_app selects every pod for ingress ` +
      'and allows TCP 90 from pods with app In (query-selector, command-selector): pod-1 and pod-2, so we list ' +
      'pod-1<->pod-2 TCP 90.',
    check: { kind: 'merge', groups: SAME_OWNER_GROUPS },
  },
  {
    case: 'example_pods_w_same_owner_and_labels_gap_anp_good',
    reason:
      `${SAME_OWNER_NO_KIND} AdminNetworkPolicy new-example (priority 10) has subject pods with security=internal ` +
      '(pod-1 and pod-2): ingress from app=pod3 is Allowed on TCP 80 and Denied otherwise; traffic between pod-1 and ' +
      'pod-2 is not matched by any rule, so we list pod-1<->pod-2 All Connections.',
    check: { kind: 'merge', groups: SAME_OWNER_GROUPS },
  },
  {
    case: 'example_pods_w_same_owner_and_labels_gap_banp_good',
    reason:
      `${SAME_OWNER_NO_KIND} BaselineAdminNetworkPolicy default denies egress from app=pod3 to pods with ` +
      'security=internal (pod-1 and pod-2) and says nothing about pod-1<->pod-2, so we list pod-1<->pod-2 All Connections.',
    check: { kind: 'merge', groups: SAME_OWNER_GROUPS },
  },
];
