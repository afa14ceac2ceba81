/**
 * Every finding id, in one closed union: the network audit's, the configuration audit's and the
 * linter's. Ids are a stable contract (CI gates, `--fail-on` and SARIF rules key on them): add new
 * ids here, never rename one. Each list is in the order its checks are documented.
 */

/** Ids of the network audit (`auditNetwork`); audit/network/audit.ts says when each is raised. */
export const NETWORK_FINDING_IDS = [
  'METADATA_REACHABLE',
  'CONTROL_PLANE_REACHABLE',
  'NAMESPACE_NO_DEFAULT_DENY_INGRESS',
  'NAMESPACE_NO_DEFAULT_DENY_EGRESS',
  'WORKLOAD_IN_SYSTEM_NAMESPACE',
  'LATERAL_PATH',
  'HOSTNETWORK_UNRESTRICTED',
  'EXPOSED_SENSITIVE_WORKLOAD',
] as const;
/** A network audit finding id. */
export type NetworkFindingId = (typeof NETWORK_FINDING_IDS)[number];

/** Ids of the configuration audit (`auditConfiguration`); their severities are in `CONFIG_FINDING_SEVERITY`. */
export const CONFIG_FINDING_IDS = [
  'APISERVER_INSECURE_PORT',
  'APISERVER_NO_ENCRYPTION_AT_REST',
  'ENCRYPTION_IDENTITY_FIRST',
  'ENCRYPTION_LOCAL_KEY',
  'APISERVER_ETCD_PLAINTEXT',
  'ETCD_NO_CLIENT_TLS',
  'ETCD_NO_CLIENT_CERT_AUTH',
  'ETCD_PEER_NO_TLS',
  'TLS_MIN_VERSION_WEAK',
  'NAMESPACE_NO_LIMITRANGE',
  'NAMESPACE_NO_RESOURCEQUOTA',
  'WORKLOAD_VIOLATES_LIMITRANGE',
  'NAMESPACE_EXCEEDS_RESOURCEQUOTA',
  'KUBECONFIG_PERMISSIONS',
  'NODEPORT_SERVICE',
] as const;
/** A configuration audit finding id. */
export type ConfigFindingId = (typeof CONFIG_FINDING_IDS)[number];

/** Ids of the policy linter (`lint`); lint/lint.ts says when each is raised. */
export const LINT_IDS = [
  'POLICY_SELECTS_NOTHING',
  'PEER_SELECTS_NOTHING',
  'NAMESPACE_MISSING',
  'RULE_REDUNDANT',
  'POLICY_SHADOWED',
  'DNS_BLOCKED',
  'NAMED_PORT_UNDEFINED',
  'IPBLOCK_COVERS_PODS',
  'EMPTY_POLICY_TYPES_MISMATCH',
  'CALICO_RULE_UNREACHABLE',
  'CALICO_TIER_DEFAULT_DENY',
] as const;
/** A policy lint finding id. */
export type LintId = (typeof LINT_IDS)[number];

/** Any finding id: a typo in one is a compile error. */
export type FindingId = NetworkFindingId | ConfigFindingId | LintId;
