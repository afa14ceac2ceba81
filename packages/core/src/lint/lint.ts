/**
 * `lint`: policy-authoring mistakes, computed from the compiled index (what the engine matched and
 * allowed), never from the YAML's shape. Ids are a stable contract (CI gates and SARIF rules key on
 * them); findings share the audit's Finding shape, so the same renderers and `--fail-on` apply.
 *
 * | id                           | severity | raised when                                                          |
 * |------------------------------|----------|----------------------------------------------------------------------|
 * | POLICY_SELECTS_NOTHING       | medium   | the policy's podSelector matches no pod of its namespace             |
 * | PEER_SELECTS_NOTHING         | medium   | a rule's pod/namespace peer matches nothing                          |
 * | NAMESPACE_MISSING            | medium   | a policy in, or a peer naming, a namespace absent from the input     |
 * | RULE_REDUNDANT               | low      | removing the rule changes no allowed connection (proved)             |
 * | POLICY_SHADOWED              | medium   | the Admin tier accepts or denies all the rule's traffic first        |
 * | DNS_BLOCKED                  | medium   | an egress-isolated workload cannot reach cluster DNS on UDP+TCP 53   |
 * | NAMED_PORT_UNDEFINED         | medium   | a named port no destination of the rule defines                      |
 * | IPBLOCK_COVERS_PODS          | low      | an ipBlock overlaps pod or Service addresses (CNI-dependent)         |
 * | EMPTY_POLICY_TYPES_MISMATCH  | high     | rules of a direction an explicit policyTypes leaves out (ignored)    |
 * | CALICO_RULE_UNREACHABLE      | low      | a Calico rule earlier rules of its tier always decide first (proved)  |
 * | CALICO_TIER_DEFAULT_DENY     | medium   | a Calico tier with only Deny/Pass rules whose default Deny drops traffic |
 */
import type { Finding } from '../audit/finding.js';
import { sortFindings } from '../audit/network/audit.js';
import type { ReachabilityIndex } from '../evaluate/index.js';
import { calicoFindings } from './calico.js';
import { dnsFindings } from './dns.js';
import { redundancyFindings } from './redundant.js';
import { selectionFindings } from './selection.js';

export { LINT_IDS, type LintId } from '../audit/finding-ids.js';

/**
 * Every lint check over a compiled index; findings sorted like the audit's (severity, id, subject).
 * The index is not changed (redundancy is proved on incremental updates derived from it).
 */
export function lint(index: ReachabilityIndex): Finding[] {
  return sortFindings([...selectionFindings(index), ...redundancyFindings(index), ...dnsFindings(index), ...calicoFindings(index)]);
}
