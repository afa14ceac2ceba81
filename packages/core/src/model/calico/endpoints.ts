/**
 * Calico WorkloadEndpoints (`calicoctl get workloadendpoints -o yaml`, one per pod interface) and
 * Profiles, as far as policies observe them.
 *
 * - A WorkloadEndpoint is the pod `metadata.namespace/spec.pod`, with the WorkloadEndpoint's labels,
 *   `spec.ports` as its named ports (name, port, protocol), `spec.ipNetworks` as its addresses,
 *   `spec.node`, and the service account from `spec.serviceAccountName` or the
 *   `projectcalico.org/serviceaccount` label. When the input also has the Pod object, the Pod is used
 *   (it is the same pod) and the WorkloadEndpoint is not listed twice.
 * - A Profile's `labelsToApply` are labels of every endpoint it applies to (an endpoint's own labels
 *   win): a WorkloadEndpoint's `spec.profiles`, a Pod's `kns.<namespace>` and `ksa.<namespace>.<sa>`
 *   (the profiles Calico derives for it). A Profile's rules apply to endpoints no policy decides; the
 *   rules Calico generates (Allow everything both ways) are what kubereach assumes; any other rules
 *   are a caveat.
 */
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import { parseIP } from '../../net/ip.js';
import type { JsonObject } from '../fields.js';
import { isRecord } from '../../base/types.js';
import type { ContainerPort, Endpoint, Labels, OtherObject, Protocol } from '../types.js';

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

function meta(o: OtherObject): JsonObject {
  return isRecord(o.value) && isRecord((o.value as JsonObject)['metadata']) ? ((o.value as JsonObject)['metadata'] as JsonObject) : {};
}

function spec(o: OtherObject): JsonObject {
  return isRecord(o.value) && isRecord((o.value as JsonObject)['spec']) ? ((o.value as JsonObject)['spec'] as JsonObject) : {};
}

/** Whether a Profile's rules are exactly Calico's generated allow-everything (or absent). */
export function profileAllowsAll(o: OtherObject): boolean {
  const s = spec(o);
  const allowAll = (rules: unknown): boolean => {
    if (rules === undefined || rules === null) return true;
    if (!Array.isArray(rules)) return false;
    if (rules.length === 0) return true;
    const r = rules[0];
    if (!isRecord(r) || r['action'] !== 'Allow') return false;
    const keys = Object.keys(r).filter((k) => k !== 'action' && r[k] !== null && !(isRecord(r[k]) && Object.keys(r[k] as object).length === 0));
    return keys.length === 0;
  };
  return allowAll(s['ingress']) && allowAll(s['egress']);
}

export function profileLabels(o: OtherObject): Labels {
  return stringMap(spec(o)['labelsToApply']);
}

const PROTOCOLS: Readonly<Record<string, Protocol>> = { TCP: 'TCP', UDP: 'UDP', SCTP: 'SCTP', tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };

/** A WorkloadEndpoint as the pod endpoint it stands for (null without a pod name). */
export function workloadEndpoint(o: OtherObject, profiles: ReadonlyMap<string, Labels>, location: SourceLocation): Endpoint | null {
  const s = spec(o);
  const pod = typeof s['pod'] === 'string' && s['pod'] !== '' ? s['pod'] : null;
  const namespace = o.namespace ?? 'default';
  if (pod === null) return null;
  const own = stringMap(meta(o)['labels']);
  const labels: Record<string, string> = {};
  if (Array.isArray(s['profiles'])) for (const p of s['profiles']) if (typeof p === 'string') Object.assign(labels, profiles.get(p) ?? {});
  Object.assign(labels, own);
  const ports: ContainerPort[] = [];
  if (Array.isArray(s['ports'])) {
    for (const p of s['ports']) {
      if (!isRecord(p) || typeof p['name'] !== 'string' || typeof p['port'] !== 'number') continue;
      const proto = PROTOCOLS[typeof p['protocol'] === 'string' ? p['protocol'] : 'TCP'];
      if (proto !== undefined) ports.push({ name: p['name'], port: p['port'], protocol: proto });
    }
  }
  const ips: string[] = [];
  if (Array.isArray(s['ipNetworks'])) {
    for (const n of s['ipNetworks']) {
      if (typeof n !== 'string') continue;
      const ip = parseIP(n.split('/')[0]!);
      if (ip !== null) ips.push(n.split('/')[0]!.trim());
    }
  }
  const sa = typeof s['serviceAccountName'] === 'string' ? s['serviceAccountName'] : (own['projectcalico.org/serviceaccount'] ?? null);
  return {
    id: `${namespace}/${pod}[Pod]`,
    kind: 'Pod',
    namespace,
    name: pod,
    labels,
    ports,
    containers: [],
    ips,
    hostNetwork: false,
    nodeName: typeof s['node'] === 'string' ? s['node'] : null,
    replicas: null,
    podCount: 1,
    serviceAccountName: sa,
    priorityClassName: null,
    location,
  };
}
