/**
 * The naive reference evaluator for Calico policies, written from Calico's documentation
 * (docs.tigera.io, reference/resources: tier, networkpolicy, globalnetworkpolicy, networkset,
 * globalnetworkset; "Rule", "EntityRule", "Selectors"), never from the engine. It reads the policy
 * objects as their documentation describes them (RCluster below: the fields of the YAML, with
 * selectors as trees the generator also prints as text) and decides one packet at a time, pod by pod,
 * tier by tier, rule by rule, with no precomputation.
 *
 * What the documentation says, and where it appears below:
 * - Tier "How policy is evaluated": "each tier that contains a policy that applies to the endpoint
 *   processes the packet. Tiers are sorted by their order - smallest number first. Policies in each
 *   Tier are then processed in order. If a NetworkPolicy or GlobalNetworkPolicy in the Tier Allows or
 *   Denys the packet, then evaluation is done ... Passes the packet, the next Tier containing a Policy
 *   that applies to the endpoint processes the packet. If the Tier applies to the endpoint, but takes
 *   no action on the packet the packet is dropped" (or passed, with defaultAction Pass). Tier order
 *   omitted = "infinite"; equal orders "in alphanumerical order based on the Tier Name". The default
 *   tier has order 1,000,000 and default action Deny. — `side`.
 * - NetworkPolicy spec.order: "Policies with higher order are applied after those with lower order
 *   within the same tier. If the order is omitted, it may be considered to be infinite ... identical
 *   order will be applied in alphanumerical order based on the Policy Name" (Felix breaks remaining
 *   ties by namespace, then kind). — `policiesOf`.
 * - spec.types: "When not explicitly specified ... [Ingress] if there are no Egress rules ...
 *   [Egress] if there are Egress rules but no Ingress rules ... both if there are both". — `types`.
 * - Rule action: Allow, Deny, Log ("Log the packet and continue processing"), Pass. — `side`.
 * - Rule protocol / notProtocol: "TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or an integer 1-255"; icmp /
 *   notICMP ("ICMP": type "Match on ICMP type", code "Match on a specific ICMP code. If specified, the
 *   Type value must also be specified"): icmp matches a packet of that type (and that code, when one
 *   is given); notICMP is its negation, so it excludes that type (or only that code of it). — `ruleMatches`.
 * - A NetworkPolicy "is namespaced: it applies to workload endpoints in that namespace"; a
 *   GlobalNetworkPolicy's namespaceSelector narrows to the selected namespaces; serviceAccountSelector
 *   selects by the pod's service account labels. Host-network pods have no workload endpoint.
 * - EntityRule: "nets: Nets is an optional field that restricts the rule to only apply to traffic that
 *   originates from (or terminates at) IP addresses in any of the given subnets"; notNets the
 *   negation; "selector ... If namespaceSelector is also defined, the set of endpoints this applies to
 *   is limited to the endpoints in the selected namespaces"; for a NetworkPolicy without
 *   namespaceSelector "the selector applies to endpoints in the same namespace"; global() as a
 *   namespaceSelector selects non-namespaced resources (GlobalNetworkSets); notSelector: "the
 *   negation of selector"; serviceAccounts: names and selector of the pod's service account (an
 *   address in a network set has none: its service-account labels are empty); ports
 *   and notPorts: numbers, "start:end" ranges, and names (resolved on the destination endpoint with the
 *   rule's protocol). All given criteria must match. services ("Services is an optional field that
 *   contains options for matching Kubernetes Services. If specified, only traffic that originates from
 *   or terminates at endpoints within the selected service(s) will be matched, and only to/from each
 *   endpoint's port"; ServiceMatch namespace: "If left empty, the rule will match within this policy's
 *   namespace"): the pods the Service's selector picks in its namespace (a Service's endpoints are
 *   those pods, host-network ones included), and as a destination only the port each of them serves
 *   for a Service port (its targetPort, a named one looked up on the pod with the Service port's
 *   protocol; the port itself when no targetPort is given). — `entityMatches`, `servesPort`.
 * - NetworkSet / GlobalNetworkSet: "a labelled set of address ranges, matched by rule selectors".
 * - Selectors (pods): the pod's labels, plus projectcalico.org/namespace, projectcalico.org/orchestrator
 *   (k8s) and projectcalico.org/serviceaccount, and its namespace's labels with the pcns. prefix and its
 *   service account's with pcsa.
 * - Kubernetes NetworkPolicies (networking.k8s.io/v1; Calico's "Kubernetes policy" and NetworkPolicy
 *   spec.order: "Kubernetes network policies are ... given an order of 1000" in the default tier):
 *   each is a policy of the default tier at order 1000 whose rules all Allow, read as the Kubernetes
 *   API reference reads them (podSelector in its namespace; policyTypes defaulting; a rule matches
 *   when one of its peers and one of its ports match, an absent list matching everything; a pods peer
 *   without namespaceSelector stays in the policy's namespace; ipBlock with except). Equal orders are
 *   taken by name, then namespace, then kind (KubernetesNetworkPolicy). A
 *   StagedKubernetesNetworkPolicy is one staged: not enforced; enforcing it ("Stage, preview impacts,
 *   and enforce policy") sets or deletes the NetworkPolicy of its namespace and name. — `knpEntries`.
 */
export type RSel =
  | { readonly kind: 'all' }
  | { readonly kind: 'global' }
  | { readonly kind: 'has'; readonly key: string }
  | { readonly kind: 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith'; readonly key: string; readonly value: string }
  | { readonly kind: 'in' | 'notIn'; readonly key: string; readonly values: readonly string[] }
  | { readonly kind: 'not'; readonly expr: RSel }
  | { readonly kind: 'and' | 'or'; readonly left: RSel; readonly right: RSel };

export type RPort = number | string; // a number, "A:B", or a port name

/** A rule's `services`: a Service by name, in `namespace` or else in the policy's namespace. */
export interface RServiceMatch {
  readonly name: string;
  readonly namespace?: string;
}

/** A Kubernetes Service with a selector (core/v1): its pods, and its ports with their targetPorts. */
export interface RService {
  readonly namespace: string;
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly port: number; readonly targetPort?: number | string; readonly protocol: 'TCP' | 'UDP' }[];
}

export interface REntity {
  /** With services, no selector, notSelector, namespaceSelector, nets, notNets or serviceAccounts. */
  readonly services?: RServiceMatch;
  readonly selector?: RSel;
  readonly notSelector?: RSel;
  readonly namespaceSelector?: RSel;
  readonly serviceAccounts?: { readonly names?: readonly string[]; readonly selector?: RSel };
  readonly nets?: readonly string[];
  readonly notNets?: readonly string[];
  readonly ports?: readonly RPort[];
  readonly notPorts?: readonly RPort[];
}

/** A rule's `icmp` / `notICMP`: the message type, and optionally one code of it. */
export interface RIcmp {
  readonly type?: number;
  readonly code?: number;
}

export interface RRule {
  readonly action: 'Allow' | 'Deny' | 'Pass' | 'Log';
  readonly protocol?: 'TCP' | 'UDP' | 'ICMP' | 'ICMPv6' | 6 | 17 | 1 | 58;
  readonly notProtocol?: 'TCP' | 'UDP' | 'ICMP';
  readonly icmp?: RIcmp;
  readonly notICMP?: RIcmp;
  readonly source?: REntity;
  readonly destination?: REntity;
}

export interface RPolicy {
  readonly kind: 'NetworkPolicy' | 'GlobalNetworkPolicy' | 'StagedNetworkPolicy' | 'StagedGlobalNetworkPolicy';
  /** Staged kinds: Set (the default) or Delete. */
  readonly stagedAction?: 'Set' | 'Delete';
  readonly namespace?: string;
  readonly name: string;
  readonly tier?: string;
  readonly order?: number;
  readonly selector?: RSel;
  readonly namespaceSelector?: RSel;
  readonly serviceAccountSelector?: RSel;
  readonly types?: readonly ('Ingress' | 'Egress')[];
  readonly ingress?: readonly RRule[];
  readonly egress?: readonly RRule[];
}

/** A Kubernetes NetworkPolicy peer: a pods peer (matchLabels selectors) or an ipBlock. */
export type RKnpPeer =
  | { readonly podSelector?: Readonly<Record<string, string>>; readonly namespaceSelector?: Readonly<Record<string, string>> }
  | { readonly ipBlock: { readonly cidr: string; readonly except?: readonly string[] } };

export interface RKnpRule {
  /** Absent or empty: every peer. */
  readonly peers?: readonly RKnpPeer[];
  /** Absent or empty: every port of every protocol. `port` absent: every port of the protocol. */
  readonly ports?: readonly { readonly protocol: 'TCP' | 'UDP'; readonly port?: number | string }[];
}

/** A networking.k8s.io/v1 NetworkPolicy, or with `stagedAction` a StagedKubernetesNetworkPolicy. */
export interface RKnp {
  readonly stagedAction?: 'Set' | 'Delete';
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: Readonly<Record<string, string>>;
  readonly policyTypes?: readonly ('Ingress' | 'Egress')[];
  readonly ingress?: readonly RKnpRule[];
  readonly egress?: readonly RKnpRule[];
}

export interface RPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  readonly ip: string;
  readonly hostNetwork: boolean;
  readonly ports: readonly { readonly name: string; readonly port: number; readonly protocol: 'TCP' | 'UDP' }[];
}

export interface RCluster {
  readonly namespaces: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>> }[];
  readonly serviceAccounts: readonly { readonly namespace: string; readonly name: string; readonly labels: Readonly<Record<string, string>> }[];
  readonly pods: readonly RPod[];
  readonly tiers: readonly { readonly name: string; readonly order?: number; readonly defaultAction?: 'Deny' | 'Pass' }[];
  readonly policies: readonly RPolicy[];
  /** Kubernetes NetworkPolicies and StagedKubernetesNetworkPolicies (absent: none). */
  readonly knps?: readonly RKnp[];
  /** Services (absent: none). */
  readonly services?: readonly RService[];
  readonly networkSets: readonly {
    readonly namespace?: string;
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly nets: readonly string[];
  }[];
}

/** A packet's end: a pod, or an address outside the cluster. */
export type RParty = { readonly kind: 'pod'; readonly pod: RPod } | { readonly kind: 'ip'; readonly address: string };

/** A packet: TCP/UDP with its destination port, or ICMP/ICMPv6 with its message type in `port` and its code. */
export interface RPacket {
  readonly src: RParty;
  readonly dst: RParty;
  readonly protocol: 'TCP' | 'UDP' | 'ICMP' | 'ICMPv6';
  readonly port: number;
  /** ICMP / ICMPv6 only: the message code. */
  readonly code?: number;
}

/** Selector semantics, operator by operator ("Selectors" table). */
export function refMatches(s: RSel, l: Readonly<Record<string, string>>): boolean {
  const v = Object.prototype.hasOwnProperty.call(l, (s as { key?: string }).key ?? '\u0000') ? l[(s as { key: string }).key] : undefined;
  switch (s.kind) {
    case 'all':
    case 'global':
      return true;
    case 'has':
      return v !== undefined;
    case 'eq':
      return v === s.value;
    case 'ne':
      return v !== s.value;
    case 'in':
      return v !== undefined && s.values.includes(v);
    case 'notIn':
      return v === undefined || !s.values.includes(v);
    case 'contains':
      return v !== undefined && v.includes(s.value);
    case 'startsWith':
      return v !== undefined && v.startsWith(s.value);
    case 'endsWith':
      return v !== undefined && v.endsWith(s.value);
    case 'not':
      return !refMatches(s.expr, l);
    case 'and':
      return refMatches(s.left, l) && refMatches(s.right, l);
    case 'or':
      return refMatches(s.left, l) || refMatches(s.right, l);
  }
}

function ipNumber(a: string): number {
  return a.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}

/** An IPv4 address inside an IPv4 CIDR (the generator uses IPv4 only). */
export function inCidr(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipNumber(base) / size) * size;
  const a = ipNumber(address);
  return a >= start && a < start + size;
}

function nsLabels(c: RCluster, ns: string): Record<string, string> {
  return { 'kubernetes.io/metadata.name': ns, ...(c.namespaces.find((n) => n.name === ns)?.labels ?? {}), 'projectcalico.org/name': ns };
}

function saLabels(c: RCluster, ns: string, sa: string): Record<string, string> {
  return { ...(c.serviceAccounts.find((s) => s.namespace === ns && s.name === sa)?.labels ?? {}), 'projectcalico.org/name': sa };
}

function prefixed(l: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(l)) out[prefix + k] = l[k]!;
  return out;
}

/** The labels a selector sees on a pod (see the module comment). */
export function podView(c: RCluster, p: RPod): Record<string, string> {
  return {
    ...prefixed(nsLabels(c, p.namespace), 'pcns.'),
    ...prefixed(saLabels(c, p.namespace, p.serviceAccount), 'pcsa.'),
    'projectcalico.org/namespace': p.namespace,
    'projectcalico.org/orchestrator': 'k8s',
    'projectcalico.org/serviceaccount': p.serviceAccount,
    ...p.labels,
  };
}

/**
 * A namespaceSelector on a resource's namespace (undefined: a non-namespaced resource): all() selects
 * every namespaced resource, global() every non-namespaced one; labels are the namespace's (none for
 * a non-namespaced resource).
 */
function nsSelected(c: RCluster, sel: RSel, ns: string | undefined): boolean {
  switch (sel.kind) {
    case 'all':
      return ns !== undefined;
    case 'global':
      return ns === undefined;
    case 'not':
      return !nsSelected(c, sel.expr, ns);
    case 'and':
      return nsSelected(c, sel.left, ns) && nsSelected(c, sel.right, ns);
    case 'or':
      return nsSelected(c, sel.left, ns) || nsSelected(c, sel.right, ns);
    default:
      return refMatches(sel, ns === undefined ? {} : nsLabels(c, ns));
  }
}

function types(p: RPolicy): { ingress: boolean; egress: boolean } {
  if (p.types !== undefined && p.types.length > 0) return { ingress: p.types.includes('Ingress'), egress: p.types.includes('Egress') };
  const eg = (p.egress ?? []).length > 0;
  const ig = (p.ingress ?? []).length > 0;
  return { ingress: !(eg && !ig), egress: eg };
}

/** Whether a policy applies to a pod (in its namespace / selected namespaces, selector, service account). */
function appliesTo(c: RCluster, p: RPolicy, pod: RPod): boolean {
  if (pod.hostNetwork) return false;
  if (p.namespace !== undefined && p.namespace !== pod.namespace) return false;
  if (p.namespaceSelector !== undefined && !nsSelected(c, p.namespaceSelector, pod.namespace)) return false;
  if (p.selector !== undefined && !refMatches(p.selector, podView(c, pod))) return false;
  if (p.serviceAccountSelector !== undefined && !refMatches(p.serviceAccountSelector, saLabels(c, pod.namespace, pod.serviceAccount))) return false;
  return true;
}

function portNumbers(ports: readonly RPort[], dst: RParty, protocol: RPacket['protocol'], port: number): boolean {
  for (const x of ports) {
    if (typeof x === 'number') {
      if (x === port) return true;
    } else if (/^\d+:\d+$/.test(x)) {
      const [a, b] = x.split(':').map(Number) as [number, number];
      if (port >= a && port <= b) return true;
    } else if (dst.kind === 'pod' && dst.pod.ports.some((cp) => cp.name === x && cp.protocol === protocol && cp.port === port)) return true;
  }
  return false;
}

/**
 * Whether a party matches an EntityRule's selection criteria. A pod matches a selector by its view;
 * an address matches one when it lies in a network set whose labels match (a namespaced NetworkSet
 * carries its namespace's labels and projectcalico.org/namespace, a GlobalNetworkSet only its own).
 * A pod's own address is used by nets/notNets only when pods are matched by address.
 */
/** The Service a services match names (its namespace, else the policy's), if the cluster has it. */
function serviceOf(c: RCluster, p: RPolicy, m: RServiceMatch): RService | undefined {
  const ns = m.namespace ?? p.namespace;
  return (c.services ?? []).find((s) => s.namespace === ns && s.name === m.name);
}

/** Whether a pod is an endpoint of a Service: in its namespace, its labels matching every selector pair. */
function isEndpoint(s: RService, pod: RPod): boolean {
  return pod.namespace === s.namespace && Object.entries(s.selector).every(([k, v]) => pod.labels[k] === v);
}

/** Whether an endpoint serves the packet's port for some Service port (targetPort; a name on the pod). */
function servesPort(s: RService, pod: RPod, k: RPacket): boolean {
  return s.ports.some((sp) => {
    if (sp.protocol !== k.protocol) return false;
    const t = sp.targetPort ?? sp.port;
    const port = typeof t === 'number' ? t : pod.ports.find((x) => x.name === t && x.protocol === sp.protocol)?.port;
    return port === k.port;
  });
}

function entityMatches(c: RCluster, p: RPolicy, e: REntity, party: RParty, byAddress: boolean): boolean {
  if (e.services !== undefined) {
    const svc = serviceOf(c, p, e.services);
    return svc !== undefined && party.kind === 'pod' && isEndpoint(svc, party.pod);
  }
  const address = party.kind === 'ip' ? party.address : byAddress ? party.pod.ip : null;
  if (e.nets !== undefined && !(address !== null && e.nets.some((n) => inCidr(address, n)))) return false;
  if (e.notNets !== undefined && address !== null && e.notNets.some((n) => inCidr(address, n))) return false;
  // a namespaced policy's rule stays in its namespace as soon as it selects at all (notSelector too)
  const ownNamespace =
    p.namespace !== undefined &&
    e.namespaceSelector === undefined &&
    (e.selector !== undefined || e.notSelector !== undefined || e.serviceAccounts !== undefined);
  const positive = e.selector !== undefined || e.namespaceSelector !== undefined || e.serviceAccounts !== undefined || ownNamespace;
  // what selectors can match of this party: the pod, and each network set holding its address
  const views: { labels: Record<string, string>; ns: string | undefined; pod: RPod | null }[] = [];
  if (party.kind === 'pod' && !party.pod.hostNetwork) views.push({ labels: podView(c, party.pod), ns: party.pod.namespace, pod: party.pod });
  if (address !== null) {
    for (const s of c.networkSets) {
      if (!s.nets.some((n) => inCidr(address, n))) continue;
      const labels =
        s.namespace === undefined
          ? { ...s.labels }
          : { ...prefixed(nsLabels(c, s.namespace), 'pcns.'), 'projectcalico.org/namespace': s.namespace, ...s.labels };
      views.push({ labels, ns: s.namespace, pod: null });
    }
  }
  if (positive) {
    const selected = views.some((v) => {
      if (e.namespaceSelector !== undefined && !nsSelected(c, e.namespaceSelector, v.ns)) return false;
      if (ownNamespace && v.ns !== p.namespace) return false;
      if (e.selector !== undefined && !refMatches(e.selector, v.labels)) return false;
      if (e.serviceAccounts !== undefined) {
        // An address in a network set runs under no service account: no name matches it, and the
        // selector is asked of an empty label set, so all() and negations (`team != 'x'`) still
        // match it. That is what Calico enforces: it turns the match into one endpoint selector
        // over the service account's labels, which a network set does not carry.
        const sa = e.serviceAccounts;
        const saName = v.pod === null ? undefined : v.pod.serviceAccount;
        if (sa.names !== undefined && sa.names.length > 0 && (saName === undefined || !sa.names.includes(saName))) return false;
        const saView = v.pod === null ? {} : saLabels(c, v.pod.namespace, v.pod.serviceAccount);
        if (sa.selector !== undefined && !refMatches(sa.selector, saView)) return false;
      }
      return true;
    });
    if (!selected) return false;
  }
  if (e.notSelector !== undefined && views.some((v) => refMatches(e.notSelector!, v.labels))) return false;
  return true;
}

/** Protocol numbers as IANA assigns them: 1 ICMP, 6 TCP, 17 UDP, 58 ICMPv6 (Rule: "protocol"). */
function protoNumber(p: RRule['protocol'] | RRule['notProtocol']): RPacket['protocol'] | undefined {
  if (p === 6) return 'TCP';
  if (p === 17) return 'UDP';
  if (p === 1) return 'ICMP';
  if (p === 58) return 'ICMPv6';
  return p;
}

function ruleMatches(c: RCluster, p: RPolicy, r: RRule, k: RPacket, byAddress: boolean): boolean {
  const proto = protoNumber(r.protocol);
  if (proto !== undefined && proto !== k.protocol) return false;
  if (r.notProtocol !== undefined && r.notProtocol === k.protocol) return false;
  // Rule "ICMP": icmp "restricts the rule to apply to a specific type and code of ICMP traffic";
  // notICMP "negative match on the ICMP type and code" (only with protocol ICMP / ICMPv6)
  const icmpHit = (m: RIcmp) => k.port === m.type && (m.code === undefined || k.code === m.code);
  if (r.icmp?.type !== undefined && !icmpHit(r.icmp)) return false;
  if (r.notICMP?.type !== undefined && icmpHit(r.notICMP)) return false;
  const s = r.source ?? {};
  const d = r.destination ?? {};
  if (!entityMatches(c, p, s, k.src, byAddress)) return false;
  if (!entityMatches(c, p, d, k.dst, byAddress)) return false;
  if (d.services !== undefined) {
    const svc = serviceOf(c, p, d.services)!; // entityMatches found it
    if (k.dst.kind !== 'pod' || !servesPort(svc, k.dst.pod, k)) return false;
  }
  if (d.ports !== undefined && !portNumbers(d.ports, k.dst, k.protocol, k.port)) return false;
  if (d.notPorts !== undefined && portNumbers(d.notPorts, k.dst, k.protocol, k.port)) return false;
  return true;
}

interface RTier {
  readonly name: string;
  readonly order: number | undefined;
  readonly defaultAction: 'Deny' | 'Pass';
}

function tiersOf(c: RCluster): RTier[] {
  const out: RTier[] = [{ name: 'default', order: 1_000_000, defaultAction: 'Deny' }];
  for (const t of c.tiers) out.push({ name: t.name, order: t.order, defaultAction: t.defaultAction ?? 'Deny' });
  return out.sort((a, b) => {
    const x = a.order ?? Infinity;
    const y = b.order ?? Infinity;
    if (x !== y) return x < y ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** The enforced kind a staged kind becomes (its own for enforced kinds). */
function enforced(kind: RPolicy['kind']): RPolicy['kind'] {
  return kind === 'StagedNetworkPolicy' ? 'NetworkPolicy' : kind === 'StagedGlobalNetworkPolicy' ? 'GlobalNetworkPolicy' : kind;
}

/**
 * The policies in force. Staged ones are not enforced; `staged` asks for the cluster as if each were
 * enforced, and enforcing a staged policy (Calico's "Stage, preview impacts, and enforce policy";
 * the staged object becomes the enforced kind's object of the same namespace and name) with
 * `stagedAction: Set` creates or replaces that policy, with `Delete` deletes it.
 */
function inForce(c: RCluster, staged: boolean): RPolicy[] {
  const isStaged = (p: RPolicy) => p.kind !== enforced(p.kind);
  if (!staged) return c.policies.filter((p) => !isStaged(p));
  const id = (kind: RPolicy['kind'], p: RPolicy) => `${kind}/${p.namespace ?? ''}/${p.name}`;
  const replaced = new Set(c.policies.filter(isStaged).map((p) => id(enforced(p.kind), p)));
  return c.policies.filter((p) => (isStaged(p) ? p.stagedAction !== 'Delete' : !replaced.has(id(p.kind, p))));
}

function policiesOf(c: RCluster, tier: string, pod: RPod, dir: 'ingress' | 'egress', staged: boolean): RPolicy[] {
  // ties by name, namespace and (the enforced) kind, as Felix orders them
  const key = (p: RPolicy) => `${p.name}/${p.namespace ?? ''}/${enforced(p.kind)}`;
  return inForce(c, staged)
    .filter((p) => (p.tier ?? 'default') === tier && types(p)[dir] && appliesTo(c, p, pod))
    .sort((a, b) => {
      const x = a.order ?? Infinity;
      const y = b.order ?? Infinity;
      if (x !== y) return x < y ? -1 : 1;
      return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    });
}

/** A policy that applies to the endpoint in a tier: its place and what its rules make of a packet. */
interface Entry {
  readonly order: number;
  readonly key: string;
  readonly decide: (k: RPacket) => 'allow' | 'deny' | 'pass' | null;
}

function byPlace(a: Entry, b: Entry): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function calicoEntries(c: RCluster, tier: string, pod: RPod, dir: 'ingress' | 'egress', byAddress: boolean, staged: boolean): Entry[] {
  return policiesOf(c, tier, pod, dir, staged).map((p): Entry => ({
    order: p.order ?? Infinity,
    key: `${p.name}/${p.namespace ?? ''}/${enforced(p.kind)}`,
    decide: (k) => {
      for (const r of (dir === 'ingress' ? p.ingress : p.egress) ?? []) {
        if (!ruleMatches(c, p, r, k, byAddress)) continue;
        if (r.action === 'Log') continue;
        return r.action === 'Allow' ? 'allow' : r.action === 'Deny' ? 'deny' : 'pass';
      }
      return null;
    },
  }));
}

/** The Kubernetes NetworkPolicies in force: staged ones set or delete theirs under `staged` only. */
function knpsInForce(c: RCluster, staged: boolean): RKnp[] {
  const all = c.knps ?? [];
  const enforcedOnes = all.filter((p) => p.stagedAction === undefined);
  if (!staged) return enforcedOnes;
  const stagedOnes = all.filter((p) => p.stagedAction !== undefined);
  const id = (p: RKnp) => `${p.namespace}/${p.name}`;
  const touched = new Set(stagedOnes.map(id));
  return [...enforcedOnes.filter((p) => !touched.has(id(p))), ...stagedOnes.filter((p) => p.stagedAction === 'Set')];
}

function knpTypes(p: RKnp): { ingress: boolean; egress: boolean } {
  if (p.policyTypes !== undefined && p.policyTypes.length > 0) return { ingress: p.policyTypes.includes('Ingress'), egress: p.policyTypes.includes('Egress') };
  return { ingress: true, egress: (p.egress ?? []).length > 0 };
}

function labelsMatch(sel: Readonly<Record<string, string>>, l: Readonly<Record<string, string>>): boolean {
  return Object.keys(sel).every((key) => l[key] === sel[key]);
}

function knpPeerMatches(c: RCluster, p: RKnp, peer: RKnpPeer, party: RParty, byAddress: boolean): boolean {
  if ('ipBlock' in peer) {
    const address = party.kind === 'ip' ? party.address : byAddress ? party.pod.ip : null;
    return address !== null && inCidr(address, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((x) => inCidr(address, x));
  }
  // a host-network pod has no workload endpoint: no pod selector reaches it
  if (party.kind !== 'pod' || party.pod.hostNetwork) return false;
  const pod = party.pod;
  if (peer.namespaceSelector !== undefined) {
    if (!labelsMatch(peer.namespaceSelector, nsLabels(c, pod.namespace))) return false;
  } else if (pod.namespace !== p.namespace) return false;
  return peer.podSelector === undefined || labelsMatch(peer.podSelector, pod.labels);
}

function knpPortMatches(rule: RKnpRule, k: RPacket): boolean {
  if (rule.ports === undefined || rule.ports.length === 0) return true;
  return rule.ports.some((x) => {
    if (x.protocol !== k.protocol) return false;
    if (x.port === undefined) return true;
    if (typeof x.port === 'number') return x.port === k.port;
    return k.dst.kind === 'pod' && k.dst.pod.ports.some((cp) => cp.name === x.port && cp.protocol === k.protocol && cp.port === k.port);
  });
}

function knpEntries(c: RCluster, pod: RPod, dir: 'ingress' | 'egress', byAddress: boolean, staged: boolean): Entry[] {
  if (pod.hostNetwork) return [];
  return knpsInForce(c, staged)
    .filter((p) => p.namespace === pod.namespace && knpTypes(p)[dir] && labelsMatch(p.podSelector, pod.labels))
    .map((p): Entry => ({
      order: 1000,
      key: `${p.name}/${p.namespace}/KubernetesNetworkPolicy`,
      decide: (k) => {
        const peerOf = dir === 'ingress' ? k.src : k.dst;
        for (const r of (dir === 'ingress' ? p.ingress : p.egress) ?? []) {
          const peers = r.peers ?? [];
          if (peers.length > 0 && !peers.some((x) => knpPeerMatches(c, p, x, peerOf, byAddress))) continue;
          if (!knpPortMatches(r, k)) continue;
          return 'allow';
        }
        return null;
      },
    }));
}

/** One side's verdict: the pod's policies for that direction, tier by tier. */
function side(c: RCluster, pod: RPod, dir: 'ingress' | 'egress', k: RPacket, byAddress: boolean, staged: boolean): boolean {
  for (const tier of tiersOf(c)) {
    const entries = calicoEntries(c, tier.name, pod, dir, byAddress, staged);
    if (tier.name === 'default') entries.push(...knpEntries(c, pod, dir, byAddress, staged));
    entries.sort(byPlace);
    if (entries.length === 0) continue; // the tier does not apply to this endpoint
    let outcome: 'allow' | 'deny' | 'pass' | null = null;
    for (const e of entries) {
      outcome = e.decide(k);
      if (outcome !== null) break;
    }
    if (outcome === 'allow') return true;
    if (outcome === 'deny') return false;
    if (outcome === 'pass') continue;
    if (tier.defaultAction === 'Deny') return false;
  }
  return true; // no tier decided: the endpoint's profile allows
}

/** Whether a packet is allowed: the source's egress and the destination's ingress. */
export function calicoReferenceAllowed(c: RCluster, k: RPacket, opts: { byAddress: boolean; staged?: boolean }): boolean {
  if (k.src.kind === 'ip' && k.dst.kind === 'ip') return false;
  if (k.src.kind === 'pod' && k.dst.kind === 'pod' && k.src.pod === k.dst.pod) return true; // loopback
  const staged = opts.staged ?? false;
  const eg = k.src.kind === 'ip' || side(c, k.src.pod, 'egress', k, opts.byAddress, staged);
  const ig = k.dst.kind === 'ip' || side(c, k.dst.pod, 'ingress', k, opts.byAddress, staged);
  return eg && ig;
}
