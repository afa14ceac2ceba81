/**
 * The configuration audit's finding ids and their severities: one table, so the checks, the README
 * and the tests cannot drift apart. Ids are a stable contract (CI gates and SARIF rules key on them).
 */
import type { Severity } from '../finding.js';

export type ConfigFindingId =
  | 'APISERVER_INSECURE_PORT'
  | 'APISERVER_NO_ENCRYPTION_AT_REST'
  | 'ENCRYPTION_IDENTITY_FIRST'
  | 'ENCRYPTION_LOCAL_KEY'
  | 'APISERVER_ETCD_PLAINTEXT'
  | 'ETCD_NO_CLIENT_TLS'
  | 'ETCD_NO_CLIENT_CERT_AUTH'
  | 'ETCD_PEER_NO_TLS'
  | 'TLS_MIN_VERSION_WEAK'
  | 'NAMESPACE_NO_LIMITRANGE'
  | 'NAMESPACE_NO_RESOURCEQUOTA'
  | 'WORKLOAD_VIOLATES_LIMITRANGE'
  | 'NAMESPACE_EXCEEDS_RESOURCEQUOTA'
  | 'KUBECONFIG_PERMISSIONS'
  | 'NODEPORT_SERVICE';

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

export const CONFIG_FINDING_IDS = Object.keys(CONFIG_FINDING_SEVERITY) as readonly ConfigFindingId[];
