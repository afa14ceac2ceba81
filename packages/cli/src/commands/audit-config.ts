/**
 * The configuration half of the audit: gathers the facts the core cannot (kubeconfig file modes and
 * owners; never their contents) and runs the core's configuration checks. NODEPORT_SERVICE evidence
 * asks the index whether a NetworkPolicy isolates the exposed workloads.
 */
import { realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  auditConfiguration,
  type Cluster,
  type DirectoryFacts,
  type Finding,
  type KubeconfigFacts,
  type ReachabilityIndex,
  outsideIngress,
} from '@kubereach/core';
import { UsageError } from '../io.js';

export async function configFindings(cluster: Cluster, index: ReachabilityIndex, kubeconfigs: readonly string[]): Promise<Finding[]> {
  const facts: KubeconfigFacts[] = [];
  const currentUid = typeof process.getuid === 'function' ? process.getuid() : 0;
  for (const p of kubeconfigs) {
    try {
      const s = await stat(p);
      if (!s.isFile()) throw new UsageError(`--kubeconfig '${p}': not a file`);
      facts.push({ path: p, mode: s.mode & 0o777, uid: s.uid, currentUid, directories: await directoryChain(p) });
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--kubeconfig '${p}': no such file`);
    }
  }
  return auditConfiguration(cluster, { kubeconfigs: facts, outsideIngress: outsideIngress(index) });
}

/**
 * The directories holding a file, from its own up to `/`, with mode and owner: whoever can write to
 * any of them can swap the file (or a directory under it) for their own. Followed through symlinks
 * (realpath), as the file that is read is the one at the end of them.
 */
async function directoryChain(file: string): Promise<DirectoryFacts[]> {
  const out: DirectoryFacts[] = [];
  let dir = dirname(await realpath(file));
  for (;;) {
    const s = await stat(dir);
    out.push({ path: dir, mode: s.mode & 0o7777, uid: s.uid });
    const up = dirname(dir);
    if (up === dir) return out;
    dir = up;
  }
}
