/**
 * Namespace, Node and Service objects -> the model. These carry no policy semantics of their own;
 * they give selectors something to match (namespace labels), the audit its targets (node addresses,
 * control-plane roles) and Service-based questions their ports.
 */
import { quoteValue } from '../text/escape.js';
import { formatIP, parseCidr, parseIP } from '../net/ip.js';
import type { Labels, Node, NodeAddress, Service, ServicePort } from './types.js';
import type { ObjectContext } from './context.js';
import { readArray, readInt, readRecord, readString, readStringMap } from './fields.js';
import { valueAt } from './pod-spec.js';
import { checkLabels } from './validate-meta.js';
import { readProtocol } from './validate-port.js';

export const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Namespace labels, with `kubernetes.io/metadata.name` set as the API server sets it. */
export function namespaceLabels(ctx: ObjectContext | null, name: string): Labels {
  const labels = ctx === null ? null : readStringMap(ctx, valueAt(ctx, ['metadata', 'labels']), ['metadata', 'labels']);
  if (ctx !== null) checkLabels(ctx, labels, ['metadata', 'labels']);
  return { ...labels, [METADATA_NAME_LABEL]: name };
}

export function readNode(ctx: ObjectContext, name: string): Node {
  const labels = readStringMap(ctx, valueAt(ctx, ['metadata', 'labels']), ['metadata', 'labels']) ?? {};
  checkLabels(ctx, labels, ['metadata', 'labels']);
  const addresses: NodeAddress[] = [];
  const list = readArray(ctx, valueAt(ctx, ['status', 'addresses']), ['status', 'addresses']);
  for (let i = 0; i < list.length; i++) {
    const rec = readRecord(ctx, list[i], ['status', 'addresses', i]);
    if (rec === null) continue;
    const type = readString(ctx, rec['type'], ['status', 'addresses', i, 'type']) ?? '';
    const address = readString(ctx, rec['address'], ['status', 'addresses', i, 'address']);
    if (address === null) continue;
    // IPs in canonical text (like pod IPs); host names as written
    const ip = parseIP(address);
    addresses.push({ type, address: ip === null ? address : formatIP(ip.value) });
  }
  const podCIDRs = readStringList(ctx, ['spec', 'podCIDRs']);
  const single = readString(ctx, valueAt(ctx, ['spec', 'podCIDR']), ['spec', 'podCIDR']);
  if (single !== null && single !== '' && !podCIDRs.includes(single)) podCIDRs.unshift(single);
  return {
    name,
    labels,
    addresses,
    controlPlane: 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels,
    podCIDRs,
    location: ctx.at([]),
  };
}

const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;

export function readService(ctx: ObjectContext, namespace: string, name: string): Service {
  const typePath = ['spec', 'type'];
  const typeText = readString(ctx, valueAt(ctx, typePath), typePath) ?? 'ClusterIP';
  let type: Service['type'] = 'ClusterIP';
  if ((SERVICE_TYPES as readonly string[]).includes(typeText)) type = typeText as Service['type'];
  else ctx.error('INVALID_FIELD', `spec.type ${quoteValue(typeText)} is not ${SERVICE_TYPES.join(', ')}`, typePath);
  // An empty selector, like none, means the endpoints are managed elsewhere.
  const selector = readStringMap(ctx, valueAt(ctx, ['spec', 'selector']), ['spec', 'selector']);
  checkLabels(ctx, selector, ['spec', 'selector']);
  const ports: ServicePort[] = [];
  const list = readArray(ctx, valueAt(ctx, ['spec', 'ports']), ['spec', 'ports']);
  for (let i = 0; i < list.length; i++) {
    const path = ['spec', 'ports', i];
    const rec = readRecord(ctx, list[i], path);
    if (rec === null) continue;
    const port = readInt(ctx, rec['port'], [...path, 'port']);
    const protocol = readProtocol(ctx, rec['protocol'], [...path, 'protocol']);
    if (port === null || protocol === null) continue;
    const target = rec['targetPort'];
    const targetPort = typeof target === 'string' ? target : (readInt(ctx, target, [...path, 'targetPort']) ?? port);
    ports.push({
      name: readString(ctx, rec['name'], [...path, 'name']) ?? '',
      port,
      targetPort,
      nodePort: readInt(ctx, rec['nodePort'], [...path, 'nodePort']),
      protocol,
    });
  }
  const clusterIPs = readStringList(ctx, ['spec', 'clusterIPs']);
  const single = readString(ctx, valueAt(ctx, ['spec', 'clusterIP']), ['spec', 'clusterIP']);
  if (single !== null && !clusterIPs.includes(single)) clusterIPs.unshift(single);
  const etpPath = ['spec', 'externalTrafficPolicy'];
  const etp = readString(ctx, valueAt(ctx, etpPath), etpPath);
  if (etp !== null && etp !== 'Cluster' && etp !== 'Local')
    ctx.error('INVALID_FIELD', `spec.externalTrafficPolicy ${quoteValue(etp)} is not Cluster or Local`, etpPath);
  const sourceRanges = readStringList(ctx, ['spec', 'loadBalancerSourceRanges']);
  sourceRanges.forEach((r, i) => {
    if (!isRange(r)) ctx.error('INVALID_CIDR', `loadBalancerSourceRanges entry ${quoteValue(r)} is not a CIDR`, ['spec', 'loadBalancerSourceRanges', i]);
  });
  const lbIPs: string[] = [];
  const ingress = readArray(ctx, valueAt(ctx, ['status', 'loadBalancer', 'ingress']), ['status', 'loadBalancer', 'ingress']);
  for (let i = 0; i < ingress.length; i++) {
    const rec = readRecord(ctx, ingress[i], ['status', 'loadBalancer', 'ingress', i]);
    const ip = rec === null ? null : readString(ctx, rec['ip'], ['status', 'loadBalancer', 'ingress', i, 'ip']);
    if (ip !== null && ip !== '') lbIPs.push(ip);
  }
  return {
    namespace,
    name,
    type,
    selector: selector === null || Object.keys(selector).length === 0 ? null : selector,
    ports,
    // headless services (`None`) have no virtual IP
    clusterIPs: clusterIPs.filter((ip) => ip !== '' && ip !== 'None').map(canonicalIP),
    ...serviceLabels(ctx),
    location: ctx.at([]),
    externalName: readString(ctx, valueAt(ctx, ['spec', 'externalName']), ['spec', 'externalName']),
    externalTrafficPolicy: etp === 'Local' ? 'Local' : 'Cluster',
    loadBalancerSourceRanges: sourceRanges.filter(isRange),
    externalIPs: readStringList(ctx, ['spec', 'externalIPs']).map(canonicalIP),
    loadBalancerIPs: lbIPs.map(canonicalIP),
  };
}

function readStringList(ctx: ObjectContext, path: readonly string[]): string[] {
  const out: string[] = [];
  const list = readArray(ctx, valueAt(ctx, path), path);
  for (let i = 0; i < list.length; i++) {
    const s = readString(ctx, list[i], [...path, i]);
    if (s !== null && s !== '') out.push(s);
  }
  return out;
}

/** A CIDR (or a bare address) as loadBalancerSourceRanges accepts. */
function isRange(text: string): boolean {
  return typeof parseCidr(text.trim()) !== 'string' || parseIP(text) !== null;
}

/** An address in canonical text (as pod IPs are kept); anything else as written. */
function canonicalIP(text: string): string {
  const ip = parseIP(text);
  return ip === null ? text : formatIP(ip.value);
}

/** metadata.labels of a Service, only when it has some (Cilium's k8sServiceSelector reads them). */
function serviceLabels(ctx: ObjectContext): { labels?: Record<string, string> } {
  const labels = readStringMap(ctx, valueAt(ctx, ['metadata', 'labels']), ['metadata', 'labels']);
  return labels === null || Object.keys(labels).length === 0 ? {} : { labels };
}
