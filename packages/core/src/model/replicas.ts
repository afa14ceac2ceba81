/**
 * How many pods an endpoint stands for, as far as it matters to reachability: one, or several.
 *
 * A workload is one endpoint, but its replicas are distinct pods: traffic between two of them is
 * ordinary pod-to-pod traffic and obeys policies. Only a pod talking to itself is loopback (always
 * allowed). So an endpoint reaches itself by loopback only when it stands for one pod.
 *
 * | endpoint                                  | several pods when                                   |
 * |-------------------------------------------|-----------------------------------------------------|
 * | bare Pod, or a pod listed on its own      | never                                               |
 * | any workload with Pod objects in the input| more than one of them, or spec.replicas > 1         |
 * | Deployment, ReplicaSet, StatefulSet, RC   | spec.replicas > 1 (absent: 1, the API's default)    |
 * | DaemonSet without Pod objects             | the input has no Node, or more than one (one pod per node) |
 * | Job, CronJob                              | spec.parallelism > 1 (absent: 1; a CronJob's in its |
 * |                                           | jobTemplate). Overlapping runs of a CronJob are not |
 * |                                           | counted: concurrencyPolicy is not read              |
 */
import type { Endpoint } from './types.js';

export function hasSeveralPods(e: Endpoint, nodeCount: number): boolean {
  if (e.kind === 'Pod') return false;
  if (e.podCount > 1) return true;
  if (e.replicas !== null && e.replicas > 1) return true;
  if (e.kind === 'DaemonSet' && e.podCount === 0) return nodeCount !== 1;
  return false;
}
