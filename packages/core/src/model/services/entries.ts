/**
 * Entry points from outside the cluster, lifted out of the loader's `others` (like the admin tiers):
 *
 * | apiVersion                              | kind                               | read                                   |
 * |-----------------------------------------|------------------------------------|----------------------------------------|
 * | networking.k8s.io/v1 (extensions/v1beta1)| Ingress                           | class, rules[].http.paths[].backend, defaultBackend, tls |
 * | networking.k8s.io/v1                    | IngressClass                       | spec.controller                        |
 * | gateway.networking.k8s.io/v1, v1beta1   | Gateway                            | gatewayClassName, listeners (port, allowedRoutes.namespaces) |
 * | gateway.networking.k8s.io/v1, v1alpha2  | HTTPRoute, GRPCRoute, TLSRoute     | parentRefs, rules[].backendRefs (Services) |
 * | gateway.networking.k8s.io/v1beta1       | ReferenceGrant                     | from, to                               |
 *
 * Backend references to anything but a core Service (a custom backend kind) are left out with a
 * warning naming them: kubereach cannot follow them. A malformed entry is an error, located.
 */
import { makeDiagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic, DiagnosticCode } from '../../diagnostics/diagnostic.js';
import type { BackendRef, EntryObjects, Gateway, Ingress, LabelSelector, OtherObject, ReferenceGrant, Route } from '../types.js';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute'] as const;

function group(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function entryKind(o: OtherObject): 'Ingress' | 'IngressClass' | 'Gateway' | 'Route' | 'ReferenceGrant' | null {
  const g = group(o.apiVersion);
  if (o.kind === 'Ingress' && (g === 'networking.k8s.io' || g === 'extensions')) return 'Ingress';
  if (o.kind === 'IngressClass' && g === 'networking.k8s.io') return 'IngressClass';
  if (g !== GATEWAY_GROUP) return null;
  if (o.kind === 'Gateway') return 'Gateway';
  if ((ROUTE_KINDS as readonly string[]).includes(o.kind)) return 'Route';
  if (o.kind === 'ReferenceGrant') return 'ReferenceGrant';
  return null;
}

export interface EntriesExtractResult {
  readonly entries: EntryObjects;
  readonly diagnostics: Diagnostic[];
  readonly rest: OtherObject[];
}

export function extractEntries(others: readonly OtherObject[], defaultNamespace = 'default'): EntriesExtractResult {
  const ingresses: Ingress[] = [];
  const ingressClasses: { name: string; controller: string }[] = [];
  const gateways: Gateway[] = [];
  const routes: Route[] = [];
  const referenceGrants: ReferenceGrant[] = [];
  const diagnostics: Diagnostic[] = [];
  const rest: OtherObject[] = [];
  for (const o of others) {
    const k = entryKind(o);
    if (k === null) {
      rest.push(o);
      continue;
    }
    const ns = o.namespace ?? defaultNamespace;
    const label = k === 'IngressClass' ? `IngressClass ${o.name ?? '<unnamed>'}` : `${o.kind} ${ns}/${o.name ?? '<unnamed>'}`;
    const report = (code: DiagnosticCode, severity: 'error' | 'warning', message: string, path: readonly (string | number)[]) =>
      diagnostics.push(makeDiagnostic(code, severity, message, o.locate(path), label));
    if (o.name === null) {
      report('MISSING_FIELD', 'error', 'metadata.name is required', ['metadata']);
      continue;
    }
    const v = o.value as Rec;
    const spec = isRec(v['spec']) ? v['spec'] : {};
    switch (k) {
      case 'IngressClass':
        ingressClasses.push({ name: o.name, controller: str(spec['controller']) ?? '' });
        break;
      case 'Ingress': {
        const meta = isRec(v['metadata']) ? v['metadata'] : {};
        const ann = isRec(meta['annotations']) ? meta['annotations'] : {};
        const paths: { host: string; path: string; backend: BackendRef }[] = [];
        const backend = (b: unknown, path: readonly (string | number)[]): BackendRef | null => {
          if (!isRec(b)) return null;
          const svc = isRec(b['service']) ? b['service'] : null;
          if (svc === null) {
            // extensions/v1beta1: serviceName / servicePort
            const name = str(b['serviceName']);
            if (name !== null) return { namespace: ns, service: name, port: (b['servicePort'] as number | string | undefined) ?? null };
            if (isRec(b['resource']))
              report(
                'INVALID_FIELD',
                'warning',
                `a resource backend (${String((b['resource'] as Rec)['kind'])}) is not a Service: kubereach cannot follow it`,
                path,
              );
            else report('MISSING_FIELD', 'error', 'a backend needs service.name', path);
            return null;
          }
          const name = str(svc['name']);
          if (name === null) {
            report('MISSING_FIELD', 'error', 'backend.service.name is required', [...path, 'service']);
            return null;
          }
          const port = isRec(svc['port']) ? (typeof svc['port']['number'] === 'number' ? svc['port']['number'] : str(svc['port']['name'])) : null;
          return { namespace: ns, service: name, port };
        };
        const db = backend(spec['defaultBackend'] ?? spec['backend'], ['spec', 'defaultBackend']);
        if (db !== null) paths.push({ host: '*', path: '(default backend)', backend: db });
        arr(spec['rules']).forEach((r, i) => {
          if (!isRec(r)) return;
          const host = str(r['host']) ?? '*';
          const http = isRec(r['http']) ? r['http'] : {};
          arr(http['paths']).forEach((p, j) => {
            if (!isRec(p)) return;
            const b = backend(p['backend'], ['spec', 'rules', i, 'http', 'paths', j, 'backend']);
            if (b !== null) paths.push({ host, path: str(p['path']) ?? '/', backend: b });
          });
        });
        ingresses.push({
          namespace: ns,
          name: o.name,
          className: str(spec['ingressClassName']) ?? str(ann['kubernetes.io/ingress.class']),
          paths,
          tls: arr(spec['tls']).length > 0,
          location: o.location,
        });
        break;
      }
      case 'Gateway': {
        const listeners: Gateway['listeners'][number][] = [];
        arr(spec['listeners']).forEach((l, i) => {
          if (!isRec(l)) return;
          const port = l['port'];
          if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
            report('PORT_OUT_OF_RANGE', 'error', `listener port ${JSON.stringify(port)} is not within 1-65535`, ['spec', 'listeners', i, 'port']);
            return;
          }
          const ar = isRec(l['allowedRoutes']) ? l['allowedRoutes'] : {};
          const nss = isRec(ar['namespaces']) ? ar['namespaces'] : {};
          const from = nss['from'] === 'All' ? 'All' : nss['from'] === 'Selector' ? 'Selector' : 'Same';
          listeners.push({
            name: str(l['name']) ?? `listener-${i}`,
            port,
            protocol: str(l['protocol']) ?? 'HTTP',
            from,
            selector: from === 'Selector' ? toSelector(nss['selector']) : null,
          });
        });
        gateways.push({ namespace: ns, name: o.name, className: str(spec['gatewayClassName']) ?? '', listeners, location: o.location });
        break;
      }
      case 'Route': {
        const parents = arr(spec['parentRefs']).flatMap((p) => {
          if (!isRec(p) || (p['kind'] !== undefined && p['kind'] !== 'Gateway')) return [];
          const name = str(p['name']);
          return name === null ? [] : [{ namespace: str(p['namespace']) ?? ns, name, sectionName: str(p['sectionName']) }];
        });
        const backends: BackendRef[] = [];
        arr(spec['rules']).forEach((r, i) => {
          if (!isRec(r)) return;
          arr(r['backendRefs']).forEach((b, j) => {
            if (!isRec(b)) return;
            const kind = str(b['kind']) ?? 'Service';
            const grp = typeof b['group'] === 'string' ? b['group'] : '';
            const name = str(b['name']);
            if (name === null) {
              report('MISSING_FIELD', 'error', 'backendRefs[].name is required', ['spec', 'rules', i, 'backendRefs', j]);
              return;
            }
            if (kind !== 'Service' || grp !== '') {
              report('INVALID_FIELD', 'warning', `backend ${grp === '' ? '' : `${grp}/`}${kind} ${name} is not a Service: kubereach cannot follow it`, [
                'spec',
                'rules',
                i,
                'backendRefs',
                j,
              ]);
              return;
            }
            backends.push({ namespace: str(b['namespace']) ?? ns, service: name, port: typeof b['port'] === 'number' ? b['port'] : null });
          });
        });
        routes.push({ kind: o.kind as Route['kind'], namespace: ns, name: o.name, parents, backends, location: o.location });
        break;
      }
      case 'ReferenceGrant': {
        const from = arr(spec['from']).flatMap((f) =>
          isRec(f) ? [{ group: typeof f['group'] === 'string' ? f['group'] : '', kind: str(f['kind']) ?? '', namespace: str(f['namespace']) ?? '' }] : [],
        );
        const to = arr(spec['to']).flatMap((t) =>
          isRec(t) ? [{ group: typeof t['group'] === 'string' ? t['group'] : '', kind: str(t['kind']) ?? '', name: str(t['name']) }] : [],
        );
        referenceGrants.push({ namespace: ns, name: o.name, from, to, location: o.location });
        break;
      }
      default: {
        const never: never = k;
        throw new Error(String(never));
      }
    }
  }
  return { entries: { ingresses, ingressClasses, gateways, routes, referenceGrants }, diagnostics, rest };
}

function toSelector(v: unknown): LabelSelector {
  const r = isRec(v) ? v : {};
  const ml = isRec(r['matchLabels']) ? (r['matchLabels'] as Record<string, string>) : {};
  const me = arr(r['matchExpressions']).flatMap((e) =>
    isRec(e) && typeof e['key'] === 'string' && ['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e['operator'] as string)
      ? [{ key: e['key'], operator: e['operator'] as 'In', values: arr(e['values']).filter((x): x is string => typeof x === 'string') }]
      : [],
  );
  return { matchLabels: ml, matchExpressions: me };
}
