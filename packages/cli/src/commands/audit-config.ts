/**
 * The configuration half of the audit: gathers the facts the core cannot (kubeconfig file modes and
 * owners; never their contents) and runs the core's configuration checks. NODEPORT_SERVICE evidence
 * asks the index whether a NetworkPolicy isolates the exposed workloads.
 */
import { stat } from 'node:fs/promises';
import { auditConfiguration, type Cluster, type Finding, type KubeconfigFacts, type ReachabilityIndex, outsideIngress } from '@kubereach/core';
import { UsageError } from '../io.js';

export async function configFindings(cluster: Cluster, index: ReachabilityIndex, kubeconfigs: readonly string[]): Promise<Finding[]> {
  const facts: KubeconfigFacts[] = [];
  const currentUid = typeof process.getuid === 'function' ? process.getuid() : 0;
  for (const p of kubeconfigs) {
    try {
      const s = await stat(p);
      if (!s.isFile()) throw new UsageError(`--kubeconfig '${p}': not a file`);
      facts.push({ path: p, mode: s.mode & 0o777, uid: s.uid, currentUid });
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--kubeconfig '${p}': no such file`);
    }
  }
  return auditConfiguration(cluster, { kubeconfigs: facts, outsideIngress: outsideIngress(index) });
}
