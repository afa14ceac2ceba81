/**
 * CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy -> Blocks, the same shape as every other
 * policy language (every CNI policy language compiles into the same blocks).
 *
 * Precedence, as Cilium's policy-language reference defines it ("Deny Policies"; "Policy
 * Enforcement Modes", default mode):
 * - `ingressDeny` / `egressDeny` rules beat every allow, of every policy (Cilium's and Kubernetes
 *   NetworkPolicies alike): they compile to the `Deny` tier, evaluated first-match before every other
 *   tier; traffic no deny rule matches falls through, as a Pass does.
 * - `ingress` / `egress` rules are allows: they join the NetworkPolicy tier, whose allows are one
 *   union (a NetworkPolicy allow and a Cilium allow are alike).
 * - An endpoint is isolated (default deny) in a direction when any rule of that direction (allow or
 *   deny, even `{}`) selects it, unless its policy says `enableDefaultDeny: {<direction>: false}`.
 *
 * Peers and subjects:
 * | selector / peer        | classes or atoms                                                          |
 * |------------------------|---------------------------------------------------------------------------|
 * | endpointSelector       | CNP: non-host-network classes of the policy's namespace; CCNP: of any    |
 * |                        | namespace (a namespace pseudo-label narrows it)                           |
 * | from/toEndpoints       | likewise, but a CNP peer selector naming the namespace leaves its own     |
 * |                        | (`{}` = every pod of the namespace for a CNP, of the cluster for a CCNP; |
 * |                        | never the world, never host-network pods)                                 |
 * | from/toRequires        | ANDed into the from/toEndpoints peers of every rule of the same kind     |
 * |                        | (allow or deny) that selects the same endpoint, of any policy (see      |
 * |                        | ciliumRequirements); entities, CIDRs, FQDNs, Services and L4-only rules  |
 * |                        | are not narrowed                                                          |
 * | CIDR, CIDRSet, groups  | external atoms inside, minus except (never pods, never node addresses)   |
 * | entities               | see entitySet                                                             |
 * | toFQDNs                | atoms of the addresses the DNS map gives for the matching names           |
 * | toServices             | the Service's backends (selector) or its Endpoints' addresses            |
 * Ports: a rule with no L3 peers but toPorts/icmps applies to every peer on those ports; one with
 * neither (`{}`) allows or denies nothing; toPorts ANY = TCP, UDP, SCTP; port 0 or none = every port;
 * icmps = ICMP / ICMPv6 types; L7 rules only annotate the rule (the L3/L4 verdict stands, with the
 * caveat "allowed subject to L7 rules").
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { makeDiagnostic } from '../diagnostics/catalogue.js';
import type { CiliumEntity, CiliumPeer, CiliumPolicy, CiliumRule, CiliumSelector, CiliumSpec, CiliumCidrGroup } from '../model/cilium/types.js';
import { ciliumPolicyName } from '../model/cilium/types.js';
import type { Cluster, LabelSelector, Protocol } from '../model/types.js';
import { PROTOCOLS } from '../model/types.js';
import { icmpTypeRange, type ConnProtocol } from '../net/connection-set.js';
import { familyOf, parseIP, type Cidr } from '../net/ip.js';
import * as B from './bitset.js';
import type { Block, Direction, PolicyRef, RuleRef } from './block.js';
import { IdSet } from './id-set.js';
import type { NpCompileContext } from './network-policy.js';
import { matches } from './selector.js';

export const SERVICE_ACCOUNT_KEY = 'io.cilium.k8s.policy.serviceaccount';
const CLUSTER_KEY = 'io.cilium.k8s.policy.cluster';
const EMPTY: LabelSelector = { matchLabels: {}, matchExpressions: [] };

export interface CiliumCompileContext extends NpCompileContext {
  /** Host-network classes (the `host` identity: never endpoints). */
  readonly hostNetwork: B.Bits;
  /** Atoms of node addresses. */
  readonly nodeAtoms: IdSet;
  /** Atoms of the kube-apiserver (endpoints of default/kubernetes), null when the input has none. */
  readonly apiserverAtoms: IdSet | null;
  readonly clusterName: string;
  /** FQDN (lower case, no trailing dot) -> addresses. */
  readonly dns: ReadonlyMap<string, readonly string[]>;
  readonly cidrGroups: readonly CiliumCidrGroup[];
  readonly cluster: Cluster;
  readonly warnings: Diagnostic[];
  /** from/toRequires of every policy, by the section they narrow (ciliumRequirements). */
  readonly requirements: Requirements;
}

/** One fromRequires/toRequires selector: the endpoints it narrows (its spec's subjects) to the peers it admits. */
export interface Requirement {
  readonly subjects: IdSet;
  readonly peers: IdSet;
  /** The rule that holds it, for warnings. */
  readonly rule: CiliumRule;
  readonly object: string;
}
export type Requirements = Record<CiliumRule['section'], readonly Requirement[]>;

/**
 * The from/toRequires of every policy. Cilium's layer-3 reference ("Additional Label
 * Requirements"): requirements "apply to all rules that share the same endpoint selector" and do
 * not grant access by themselves; its example pairs a policy requiring `env=prod` of sources with
 * another allowing `role=frontend`, and the endpoint is then reachable from sources with both
 * labels. As Cilium's policy resolution does it, the requirements gathered from the allow rules
 * (ingress / egress) of every spec selecting an endpoint are ANDed into the endpoint selectors
 * (fromEndpoints / toEndpoints) of every allow rule selecting it; those of deny rules into the deny
 * rules'. A requirement selector is namespaced as a peer selector of its own policy.
 */
export function ciliumRequirements(ctx: Omit<CiliumCompileContext, 'requirements'>, policies: readonly CiliumPolicy[]): Requirements {
  const out: Record<CiliumRule['section'], Requirement[]> = { ingress: [], egress: [], ingressDeny: [], egressDeny: [] };
  for (const pol of policies)
    for (const spec of pol.specs) {
      let subjects: IdSet | null = null;
      for (const rule of spec.rules) {
        for (const sel of rule.requires) {
          subjects ??= selectEndpoints(ctx as CiliumCompileContext, spec.endpointSelector, pol.namespace, false);
          out[rule.section].push({
            subjects,
            peers: selectEndpoints(ctx as CiliumCompileContext, sel, pol.namespace, true),
            rule,
            object: `${pol.kind} ${ciliumPolicyName(pol)}`,
          });
        }
      }
    }
  return out;
}

/**
 * Cilium resolves a Kubernetes NetworkPolicy as rules of its own, so the requirements of an
 * endpoint narrow that policy's pod peers too. kubereach applies them to Cilium rules only: when a
 * NetworkPolicy allows in the same direction to endpoints a requirement narrows, the requirement's
 * rule gets a warning (those NetworkPolicies may allow more here than Cilium does), once per rule.
 */
export function requirementsOverNetworkPolicies(ctx: CiliumCompileContext, refs: readonly PolicyRef[]): void {
  const warned = new Set<CiliumRule>();
  for (const section of ['ingress', 'egress'] as const) {
    const nps = refs.filter((r) => r.policyKind === 'NetworkPolicy' && r.direction === section);
    for (const req of ctx.requirements[section]) {
      if (warned.has(req.rule)) continue;
      const np = nps.find((r) => !r.subjects.intersect(req.subjects).isEmpty());
      if (np === undefined) continue;
      warned.add(req.rule);
      ctx.warnings.push(
        makeDiagnostic(
          'CILIUM_NOT_MODELLED',
          'warning',
          `${section === 'ingress' ? 'fromRequires' : 'toRequires'} narrows, in Cilium, the pod peers of Kubernetes NetworkPolicies selecting the same endpoints too (NetworkPolicy ${np.policy}); kubereach narrows the Cilium rules only, so such a NetworkPolicy may allow more here than in the cluster`,
          req.rule.location,
          req.object,
        ),
      );
    }
  }
}

/** `ns/name` or `name`, as explanations show a Cilium policy. */
export { ciliumPolicyName };

function clusterMatches(ctx: CiliumCompileContext, sel: CiliumSelector): boolean {
  return sel.cluster.length === 0 || matches({ matchLabels: {}, matchExpressions: sel.cluster }, { [CLUSTER_KEY]: ctx.clusterName });
}

/**
 * Classes an endpoint selector selects. `scope` is the CNP's namespace (null for a CCNP);
 * `peer`: a peer selector that names a namespace leaves the CNP's own (a subject selector never does).
 */
export function selectEndpoints(ctx: CiliumCompileContext, sel: CiliumSelector, scope: string | null, peer: boolean): IdSet {
  const u = ctx.u;
  if (!clusterMatches(ctx, sel)) return IdSet.empty(u.size);
  let namespaces = u.namespaces(sel.namespace ?? EMPTY);
  if (scope !== null && (!peer || !sel.namesNamespace)) namespaces = namespaces.includes(scope) ? [scope] : [];
  return u.pods(namespaces, sel.pod).minus(ctx.hostNetwork);
}

function hostSet(ctx: CiliumCompileContext): IdSet {
  return IdSet.union(ctx.u.size, [ctx.nodeAtoms, IdSet.ofBits(ctx.u.size, ctx.hostNetwork)]);
}

/** External atoms of one family (4, 6) or both (null). */
function externalAtoms(ctx: CiliumCompileContext, family: 4 | 6 | null): IdSet {
  const u = ctx.u;
  const ids: number[] = [];
  for (let a = 0; a < u.atoms.count; a++) if (family === null || familyOf(u.atoms.start(a)) === family) ids.push(u.atomBit(a));
  return IdSet.ofIds(u.size, ids);
}

/** The classes and atoms an entity stands for (Cilium's "Entities Based" section). */
function entitySet(ctx: CiliumCompileContext, entity: CiliumEntity, where: CiliumPeer['location'], object: string): IdSet {
  const u = ctx.u;
  const nonWorld = IdSet.union(u.size, [ctx.nodeAtoms, ctx.apiserverAtoms ?? IdSet.empty(u.size)]).dense();
  switch (entity) {
    case 'all':
      return u.allSet;
    case 'world':
      return externalAtoms(ctx, null).minus(nonWorld);
    case 'world-ipv4':
      return externalAtoms(ctx, 4).minus(nonWorld);
    case 'world-ipv6':
      return externalAtoms(ctx, 6).minus(nonWorld);
    case 'cluster':
      // every endpoint of the cluster, host-network pods and nodes included
      return IdSet.union(u.size, [IdSet.ofBits(u.size, u.classesMask), ctx.nodeAtoms]);
    case 'host':
    case 'remote-node':
      // kubereach does not place pods on nodes, so the local node and the others are not told apart
      return hostSet(ctx);
    case 'kube-apiserver': {
      if (ctx.apiserverAtoms === null) {
        ctx.warnings.push(
          makeDiagnostic(
            'CILIUM_UNPLACED',
            'warning',
            'entity kube-apiserver: the input has no Endpoints or EndpointSlice of default/kubernetes, so it matches nothing here',
            where,
            object,
          ),
        );
        return IdSet.empty(u.size);
      }
      const ids: number[] = [];
      ctx.apiserverAtoms.forEach((i) => ids.push(i));
      // a host-network API server pod carries the same addresses
      const { classes } = u;
      for (let c = 0; c < classes.count; c++) {
        if (!B.has(ctx.hostNetwork, c)) continue;
        for (const ip of classes.rep[c]!.ips) {
          const p = parseIP(ip);
          if (p !== null && ctx.apiserverAtoms.has(u.atomBit(u.atoms.find(p.value)))) ids.push(c);
        }
      }
      return IdSet.ofIds(u.size, ids);
    }
    case 'health':
    case 'init':
    case 'unmanaged':
    case 'ingress':
      ctx.warnings.push(
        makeDiagnostic(
          'CILIUM_UNPLACED',
          'warning',
          `entity ${entity}: Cilium's own ${entity} endpoints are not in the input, so it matches nothing here`,
          where,
          object,
        ),
      );
      return IdSet.empty(u.size);
    default: {
      const never: never = entity;
      throw new Error(`unreachable entity ${String(never)}`);
    }
  }
}

function cidrSet(ctx: CiliumCompileContext, cidr: Cidr, except: readonly Cidr[]): IdSet {
  return ctx.u.ipBlock(cidr, except, false).minus(ctx.nodeAtoms.dense());
}

/** Lower case without the trailing dot: how names compare. */
export function normaliseName(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/** A matchPattern as a regular expression: `*` alone is every name; elsewhere `*` is any DNS characters within a label. */
export function fqdnPattern(pattern: string): RegExp {
  const p = normaliseName(pattern);
  if (p === '*') return /^.*$/;
  return new RegExp(
    `^${p
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[-a-z0-9_]*')}$`,
  );
}

/** Addresses the DNS map gives for an FQDN peer. */
export function fqdnAddresses(dns: ReadonlyMap<string, readonly string[]>, peer: Extract<CiliumPeer, { kind: 'fqdn' }>): string[] {
  const out: string[] = [];
  if (peer.matchName !== null) out.push(...(dns.get(normaliseName(peer.matchName)) ?? []));
  else {
    const re = fqdnPattern(peer.matchPattern!);
    for (const [name, ips] of dns) if (re.test(name)) out.push(...ips);
  }
  return out;
}

function addressSet(ctx: CiliumCompileContext, ips: readonly string[]): IdSet {
  const ids: number[] = [];
  for (const ip of ips) {
    const p = parseIP(ip);
    if (p !== null) ids.push(ctx.u.atomBit(ctx.u.atoms.find(p.value)));
  }
  return IdSet.ofIds(ctx.u.size, ids);
}

/** Addresses of the Endpoints / EndpointSlices of a Service (the model lifts them out of `others`). */
export function serviceEndpointIPs(cluster: Cluster, namespace: string, name: string): string[] {
  const out: string[] = [];
  for (const e of cluster.serviceEndpoints ?? []) {
    if (e.namespace === namespace && e.service === name) for (const a of e.addresses) out.push(a.ip);
  }
  return [...new Set(out)];
}

function peerSet(ctx: CiliumCompileContext, pol: CiliumPolicy, peer: CiliumPeer, object: string): IdSet {
  const u = ctx.u;
  switch (peer.kind) {
    case 'endpoints':
      return selectEndpoints(ctx, peer.selector, pol.namespace, true);
    case 'entity':
      return entitySet(ctx, peer.entity, peer.location, object);
    case 'cidr':
      return cidrSet(ctx, peer.cidr, peer.except);
    case 'cidrGroup': {
      const groups = ctx.cidrGroups.filter((g) => (peer.ref !== null ? g.name === peer.ref : matches(peer.selector!, g.labels)));
      if (groups.length === 0) {
        ctx.warnings.push(
          makeDiagnostic(
            'CILIUM_UNPLACED',
            'warning',
            `no CiliumCIDRGroup ${peer.ref !== null ? `named ${peer.ref}` : 'matches the cidrGroupSelector'} in the input: it matches nothing here`,
            peer.location,
            object,
          ),
        );
      }
      return IdSet.union(
        u.size,
        groups.flatMap((g) =>
          g.cidrs.map((c) =>
            cidrSet(
              ctx,
              c,
              peer.except.filter((e) => e.family === c.family && e.start >= c.start && e.end <= c.end),
            ),
          ),
        ),
      );
    }
    case 'fqdn': {
      const ips = fqdnAddresses(ctx.dns, peer);
      if (ips.length === 0) {
        const what = peer.matchName !== null ? `name ${peer.matchName}` : `pattern ${peer.matchPattern}`;
        ctx.warnings.push(
          makeDiagnostic(
            'CILIUM_UNPLACED',
            'warning',
            `toFQDNs ${what} resolves to no address in --dns / --resolve: it matches nothing here`,
            peer.location,
            object,
          ),
        );
      }
      return addressSet(ctx, ips);
    }
    case 'service': {
      const ns = peer.namespace ?? pol.namespace;
      const services = ctx.cluster.services.filter(
        (s) => (ns === null || s.namespace === ns) && (peer.name !== null ? s.name === peer.name : matches(peer.selector!, s.labels ?? {})),
      );
      const sets: IdSet[] = [];
      for (const s of services) {
        if (s.selector !== null) sets.push(u.pods([s.namespace], { matchLabels: s.selector, matchExpressions: [] }).minus(ctx.hostNetwork));
        else sets.push(addressSet(ctx, serviceEndpointIPs(ctx.cluster, s.namespace, s.name)));
      }
      if (services.length === 0) {
        ctx.warnings.push(
          makeDiagnostic('CILIUM_UNPLACED', 'warning', `toServices: no matching Service in the input: it matches nothing here`, peer.location, object),
        );
      }
      return IdSet.union(u.size, sets);
    }
    default: {
      const never: never = peer;
      throw new Error(`unreachable Cilium peer ${JSON.stringify(never)}`);
    }
  }
}

const ALL_PROTOCOLS: readonly Protocol[] = PROTOCOLS;

/** Port atoms of a rule's numeric ports and ICMP types, and its named ports (resolved by the caller). */
function rulePorts(ctx: CiliumCompileContext, rule: CiliumRule): { numeric: B.Bits; named: { name: string; protocols: readonly Protocol[] }[] } {
  const numeric = B.empty(ctx.ports.count);
  const named: { name: string; protocols: readonly Protocol[] }[] = [];
  if (rule.ports === null && rule.icmps === null) return { numeric: ctx.ports.all(), named };
  for (const p of rule.ports ?? []) {
    const protos = p.protocol === 'ANY' ? ALL_PROTOCOLS : [p.protocol];
    if (typeof p.port === 'string') named.push({ name: p.port, protocols: protos });
    else
      for (const proto of protos) {
        if (p.port === null) ctx.ports.protocolBits(proto, numeric);
        else ctx.ports.rangeBits(proto, p.port, p.endPort ?? p.port, numeric);
      }
  }
  for (const i of rule.icmps ?? []) {
    const proto: ConnProtocol = i.family === 'IPv4' ? 'ICMP' : 'ICMPv6';
    ctx.ports.rangeBits(proto, ...icmpTypeRange(i.type), numeric);
  }
  return { numeric, named };
}

function sectionName(spec: CiliumSpec, rule: CiliumRule): string {
  return spec.specIndex === null ? rule.section : `specs[${spec.specIndex}].${rule.section}`;
}

/**
 * Subjects of a rule grouped by the requirements that narrow them (the same requirements, the same
 * peers): [subjects, the peers every requirement of the group admits (null: none applies)].
 */
function requirementGroups(ctx: CiliumCompileContext, section: CiliumRule['section'], subjects: IdSet): [IdSet, IdSet | null][] {
  const reqs = ctx.requirements[section].filter((r) => !r.subjects.intersect(subjects).isEmpty());
  if (reqs.length === 0) return [[subjects, null]];
  const groups = new Map<string, { ids: number[]; reqs: Requirement[] }>();
  subjects.forEach((c) => {
    const hit = reqs.filter((r) => r.subjects.has(c));
    const key = hit.map((r) => reqs.indexOf(r)).join(',');
    const g = groups.get(key) ?? groups.set(key, { ids: [], reqs: hit }).get(key)!;
    g.ids.push(c);
  });
  const u = ctx.u;
  return [...groups.values()].map((g) => [
    IdSet.ofIds(u.size, g.ids),
    g.reqs.length === 0 ? null : g.reqs.reduce((acc: IdSet, r) => acc.intersect(r.peers), u.allSet),
  ]);
}

function compileRule(ctx: CiliumCompileContext, pol: CiliumPolicy, spec: CiliumSpec, rule: CiliumRule, subjects: IdSet, out: Block[]): void {
  // `{}`: selects (so isolates) but allows or denies nothing
  if (rule.peers === null && rule.ports === null && rule.icmps === null) return;
  const object = `${pol.kind} ${ciliumPolicyName(pol)}`;
  const u = ctx.u;
  const dir: Direction = rule.section === 'ingress' || rule.section === 'ingressDeny' ? 'ingress' : 'egress';
  const deny = rule.section === 'ingressDeny' || rule.section === 'egressDeny';
  // (subjects, peers) pairs: endpoint peers narrowed by the requirements on their subjects; every
  // other peer (and an L4-only rule's every peer) as it is
  const parts: [IdSet, IdSet][] = [];
  if (rule.peers === null) parts.push([subjects, u.allSet]);
  else {
    const endpoints = IdSet.union(
      u.size,
      rule.peers.filter((p) => p.kind === 'endpoints').map((p) => peerSet(ctx, pol, p, object)),
    );
    const others = IdSet.union(
      u.size,
      rule.peers.filter((p) => p.kind !== 'endpoints').map((p) => peerSet(ctx, pol, p, object)),
    );
    if (!others.isEmpty()) parts.push([subjects, others]);
    if (!endpoints.isEmpty())
      for (const [subj, admitted] of requirementGroups(ctx, rule.section, subjects))
        parts.push([subj, admitted === null ? endpoints : endpoints.intersect(admitted)]);
  }
  const tier = deny ? ('Deny' as const) : ('NetworkPolicy' as const);
  const action = deny ? ('Deny' as const) : ('Accept' as const);
  const ref: RuleRef = {
    tier,
    policy: ciliumPolicyName(pol),
    policyKind: pol.kind,
    direction: dir,
    ruleIndex: rule.index,
    priority: null,
    ruleName: sectionName(spec, rule),
    action,
    location: rule.location,
    policyLocation: pol.location,
    l7: rule.l7,
  };
  const { numeric, named } = rulePorts(ctx, rule);
  for (const [subj, peers] of parts) {
    const src = dir === 'egress' ? subj : peers;
    const dst = dir === 'egress' ? peers : subj;
    const push = (other: IdSet, ports: B.Bits): void => {
      if (other.isEmpty() || src.isEmpty() || B.isEmpty(ports)) return;
      out.push({ id: ctx.nextId++, direction: dir, tier, action, rows: src, other, ports, rule: ref });
    };
    if (!B.isEmpty(numeric)) push(dst, numeric);
    // a named port resolves on each destination class (ingress: the subject; egress: the peer)
    for (const n of named) {
      for (const proto of n.protocols) {
        const groups = new Map<number, number[]>();
        dst.forEach((c) => {
          if (c >= u.classes.count) return;
          const cp = u.classes.rep[c]!.ports.find((p) => p.name === n.name && p.protocol === proto);
          if (cp !== undefined) (groups.get(cp.port) ?? groups.set(cp.port, []).get(cp.port)!).push(c);
        });
        for (const [port, members] of groups) push(IdSet.ofIds(u.size, members), ctx.ports.rangeBits(proto, port, port));
      }
    }
  }
}

export function compileCiliumPolicy(ctx: CiliumCompileContext, pol: CiliumPolicy, out: Block[], refs: PolicyRef[]): void {
  for (const spec of pol.specs) {
    const subjects = selectEndpoints(ctx, spec.endpointSelector, pol.namespace, false);
    for (const dir of ['ingress', 'egress'] as const) {
      const rules = spec.rules.filter((r) =>
        dir === 'ingress' ? r.section === 'ingress' || r.section === 'ingressDeny' : r.section === 'egress' || r.section === 'egressDeny',
      );
      if (rules.length === 0) continue;
      refs.push({
        tier: 'NetworkPolicy',
        policy: ciliumPolicyName(pol),
        policyKind: pol.kind,
        direction: dir,
        priority: null,
        location: pol.location,
        subjects,
        isolates: dir === 'ingress' ? spec.defaultDenyIngress : spec.defaultDenyEgress,
      });
      for (const r of rules) compileRule(ctx, pol, spec, r, subjects, out);
    }
  }
}

/** Port cuts, IP cuts and observed label keys of a Cilium policy (step 1 of compile). */
export function ciliumCuts(
  pol: CiliumPolicy,
  dns: ReadonlyMap<string, readonly string[]>,
  groups: readonly CiliumCidrGroup[],
  podKeys: Set<string>,
  ipCuts: bigint[],
  portCuts: Record<ConnProtocol, number[]>,
  named: Set<string>,
): void {
  const keys = (s: CiliumSelector) => {
    for (const k of Object.keys(s.pod.matchLabels)) podKeys.add(k);
    for (const r of s.pod.matchExpressions) podKeys.add(r.key);
  };
  const cidr = (c: Cidr) => ipCuts.push(c.start, c.end + 1n);
  for (const spec of pol.specs) {
    keys(spec.endpointSelector);
    for (const r of spec.rules) {
      for (const q of r.requires) keys(q);
      for (const p of r.peers ?? []) {
        if (p.kind === 'endpoints') keys(p.selector);
        else if (p.kind === 'cidr') [p.cidr, ...p.except].forEach(cidr);
        else if (p.kind === 'cidrGroup') {
          p.except.forEach(cidr);
          for (const g of groups) if (p.ref !== null ? g.name === p.ref : matches(p.selector!, g.labels)) g.cidrs.forEach(cidr);
        } else if (p.kind === 'fqdn') {
          for (const ip of fqdnAddresses(dns, p)) {
            const v = parseIP(ip);
            if (v !== null) ipCuts.push(v.value, v.value + 1n);
          }
        }
      }
      for (const p of r.ports ?? []) {
        const protos = p.protocol === 'ANY' ? ALL_PROTOCOLS : [p.protocol];
        for (const proto of protos) {
          if (typeof p.port === 'number') portCuts[proto].push(p.port, (p.endPort ?? p.port) + 1);
          else if (typeof p.port === 'string') named.add(`${p.port}/${proto}`);
        }
      }
      for (const i of r.icmps ?? []) {
        const [lo, hi] = icmpTypeRange(i.type);
        portCuts[i.family === 'IPv4' ? 'ICMP' : 'ICMPv6'].push(lo, hi + 1);
      }
    }
  }
}

/**
 * Subjects that toFQDNs rules select but no DNS proxy rule (`rules.dns`) covers: Cilium learns FQDN
 * addresses only from DNS answers its proxy sees, so for them the rule allows nothing in a real
 * cluster while the DNS map here says otherwise. Each such rule gets a warning.
 */
export function fqdnWithoutDnsProxy(ctx: CiliumCompileContext, policies: readonly CiliumPolicy[]): void {
  const visible = B.empty(ctx.u.size);
  for (const pol of policies)
    for (const spec of pol.specs) {
      if (spec.rules.some((r) => r.section === 'egress' && r.dnsProxy)) selectEndpoints(ctx, spec.endpointSelector, pol.namespace, false).orInto(visible);
    }
  for (const pol of policies)
    for (const spec of pol.specs) {
      for (const r of spec.rules) {
        if (!(r.peers ?? []).some((p) => p.kind === 'fqdn')) continue;
        const subjects = selectEndpoints(ctx, spec.endpointSelector, pol.namespace, false);
        if (subjects.minus(visible).isEmpty()) continue;
        ctx.warnings.push(
          makeDiagnostic(
            'CILIUM_UNPLACED',
            'warning',
            'toFQDNs rule without a DNS proxy rule (rules.dns) for some of its endpoints: Cilium learns no addresses for them and allows nothing; the answers here use the DNS map',
            r.location,
            `${pol.kind} ${ciliumPolicyName(pol)}`,
          ),
        );
      }
    }
}
