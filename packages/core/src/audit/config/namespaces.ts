/**
 * NAMESPACE_NO_LIMITRANGE / NAMESPACE_NO_RESOURCEQUOTA: a namespace that holds workloads has no such
 * object in the input.
 *
 * Every namespace with at least one workload counts, kube-system included: the guidance asks for both
 * objects in every namespace, and kube-system runs the most privileged pods, where a runaway add-on
 * can starve the control plane. Static (mirror) pods count as workloads of kube-system. Namespaces
 * without workloads are not reported: nothing runs there to limit. Located at the Namespace object, or
 * at the namespace's first workload when the Namespace itself is not in the input.
 */
import type { Finding } from '../finding.js';
import type { Cluster, Endpoint } from '../../model/types.js';
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import { finding } from './make-finding.js';
import { namespaceOf } from './raw.js';

export function auditNamespaces(cluster: Cluster): Finding[] {
  const workloads = new Map<string, Endpoint[]>();
  for (const e of cluster.endpoints) {
    const arr = workloads.get(e.namespace) ?? [];
    arr.push(e);
    workloads.set(e.namespace, arr);
  }
  const has = (kind: string): Set<string> => new Set(cluster.others.filter((o) => o.kind === kind).map(namespaceOf));
  const withLimitRange = has('LimitRange');
  const withQuota = has('ResourceQuota');
  // the first Namespace object of each name, as a search of the list in order would find it
  const nsLocation = new Map<string, SourceLocation | null>();
  for (const n of cluster.namespaces) if (!nsLocation.has(n.name)) nsLocation.set(n.name, n.location);
  const out: Finding[] = [];
  for (const [ns, list] of workloads) {
    const first = list[0] as Endpoint;
    const location: SourceLocation = nsLocation.get(ns) ?? first.location;
    const names =
      list
        .slice(0, 5)
        .map((e) => e.id)
        .join(', ') + (list.length > 5 ? `, and ${list.length - 5} more` : '');
    if (!withLimitRange.has(ns)) {
      out.push(
        finding(
          'NAMESPACE_NO_LIMITRANGE',
          ns,
          `Namespace ${ns} has workloads but no LimitRange: containers without requests or limits get no defaults and no bounds.`,
          `no LimitRange in namespace ${ns}; workloads: ${names}`,
          `create a LimitRange in ${ns} with a \`type: Container\` item setting \`default\` and \`defaultRequest\` (cpu, memory) and a \`max\` per container, e.g. \`kubectl apply -n ${ns} -f limitrange.yaml\``,
          location,
        ),
      );
    }
    if (!withQuota.has(ns)) {
      out.push(
        finding(
          'NAMESPACE_NO_RESOURCEQUOTA',
          ns,
          `Namespace ${ns} has workloads but no ResourceQuota: nothing caps how much of the cluster it can take.`,
          `no ResourceQuota in namespace ${ns}; workloads: ${names}`,
          `create a ResourceQuota in ${ns}, e.g. \`kubectl create quota compute -n ${ns} --hard=pods=<n>,requests.cpu=<cpu>,requests.memory=<mem>,limits.cpu=<cpu>,limits.memory=<mem>\` sized above the workloads' current needs`,
          location,
        ),
      );
    }
  }
  return out;
}
