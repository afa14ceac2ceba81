/**
 * LATERAL_PATH: an internet-exposed workload (ingress allowed from some external address, or selected
 * by a LoadBalancer/NodePort Service) that cannot reach a sensitive target directly but can through a
 * chain of allowed hops. Direct reachability is already METADATA_REACHABLE / CONTROL_PLANE_REACHABLE;
 * this finding is about the pivot.
 */
import * as B from '../../compile/bitset.js';
import type { IndexEntity, ReachabilityIndex } from '../../evaluate/index.js';
import { ClassReach } from '../../graph/paths.js';
import { anyDestinations, type Row } from '../../evaluate/rows.js';
import { findPath, goalClasses, type PathGoal } from '../../graph/lateral.js';
import { matches } from '../../compile/selector.js';
import type { Target } from '../../targets/resolve.js';
import type { Finding } from '../finding.js';
import { exposedEndpoints, type EntryPath } from '../../services/entry-points.js';

type EndpointEntity = Extract<IndexEntity, { kind: 'endpoint' }>;

function endpointsByNamespace(index: ReachabilityIndex): Map<string, EndpointEntity[]> {
  const m = new Map<string, EndpointEntity[]>();
  for (const e of index.entities) {
    if (e.kind !== 'endpoint') continue;
    const list = m.get(e.endpoint.namespace);
    if (list === undefined) m.set(e.endpoint.namespace, [e]);
    else list.push(e);
  }
  return m;
}

function exposed(index: ReachabilityIndex, paths: readonly EntryPath[]): Map<number, string> {
  const { cluster, u } = index.compiled;
  const why = new Map<number, string>();
  const fromOutside = B.empty(u.size);
  const rows = new Set<Row>(); // the address ranges share a few rows
  index.entities.forEach((e) => {
    if (e.kind !== 'external') return;
    const row = index.row(e.bit);
    if (rows.has(row)) return;
    rows.add(row);
    B.orInto(fromOutside, anyDestinations(row, u.size));
  });
  index.entities.forEach((e) => {
    if (e.kind === 'endpoint' && B.has(fromOutside, e.bit)) why.set(e.index, 'ingress is allowed from addresses outside the cluster');
  });
  // entry points whose policies admit the traffic (NodePort/LoadBalancer, Ingress, Gateway): the
  // path says which; Services whose backends the entry analysis could not place keep the old reason
  for (const [i, p] of exposedEndpoints(paths)) why.set(i, `reached from outside through ${p.entry}`);
  // a Service selects in its own namespace: the endpoints of each, in entity order
  let byNamespace: Map<string, EndpointEntity[]> | undefined;
  for (const svc of cluster.services) {
    if ((svc.type !== 'LoadBalancer' && svc.type !== 'NodePort') || svc.selector === null) continue;
    const sel = { matchLabels: svc.selector, matchExpressions: [] };
    byNamespace ??= endpointsByNamespace(index);
    for (const e of byNamespace.get(svc.namespace) ?? []) {
      if (matches(sel, e.endpoint.labels) && !why.has(e.index)) why.set(e.index, `exposed by ${svc.type} Service ${svc.namespace}/${svc.name}`);
    }
  }
  return why;
}

export function lateralFindings(index: ReachabilityIndex, targets: readonly Target[], paths: readonly EntryPath[] = []): Finding[] {
  const entries = exposed(index, paths);
  if (entries.size === 0) return [];
  const goals: { name: string; goal: PathGoal }[] = [
    ...targets.filter((t) => t.word !== 'control-plane' && t.known).map((t) => ({ name: t.label, goal: { kind: 'target', target: t } as PathGoal })),
    { name: 'kube-system', goal: { kind: 'namespace', namespace: 'kube-system' } },
  ];
  const reach = new ClassReach(index);
  const goalSets = goals.map(({ goal }) => goalClasses(index, goal, reach));
  const out: Finding[] = [];
  for (const [i, reason] of entries) {
    const src = index.entities[i] as EndpointEntity;
    for (const [k, { name, goal }] of goals.entries()) {
      if (goal.kind === 'namespace' && src.endpoint.namespace === goal.namespace) continue;
      // reached in one hop (a target is reached alike by a whole class): not a lateral path
      if (goal.kind === 'target' && B.has(goalSets[k]!, src.bit)) continue;
      const hops = findPath(index, src, goal, { reach, goalClasses: goalSets[k]! });
      if (hops === null || hops.length < 2) continue;
      out.push({
        id: 'LATERAL_PATH',
        severity: 'high',
        subject: src.id,
        message: `${src.id} (${reason}) can reach ${name} in ${hops.length} hops: ${[hops[0]!.from, ...hops.map((h) => h.to)].join(' -> ')}.`,
        get evidence() {
          return hops.map((h, k) => `hop ${k + 1}: ${h.from} -> ${h.to} ${h.conn.toString()} (${h.evidence.why})`).join(' | ');
        },
        fix: `Break the chain at its weakest hop: restrict ingress of ${hops[0]!.to} to the clients it needs, or deny ${name} egress from ${hops[hops.length - 1]!.from}.`,
        get location() {
          return hops[0]!.evidence.location ?? src.endpoint.location;
        },
        path: [hops[0]!.from, ...hops.map((h) => h.to)],
      });
    }
  }
  return out;
}
