/**
 * Endpoints are workloads, but a workload's pods are what policies select. When the Pod objects of a
 * workload are in the input and some selector can tell them apart (their labels differ on a key a
 * selector observes, e.g. `statefulset.kubernetes.io/pod-name` or a per-pod label), the workload is
 * listed pod by pod (`ns/<pod>[Pod]`) so no answer is averaged over pods that differ. When they all
 * look alike to every selector, the workload stays one endpoint, with the labels its pods really
 * carry (a label the controller adds to the pods, not to the template, can be selected).
 */
import type { Endpoint, Labels } from '../model/types.js';

function projection(labels: Labels, keys: readonly string[]): string {
  let k = '';
  for (const key of keys) {
    const v = Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
    k += v === undefined ? '\u0001' : `\u0002${v}`;
  }
  return k;
}

export interface Expansion {
  readonly endpoints: readonly Endpoint[];
  /** Workload id -> the pod endpoints it was split into. */
  readonly split: ReadonlyMap<string, readonly string[]>;
}

export function expandEndpoints(endpoints: readonly Endpoint[], observedKeys: ReadonlySet<string>): Expansion {
  const keys = [...observedKeys].sort();
  const out: Endpoint[] = [];
  const split = new Map<string, string[]>();
  for (const e of endpoints) {
    const pods = e.pods ?? [];
    if (pods.length === 0 || e.kind === 'Pod') {
      out.push(e);
      continue;
    }
    const first = projection(pods[0]!.labels, keys);
    if (pods.every((p) => projection(p.labels, keys) === first)) {
      // one class: keep the workload, but select on what its pods carry
      out.push(first === projection(e.labels, keys) ? e : { ...e, labels: pods[0]!.labels });
      continue;
    }
    const ids: string[] = [];
    for (const p of pods) {
      const id = `${e.namespace}/${p.name}[Pod]`;
      ids.push(id);
      out.push({
        ...e,
        id,
        kind: 'Pod',
        name: p.name,
        labels: p.labels,
        ips: p.ips,
        nodeName: p.nodeName,
        replicas: null,
        podCount: 1,
        location: p.location,
        pods: [p],
      });
    }
    split.set(e.id, ids);
  }
  return { endpoints: out, split };
}
