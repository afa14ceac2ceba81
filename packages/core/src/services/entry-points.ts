/**
 * Entry points from outside the cluster and whether NetworkPolicies on the way admit them. Each path
 * ends at a Service backend on its target port; the engine answers every leg:
 *
 * | entry                              | path                                              | the leg policies decide                 |
 * |------------------------------------|---------------------------------------------------|------------------------------------------|
 * | NodePort / LoadBalancer, externalTrafficPolicy Local   | client -> node:nodePort -> backend | client addresses -> backend (ingress)    |
 * | NodePort / LoadBalancer, externalTrafficPolicy Cluster | client -> node:nodePort -> backend | node addresses -> backend: kube-proxy masquerades the client as the node (SNAT) |
 * | Ingress                            | client -> ingress-controller pod -> backend       | controller pod -> backend (both sides)   |
 * | Gateway + HTTPRoute/GRPCRoute/TLSRoute | client -> gateway pod -> backend              | gateway pod -> backend (both sides)      |
 *
 * LoadBalancer clients are `loadBalancerSourceRanges` when given (the cloud load balancer drops
 * the rest), else every address. A Route attaches to a Gateway listener only when the listener's
 * `allowedRoutes.namespaces` admits the Route's namespace (default Same), and refers to a Service in
 * another namespace only when a ReferenceGrant there allows it (else the reference is not resolved:
 * RefNotPermitted), as the Gateway API specifies. Controller and gateway pods are found by the
 * IngressClass controller's usual labels, or named by the caller; when none is in the input the path
 * is listed with verdict `unknown` and the reason.
 */
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import type { Row } from '../evaluate/rows.js';
import { explainConnection, formatRule } from '../query/explain.js';
import type { Endpoint, Labels, LabelSelector, Protocol, Route, Service } from '../model/types.js';
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import { parseCidr, parseIP } from '../net/ip.js';
import { resolveService, serviceId, type ServiceBackend } from './backends.js';
import { answerWord } from './answer.js';

/** Whether the policies on the way admit an entry's traffic. */
export type EntryVerdict = 'admitted' | 'partly' | 'not admitted' | 'unknown';

/** A path from outside the cluster to a backend: the entry, the Service and the verdict. */
export interface EntryPath {
  readonly kind: 'NodePort' | 'LoadBalancer' | 'Ingress' | 'Gateway';
  /** The entry as a user names it: `NodePort shop/web[Service] 30080/TCP`, `Ingress shop/web host example.com path /api`. */
  readonly entry: string;
  /** What connects to the backend: the client addresses, the nodes (SNAT), a controller or gateway pod. */
  readonly via: string;
  readonly service: string;
  readonly backend: string;
  readonly backendEntity: IndexEntity | null;
  readonly target: { readonly protocol: Protocol; readonly port: number } | null;
  readonly verdict: EntryVerdict;
  readonly reason: string;
  readonly location: SourceLocation;
}

/** Where the ingress controllers and gateway pods are, when labels do not say. */
export interface EntryOptions {
  /** Ingress controller or gateway pods, as entity ids or `ns/name` (overrides the label heuristics). */
  readonly controllers?: readonly IndexEntity[];
}

/** The usual pod labels of well-known ingress controllers, by IngressClass `spec.controller`. */
const CONTROLLER_LABELS: Readonly<Record<string, Labels>> = {
  'k8s.io/ingress-nginx': { 'app.kubernetes.io/name': 'ingress-nginx' },
  'traefik.io/ingress-controller': { 'app.kubernetes.io/name': 'traefik' },
  'haproxy-ingress.github.io/controller': { 'app.kubernetes.io/name': 'haproxy-ingress' },
  'projectcontour.io/contour': { 'app.kubernetes.io/name': 'contour' },
  'ingress.k8s.aws/alb': { 'app.kubernetes.io/name': 'aws-load-balancer-controller' },
};

const matchLabels = (want: Labels, have: Labels) => Object.keys(want).every((k) => have[k] === want[k]);

function endpoints(index: ReachabilityIndex): Extract<IndexEntity, { kind: 'endpoint' }>[] {
  return index.entities.filter((e): e is Extract<IndexEntity, { kind: 'endpoint' }> => e.kind === 'endpoint');
}

function ingressControllers(index: ReachabilityIndex, controller: string | null): IndexEntity[] {
  const eps = endpoints(index);
  const known = controller === null ? undefined : CONTROLLER_LABELS[controller];
  if (known !== undefined) {
    const hit = eps.filter((e) => matchLabels(known, e.endpoint.labels));
    if (hit.length > 0) return hit;
  }
  // any well-known controller, then anything that calls itself an ingress controller
  const any = eps.filter((e) => Object.values(CONTROLLER_LABELS).some((l) => matchLabels(l, e.endpoint.labels)));
  if (any.length > 0) return any;
  return eps.filter((e) => e.endpoint.labels['app.kubernetes.io/component'] === 'controller' && /ingress/.test(e.endpoint.name));
}

function gatewayPods(index: ReachabilityIndex, ns: string, name: string): IndexEntity[] {
  return endpoints(index).filter(
    (e) =>
      (e.endpoint.namespace === ns && e.endpoint.labels['gateway.networking.k8s.io/gateway-name'] === name) ||
      (e.endpoint.labels['gateway.envoyproxy.io/owning-gateway-name'] === name && e.endpoint.labels['gateway.envoyproxy.io/owning-gateway-namespace'] === ns),
  );
}

function selectorMatches(s: LabelSelector, labels: Labels): boolean {
  if (!matchLabels(s.matchLabels, labels)) return false;
  return s.matchExpressions.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.operator) {
      case 'In':
        return has && r.values.includes(labels[r.key]!);
      case 'NotIn':
        return !has || !r.values.includes(labels[r.key]!);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** Why the ingress side of a connection decided as it did, in one line. */
function ingressReason(index: ReachabilityIndex, from: Source, dst: IndexEntity, protocol: Protocol, port: number): string {
  const src = { id: from.label };
  const v = explainConnection(index, from.entity, dst, protocol, port);
  const side = v.egress.applies && !v.egress.allowed ? v.egress : v.ingress;
  const by = side.selectedBy.map((p) => p.policy).join(', ');
  if (side.allowed) {
    const rules = side.steps.flatMap((s) => (s.kind === 'np-allow' ? s.rules.map(formatRule) : s.kind === 'rule' ? [formatRule(s.rule)] : []));
    return rules.length === 0
      ? `${side.direction} of ${side.subject}: no policy isolates it`
      : `${side.direction} of ${side.subject} allowed by ${rules.join(' + ')}`;
  }
  return `${side.direction} of ${side.subject} is isolated by ${by} and no rule admits ${src.id} on ${protocol} ${port}`;
}

/** External entities (address ranges) that overlap the given CIDRs (null: every address). */
function externalSources(index: ReachabilityIndex, cidrs: readonly string[] | null): IndexEntity[] {
  const ext = index.entities.filter((e) => e.kind === 'external');
  if (cidrs === null) return ext;
  const blocks = cidrs.flatMap((c) => {
    const b = parseCidr(c.includes('/') ? c : `${c}/${c.includes(':') ? 128 : 32}`);
    return typeof b === 'string' ? [] : [b];
  });
  return ext.filter((e) => {
    const [lo, hi] = e.id.replace(/\[External\]$/, '').split(/-(?=[^-]*$)/);
    const a = parseIP(lo ?? '');
    const b = parseIP(hi ?? '');
    if (a === null || b === null) return false;
    return blocks.some((c) => a.value <= c.end && b.value >= c.start);
  });
}

interface Source {
  readonly entity: IndexEntity;
  readonly label: string;
}

function legs(index: ReachabilityIndex, sources: readonly Source[], b: ServiceBackend): { verdict: EntryVerdict; reason: string } {
  if (b.target === null) return { verdict: 'not admitted', reason: b.note ?? 'no target port' };
  const t = b.target;
  // an address reaches a pod as its index row says (no loopback between them), and the node
  // addresses behind a NodePort are thousands of sources sharing a few rows: one answer per row
  const byRow = new Map<Row, boolean>();
  const ok = sources.map((s) => {
    if (s.entity.kind !== 'external') return index.allows(s.entity, b.entity, t.protocol, t.port);
    const row = index.row(s.entity.bit);
    let v = byRow.get(row);
    if (v === undefined) byRow.set(row, (v = index.allows(s.entity, b.entity, t.protocol, t.port)));
    return v;
  });
  const word = answerWord(ok);
  const verdict: EntryVerdict = word === 'yes' ? 'admitted' : word === 'no' ? 'not admitted' : 'partly';
  const denied = sources.find((_, i) => !ok[i]);
  const allowed = sources.find((_, i) => ok[i]);
  const reason =
    denied !== undefined
      ? ingressReason(index, denied, b.entity, t.protocol, t.port)
      : allowed !== undefined
        ? ingressReason(index, allowed, b.entity, t.protocol, t.port)
        : 'no source';
  return { verdict, reason };
}

function portText(p: { port: number; protocol: Protocol }): string {
  return `${p.port}/${p.protocol}`;
}

/** Every path from outside the cluster (NodePort/LoadBalancer Services, Ingresses, Gateways) to a backend, and whether policies admit it. */
export function entryPoints(index: ReachabilityIndex, options: EntryOptions = {}): EntryPath[] {
  const cluster = index.compiled.cluster;
  const out: EntryPath[] = [];
  const nodeAddrs = cluster.nodes.flatMap((n) => n.addresses.filter((a) => a.type === 'InternalIP' && parseIP(a.address) !== null).map((a) => a.address));
  // the node addresses as sources, and their list in words: the same for every masqueraded Service
  let nodeSources: { sources: Source[]; list: string } | undefined;
  const nodes = () => (nodeSources ??= { sources: nodeAddrs.map((a) => ({ entity: index.addressEntity(a)!, label: a })), list: nodeAddrs.join(', ') });

  // NodePort and LoadBalancer Services
  for (const svc of cluster.services) {
    if (svc.type !== 'NodePort' && svc.type !== 'LoadBalancer') continue;
    for (const sp of svc.ports) {
      const res = resolveService(index, svc, { port: sp.port, protocol: sp.protocol });
      const ranges = svc.type === 'LoadBalancer' && (svc.loadBalancerSourceRanges ?? []).length > 0 ? svc.loadBalancerSourceRanges! : null;
      const local = svc.externalTrafficPolicy === 'Local';
      const snat = !local && nodeAddrs.length > 0;
      const sources: Source[] = snat ? nodes().sources : externalSources(index, ranges).map((e) => ({ entity: e, label: e.id }));
      const clients = ranges === null ? 'every address' : ranges.join(', ');
      const via = snat
        ? `the node addresses ${nodes().list} (externalTrafficPolicy Cluster: the clients, ${clients}, are masqueraded as the node)`
        : `clients ${clients}${local ? ' (externalTrafficPolicy Local keeps their address)' : " (no Node addresses in the input: the clients' own addresses are evaluated)"}`;
      const entry = `${svc.type} ${serviceId(svc)} ${sp.nodePort === null ? '' : `node port ${sp.nodePort}/${sp.protocol}, `}port ${portText(sp)}`;
      pushService(out, index, svc, res, entry, svc.type, via, sources);
    }
  }

  // Ingresses
  const classes = new Map((cluster.entries?.ingressClasses ?? []).map((c) => [c.name, c.controller]));
  for (const ing of cluster.entries?.ingresses ?? []) {
    const controller = ing.className === null ? null : (classes.get(ing.className) ?? null);
    const pods = options.controllers ?? ingressControllers(index, controller);
    for (const p of ing.paths) {
      const svc = cluster.services.find((s) => s.namespace === p.backend.namespace && s.name === p.backend.service);
      const entry = `Ingress ${ing.namespace}/${ing.name} host ${p.host} path ${p.path}`;
      if (svc === undefined) {
        out.push(
          missing(
            entry,
            'Ingress',
            `${p.backend.namespace}/${p.backend.service}[Service]`,
            `the backend Service ${p.backend.namespace}/${p.backend.service} is not in the input`,
            ing.location,
          ),
        );
        continue;
      }
      const res = resolveService(index, svc, p.backend.port === null ? undefined : { port: p.backend.port, protocol: null });
      pushThroughPods(
        out,
        index,
        svc,
        res,
        entry,
        'Ingress',
        pods,
        `no ingress controller pods in the input${controller === null ? '' : ` (controller ${controller})`}; name them with --ingress-controller NS/NAME`,
        ing.location,
      );
    }
  }

  // Gateways and their Routes
  const gateways = cluster.entries?.gateways ?? [];
  const nsLabels = new Map(cluster.namespaces.map((n) => [n.name, n.labels]));
  for (const route of cluster.entries?.routes ?? []) {
    for (const parent of route.parents) {
      const gw = gateways.find((g) => g.namespace === parent.namespace && g.name === parent.name);
      const routeName = `${route.kind} ${route.namespace}/${route.name}`;
      if (gw === undefined) {
        out.push(
          missing(
            `Gateway ${parent.namespace}/${parent.name} via ${routeName}`,
            'Gateway',
            '(none)',
            `the parent Gateway ${parent.namespace}/${parent.name} is not in the input`,
            route.location,
          ),
        );
        continue;
      }
      const listeners = gw.listeners.filter((l) => parent.sectionName === null || l.name === parent.sectionName);
      const attached = listeners.filter(
        (l) =>
          l.from === 'All' ||
          (l.from === 'Same' && gw.namespace === route.namespace) ||
          (l.from === 'Selector' &&
            l.selector !== null &&
            selectorMatches(l.selector, nsLabels.get(route.namespace) ?? { 'kubernetes.io/metadata.name': route.namespace })),
      );
      for (const b of route.backends) {
        const entryBase = `Gateway ${gw.namespace}/${gw.name} ${listeners.map((l) => `${l.name} :${l.port}`).join(', ') || '(no listener)'} via ${routeName}`;
        const svcLabel = `${b.namespace}/${b.service}[Service]`;
        if (attached.length === 0) {
          out.push(
            missing(
              entryBase,
              'Gateway',
              svcLabel,
              `no listener of Gateway ${gw.namespace}/${gw.name} admits routes from namespace ${route.namespace} (allowedRoutes.namespaces.from: ${listeners.map((l) => l.from).join(', ') || 'no listener'})`,
              route.location,
            ),
          );
          continue;
        }
        const entry = `Gateway ${gw.namespace}/${gw.name} ${attached.map((l) => `${l.name} :${l.port}`).join(', ')} via ${routeName}`;
        if (b.namespace !== route.namespace && !granted(cluster.entries?.referenceGrants ?? [], route, b.namespace, b.service)) {
          out.push(
            missing(
              entry,
              'Gateway',
              svcLabel,
              `no ReferenceGrant in namespace ${b.namespace} lets ${routeName} refer to Service ${b.namespace}/${b.service}: the reference is not resolved (RefNotPermitted), no traffic is sent`,
              route.location,
            ),
          );
          continue;
        }
        const svc = cluster.services.find((s) => s.namespace === b.namespace && s.name === b.service);
        if (svc === undefined) {
          out.push(missing(entry, 'Gateway', svcLabel, `the backend Service ${b.namespace}/${b.service} is not in the input`, route.location));
          continue;
        }
        if (b.port === null) {
          out.push(
            missing(
              entry,
              'Gateway',
              svcLabel,
              `the backendRef to ${b.namespace}/${b.service} has no port, which a Service reference requires`,
              route.location,
            ),
          );
          continue;
        }
        const res = resolveService(index, svc, { port: b.port, protocol: null });
        const pods = options.controllers ?? gatewayPods(index, gw.namespace, gw.name);
        pushThroughPods(
          out,
          index,
          svc,
          res,
          entry,
          'Gateway',
          pods,
          `no data-plane pods of Gateway ${gw.namespace}/${gw.name} in the input (label gateway.networking.k8s.io/gateway-name=${gw.name}); name them with --ingress-controller NS/NAME`,
          route.location,
        );
      }
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => cmp(a.backend, b.backend) || cmp(a.entry, b.entry));
}

function granted(
  grants: readonly {
    namespace: string;
    from: readonly { group: string; kind: string; namespace: string }[];
    to: readonly { group: string; kind: string; name: string | null }[];
  }[],
  route: Route,
  ns: string,
  service: string,
): boolean {
  return grants.some(
    (g) =>
      g.namespace === ns &&
      g.from.some((f) => f.group === 'gateway.networking.k8s.io' && f.kind === route.kind && f.namespace === route.namespace) &&
      g.to.some((t) => t.group === '' && t.kind === 'Service' && (t.name === null || t.name === service)),
  );
}

function missing(entry: string, kind: EntryPath['kind'], service: string, reason: string, location: SourceLocation): EntryPath {
  return { kind, entry, via: '(none)', service, backend: '(none)', backendEntity: null, target: null, verdict: 'not admitted', reason, location };
}

function pushUnknown(
  out: EntryPath[],
  res: ReturnType<typeof resolveService>,
  entry: string,
  kind: EntryPath['kind'],
  reason: string,
  location: SourceLocation,
): void {
  if (res.backends.length === 0) {
    out.push({
      kind,
      entry,
      via: '(unknown)',
      service: res.id,
      backend: '(none)',
      backendEntity: null,
      target: null,
      verdict: 'not admitted',
      reason: res.reason ?? 'no backends',
      location,
    });
    return;
  }
  for (const b of res.backends)
    out.push({
      kind,
      entry,
      via: '(unknown)',
      service: res.id,
      backend: b.label,
      backendEntity: b.entity,
      target: b.target,
      verdict: 'unknown',
      reason,
      location,
    });
}

/**
 * An entry whose traffic comes from proxy pods (ingress controllers, a Gateway's data plane): each
 * backend asked from those pods, or one unknown path saying why when the input has none of them.
 */
function pushThroughPods(
  out: EntryPath[],
  index: ReachabilityIndex,
  svc: Service,
  res: ReturnType<typeof resolveService>,
  entry: string,
  kind: EntryPath['kind'],
  pods: readonly IndexEntity[],
  noPods: string,
  location: SourceLocation,
): void {
  if (pods.length === 0) {
    pushUnknown(out, res, entry, kind, noPods, location);
    return;
  }
  const via = pods.map((x) => x.id).join(', ');
  pushService(
    out,
    index,
    svc,
    res,
    entry,
    kind,
    via,
    pods.map((x) => ({ entity: x, label: x.id })),
    location,
  );
}

function pushService(
  out: EntryPath[],
  index: ReachabilityIndex,
  svc: Service,
  res: ReturnType<typeof resolveService>,
  entry: string,
  kind: EntryPath['kind'],
  via: string,
  sources: readonly Source[],
  location: SourceLocation = svc.location,
): void {
  if (res.backends.length === 0) {
    out.push({
      kind,
      entry,
      via,
      service: res.id,
      backend: '(none)',
      backendEntity: null,
      target: null,
      verdict: 'not admitted',
      reason: res.reason ?? 'no backends',
      location,
    });
    return;
  }
  for (const b of res.backends) {
    const l = legs(index, sources, b);
    out.push({
      kind,
      entry,
      via,
      service: res.id,
      backend: b.label,
      backendEntity: b.entity,
      target: b.target,
      verdict: l.verdict,
      reason: l.reason,
      location,
    });
  }
}

/** Endpoints some admitted (or partly admitted) entry path reaches, with the first such path. */
export function exposedEndpoints(paths: readonly EntryPath[]): Map<number, EntryPath> {
  const out = new Map<number, EntryPath>();
  for (const p of paths) {
    if (p.backendEntity === null || p.backendEntity.kind !== 'endpoint') continue;
    if (p.verdict !== 'admitted' && p.verdict !== 'partly') continue;
    if (!out.has(p.backendEntity.index)) out.set(p.backendEntity.index, p);
  }
  return out;
}

export type { Endpoint };
