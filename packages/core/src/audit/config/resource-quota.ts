/**
 * NAMESPACE_EXCEEDS_RESOURCEQUOTA: the namespace's workloads, at their declared scale, need more than
 * a ResourceQuota allows, so the ResourceQuota admission plugin refuses the pods past the limit.
 *
 * Usage = sum over workloads of (pod requests or limits after defaulting, ./resources.ts) x pods:
 *   workload kind                                     pods counted
 *   Pod                                               1
 *   Deployment, ReplicaSet, StatefulSet, RC           spec.replicas; when absent, the pods seen in the
 *                                                     input, or 1 (the API default)
 *   DaemonSet                                         1 per Node in the input, 1 when there are none
 *                                                     (node selectors and taints are not evaluated)
 *   Job, CronJob                                      1 (parallelism is not in the model)
 *
 *   hard key                                  compared with
 *   pods                                      pods counted
 *   cpu, memory, ephemeral-storage,           sum of requests
 *   requests.<those>
 *   limits.<those>                            sum of limits
 * Other keys (count/..., storage, extended resources) are not checked. Quotas with `scopes` or a
 * `scopeSelector` are skipped: they apply to a subset of pods the model cannot always decide.
 * Exceeding means usage > hard, exactly (the plugin's Cmp).
 */
import type { Finding } from '../finding.js';
import type { Cluster, Endpoint, OtherObject } from '../../model/types.js';
import { finding } from './make-finding.js';
import { addQuantity, compareQuantity, formatQuantity, parseQuantity, scaleQuantity, ZERO_QUANTITY, type Quantity } from './quantity.js';
import { effectiveResources, podTotals, type LimitRange } from './resources.js';
import { at, isRecord, list, namespaceOf, text } from './raw.js';

const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];

/** How many pods of this workload run at its declared scale. */
export function podCountOf(e: Endpoint, nodeCount: number): number {
  switch (e.kind) {
    case 'Pod':
      return 1;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'ReplicationController':
      return e.replicas ?? (e.podCount > 0 ? e.podCount : 1);
    case 'DaemonSet':
      return Math.max(1, nodeCount);
    case 'Job':
    case 'CronJob':
      return 1;
    default: {
      const _x: never = e.kind;
      return _x;
    }
  }
}

interface Contribution {
  readonly endpoint: Endpoint;
  readonly pods: number;
  readonly requests: Map<string, Quantity>;
  readonly limits: Map<string, Quantity>;
}

/** What one hard key measures for one pod; null for keys this check does not model. */
function perPod(key: string, c: Contribution): Quantity | null {
  if (key === 'pods') return { nanos: 1_000_000_000n, format: 'DecimalSI' };
  if (COMPUTE.includes(key)) return c.requests.get(key) ?? ZERO_QUANTITY;
  const [scope, resource] = key.split('.', 2) as [string, string | undefined];
  if (resource === undefined || !COMPUTE.includes(resource)) return null;
  if (scope === 'requests') return c.requests.get(resource) ?? ZERO_QUANTITY;
  if (scope === 'limits') return c.limits.get(resource) ?? ZERO_QUANTITY;
  return null;
}

export function auditResourceQuota(quota: OtherObject, cluster: Cluster, limitRanges: readonly LimitRange[]): Finding[] {
  if (list(at(quota.value, ['spec', 'scopes'])).length > 0 || isRecord(at(quota.value, ['spec', 'scopeSelector']))) return [];
  const hard = at(quota.value, ['spec', 'hard']);
  if (!isRecord(hard)) return [];
  const namespace = namespaceOf(quota);
  const contributions: Contribution[] = cluster.endpoints
    .filter((e) => e.namespace === namespace)
    .map((endpoint) => {
      const resolved = endpoint.containers.map((container) => ({ container, resources: effectiveResources(container, limitRanges) }));
      return {
        endpoint,
        pods: podCountOf(endpoint, cluster.nodes.length),
        requests: podTotals(resolved, 'requests'),
        limits: podTotals(resolved, 'limits'),
      };
    });
  const exceeded: { key: string; evidence: string; used: Quantity }[] = [];
  for (const [key, raw] of Object.entries(hard)) {
    const parsed = parseQuantity(text(raw) ?? '');
    if (!parsed.ok) continue;
    let used: Quantity = ZERO_QUANTITY;
    const parts: string[] = [];
    for (const c of contributions) {
      const one = perPod(key, c);
      if (one === null) break;
      if (one.nanos === 0n || c.pods === 0) continue;
      used = addQuantity(used, scaleQuantity(one, c.pods));
      parts.push(key === 'pods' ? `${c.endpoint.id} ${c.pods}` : `${c.endpoint.id} ${c.pods} x ${formatQuantity(one)}`);
    }
    if (compareQuantity(used, parsed.quantity) > 0) {
      exceeded.push({ key, used, evidence: `${key}: ${formatQuantity(used)} needed > hard ${text(raw)} (${parts.join(', ')})` });
    }
  }
  const first = exceeded[0];
  if (first === undefined) return [];
  const name = quota.name ?? '<unnamed>';
  return [
    finding(
      'NAMESPACE_EXCEEDS_RESOURCEQUOTA',
      namespace,
      `The workloads of namespace ${namespace} need more than ResourceQuota ${name} allows (${exceeded.map((x) => x.key).join(', ')}): pods past the limit are refused at admission.`,
      exceeded.map((x) => x.evidence).join('; '),
      `in ${quota.location.file}, raise ${exceeded.map((x) => `spec.hard.${x.key} to at least ${formatQuantity(x.used)}`).join(', ')}; or lower the replicas or requests of the workloads listed`,
      quota.locate(['spec', 'hard', first.key]),
    ),
  ];
}
