/**
 * Calico policies -> Blocks, in the same tiers and the same first-match evaluation as the admin
 * tiers (evaluate/rows.ts). Precedence, from Calico's policy reference ("Tier", "NetworkPolicy",
 * "GlobalNetworkPolicy", "Rule", "EntityRule"):
 *
 * | level        | order                                                                     |
 * |--------------|---------------------------------------------------------------------------|
 * | tiers        | `order` ascending (missing = last), then name. kube-admin 1000 (the admin  |
 * |              | tier), default 1,000,000 (Kubernetes NetworkPolicies, order 1000), kube-baseline 10,000,000 |
 * | policies     | within a tier: `order` ascending (missing = last), then `name/namespace/kind` |
 * | rules        | in order; the first match decides: Allow, Deny, Pass (on to the next tier); |
 * |              | Log records and continues                                                 |
 * | tier end     | when some policy of the tier applies to the endpoint in the direction and no |
 * |              | rule matched: the tier's defaultAction (Deny, or Pass). One block per tier  |
 * |              | and direction whose subjects are the union of those policies' subjects.      |
 * | after tiers  | allowed (the endpoint's profile)                                          |
 *
 * Selection follows how Calico turns an EntityRule into one endpoint selector:
 * - every endpoint carries its labels plus `projectcalico.org/namespace`, `.../orchestrator: k8s`,
 *   `.../serviceaccount`, its namespace's labels as `pcns.<key>` (and `pcns.projectcalico.org/name`)
 *   and its service account's labels as `pcsa.<key>` (and `pcsa.projectcalico.org/name`);
 *   NetworkSets carry their labels, `projectcalico.org/namespace` and the `pcns.*` labels;
 *   GlobalNetworkSets only their labels;
 * - `namespaceSelector: X` is X with every key prefixed `pcns.`, `all()` read as
 *   `has(projectcalico.org/namespace)` and `global()` as `!has(projectcalico.org/namespace)`;
 * - a namespaced policy's rule without namespaceSelector is limited to its own namespace as soon as
 *   it uses selector, notSelector or serviceAccounts;
 * - `serviceAccounts` is `projectcalico.org/serviceaccount in {names}` AND its selector over `pcsa.*`;
 * - selector, nets, notNets and notSelector all have to hold (notSelector is never namespaced);
 * - a selector matches an address when a selected endpoint has it (a NetworkSet: its nets).
 * Host-network pods have no workload endpoint: no Calico policy applies to them, and no selector
 * matches them (their traffic carries the node's address).
 */
import type {
  CalicoIcmp,
  CalicoNetworkSet,
  CalicoPolicy,
  CalicoPort,
  CalicoServiceMatch,
  CalicoProtocol,
  CalicoRule,
  CalicoTier,
  EntityRule,
} from '../model/calico/types.js';
import { K8S_NETWORK_POLICY_ORDER } from '../model/calico/types.js';
import { enforcedKind } from '../model/calico/staged.js';
import { calicoMatches, printCalicoSelector, type CalicoSelector } from '../model/calico/selector.js';
import type { Labels, Protocol, Service, ServiceEndpoints } from '../model/types.js';
import { makeDiagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { PROTOCOLS } from '../model/types.js';
import { icmpKey, icmpTypeRange, type ConnProtocol } from '../net/connection-set.js';
import { formatIP, parseIP, V6_OFFSET, type Cidr } from '../net/ip.js';
import * as B from './bitset.js';
import type { Block, Direction, PolicyRef, RuleRef } from './block.js';
import { IdSet } from './id-set.js';
import type { NpCompileContext } from './network-policy.js';

export const NS_LABEL = 'projectcalico.org/namespace';
export const SA_LABEL = 'projectcalico.org/serviceaccount';
export const NAME_LABEL = 'projectcalico.org/name';
export const ORCHESTRATOR_LABEL = 'projectcalico.org/orchestrator';

/** How explanations name a Calico policy: `ns/name` or `name`. */
export function calicoPolicyName(p: Pick<CalicoPolicy, 'namespace' | 'name'>): string {
  return p.namespace === null ? p.name : `${p.namespace}/${p.name}`;
}

/** The within-tier tie-break key Felix sorts equal orders by: `name/namespace/kind`. */
export function calicoTieKey(name: string, namespace: string | null, kind: string): string {
  return `${name}/${namespace ?? ''}/${kind}`;
}

export { K8S_NETWORK_POLICY_ORDER };

function total(lists: readonly (readonly number[])[]): number {
  let n = 0;
  for (const l of lists) n += l.length;
  return n;
}

/** Everything a Calico selector can see, over the universe's classes and the network sets. */
export class CalicoView {
  private readonly classLabels: (Labels | undefined)[];
  private readonly memo = new Map<string, IdSet>();
  private readonly setAtoms: IdSet[];
  private readonly setLabels: Labels[];

  constructor(
    private readonly ctx: CalicoCompileContext,
    private readonly nsLabels: ReadonlyMap<string, Labels>,
    private readonly saLabels: ReadonlyMap<string, Labels>,
    private readonly networkSets: readonly CalicoNetworkSet[],
    private readonly profiles: ReadonlyMap<string, Labels> = new Map(),
  ) {
    this.classLabels = new Array<Labels | undefined>(ctx.u.classes.count);
    this.setAtoms = networkSets.map((s) =>
      IdSet.union(
        ctx.u.size,
        s.nets.map((c) => ctx.u.ipBlock(c, [], ctx.ipblockPods)),
      ),
    );
    this.setLabels = networkSets.map((s) => {
      if (s.namespace === null) return s.labels;
      return { ...this.pcns(s.namespace), [NS_LABEL]: s.namespace, ...s.labels };
    });
  }

  private pcns(ns: string): Record<string, string> {
    const out: Record<string, string> = {};
    const l = this.nsLabels.get(ns) ?? { 'kubernetes.io/metadata.name': ns };
    for (const k in l) out[`pcns.${k}`] = l[k]!;
    out[`pcns.${NAME_LABEL}`] = ns;
    return out;
  }

  /** The labels Calico matches a class's pods by. */
  labelsOf(c: number): Labels {
    let l = this.classLabels[c];
    if (l === undefined) {
      const e = this.ctx.u.classes.rep[c]!;
      const sa = e.serviceAccountName ?? 'default';
      const out: Record<string, string> = this.pcns(e.namespace);
      const sal = this.saLabels.get(`${e.namespace}/${sa}`) ?? {};
      for (const k in sal) out[`pcsa.${k}`] = sal[k]!;
      out[`pcsa.${NAME_LABEL}`] = sa;
      out[NS_LABEL] = e.namespace;
      out[ORCHESTRATOR_LABEL] = 'k8s';
      out[SA_LABEL] = sa;
      // the profiles Calico derives for a pod, when the input has them with labelsToApply (a
      // WorkloadEndpoint's own profiles' labels are already among its labels)
      Object.assign(out, this.profiles.get(`kns.${e.namespace}`) ?? {}, this.profiles.get(`ksa.${e.namespace}.${sa}`) ?? {});
      Object.assign(out, e.labels);
      this.classLabels[c] = l = out;
    }
    return l;
  }

  /** label key -> value -> classes with that label (as labelsOf gives them), per key on first use. */
  private readonly byKey = new Map<string, Map<string, number[]>>();

  private posting(key: string, value: string): readonly number[] {
    let m = this.byKey.get(key);
    if (m === undefined) {
      this.byKey.set(key, (m = new Map()));
      for (let c = 0; c < this.ctx.u.classes.count; c++) {
        const v = this.labelsOf(c)[key];
        if (v === undefined) continue;
        const list = m.get(v);
        if (list === undefined) m.set(v, [c]);
        else list.push(c);
      }
    }
    return m.get(value) ?? [];
  }

  /**
   * The classes a selector can match at most, as lists to join: those of a label it requires (an `==`
   * or `in` reached through `&&` only; the fewest such), or null when it requires none.
   */
  private candidates(sel: CalicoSelector): (readonly number[])[] | null {
    switch (sel.kind) {
      case 'eq':
        return [this.posting(sel.key, sel.value)];
      case 'in':
        // a class has one value per key: the lists are disjoint
        return [...new Set(sel.values)].map((v) => this.posting(sel.key, v));
      case 'and': {
        const a = this.candidates(sel.left);
        const b = this.candidates(sel.right);
        if (a === null || b === null) return a ?? b;
        return total(a) <= total(b) ? a : b;
      }
      default:
        return null;
    }
  }

  /**
   * Workload endpoints (non-host-network classes) a selector matches by their labels, and (unless
   * `endpointsOnly`: a policy's subjects) the addresses of the network sets it matches, pods with an
   * address there included when pods are matched by address.
   */
  select(sel: CalicoSelector, endpointsOnly = false): IdSet {
    const key = `${endpointsOnly ? 'E' : 'A'}${printCalicoSelector(sel)}`;
    const r = this.memo.get(key);
    if (r !== undefined) return r;
    const { u, hostNetwork } = this.ctx;
    const ids: number[] = [];
    const visit = (c: number) => {
      if (!B.has(hostNetwork, c) && calicoMatches(sel, this.labelsOf(c))) ids.push(c);
    };
    // only the classes carrying a label the selector requires can match (a namespaced policy's
    // selector requires its namespace; most rule selectors an app label): each is checked in full
    // a selector limited to its own namespace (every namespaced policy's) looks at that namespace's
    // classes only: a pod's own `projectcalico.org/namespace` label cannot move it into another
    const ns = sel.kind === 'and' && sel.left.kind === 'eq' && sel.left.key === NS_LABEL ? sel.left.value : null;
    const candidates = ns !== null ? [this.ctx.u.classes.byNamespace.get(ns) ?? []] : this.candidates(sel);
    if (candidates !== null) for (const list of candidates) for (const c of list) visit(c);
    else for (let c = 0; c < u.classes.count; c++) visit(c);
    let set = IdSet.ofIds(u.size, ids);
    const sets: IdSet[] = [];
    if (endpointsOnly) {
      this.memo.set(key, set);
      return set;
    }
    this.networkSets.forEach((_, i) => {
      if (calicoMatches(sel, this.setLabels[i]!)) sets.push(this.setAtoms[i]!);
    });
    if (sets.length > 0) set = IdSet.union(u.size, [set, ...sets]);
    this.memo.set(key, set);
    return set;
  }
}

export interface CalicoCompileContext extends NpCompileContext {
  readonly hostNetwork: B.Bits;
  view: CalicoView | null;
  /** tier name -> its definition (every tier a policy names has one, made up when absent). */
  readonly tiers: ReadonlyMap<string, CalicoTier>;
  /** The Services and EndpointSlices rule `services` matches name. */
  readonly services: readonly Service[];
  readonly serviceEndpoints: readonly ServiceEndpoints[];
  /** Warnings about the input found while compiling (a `services` match naming no Service). */
  readonly warnings: Diagnostic[];
  /** Per Service: its endpoints grouped by the ports they serve (serviceGroups). */
  readonly serviceMemo: Map<Service, readonly ServiceGroup[]>;
}

/** Endpoints of a Service that serve the same ports: classes and addresses, and those ports' atoms. */
export interface ServiceGroup {
  readonly ids: IdSet;
  readonly ports: B.Bits;
}

/** The Service a `services` match names: its namespace, else the policy's (EntityRule "ServiceMatch"). */
function namedService(ctx: CalicoCompileContext, pol: CalicoPolicy, m: CalicoServiceMatch): Service | null {
  const ns = m.namespace ?? pol.namespace;
  const svc = ns === null ? undefined : ctx.services.find((s) => s.namespace === ns && s.name === m.name);
  if (svc === undefined) {
    const why =
      ns === null ? `services ${m.name} has no namespace and a ${pol.kind} has none to lend it` : `services ${ns}/${m.name}: the input has no such Service`;
    // once per match (it is looked up for the endpoints and again for their ports)
    if (!ctx.warnings.some((w) => w.code === 'CALICO_SERVICE_MISSING' && w.location === m.location))
      ctx.warnings.push(
        makeDiagnostic('CALICO_SERVICE_MISSING', 'warning', `${why}: the rule matches no endpoint here`, m.location, `${pol.kind} ${calicoPolicyName(pol)}`),
      );
    return null;
  }
  return svc;
}

/**
 * A Service's endpoints grouped by the ports each serves, as Calico matches a `services` rule
 * ("only traffic that originates from or terminates at endpoints within the selected service(s) will
 * be matched, and only to/from each endpoint's port"): with a selector, the pods of its namespace it
 * selects (host-network ones included: Calico matches their addresses), each on every Service port's
 * targetPort (a named targetPort on the pod's container port of that name and protocol; a pod without
 * one does not serve that port); without a selector, the addresses of its EndpointSlices / Endpoints on
 * their ports (a pod with that address, or the address outside the cluster). ExternalName: none.
 */
function serviceGroups(ctx: CalicoCompileContext, svc: Service): readonly ServiceGroup[] {
  let groups = ctx.serviceMemo.get(svc);
  if (groups !== undefined) return groups;
  const byKey = new Map<string, { ids: number[]; ports: B.Bits }>();
  const add = (id: number, ports: B.Bits) => {
    const key = B.toArray(ports).join(',');
    let g = byKey.get(key);
    if (g === undefined) byKey.set(key, (g = { ids: [], ports }));
    g.ids.push(id);
  };
  const { u, ports } = ctx;
  if (svc.type !== 'ExternalName' && svc.selector !== null) {
    u.pods([svc.namespace], { matchLabels: svc.selector, matchExpressions: [] }).forEach((c) => {
      const bits = B.empty(ports.count);
      for (const sp of svc.ports) {
        const target =
          typeof sp.targetPort === 'number' ? sp.targetPort : u.classes.rep[c]!.ports.find((p) => p.name === sp.targetPort && p.protocol === sp.protocol)?.port;
        if (target !== undefined) ports.rangeBits(sp.protocol, target, target, bits);
      }
      add(c, bits);
    });
  } else if (svc.type !== 'ExternalName') {
    for (const set of ctx.serviceEndpoints) {
      if (set.namespace !== svc.namespace || set.service !== svc.name) continue;
      const bits = B.empty(ports.count);
      for (const p of set.ports) ports.rangeBits(p.protocol, p.port, p.port, bits);
      for (const a of set.addresses) for (const id of addressIds(ctx, a.ip)) add(id, bits);
    }
  }
  groups = [...byKey.values()].map((g) => ({ ids: IdSet.ofIds(u.size, [...new Set(g.ids)]), ports: g.ports }));
  ctx.serviceMemo.set(svc, groups);
  return groups;
}

/** The classes of the pods with this address, and its atom outside the cluster. */
function addressIds(ctx: CalicoCompileContext, ip: string): number[] {
  const v = parseIP(ip);
  if (v === null) return [];
  const { u } = ctx;
  const ids = [u.atomBit(u.atoms.find(v.value))];
  const text = formatIP(v.value);
  for (let c = 0; c < u.classes.count; c++) if (u.classes.rep[c]!.ips.includes(text)) ids.push(c);
  return ids;
}

/** Every endpoint a `services` match names (the source side: endpoints only, no ports). */
function serviceIds(ctx: CalicoCompileContext, pol: CalicoPolicy, m: CalicoServiceMatch): IdSet {
  const svc = namedService(ctx, pol, m);
  return svc === null
    ? IdSet.ofIds(ctx.u.size, [])
    : IdSet.union(
        ctx.u.size,
        serviceGroups(ctx, svc).map((g) => g.ids),
      );
}

function and(a: CalicoSelector | null, b: CalicoSelector | null): CalicoSelector | null {
  if (a === null) return b;
  if (b === null) return a;
  return { kind: 'and', left: a, right: b };
}

/** Prefixes every label key (`pcns.`, `pcsa.`), as Calico does before matching endpoints. */
function prefixed(s: CalicoSelector, prefix: string, namespaceFns: boolean): CalicoSelector {
  switch (s.kind) {
    case 'all':
      return namespaceFns ? { kind: 'has', key: NS_LABEL } : s;
    case 'global':
      return namespaceFns ? { kind: 'not', expr: { kind: 'has', key: NS_LABEL } } : s;
    case 'not':
      return { kind: 'not', expr: prefixed(s.expr, prefix, namespaceFns) };
    case 'and':
    case 'or':
      return { kind: s.kind, left: prefixed(s.left, prefix, namespaceFns), right: prefixed(s.right, prefix, namespaceFns) };
    default:
      return { ...s, key: `${prefix}${s.key}` };
  }
}

function ownNamespace(ns: string): CalicoSelector {
  return { kind: 'eq', key: NS_LABEL, value: ns };
}

/** The endpoints and addresses one side of a rule matches. */
function entitySet(ctx: CalicoCompileContext, pol: CalicoPolicy, e: EntityRule, ipVersion: 4 | 6 | null): IdSet {
  const view = ctx.view!;
  const u = ctx.u;
  if (e.services !== null) {
    // the Service's endpoints (the reader rejects selectors, nets and serviceAccounts beside it)
    const set = serviceIds(ctx, pol, e.services);
    return ipVersion === null ? set : set.minus(familyAtoms(ctx, ipVersion === 4 ? 6 : 4));
  }
  let sa: CalicoSelector | null = null;
  if (e.serviceAccounts !== null) {
    if (e.serviceAccounts.selector !== null) sa = prefixed(e.serviceAccounts.selector, 'pcsa.', false);
    if (e.serviceAccounts.names.length > 0) sa = and(sa, { kind: 'in', key: SA_LABEL, values: [...new Set(e.serviceAccounts.names)].sort() });
  }
  let sel = and(sa, e.selector);
  const nsSel = e.namespaceSelector !== null ? prefixed(e.namespaceSelector, 'pcns.', true) : pol.namespace !== null ? ownNamespace(pol.namespace) : null;
  if (nsSel !== null && (sel !== null || e.notSelector !== null || e.namespaceSelector !== null)) sel = and(nsSel, sel);
  let set = sel === null ? u.allSet : view.select(sel);
  if (e.notSelector !== null) set = set.minus(view.select(e.notSelector).dense());
  if (e.nets !== null)
    set = set.intersect(
      IdSet.union(
        u.size,
        e.nets.map((c) => u.ipBlock(c, [], ctx.ipblockPods)),
      ),
    );
  if (e.notNets.length > 0)
    set = set.minus(
      IdSet.union(
        u.size,
        e.notNets.map((c) => u.ipBlock(c, [], ctx.ipblockPods)),
      ).dense(),
    );
  if (ipVersion !== null) set = set.minus(familyAtoms(ctx, ipVersion === 4 ? 6 : 4));
  return set;
}

/** Bits of the external atoms of one family. */
function familyAtoms(ctx: CalicoCompileContext, family: 4 | 6): B.Bits {
  const u = ctx.u;
  const out = B.empty(u.size);
  for (let a = 0; a < u.atoms.count; a++) {
    const v6 = u.atoms.start(a) >= V6_OFFSET;
    if (v6 === (family === 6)) B.set(out, u.atomBit(a));
  }
  return out;
}

/** The ICMP message numbers an `icmp` / `notICMP` names: every code of its type, or its one code. */
function icmpRange(m: CalicoIcmp): readonly [number, number] | null {
  if (m.type === null) return null;
  if (m.code === null) return icmpTypeRange(m.type);
  return [icmpKey(m.type, m.code), icmpKey(m.type, m.code)];
}

/**
 * Port atoms of the protocols a rule's protocol / notProtocol admit, narrowed by icmp / notICMP to
 * ICMP messages (Rule reference, "ICMP": `icmp` matches the given type, and the given code of it when
 * one is given; `notICMP` excludes the same). A protocol kubereach does not model (UDPLite, other
 * numbers) matches no modelled connection, and excluding it excludes none.
 */
function protocolBits(ctx: CalicoCompileContext, rule: CalicoRule): B.Bits {
  const bits = B.empty(ctx.ports.count);
  const p = rule.protocol;
  if (p === null) B.orInto(bits, ctx.ports.all());
  else if (p.kind === 'port') ctx.ports.protocolBits(p.protocol, bits);
  else if (p.kind === 'icmp') {
    const m = rule.icmp === null ? null : icmpRange(rule.icmp);
    if (m === null) ctx.ports.protocolBits(p.protocol, bits);
    else ctx.ports.rangeBits(p.protocol, m[0], m[1], bits);
    const n = rule.notICMP === null ? null : icmpRange(rule.notICMP);
    if (n !== null) B.andNotInto(bits, ctx.ports.rangeBits(p.protocol, n[0], n[1]));
  }
  const np = rule.notProtocol;
  if (np !== null && np.kind !== 'other') B.andNotInto(bits, ctx.ports.protocolBits(np.protocol));
  return bits;
}

function portProtocol(p: CalicoProtocol | null): Protocol | null {
  return p !== null && p.kind === 'port' ? p.protocol : null;
}

function numericBits(ctx: CalicoCompileContext, proto: Protocol, ports: readonly CalicoPort[]): B.Bits {
  const out = B.empty(ctx.ports.count);
  for (const p of ports) {
    if (p.kind !== 'range') continue;
    const lo = Math.max(1, p.start); // port 0 is not in the connection space
    if (lo <= p.end) ctx.ports.rangeBits(proto, lo, p.end, out);
  }
  return out;
}

/**
 * Destinations grouped by the port atoms the rule covers for them: named ports resolve on each
 * destination class (with the rule's protocol); addresses have no named ports.
 */
function portGroups(ctx: CalicoCompileContext, pol: CalicoPolicy, rule: CalicoRule, dst: IdSet): { other: IdSet; ports: B.Bits }[] {
  const groups = portGroupsOf(ctx, rule, dst);
  const m = rule.destination.services;
  if (m === null) return groups;
  // destination services: each endpoint on its own ports only, as well as what the rule says
  const svc = namedService(ctx, pol, m);
  if (svc === null) return [];
  const out: { other: IdSet; ports: B.Bits }[] = [];
  for (const g of groups)
    for (const h of serviceGroups(ctx, svc)) {
      const ports = B.and(g.ports, h.ports);
      if (!B.isEmpty(ports)) out.push({ other: g.other.intersect(h.ids), ports });
    }
  return out;
}

function portGroupsOf(ctx: CalicoCompileContext, rule: CalicoRule, dst: IdSet): { other: IdSet; ports: B.Bits }[] {
  const base = protocolBits(ctx, rule);
  const d = rule.destination;
  const proto = portProtocol(rule.protocol);
  if (d.ports === null && d.notPorts.length === 0) return [{ other: dst, ports: base }];
  if (proto === null) return []; // ports of a protocol kubereach does not model (UDPLite)
  const names = [...(d.ports ?? []), ...d.notPorts].filter((p) => p.kind === 'named').map((p) => (p as { name: string }).name);
  const numeric = d.ports === null ? null : numericBits(ctx, proto, d.ports);
  const notNumeric = numericBits(ctx, proto, d.notPorts);
  const bitsFor = (resolved: ReadonlyMap<string, number>): B.Bits => {
    const allowed = B.empty(ctx.ports.count);
    if (numeric === null) B.orInto(allowed, ctx.ports.all());
    else {
      B.orInto(allowed, numeric);
      for (const p of d.ports!)
        if (p.kind === 'named' && resolved.has(p.name)) ctx.ports.rangeBits(proto, resolved.get(p.name)!, resolved.get(p.name)!, allowed);
    }
    B.andInto(allowed, base);
    B.andNotInto(allowed, notNumeric);
    for (const p of d.notPorts)
      if (p.kind === 'named' && resolved.has(p.name)) B.andNotInto(allowed, ctx.ports.rangeBits(proto, resolved.get(p.name)!, resolved.get(p.name)!));
    return allowed;
  };
  if (names.length === 0) return [{ other: dst, ports: bitsFor(new Map()) }];
  const groups = new Map<string, { ids: number[]; resolved: Map<string, number> }>();
  const { classes } = ctx.u;
  dst.forEach((c) => {
    const resolved = new Map<string, number>();
    if (c < classes.count) {
      for (const n of names) {
        const cp = classes.rep[c]!.ports.find((p) => p.name === n && p.protocol === proto);
        if (cp !== undefined) resolved.set(n, cp.port);
      }
    }
    const key = [...resolved].map(([n, v]) => `${n}=${v}`).join(',');
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { ids: [], resolved }));
    g.ids.push(c);
  });
  return [...groups.values()].map((g) => ({ other: IdSet.ofIds(ctx.u.size, g.ids), ports: bitsFor(g.resolved) }));
}

function tierOrder(ctx: CalicoCompileContext, tier: string): number | null {
  return ctx.tiers.get(tier)?.order ?? null;
}

function compileRule(ctx: CalicoCompileContext, pol: CalicoPolicy, dir: Direction, rule: CalicoRule, subjects: IdSet, out: Block[]): void {
  const srcSide = entitySet(ctx, pol, rule.source, rule.ipVersion);
  const dstSide = entitySet(ctx, pol, rule.destination, rule.ipVersion);
  const src = dir === 'egress' ? subjects.intersect(srcSide) : srcSide;
  const dst = dir === 'egress' ? dstSide : subjects.intersect(dstSide);
  if (src.isEmpty() || dst.isEmpty()) return;
  const action = rule.action === 'Allow' ? 'Accept' : rule.action;
  const ref: RuleRef = {
    tier: 'Calico',
    policy: calicoPolicyName(pol),
    policyKind: pol.kind,
    direction: dir,
    ruleIndex: rule.index,
    priority: null,
    ruleName: null,
    action,
    location: rule.location,
    policyLocation: pol.location,
    // a staged policy evaluated with --staged is ordered as the enforced policy it becomes
    calico: { tier: pol.tier, tierOrder: tierOrder(ctx, pol.tier), order: pol.order, tieKey: calicoTieKey(pol.name, pol.namespace, enforcedKind(pol.kind)) },
  };
  for (const g of portGroups(ctx, pol, rule, dst)) {
    if (g.other.isEmpty() || B.isEmpty(g.ports)) continue;
    out.push({ id: ctx.nextId++, direction: dir, tier: 'Calico', action, rows: src, other: g.other, ports: g.ports, rule: ref });
  }
}

/** The endpoints a policy applies to (never network sets, never host-network pods). */
export function calicoSubjects(ctx: CalicoCompileContext, pol: CalicoPolicy): IdSet {
  let sel: CalicoSelector | null = pol.selector;
  if (pol.namespace !== null) sel = and(ownNamespace(pol.namespace), sel);
  if (pol.namespaceSelector !== null) sel = and(prefixed(pol.namespaceSelector, 'pcns.', true), sel);
  if (pol.serviceAccountSelector !== null) sel = and(sel, prefixed(pol.serviceAccountSelector, 'pcsa.', false));
  return ctx.view!.select(sel ?? { kind: 'all' }, true);
}

/**
 * Compiles the policies of one run (enforced ones, or those plus staged ones for `--staged`): their
 * rule blocks, then one tier-end block per tier and direction, and the refs explanations list.
 */
export function compileCalicoPolicies(ctx: CalicoCompileContext, policies: readonly CalicoPolicy[], out: Block[], refs: PolicyRef[]): void {
  const applied = new Map<string, { ingress: IdSet[]; egress: IdSet[] }>();
  for (const pol of policies) {
    const subjects = calicoSubjects(ctx, pol);
    for (const dir of ['ingress', 'egress'] as const) {
      if (!(dir === 'ingress' ? pol.appliesIngress : pol.appliesEgress)) continue;
      refs.push({
        tier: 'Calico',
        policy: calicoPolicyName(pol),
        policyKind: pol.kind,
        direction: dir,
        priority: null,
        location: pol.location,
        subjects,
        isolates: true,
        calicoTier: pol.tier,
      });
      if (subjects.isEmpty()) continue;
      let t = applied.get(pol.tier);
      if (t === undefined) applied.set(pol.tier, (t = { ingress: [], egress: [] }));
      t[dir].push(subjects);
      for (const rule of dir === 'ingress' ? pol.ingress : pol.egress) compileRule(ctx, pol, dir, rule, subjects, out);
    }
  }
  for (const [name, t] of applied) {
    const tier = ctx.tiers.get(name)!;
    for (const dir of ['ingress', 'egress'] as const) {
      if (t[dir].length === 0) continue;
      const subjects = IdSet.union(ctx.u.size, t[dir]);
      const ref: RuleRef = {
        tier: 'Calico',
        policy: name,
        policyKind: 'Tier',
        direction: dir,
        ruleIndex: -1,
        priority: null,
        ruleName: null,
        action: tier.defaultAction,
        location: tier.location ?? subjectsLocation(policies, name),
        policyLocation: tier.location ?? subjectsLocation(policies, name),
        calico: { tier: name, tierOrder: tier.order, order: null, tieKey: '\uffff' },
      };
      const rows = dir === 'egress' ? subjects : ctx.u.allSet;
      const other = dir === 'egress' ? ctx.u.allSet : subjects;
      out.push({ id: ctx.nextId++, direction: dir, tier: 'Calico', action: tier.defaultAction, rows, other, ports: ctx.ports.all(), rule: ref });
    }
  }
}

function subjectsLocation(policies: readonly CalicoPolicy[], tier: string): RuleRef['location'] {
  return policies.find((p) => p.tier === tier)!.location;
}

/** Label keys, CIDR boundaries and ports the Calico policies and network sets observe. */
export function calicoCuts(
  policies: readonly CalicoPolicy[],
  networkSets: readonly CalicoNetworkSet[],
  services: { readonly services: readonly Service[]; readonly serviceEndpoints: readonly ServiceEndpoints[] },
  keys: Set<string>,
  ipCuts: bigint[],
  portCuts: Record<ConnProtocol, number[]>,
  named: Set<string>,
): { serviceAccounts: boolean } {
  // a `services` match: its Service's selector keys tell its pods apart, its ports and addresses are cut
  const serviceCuts = (pol: CalicoPolicy, m: CalicoServiceMatch) => {
    const ns = m.namespace ?? pol.namespace;
    const svc = services.services.find((s) => s.namespace === ns && s.name === m.name);
    if (svc === undefined) return;
    for (const k of Object.keys(svc.selector ?? {})) keys.add(k);
    for (const sp of svc.ports) {
      if (typeof sp.targetPort === 'number') portCuts[sp.protocol].push(sp.targetPort, sp.targetPort + 1);
      else named.add(`${sp.targetPort}/${sp.protocol}`);
    }
    if (svc.selector !== null) return;
    for (const set of services.serviceEndpoints) {
      if (set.namespace !== svc.namespace || set.service !== svc.name) continue;
      for (const p of set.ports) portCuts[p.protocol].push(p.port, p.port + 1);
      for (const a of set.addresses) {
        const v = parseIP(a.ip);
        if (v !== null) ipCuts.push(v.value, v.value + 1n);
      }
    }
  };
  let sa = false;
  const addSel = (s: CalicoSelector | null) => {
    if (s === null) return;
    const before = new Set<string>();
    collectKeys(s, before);
    for (const k of before) {
      keys.add(k);
      if (k === SA_LABEL || k.startsWith('pcsa.')) sa = true;
    }
  };
  const cidr = (c: Cidr) => ipCuts.push(c.start, c.end + 1n);
  for (const s of networkSets) for (const c of s.nets) cidr(c);
  for (const p of policies) {
    addSel(p.selector);
    addSel(p.namespaceSelector);
    if (p.serviceAccountSelector !== null) sa = true;
    for (const r of [...p.ingress, ...p.egress]) {
      if (r.protocol !== null && r.protocol.kind === 'icmp') {
        for (const m of [r.icmp, r.notICMP]) {
          const range = m === null ? null : icmpRange(m);
          if (range !== null) portCuts[r.protocol.protocol].push(range[0], range[1] + 1);
        }
      }
      const proto = portProtocol(r.protocol);
      for (const e of [r.source, r.destination]) {
        addSel(e.selector);
        addSel(e.notSelector);
        addSel(e.namespaceSelector);
        if (e.serviceAccounts !== null) sa = true;
        if (e.services !== null) serviceCuts(p, e.services);
        for (const c of [...(e.nets ?? []), ...e.notNets]) cidr(c);
      }
      if (proto === null) continue;
      for (const port of [...(r.destination.ports ?? []), ...r.destination.notPorts]) {
        if (port.kind === 'range') portCuts[proto].push(Math.max(1, port.start), port.end + 1);
        else named.add(`${port.name}/${proto}`);
      }
    }
  }
  return { serviceAccounts: sa };
}

function collectKeys(s: CalicoSelector, out: Set<string>): void {
  switch (s.kind) {
    case 'all':
    case 'global':
      return;
    case 'not':
      return collectKeys(s.expr, out);
    case 'and':
    case 'or':
      collectKeys(s.left, out);
      return collectKeys(s.right, out);
    default:
      out.add(s.key);
  }
}

export { PROTOCOLS };
