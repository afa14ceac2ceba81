/**
 * compile: Cluster -> Compiled (classes, atoms, ordered blocks, isolation masks). Pure; decides every
 * selector, named port and default exactly once.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Cluster, Endpoint, Labels, NetworkPolicy } from '../model/types.js';
import type { ConnProtocol } from '../net/connection-set.js';
import { parseIP, type Cidr } from '../net/ip.js';
import {
  ciliumCuts,
  ciliumRequirements,
  compileCiliumPolicy,
  fqdnWithoutDnsProxy,
  requirementsOverNetworkPolicies,
  SERVICE_ACCOUNT_KEY,
  serviceEndpointIPs,
  type CiliumCompileContext,
} from './cilium-policy.js';
import { IdSet } from './id-set.js';
import { cniProfile, type Cni, type CniProfile } from './profile.js';
import * as B from './bitset.js';
import type { Block, PolicyRef } from './block.js';
import { calicoCuts, calicoTieKey, CalicoView, compileCalicoPolicies, type CalicoCompileContext } from './calico-policy.js';
import { calicoPoliciesInForce, networkPoliciesInForce } from '../model/calico/staged.js';
import { DEFAULT_TIER_ORDER, K8S_NETWORK_POLICY_ORDER, KUBE_ADMIN_TIER_ORDER, KUBE_BASELINE_TIER_ORDER, type CalicoTier } from '../model/calico/types.js';
import { buildClasses, type ClassTable } from './classes.js';
import { expandEndpoints } from './expand.js';
import { IPAtoms, cidrCuts } from './ip-atoms.js';
import { adminCuts, compileAdminPolicy, type AdminCompileContext } from './admin-policy.js';
import { compileNetworkPolicy, npPortCuts, type NpCompileContext } from './network-policy.js';
import { PortAtoms } from './port-atoms.js';
import { selectorKeys } from './selector.js';
import { Universe } from './universe.js';

/** How to compile a cluster: the CNI and its choices (ipBlocks on pod IPs, DNS for FQDN rules), extra CIDRs to cut as their own addresses, staged Calico policies. */
export interface CompileOptions {
  /**
   * 'match' (default): an ipBlock also matches pods whose known IP is inside it, as the upstream e2e
   * suite expects. 'ignore': ipBlocks match cluster-external addresses only (some CNIs, and
   * np-guard's netpol-analyzer).
   */
  readonly ipblockPods?: 'match' | 'ignore';
  /**
   * Extra ranges cut out as their own IP atoms (well-known targets such as the metadata addresses, or
   * the other side's boundaries when two clusters are diffed). Answers never depend on these cuts;
   * they only make the external ranges that are listed line up.
   */
  readonly extraCidrs?: readonly Cidr[];
  /**
   * NetworkPolicies not compiled here whose ipBlocks, ports and named ports are cut as atoms all the
   * same (a diff's other side, so that its policies fit this side's atoms: diff/derive.ts). Their
   * label keys are not observed (that could list a workload pod by pod). Answers never depend on these cuts.
   */
  readonly extraPolicyCuts?: readonly NetworkPolicy[];
  /** The CNI profile (compile/profile.ts); null or absent: detected from the input. */
  readonly cni?: Cni | null;
  /** How `cni` was chosen, when not by the user (diff detects one profile from either side). Default 'given'. */
  readonly cniSource?: string;
  /** FQDN -> addresses for Cilium toFQDNs (names lower case, without the trailing dot). */
  readonly dns?: ReadonlyMap<string, readonly string[]>;
  /** Cilium's cluster name (the `io.cilium.k8s.policy.cluster` label of every endpoint). */
  readonly ciliumClusterName?: string;
  /**
   * Evaluate Calico staged policies (StagedNetworkPolicy, StagedGlobalNetworkPolicy) as if they were
   * enforced: "what would this change block". Default false: staged policies are never enforced.
   */
  readonly staged?: boolean;
}

export interface Compiled {
  readonly cluster: Cluster;
  readonly options: Required<CompileOptions>;
  /** The CNI-dependent choices the answers rest on. */
  readonly profile: CniProfile;
  /** Caveats found while compiling (entities, FQDNs or Services the input cannot place). */
  readonly warnings: readonly Diagnostic[];
  /** The profile's part of the NetworkPolicy compile context (for incremental updates). */
  readonly npContext: Pick<NpCompileContext, 'notPods' | 'notCidr'>;
  readonly classes: ClassTable;
  readonly u: Universe;
  readonly ipAtoms: IPAtoms;
  readonly ports: PortAtoms;
  /** All blocks, sorted by evaluation order (tier, then priority/rule); ids are positions. */
  readonly blocks: readonly Block[];
  readonly policyRefs: readonly PolicyRef[];
  /** Workloads listed pod by pod because selectors tell their pods apart: workload id -> pod ids. */
  readonly split: ReadonlyMap<string, readonly string[]>;
  /** Label keys some pod selector observes, and `name/PROTO` of referenced named ports (decide the classes). */
  readonly observedKeys: ReadonlySet<string>;
  readonly namedPorts: ReadonlySet<string>;
  /** Classes isolated for egress / ingress by some NetworkPolicy. */
  readonly egressIsolated: B.Bits;
  readonly ingressIsolated: B.Bits;
  /** Rank of the default tier (where NetworkPolicies live) among the ranks of Block.rank. */
  readonly defaultRank: number;
  /** Tiers in evaluation order (rank = position): name and order, for explanations. */
  readonly tierList: readonly { readonly name: string; readonly order: number | null }[];
}

export function compileCluster(cluster: Cluster, options: CompileOptions = {}): Compiled {
  const profile = cniProfile(cluster, options.cni ?? null, options.ipblockPods, options.cniSource);
  const opts: Required<CompileOptions> = {
    ipblockPods: profile.ipblockMatchesPods ? 'match' : 'ignore',
    extraCidrs: options.extraCidrs ?? [],
    extraPolicyCuts: options.extraPolicyCuts ?? [],
    cni: profile.cni,
    cniSource: profile.source,
    dns: options.dns ?? new Map(),
    ciliumClusterName: options.ciliumClusterName ?? 'default',
    staged: options.staged ?? false,
  };
  const matchPods = opts.ipblockPods === 'match';
  // --staged: StagedKubernetesNetworkPolicies enforced (model/calico/staged.ts); everything below reads them as NetworkPolicies
  const inForce = networkPoliciesInForce(cluster, opts.staged);
  if (inForce !== cluster.policies) cluster = { ...cluster, policies: inForce };

  // 1. what selectors, ipBlocks and ports can observe
  const podKeys = new Set<string>();
  const ipCuts: bigint[] = [];
  const portCuts: Record<ConnProtocol, number[]> = { TCP: [], UDP: [], SCTP: [], ICMP: [], ICMPv6: [] };
  const named = new Set<string>();
  const cilium = cluster.ciliumPolicies ?? [];
  const cidrGroups = cluster.ciliumCidrGroups ?? [];
  for (const pol of cilium) ciliumCuts(pol, opts.dns, cidrGroups, podKeys, ipCuts, portCuts, named);
  // toServices selects a Service's pods by its selector (keys no policy selector may mention, which
  // must still tell pods apart) or its EndpointSlices' addresses (each its own atom)
  if (cilium.some((pol) => pol.specs.some((spec) => spec.rules.some((r) => (r.peers ?? []).some((p) => p.kind === 'service'))))) {
    for (const s of cluster.services) {
      for (const k of Object.keys(s.selector ?? {})) podKeys.add(k);
      if (s.selector !== null) continue;
      for (const ip of serviceEndpointIPs(cluster, s.namespace, s.name)) {
        const v = parseIP(ip);
        if (v !== null) ipCuts.push(v.value, v.value + 1n);
      }
    }
  }
  // node addresses and the API server's are identities of their own under Cilium: their own atoms
  const addressCuts = (ip: string) => {
    const v = parseIP(ip);
    if (v !== null) ipCuts.push(v.value, v.value + 1n);
  };
  const apiserverIPs = profile.ipblockMatchesNodes ? [] : serviceEndpointIPs(cluster, 'default', 'kubernetes');
  if (!profile.ipblockMatchesNodes) {
    for (const n of cluster.nodes) for (const a of n.addresses) addressCuts(a.address);
    apiserverIPs.forEach(addressCuts);
  }
  for (const pol of cluster.policies) {
    selectorKeys(pol.podSelector, podKeys);
    for (const rules of [pol.ingress, pol.egress]) {
      for (const r of rules) {
        for (const p of r.peers ?? []) {
          if (p.kind === 'pods') selectorKeys(p.podSelector, podKeys);
          else {
            cidrCuts(p.cidr, ipCuts);
            for (const e of p.except) cidrCuts(e, ipCuts);
          }
        }
      }
    }
    npPortCuts(pol, portCuts, named);
  }
  const admin = cluster.adminPolicies ?? [];
  const nodes = cluster.nodes.map((n) => ({ labels: n.labels, addresses: n.addresses.map((a) => a.address) }));
  for (const pol of admin) {
    const s = pol.subject;
    if (s.kind === 'pods') selectorKeys(s.podSelector, podKeys);
    for (const r of [...pol.ingress, ...pol.egress]) for (const p of r.peers) if (p.kind === 'pods') selectorKeys(p.podSelector, podKeys);
    adminCuts(pol, nodes, ipCuts, portCuts, named);
  }
  const calico = cluster.calico;
  const calicoPolicies = calico === undefined ? [] : calicoPoliciesInForce(calico.policies, opts.staged);
  const calicoSeen =
    calico === undefined
      ? { serviceAccounts: false }
      : calicoCuts(
          calicoPolicies,
          calico.networkSets,
          { services: cluster.services, serviceEndpoints: cluster.serviceEndpoints ?? [] },
          podKeys,
          ipCuts,
          portCuts,
          named,
        );
  for (const c of opts.extraCidrs) cidrCuts(c, ipCuts);
  for (const pol of opts.extraPolicyCuts) {
    for (const r of [...pol.ingress, ...pol.egress]) {
      for (const p of r.peers ?? []) if (p.kind === 'ipBlock') for (const c of [p.cidr, ...p.except]) cidrCuts(c, ipCuts);
    }
    npPortCuts(pol, portCuts, named);
  }
  for (const e of cluster.endpoints) {
    for (const p of e.ports) if (p.name !== '' && named.has(`${p.name}/${p.protocol}`)) portCuts[p.protocol].push(p.port, p.port + 1);
  }

  // 2. endpoints as selectors see them, atoms and classes
  // Cilium's service-account pseudo-label, given to every pod only when some selector observes it
  if (podKeys.has(SERVICE_ACCOUNT_KEY)) cluster = { ...cluster, endpoints: cluster.endpoints.map(withServiceAccountLabel) };
  const expansion = expandEndpoints(cluster.endpoints, podKeys);
  const original = cluster.endpoints;
  if (expansion.endpoints.length !== original.length || expansion.endpoints.some((e, i) => e !== original[i]))
    cluster = { ...cluster, endpoints: expansion.endpoints };
  const ipAtoms = new IPAtoms(ipCuts);
  const ports = new PortAtoms(portCuts);
  // service-account profiles with labels make pods of one namespace differ by service account too
  const saProfiles = [...(calico?.profiles ?? new Map<string, Labels>())].some(([n, l]) => n.startsWith('ksa.') && Object.keys(l).length > 0);
  const classes = buildClasses(cluster, {
    podKeys,
    namedPorts: named,
    ipAtoms: matchPods ? ipAtoms : null,
    serviceAccounts: calicoSeen.serviceAccounts || saProfiles,
  });
  const nsLabels = new Map<string, Labels>();
  for (const ns of cluster.namespaces) nsLabels.set(ns.name, ns.labels);
  for (const ns of classes.byNamespace.keys()) if (!nsLabels.has(ns)) nsLabels.set(ns, { 'kubernetes.io/metadata.name': ns });
  for (const pol of cluster.policies) {
    if (!nsLabels.has(pol.namespace)) nsLabels.set(pol.namespace, { 'kubernetes.io/metadata.name': pol.namespace });
  }
  const u = new Universe(classes, ipAtoms, nsLabels);

  // 3. rules -> blocks
  const hostNetworkBits = B.empty(u.size);
  for (let c = 0; c < classes.count; c++) if (classes.rep[c]!.hostNetwork) B.set(hostNetworkBits, c);
  const nodeIds: number[] = [];
  if (!profile.ipblockMatchesNodes) {
    for (const n of cluster.nodes)
      for (const a of n.addresses) {
        const v = parseIP(a.address);
        if (v !== null) nodeIds.push(u.atomBit(ipAtoms.find(v.value)));
      }
  }
  const nodeAtoms = IdSet.ofIds(u.size, nodeIds);
  const npContext: Pick<NpCompileContext, 'notPods' | 'notCidr'> = {
    ...(profile.hostNetworkIsPolicySubject ? {} : { notPods: hostNetworkBits }),
    ...(profile.ipblockMatchesNodes ? {} : { notCidr: nodeAtoms.dense() }),
  };
  const ctx: NpCompileContext = { u, ports, ipblockPods: matchPods, nextId: 0, ...npContext };
  const blocks: Block[] = [];
  const policyRefs: PolicyRef[] = [];
  const warnings: Diagnostic[] = [];
  for (const pol of cluster.policies) compileNetworkPolicy(ctx, pol, blocks, policyRefs);
  if (cilium.length > 0) {
    const apiserverIds: number[] = [];
    for (const ip of apiserverIPs) {
      const v = parseIP(ip);
      if (v !== null) apiserverIds.push(u.atomBit(ipAtoms.find(v.value)));
    }
    const base = Object.assign(ctx, {
      hostNetwork: hostNetworkBits,
      nodeAtoms,
      apiserverAtoms: apiserverIds.length === 0 ? null : IdSet.ofIds(u.size, apiserverIds),
      clusterName: opts.ciliumClusterName,
      dns: opts.dns,
      cidrGroups,
      cluster,
      warnings,
    });
    const cctx: CiliumCompileContext = Object.assign(base, { requirements: ciliumRequirements(base, cilium) });
    for (const pol of cilium) compileCiliumPolicy(cctx, pol, blocks, policyRefs);
    requirementsOverNetworkPolicies(cctx, policyRefs);
    fqdnWithoutDnsProxy(cctx, cilium);
  }
  if (admin.length > 0) {
    const hostNetwork = B.empty(u.size);
    for (let c = 0; c < classes.count; c++) if (classes.rep[c]!.hostNetwork) B.set(hostNetwork, c);
    const actx: AdminCompileContext = Object.assign(ctx, { hostNetwork, nodes });
    for (const pol of admin) compileAdminPolicy(actx, pol, blocks, policyRefs);
  }
  const tiers = tierTable(
    calico?.tiers ?? [],
    calicoPolicies.map((p) => p.tier),
  );
  if (calico !== undefined && calicoPolicies.length > 0) {
    const hostNetwork = B.empty(u.size);
    for (let c = 0; c < classes.count; c++) if (classes.rep[c]!.hostNetwork) B.set(hostNetwork, c);
    const cctx: CalicoCompileContext = Object.assign(ctx, {
      hostNetwork,
      view: null as CalicoView | null,
      tiers: tiers.byName,
      services: cluster.services,
      serviceEndpoints: cluster.serviceEndpoints ?? [],
      warnings,
      serviceMemo: new Map(),
    });
    cctx.view = new CalicoView(cctx, nsLabels, calico.serviceAccounts, calico.networkSets, calico.profiles);
    compileCalicoPolicies(cctx, calicoPolicies, blocks, policyRefs);
  }
  const { egress: egressIsolated, ingress: ingressIsolated } = isolationOf(policyRefs, u.size);
  const sorted = sortBlocks(blocks, tiers.rank, calicoPolicies.length > 0);
  const defaultRank = tiers.rank.get('default')!;
  return {
    cluster,
    options: opts,
    profile,
    warnings,
    npContext,
    classes,
    u,
    ipAtoms,
    ports,
    blocks: sorted,
    policyRefs,
    egressIsolated,
    ingressIsolated,
    observedKeys: podKeys,
    namedPorts: named,
    split: expansion.split,
    defaultRank,
    tierList: tiers.list,
  };
}

/**
 * Every tier in evaluation order: Calico's own three (kube-admin 1000 holds the admin tier,
 * default 1,000,000 the NetworkPolicies, kube-baseline 10,000,000 the baseline tier), the Tier
 * objects, and tiers policies name without an object (order unknown: last), by order then name.
 */
function tierTable(
  defined: readonly CalicoTier[],
  named: readonly string[],
): { list: { name: string; order: number | null }[]; rank: Map<string, number>; byName: Map<string, CalicoTier> } {
  const byName = new Map<string, CalicoTier>();
  // Cilium's deny rules come before everything (its denies beat every allow)
  byName.set('cilium-deny', { name: 'cilium-deny', order: -Infinity, defaultAction: 'Pass', location: null });
  byName.set('kube-admin', { name: 'kube-admin', order: KUBE_ADMIN_TIER_ORDER, defaultAction: 'Pass', location: null });
  byName.set('default', { name: 'default', order: DEFAULT_TIER_ORDER, defaultAction: 'Deny', location: null });
  byName.set('kube-baseline', { name: 'kube-baseline', order: KUBE_BASELINE_TIER_ORDER, defaultAction: 'Pass', location: null });
  for (const t of defined) byName.set(t.name, t);
  for (const n of named) if (!byName.has(n)) byName.set(n, { name: n, order: null, defaultAction: 'Deny', location: null });
  const list = [...byName.values()]
    .map((t) => ({ name: t.name, order: t.order }))
    .sort((a, b) => compareNumbers(a.order ?? Infinity, b.order ?? Infinity) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rank = new Map<string, number>();
  list.forEach((t, i) => rank.set(t.name, i));
  return { list, rank, byName };
}

/** An endpoint (and its pods) with Cilium's `io.cilium.k8s.policy.serviceaccount` label. */
function withServiceAccountLabel(e: Endpoint): Endpoint {
  const sa = e.serviceAccountName ?? 'default';
  const pods = e.pods?.map((p) => ({ ...p, labels: { ...p.labels, [SERVICE_ACCOUNT_KEY]: sa } }));
  return { ...e, labels: { ...e.labels, [SERVICE_ACCOUNT_KEY]: sa }, ...(pods === undefined ? {} : { pods }) };
}

/** Classes isolated for egress / ingress by the NetworkPolicy refs given (bits over a universe of `size`). */
export function isolationOf(refs: readonly PolicyRef[], size: number): { egress: B.Bits; ingress: B.Bits } {
  const egress = B.empty(size);
  const ingress = B.empty(size);
  for (const r of refs) if (r.tier === 'NetworkPolicy' && r.isolates) r.subjects.orInto(r.direction === 'egress' ? egress : ingress);
  return { egress, ingress };
}

const TIER_NAME: Readonly<Record<Exclude<Block['tier'], 'Calico'>, string>> = {
  Deny: 'cilium-deny',
  Admin: 'kube-admin',
  NetworkPolicy: 'default',
  Baseline: 'kube-baseline',
};

/**
 * Orders blocks by tier rank, then within the tier by order (admin priority; Calico order, missing =
 * last; NetworkPolicies 1000) and Calico's `name/namespace/kind` tie-break, keeping input order
 * otherwise (rules of one policy stay in rule order); sets ranks and renumbers ids. Without Calico
 * policies NetworkPolicy blocks keep input order (their order among themselves changes nothing).
 */
function sortBlocks(blocks: Block[], ranks: ReadonlyMap<string, number>, calico: boolean): Block[] {
  const keyed = blocks.map((b, i) => {
    const c = b.rule.calico;
    const rank = ranks.get(c !== undefined ? c.tier : TIER_NAME[b.tier as Exclude<Block['tier'], 'Calico'>])!;
    const order = c !== undefined ? (c.order ?? Infinity) : b.tier === 'NetworkPolicy' ? K8S_NETWORK_POLICY_ORDER : (b.rule.priority ?? 0);
    const tie = c !== undefined ? c.tieKey : calico && b.tier === 'NetworkPolicy' ? npTieKey(b.rule.policy) : '';
    return { b, i, rank, order, tie };
  });
  keyed.sort((x, y) => x.rank - y.rank || compareNumbers(x.order, y.order) || (x.tie < y.tie ? -1 : x.tie > y.tie ? 1 : 0) || x.i - y.i);
  return keyed.map(({ b, rank }, id) => ({ ...b, id, rank }));
}

/** a < b: -1, a > b: 1, else 0 (Infinity equals Infinity, where subtraction gives NaN). */
function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `name/namespace/KubernetesNetworkPolicy` from `namespace/name`. */
function npTieKey(policy: string): string {
  const slash = policy.indexOf('/');
  return calicoTieKey(policy.slice(slash + 1), policy.slice(0, slash), 'KubernetesNetworkPolicy');
}

/** Every CIDR boundary the policies of a cluster observe (for aligning two clusters' atoms). */
export function policyCidrs(cluster: Cluster): Cidr[] {
  const out: Cidr[] = [];
  // Calico: every policy's nets (staged ones too: a diff may enforce them on one side) and network sets
  for (const s of cluster.calico?.networkSets ?? []) out.push(...s.nets);
  for (const p of cluster.calico?.policies ?? []) {
    for (const r of [...p.ingress, ...p.egress]) for (const e of [r.source, r.destination]) out.push(...(e.nets ?? []), ...e.notNets);
  }
  for (const pol of [...cluster.policies, ...(cluster.calico?.stagedKubernetes ?? []).map((s) => s.policy)]) {
    for (const rules of [pol.ingress, pol.egress]) {
      for (const r of rules) for (const p of r.peers ?? []) if (p.kind === 'ipBlock') out.push(p.cidr, ...p.except);
    }
  }
  return out;
}
