/**
 * `auditConfiguration`: every configuration check over a loaded cluster plus the facts only the CLI
 * can learn (kubeconfig file modes, policy isolation from the engine). Pure: no I/O, never throws on
 * odd input, and the same input always gives the same findings in the same order.
 *
 * A check runs only when its input is present: API server checks need a kube-apiserver static pod or a
 * ClusterConfiguration, etcd checks an etcd static pod or a ClusterConfiguration with local etcd, kubelet
 * checks a KubeletConfiguration, encryption checks an EncryptionConfiguration. No input, no finding.
 */
import type { Finding } from '../finding.js';
import { severityRank } from '../finding.js';
import type { Cluster } from '../../model/types.js';
import { auditApiServer } from './apiserver.js';
import { findComponents } from './components.js';
import { auditEncryptionConfiguration, isEncryptionConfiguration } from './encryption.js';
import { auditEtcd } from './etcd.js';
import { auditKubeconfig, type KubeconfigFacts } from './kubeconfig.js';
import { auditLimitRanges } from './limit-range.js';
import { auditNamespaces } from './namespaces.js';
import { auditNodePort, type OutsideIngressOf } from './nodeport.js';
import { auditResourceQuota } from './resource-quota.js';
import { limitRangesByNamespace } from './resources.js';
import { auditComponentTls, auditKubeletTls, isKubeletConfiguration } from './tls.js';

export type { DirectoryFacts, KubeconfigFacts } from './kubeconfig.js';

/** What the caller knows beyond the manifests. */
export interface ConfigAuditFacts {
  /** One entry per `--kubeconfig PATH`, from stat(2). */
  readonly kubeconfigs: readonly KubeconfigFacts[];
  /** True when some NetworkPolicy isolates the endpoint for ingress; absent = not evaluated. */
  readonly isIngressIsolated?: (endpointId: string) => boolean;
  /** Preferred over isIngressIsolated: whether outside sources are actually refused (audit/network/outside.ts). */
  readonly outsideIngress?: OutsideIngressOf;
}

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Severity (high first), then id, subject, file, line, column, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    cmp(a.id, b.id) ||
    cmp(a.subject, b.subject) ||
    cmp(a.location?.file ?? '', b.location?.file ?? '') ||
    cmp(a.location?.line ?? 0, b.location?.line ?? 0) ||
    cmp(a.location?.col ?? 0, b.location?.col ?? 0) ||
    cmp(a.message, b.message)
  );
}

/** The configuration audit: control-plane flags, encryption at rest, TLS, LimitRanges and ResourceQuotas, kubeconfig permissions and NodePort Services, from the cluster and the facts the caller read. Findings sorted like the network audit's. */
export function auditConfiguration(cluster: Cluster, facts: ConfigAuditFacts): Finding[] {
  const findings: Finding[] = [];
  for (const c of findComponents(cluster)) {
    if (c.name === 'kube-apiserver') findings.push(...auditApiServer(c, cluster));
    if (c.name === 'etcd') findings.push(...auditEtcd(c));
    findings.push(...auditComponentTls(c));
  }
  for (const o of cluster.others) {
    if (isEncryptionConfiguration(o)) findings.push(...auditEncryptionConfiguration(o));
    if (isKubeletConfiguration(o)) findings.push(...auditKubeletTls(o));
  }
  const limitRanges = limitRangesByNamespace(cluster.others);
  for (const e of cluster.endpoints) findings.push(...auditLimitRanges(e, limitRanges.get(e.namespace) ?? []));
  for (const o of cluster.others) {
    if (o.kind === 'ResourceQuota') {
      findings.push(...auditResourceQuota(o, cluster, limitRanges.get(o.namespace ?? 'default') ?? []));
    }
  }
  findings.push(...auditNamespaces(cluster));
  for (const k of facts.kubeconfigs) findings.push(...auditKubeconfig(k));
  for (const s of cluster.services) findings.push(...auditNodePort(s, cluster, facts.isIngressIsolated, facts.outsideIngress));
  return findings.sort(compareFindings);
}
