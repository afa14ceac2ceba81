/**
 * The configuration audit's finding severities: one table over its ids (audit/finding-ids.ts), so the
 * checks, the README and the tests cannot drift apart. Ids are a stable contract (CI gates and SARIF
 * rules key on them).
 */
import type { Severity } from '../finding.js';
import { CONFIG_FINDING_IDS, type ConfigFindingId } from '../finding-ids.js';

export { CONFIG_FINDING_IDS, type ConfigFindingId };

/** The severity of each configuration finding id. */
export const CONFIG_FINDING_SEVERITY: Readonly<Record<ConfigFindingId, Severity>> = {
  APISERVER_INSECURE_PORT: 'high',
  APISERVER_NO_ENCRYPTION_AT_REST: 'high',
  ENCRYPTION_IDENTITY_FIRST: 'high',
  ENCRYPTION_LOCAL_KEY: 'low',
  APISERVER_ETCD_PLAINTEXT: 'high',
  ETCD_NO_CLIENT_TLS: 'high',
  ETCD_NO_CLIENT_CERT_AUTH: 'high',
  ETCD_PEER_NO_TLS: 'medium',
  TLS_MIN_VERSION_WEAK: 'medium',
  NAMESPACE_NO_LIMITRANGE: 'low',
  NAMESPACE_NO_RESOURCEQUOTA: 'low',
  WORKLOAD_VIOLATES_LIMITRANGE: 'medium',
  NAMESPACE_EXCEEDS_RESOURCEQUOTA: 'medium',
  KUBECONFIG_PERMISSIONS: 'high',
  NODEPORT_SERVICE: 'low',
};
