/**
 * The naive reference evaluator for Cilium's policy language (cilium.io/v2 CiliumNetworkPolicy and
 * CiliumClusterwideNetworkPolicy), written from Cilium's policy-language documentation
 * (Documentation/security/policy/{intro,language}.rst) — never from the engine. It reads the raw
 * objects (plain JSON, as written in manifests), not the engine's model, and answers pod by pod,
 * rule by rule, with no precomputation. NetworkPolicies are the NetworkPolicy oracle's
 * (evaluator.ts), with the Cilium reading of ipBlocks (they select no pod: `ipblockPods: 'ignore'`).
 *
 * What the documentation says, and where it appears below:
 * - intro.rst, default enforcement mode: "If any rule selects an Endpoint and the rule has an ingress
 *   section, the endpoint goes into default deny at ingress" (egress alike), NetworkPolicies
 *   included — `isolated`.
 * - language.rst "Deny Policies": deny rules "take precedence over allow policies ... regardless of
 *   the order" — `side`: a matching deny decides before any allow is looked at.
 * - "Endpoints Based": fromEndpoints/toEndpoints select endpoints by labels; "an empty Endpoint
 *   Selector will select all endpoints" of the policy's namespace in a namespaced policy (the
 *   namespace label is added unless the selector names `io.kubernetes.pod.namespace`); a clusterwide
 *   policy selects in every namespace — `endpointMatches`. Label keys may carry the `k8s:` source.
 * - "Kubernetes": pods carry `io.kubernetes.pod.namespace`, `io.cilium.k8s.namespace.labels.<key>`
 *   and `io.cilium.k8s.policy.cluster` (`default`) — `identityLabels`.
 * - "IP/CIDR based": CIDR rules select addresses outside the cluster, never cluster endpoints;
 *   toCIDRSet `except` carves out — `cidrMatches`.
 * - "Entities Based": `world` is outside the cluster, `cluster` every endpoint of it, `all` both.
 * - "Layer 4": toPorts ports with protocol TCP/UDP/SCTP/ANY (ANY: any of them), port "0" or none:
 *   every port, endPort a range; a rule with only toPorts applies to every peer; an L3 rule without
 *   toPorts allows every port.
 * - An empty rule `{}` matches nothing (it only puts its endpoints into default deny).
 * - layer3.rst "Additional Label Requirements": fromRequires/toRequires "apply to all rules that share
 *   the same endpoint selector", grant nothing themselves, and narrow the fromEndpoints/toEndpoints
 *   relationships (its example: a policy requiring `env=prod` plus another allowing `role=frontend`
 *   admits sources with both). Gathered per endpoint from every rule selecting it, allow rules' for
 *   allows and deny rules' for denies — `requirementsOf`; applied in `peerMatches`. Kubernetes
 *   NetworkPolicies are left as they are (the engine warns that Cilium narrows them too).
 */
import type { Cluster, Endpoint, Labels, Protocol } from '../../packages/core/src/model/types.js';
import { parseIP } from '../../packages/core/src/net/ip.js';
import { findEndpoint, isLoopback, namespaceLabels, networkPolicySide, type Ref } from './evaluator.js';

type Json = Record<string, unknown>;
type Direction = 'ingress' | 'egress';

/** A raw Cilium policy as the input holds it. */
export interface RawCiliumPolicy {
  readonly kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: Json;
}

const NS = 'io.kubernetes.pod.namespace';

function strip(key: string): string {
  return key.startsWith('k8s:') ? key.slice(4) : key.startsWith('any:') ? key.slice(4) : key;
}

/** The labels Cilium gives a pod's identity. */
function identityLabels(cluster: Cluster, pod: Endpoint): Labels {
  const out: Record<string, string> = { ...pod.labels, [NS]: pod.namespace, 'io.cilium.k8s.policy.cluster': 'default' };
  for (const [k, v] of Object.entries(namespaceLabels(cluster, pod.namespace))) out[`io.cilium.k8s.namespace.labels.${k}`] = v;
  return out;
}

function selectorMatches(sel: Json, labels: Labels): boolean {
  for (const [k, v] of Object.entries((sel['matchLabels'] as Json | undefined) ?? {})) if (labels[strip(k)] !== v) return false;
  for (const e of (sel['matchExpressions'] as Json[] | undefined) ?? []) {
    const key = strip(e['key'] as string);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const values = (e['values'] as string[] | undefined) ?? [];
    switch (e['operator']) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`bad operator ${String(e['operator'])}`);
    }
  }
  return true;
}

function namesNamespace(sel: Json): boolean {
  const keys = [
    ...Object.keys((sel['matchLabels'] as Json | undefined) ?? {}),
    ...((sel['matchExpressions'] as Json[] | undefined) ?? []).map((e) => e['key'] as string),
  ];
  return keys.some((k) => strip(k) === NS);
}

/** Does an endpoint selector of `policy` select `pod`? (`subject`: the policy's endpointSelector.) */
function endpointMatches(cluster: Cluster, policy: RawCiliumPolicy, sel: Json, pod: Endpoint, subject: boolean): boolean {
  if (pod.hostNetwork) return false; // the host identity, not an endpoint
  const ns = policy.metadata.namespace;
  if (policy.kind === 'CiliumNetworkPolicy' && (subject || !namesNamespace(sel)) && pod.namespace !== ns) return false;
  return selectorMatches(sel, identityLabels(cluster, pod));
}

type Party = { kind: 'pod'; pod: Endpoint } | { kind: 'ip'; value: bigint };

function cidrContains(text: string, value: bigint): boolean {
  const [addr, prefixText] = text.includes('/') ? text.split('/') : [text, undefined];
  const ip = parseIP(addr!)!;
  const bits = ip.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  const other = value;
  // same family: compare the top `prefix` bits of both
  const v4 = ip.family === 4;
  const base = v4 ? 0n : parseIP('::')!.value;
  if (v4 !== other < parseIP('::')!.value) return false;
  const shift = BigInt(bits - prefix);
  return (ip.value - base) >> shift === (other - base) >> shift;
}

function cidrMatches(party: Party, cidr: string, except: readonly string[]): boolean {
  if (party.kind !== 'ip') return false;
  return cidrContains(cidr, party.value) && !except.some((e) => cidrContains(e, party.value));
}

/** A from/toRequires selector, with the policy that namespaces it. */
interface Requirement {
  readonly policy: RawCiliumPolicy;
  readonly sel: Json;
}

function peerMatches(cluster: Cluster, policy: RawCiliumPolicy, rule: Json, dir: Direction, party: Party, reqs: readonly Requirement[]): boolean {
  const pre = dir === 'ingress' ? 'from' : 'to';
  for (const sel of (rule[`${pre}Endpoints`] as Json[] | undefined) ?? []) {
    if (party.kind !== 'pod' || !endpointMatches(cluster, policy, sel, party.pod, false)) continue;
    if (reqs.every((r) => endpointMatches(cluster, r.policy, r.sel, party.pod, false))) return true;
  }
  for (const c of (rule[`${pre}CIDR`] as string[] | undefined) ?? []) if (cidrMatches(party, c, [])) return true;
  for (const s of (rule[`${pre}CIDRSet`] as Json[] | undefined) ?? [])
    if (cidrMatches(party, s['cidr'] as string, (s['except'] as string[] | undefined) ?? [])) return true;
  for (const e of (rule[`${pre}Entities`] as string[] | undefined) ?? []) {
    if (e === 'all') return true;
    if (e === 'world' && party.kind === 'ip') return true;
    if (e === 'cluster' && party.kind === 'pod') return true;
  }
  return false;
}

function hasL3(rule: Json, dir: Direction): boolean {
  const pre = dir === 'ingress' ? 'from' : 'to';
  return ['Endpoints', 'CIDR', 'CIDRSet', 'Entities'].some((f) => rule[`${pre}${f}`] !== undefined);
}

function portMatches(rule: Json, protocol: Protocol, port: number): boolean {
  const toPorts = rule['toPorts'] as Json[] | undefined;
  if (toPorts === undefined) return true;
  for (const tp of toPorts) {
    for (const p of (tp['ports'] as Json[] | undefined) ?? []) {
      const proto = (p['protocol'] as string | undefined) ?? 'ANY';
      if (proto !== 'ANY' && proto !== protocol) continue;
      const n = Number(p['port'] ?? 0);
      if (n === 0) return true;
      const end = (p['endPort'] as number | undefined) ?? n;
      if (port >= n && port <= end) return true;
    }
  }
  return false;
}

function ruleMatches(
  cluster: Cluster,
  policy: RawCiliumPolicy,
  rule: Json,
  dir: Direction,
  party: Party,
  protocol: Protocol,
  port: number,
  reqs: readonly Requirement[],
): boolean {
  const l3 = hasL3(rule, dir);
  if (!l3 && rule['toPorts'] === undefined) return false; // `{}`
  if (l3 && !peerMatches(cluster, policy, rule, dir, party, reqs)) return false;
  return portMatches(rule, protocol, port);
}

function specsOf(policy: RawCiliumPolicy): Json[] {
  return [policy.spec];
}

/** The requirements on `pod` in `dir`, of allow rules (`deny` false) or deny rules, from every spec selecting it. */
function requirementsOf(cluster: Cluster, policies: readonly RawCiliumPolicy[], pod: Endpoint, dir: Direction, deny: boolean): Requirement[] {
  const out: Requirement[] = [];
  for (const policy of policies) {
    for (const spec of specsOf(policy)) {
      if (!endpointMatches(cluster, policy, spec['endpointSelector'] as Json, pod, true)) continue;
      for (const r of (spec[deny ? `${dir}Deny` : dir] as Json[] | undefined) ?? []) {
        for (const sel of (r[dir === 'ingress' ? 'fromRequires' : 'toRequires'] as Json[] | undefined) ?? []) out.push({ policy, sel });
      }
    }
  }
  return out;
}

function side(
  cluster: Cluster,
  policies: readonly RawCiliumPolicy[],
  pod: Endpoint,
  dir: Direction,
  other: Ref,
  otherParty: Party,
  protocol: Protocol,
  port: number,
): boolean {
  if (pod.hostNetwork) return true;
  const reqAllow = requirementsOf(cluster, policies, pod, dir, false);
  const reqDeny = requirementsOf(cluster, policies, pod, dir, true);
  let isolated = false;
  let allowed = false;
  for (const policy of policies) {
    for (const spec of specsOf(policy)) {
      if (!endpointMatches(cluster, policy, spec['endpointSelector'] as Json, pod, true)) continue;
      const deny = (spec[`${dir}Deny`] as Json[] | undefined) ?? [];
      const allow = (spec[dir] as Json[] | undefined) ?? [];
      if (deny.length > 0 || allow.length > 0) isolated = true;
      for (const r of deny) if (ruleMatches(cluster, policy, r, dir, otherParty, protocol, port, reqDeny)) return false;
      for (const r of allow) if (ruleMatches(cluster, policy, r, dir, otherParty, protocol, port, reqAllow)) allowed = true;
    }
  }
  const np = networkPolicySide(cluster, pod, dir, other, protocol, port, { ipblockPods: 'ignore' });
  if (!isolated && !np.isolated) return true;
  return allowed || np.allowed;
}

function partyOf(cluster: Cluster, ref: Ref): Party {
  return ref.kind === 'endpoint' ? { kind: 'pod', pod: findEndpoint(cluster, ref.id) } : { kind: 'ip', value: parseIP(ref.address)!.value };
}

/** Is `src` -> `dst` on protocol/port allowed under the Cilium policies and the cluster's NetworkPolicies? */
export function ciliumReferenceAllowed(cluster: Cluster, policies: readonly RawCiliumPolicy[], src: Ref, dst: Ref, protocol: Protocol, port: number): boolean {
  if (isLoopback(cluster, src, dst)) return true;
  const from = partyOf(cluster, src);
  const to = partyOf(cluster, dst);
  const egress = from.kind === 'pod' ? side(cluster, policies, from.pod, 'egress', dst, to, protocol, port) : true;
  const ingress = to.kind === 'pod' ? side(cluster, policies, to.pod, 'ingress', src, from, protocol, port) : true;
  return egress && ingress;
}
