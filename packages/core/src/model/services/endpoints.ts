/**
 * The Service-backend post-pass over the loader's `others`: EndpointSlices and Endpoints, which name
 * the backends of a Service without a selector (and, for one with a selector, repeat what the
 * selector says; kubereach then follows the selector, as the endpoints controller does).
 *
 * | apiVersion              | kind          | backends of                                 | ports              |
 * |-------------------------|---------------|---------------------------------------------|--------------------|
 * | discovery.k8s.io/v1     | EndpointSlice | label `kubernetes.io/service-name`          | `ports[]`          |
 * | discovery.k8s.io/v1beta1| EndpointSlice | same                                        | same               |
 * | v1                      | Endpoints     | the Service of the same name, one per subset | `subsets[].ports[]` |
 *
 * An address is ready unless `conditions.ready` is false (EndpointSlice) or it is listed under
 * `notReadyAddresses` (Endpoints): kube-proxy sends no traffic to an address that is not ready.
 * A malformed entry is reported (INVALID_FIELD / MISSING_FIELD) and left out; the rest of the object
 * is kept, since a dropped address can only make an answer narrower, and the diagnostic says so.
 */
import { makeDiagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic, DiagnosticCode } from '../../diagnostics/diagnostic.js';
import { formatIP, parseIP } from '../../net/ip.js';
import type { EndpointAddress, EndpointPort, OtherObject, Protocol, ServiceEndpoints } from '../types.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface EndpointsExtractResult {
  readonly endpoints: ServiceEndpoints[];
  readonly diagnostics: Diagnostic[];
  /** The objects that are neither, in input order. */
  readonly rest: OtherObject[];
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

function group(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function isEndpointsObject(o: OtherObject): boolean {
  return (o.kind === 'EndpointSlice' && group(o.apiVersion) === 'discovery.k8s.io') || (o.kind === 'Endpoints' && group(o.apiVersion) === '');
}

export function extractServiceEndpoints(others: readonly OtherObject[], defaultNamespace = 'default'): EndpointsExtractResult {
  const endpoints: ServiceEndpoints[] = [];
  const diagnostics: Diagnostic[] = [];
  const rest: OtherObject[] = [];
  for (const o of others) {
    if (!isEndpointsObject(o)) {
      rest.push(o);
      continue;
    }
    const namespace = o.namespace ?? defaultNamespace;
    const label = `${o.kind} ${namespace}/${o.name ?? '<unnamed>'}`;
    const report = (code: DiagnosticCode, message: string, path: readonly (string | number)[]) =>
      diagnostics.push(makeDiagnostic(code, 'error', message, o.locate(path), label));
    if (o.name === null) {
      report('MISSING_FIELD', 'metadata.name is required', ['metadata']);
      continue;
    }
    const v = o.value as Rec;
    if (o.kind === 'EndpointSlice') {
      const labels = isRec(v['metadata']) && isRec((v['metadata'] as Rec)['labels']) ? ((v['metadata'] as Rec)['labels'] as Rec) : {};
      const service = labels[SERVICE_NAME_LABEL];
      if (typeof service !== 'string' || service === '') {
        // a slice of no Service (managed by something else entirely): nothing to resolve
        continue;
      }
      const addresses: EndpointAddress[] = [];
      arr(v['endpoints']).forEach((ep, i) => {
        if (!isRec(ep)) return report('INVALID_FIELD', `endpoints[${i}] is not an object`, ['endpoints', i]);
        const ready = !(isRec(ep['conditions']) && (ep['conditions'] as Rec)['ready'] === false);
        const pod = targetPod(ep['targetRef'], namespace);
        arr(ep['addresses']).forEach((a, j) => {
          const ip = typeof a === 'string' ? parseIP(a) : null;
          if (ip === null) return report('INVALID_FIELD', `endpoints[${i}].addresses[${j}] is not an IP address`, ['endpoints', i, 'addresses', j]);
          addresses.push({ ip: formatIP(ip.value), pod, ready });
        });
      });
      endpoints.push({
        kind: 'EndpointSlice',
        namespace,
        name: o.name,
        service,
        addresses,
        ports: readPorts(v['ports'], ['ports'], report),
        location: o.location,
      });
    } else {
      arr(v['subsets']).forEach((sub, i) => {
        if (!isRec(sub)) return report('INVALID_FIELD', `subsets[${i}] is not an object`, ['subsets', i]);
        const addresses: EndpointAddress[] = [];
        for (const [field, ready] of [
          ['addresses', true],
          ['notReadyAddresses', false],
        ] as const) {
          arr(sub[field]).forEach((a, j) => {
            const ip = isRec(a) && typeof a['ip'] === 'string' ? parseIP(a['ip']) : null;
            if (ip === null) return report('INVALID_FIELD', `subsets[${i}].${field}[${j}].ip is not an IP address`, ['subsets', i, field, j]);
            addresses.push({ ip: formatIP(ip.value), pod: targetPod((a as Rec)['targetRef'], namespace), ready });
          });
        }
        endpoints.push({
          kind: 'Endpoints',
          namespace,
          name: o.name!,
          service: o.name!,
          addresses,
          ports: readPorts(sub['ports'], ['subsets', i, 'ports'], report),
          location: o.locate(['subsets', i]),
        });
      });
    }
  }
  return { endpoints, diagnostics, rest };
}

function targetPod(ref: unknown, namespace: string): EndpointAddress['pod'] {
  if (!isRec(ref) || ref['kind'] !== 'Pod' || typeof ref['name'] !== 'string') return null;
  return { namespace: typeof ref['namespace'] === 'string' && ref['namespace'] !== '' ? ref['namespace'] : namespace, name: ref['name'] };
}

function readPorts(
  v: unknown,
  path: readonly (string | number)[],
  report: (code: DiagnosticCode, message: string, path: readonly (string | number)[]) => void,
): EndpointPort[] {
  const out: EndpointPort[] = [];
  arr(v).forEach((p, i) => {
    if (!isRec(p)) return report('INVALID_FIELD', 'a port is not an object', [...path, i]);
    const port = p['port'];
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      return report('PORT_OUT_OF_RANGE', `port ${JSON.stringify(port)} is not within 1-65535`, [...path, i, 'port']);
    }
    const proto = p['protocol'] ?? 'TCP';
    if (proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP')
      return report('UNKNOWN_PROTOCOL', `protocol ${JSON.stringify(proto)} is not TCP, UDP or SCTP`, [...path, i, 'protocol']);
    out.push({ name: typeof p['name'] === 'string' ? p['name'] : '', port, protocol: proto as Protocol });
  });
  return out;
}
