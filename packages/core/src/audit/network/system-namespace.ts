/**
 * WORKLOAD_IN_SYSTEM_NAMESPACE: user workloads in kube-public (meant to hold only public cluster
 * information), or in kube-system without any of the usual system-component marks.
 */
import type { Endpoint } from '../../model/types.js';
import type { Finding } from '../finding.js';

const SYSTEM_PRIORITY = new Set(['system-cluster-critical', 'system-node-critical']);

function hasSystemMarks(e: Endpoint): boolean {
  return (
    (e.priorityClassName !== null && SYSTEM_PRIORITY.has(e.priorityClassName)) ||
    'k8s-app' in e.labels ||
    'component' in e.labels ||
    e.labels['tier'] === 'control-plane'
  );
}

export function systemNamespaceFindings(endpoints: readonly Endpoint[]): Finding[] {
  const out: Finding[] = [];
  for (const e of endpoints) {
    const pub = e.namespace === 'kube-public';
    if (!pub && !(e.namespace === 'kube-system' && !hasSystemMarks(e))) continue;
    out.push({
      id: 'WORKLOAD_IN_SYSTEM_NAMESPACE',
      severity: 'medium',
      subject: e.id,
      message: pub
        ? `${e.id} runs in kube-public, a namespace readable by everyone and meant for public cluster information only.`
        : `${e.id} runs in kube-system but carries none of the marks of a system component (system priority class, k8s-app, component or tier: control-plane labels).`,
      evidence: `namespace ${e.namespace}; labels ${JSON.stringify(e.labels)}; priorityClassName ${e.priorityClassName ?? 'none'}`,
      fix: `Move ${e.name} to a namespace of its own with its own policies; system namespaces are trusted by many rules and hold privileged components.`,
      location: e.location,
    });
  }
  return out;
}
