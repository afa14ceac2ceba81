/**
 * `fix`: policies that close network findings while keeping every other connection the workloads
 * have today (or, with `keep`, only the listed flows), verified by applying them to the input and
 * running the engine again.
 *
 * NetworkPolicy tier (the default):
 *
 * | finding                             | what is written                                                                   |
 * |-------------------------------------|-----------------------------------------------------------------------------------|
 * | NAMESPACE_NO_DEFAULT_DENY_INGRESS   | a default deny (Ingress) for the namespace, and for each workload not yet isolated |
 * | / _EGRESS                           | an allow list of exactly what it has today in that direction                      |
 * | METADATA_REACHABLE                  | for the workload: an egress allow list of everything it has today minus the       |
 * |                                     | metadata addresses                                                                |
 * | CONTROL_PLANE_REACHABLE             | likewise, minus the control-plane ports on the control-plane addresses            |
 * | LATERAL_PATH                        | the chain is cut at its last hop that an added policy can cut (not a DNS hop):    |
 * |                                     | an allow list of the hop's source (egress) or destination (ingress) minus that    |
 * |                                     | hop; re-audited and cut again while another chain remains (a few rounds)          |
 *
 * NetworkPolicies only add allowed connections, so a connection that a policy of the input already
 * allows cannot be closed by adding one: when the workload is already isolated in that direction,
 * the finding is reported as not closable here, naming the rule to edit (or use `--tier admin`).
 *
 * Admin tier (`tier: 'admin'`): one ClusterNetworkPolicy (v1alpha2, tier Admin, priority 0, so it
 * is evaluated before any other admin policy of the same priority by name order) with Deny egress
 * rules to the metadata addresses and to the control-plane ports, its subject the namespaces of
 * the findings. An Admin Deny wins over every NetworkPolicy, so it also closes findings of
 * workloads whose own policies allow the target. Isolation (NAMESPACE_NO_DEFAULT_DENY_*) is a
 * NetworkPolicy notion and lateral chains need per-hop subjects: neither is written in this tier.
 */
import * as B from '../compile/bitset.js';
import type { Direction } from '../compile/block.js';
import type { Finding, FindingId } from '../audit/finding.js';
import { auditNetwork } from '../audit/network/audit.js';
import { compilePair, diffIndexes, type ReachabilityDiff } from '../diff/diff.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { compile } from '../evaluate/index.js';
import { ConnectionSet } from '../net/connection-set.js';
import { parseIP, type Cidr } from '../net/ip.js';
import { isDnsEndpoint } from '../lint/dns.js';
import { resolveTargets, targetCidrs, type Target, type TargetOptions } from '../targets/resolve.js';
import { portsSet, targetHits } from '../targets/reach.js';
import { freezePolicies, type GeneratedObject } from './freeze.js';
import { NAME_LABEL, type Json, type JsonObject } from './selectors.js';
import { applyText, renderObjects } from './render.js';

/** The finding ids {@link planFix} can close. */
export const FIXABLE_IDS = [
  'METADATA_REACHABLE',
  'CONTROL_PLANE_REACHABLE',
  'NAMESPACE_NO_DEFAULT_DENY_INGRESS',
  'NAMESPACE_NO_DEFAULT_DENY_EGRESS',
  'LATERAL_PATH',
] as const satisfies readonly FindingId[];

/** Where a fix goes: NetworkPolicies, or one Admin-tier ClusterNetworkPolicy. */
export type FixTier = 'networkpolicy' | 'admin';

/** How to fix: the tier, the connections to keep, the targets. */
export interface FixOptions extends TargetOptions {
  /** The connections to keep per pair (the flows of `--keep`); default: every connection allowed today. */
  readonly keep?: (src: IndexEntity, dst: IndexEntity) => ConnectionSet;
  readonly tier?: FixTier;
  /** Extra IP atoms (the flows' addresses), so the re-audit speaks of the same ranges. */
  readonly extraCidrs?: readonly Cidr[];
}

/** The policies that close findings, the findings they close and those they cannot. */
export interface FixPlan {
  readonly objects: GeneratedObject[];
  /** Findings the objects are meant to close. */
  readonly closing: readonly Finding[];
  /** Findings that the added objects cannot close, with why. */
  readonly notClosable: readonly { finding: Finding; why: string }[];
}

type EndpointEntity = Extract<IndexEntity, { kind: 'endpoint' }>;

/** The index audited the way `audit` does: with the target addresses as atoms of their own. */
export function auditIndex(index: ReachabilityIndex, options: TargetOptions & { extraCidrs?: readonly Cidr[] }): ReachabilityIndex {
  const cluster = index.compiled.cluster;
  // the same profile and DNS map as the index (a Cilium toFQDNs rule resolves the same way)
  return compile(cluster, { ...index.compiled.options, extraCidrs: [...targetCidrs(resolveTargets(cluster, options)), ...(options.extraCidrs ?? [])] });
}

/** Identity of a finding across two audits: LATERAL_PATH is per entry and goal, the others per subject. */
export function findingKey(f: Finding): string {
  if (f.id !== 'LATERAL_PATH') return `${f.id} ${f.subject}`;
  const goal = /can reach (.+) in \d+ hops/.exec(f.message)?.[1] ?? '';
  return `${f.id} ${f.subject} ${goal}`;
}

interface Drops {
  readonly subject: EndpointEntity;
  readonly dir: Direction;
  /** per peer entity index: the connections to leave out */
  readonly drop: Map<number, ConnectionSet>;
  readonly why: Set<string>;
}

function targetFor(f: Finding, byWord: Map<string, Target>): Target {
  return byWord.get(f.id === 'METADATA_REACHABLE' ? 'metadata' : 'control-plane')!;
}

function targetDrops(index: ReachabilityIndex, t: Target): { dsts: IndexEntity[]; ports: ConnectionSet } {
  const ports = t.ports === null ? ConnectionSet.ALL : portsSet(t.ports);
  const dsts = t.known
    ? t.addresses.map((a) => index.addressEntity(a.address)).filter((d): d is IndexEntity => d !== null)
    : index.entities.filter((e) => e.kind === 'external');
  return { dsts, ports };
}

/** Policies that close network findings while keeping every other connection. */
export function planFix(index: ReachabilityIndex, findings: readonly Finding[], options: FixOptions = {}): FixPlan {
  return options.tier === 'admin' ? planAdmin(index, findings, options) : planNetworkPolicies(index, findings, options);
}

function planNetworkPolicies(index: ReachabilityIndex, findings: readonly Finding[], options: FixOptions): FixPlan {
  const { cluster, egressIsolated, ingressIsolated } = index.compiled;
  const targets = resolveTargets(cluster, options);
  const byWord = new Map(targets.map((t) => [t.word, t]));
  const entityById = new Map(index.entities.map((e) => [e.id, e]));
  const drops = new Map<string, Drops>();
  const closing: Finding[] = [];
  const notClosable: { finding: Finding; why: string }[] = [];
  const namespaces = new Map<string, Set<Direction>>();
  const want = (subject: EndpointEntity, dir: Direction, why: string) => {
    const k = `${subject.index} ${dir}`;
    const d = drops.get(k) ?? drops.set(k, { subject, dir, drop: new Map(), why: new Set() }).get(k)!;
    d.why.add(why);
    return d;
  };
  const dropInto = (d: Drops, peer: IndexEntity, c: ConnectionSet) => d.drop.set(peer.index, (d.drop.get(peer.index) ?? ConnectionSet.NONE).union(c));
  const lateral: Finding[] = [];
  for (const f of findings) {
    switch (f.id) {
      case 'METADATA_REACHABLE':
      case 'CONTROL_PLANE_REACHABLE': {
        const subject = entityById.get(f.subject);
        // per-namespace CONTROL_PLANE_REACHABLE (no control-plane address known): every workload of it
        const subjects =
          subject !== undefined && subject.kind === 'endpoint'
            ? [subject]
            : index.entities.filter((e): e is EndpointEntity => e.kind === 'endpoint' && `namespace ${e.endpoint.namespace}` === f.subject);
        if (subjects.length === 0) {
          notClosable.push({ finding: f, why: `no workload ${f.subject} in the input` });
          break;
        }
        const isolated = subjects.filter((s) => B.has(egressIsolated, s.bit));
        if (isolated.length > 0) {
          notClosable.push({
            finding: f,
            why: `${isolated.map((s) => s.id).join(', ')} ${isolated.length === 1 ? 'is' : 'are'} already isolated for egress and a policy of the input allows it (${f.evidence}); adding a NetworkPolicy cannot take that away: edit that rule (an ipBlock except) or use --tier admin (an Admin-tier Deny)`,
          });
          break;
        }
        const { dsts, ports } = targetDrops(index, targetFor(f, byWord));
        for (const s of subjects) {
          const w = want(s, 'egress', f.id);
          for (const d of dsts) dropInto(w, d, ports);
        }
        closing.push(f);
        break;
      }
      case 'NAMESPACE_NO_DEFAULT_DENY_INGRESS':
      case 'NAMESPACE_NO_DEFAULT_DENY_EGRESS': {
        const dir: Direction = f.id.endsWith('INGRESS') ? 'ingress' : 'egress';
        const mask = dir === 'ingress' ? ingressIsolated : egressIsolated;
        for (const e of index.entities) if (e.kind === 'endpoint' && e.endpoint.namespace === f.subject && !B.has(mask, e.bit)) want(e, dir, f.id);
        (namespaces.get(f.subject) ?? namespaces.set(f.subject, new Set()).get(f.subject)!).add(dir);
        closing.push(f);
        break;
      }
      case 'LATERAL_PATH':
        lateral.push(f);
        break;
      default:
        notClosable.push({ finding: f, why: `fix does not handle ${f.id}` });
    }
  }
  const render = (): GeneratedObject[] => {
    const objects: GeneratedObject[] = [];
    for (const [ns, dirs] of [...namespaces].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const types = (['ingress', 'egress'] as const).filter((d) => dirs.has(d)).map((d) => (d === 'ingress' ? 'Ingress' : 'Egress'));
      objects.push({
        manifest: {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: `kubereach-fix-default-deny-${types.join('-').toLowerCase()}`, namespace: ns },
          spec: { podSelector: {}, policyTypes: types },
        },
        comment: `closes NAMESPACE_NO_DEFAULT_DENY_${types.map((t) => t.toUpperCase()).join('/')} for ${ns}: default deny (the allow lists below keep ${options.keep === undefined ? "today's traffic" : 'the kept flows'})`,
      });
    }
    for (const { subject, dir, drop, why } of drops.values()) {
      const conn = (s: IndexEntity, d: IndexEntity) => {
        let c = index.connectionsBetween(s, d);
        if (options.keep !== undefined) c = c.intersect(options.keep(s, d));
        const x = drop.get((dir === 'egress' ? d : s).index);
        return x === undefined ? c : c.subtract(x);
      };
      const names = [...why].sort();
      objects.push(
        ...freezePolicies(index, {
          subjects: [subject.index],
          directions: [dir],
          conn,
          dns: false,
          prefix: `kubereach-fix-${dir}`,
          comment: `closes ${names.join(', ')}: ${dir} allow list of what it has today${options.keep === undefined ? '' : ' and the kept flows list'}${drop.size > 0 ? ', minus what the finding names,' : ''} for`,
        }),
      );
    }
    return objects;
  };
  if (lateral.length === 0) return { objects: render(), closing, notClosable };

  // LATERAL_PATH: cut, re-audit, cut the next chain, a few rounds (each chain found is one shortest path)
  const open = new Map(lateral.map((f) => [findingKey(f), f]));
  const stuck = new Map<string, string>();
  let current = lateral;
  for (let round = 0; round < 8 && current.length > 0; round++) {
    for (const f of current) {
      const why = cutChain(index, f, byWord, entityById, (e, dir, peer, c) => dropInto(want(e, dir, 'LATERAL_PATH'), peer, c));
      if (why !== null) stuck.set(findingKey(f), why);
    }
    const objects = render();
    const after = applyText(cluster, '<fix>', renderObjects(objects)).cluster;
    const re = auditNetwork(compile(after, index.compiled.options), options).filter(
      (f) => f.id === 'LATERAL_PATH' && open.has(findingKey(f)) && !stuck.has(findingKey(f)),
    );
    current = re;
  }
  for (const f of lateral) {
    const why = stuck.get(findingKey(f));
    if (why !== undefined) notClosable.push({ finding: f, why });
    else closing.push(f);
  }
  return { objects: render(), closing, notClosable };
}

/**
 * Records the cut of one chain (the finding's path over `index`): its last hop that an added
 * policy can cut, DNS hops left alone. Returns why none can be, or null.
 */
function cutChain(
  index: ReachabilityIndex,
  f: Finding,
  byWord: Map<string, Target>,
  entityById: Map<string, IndexEntity>,
  cut: (e: EndpointEntity, dir: Direction, peer: IndexEntity, c: ConnectionSet) => void,
): string | null {
  const path = f.path ?? [];
  const { egressIsolated, ingressIsolated } = index.compiled;
  for (let k = path.length - 2; k >= 0; k--) {
    const from = entityById.get(path[k]!);
    if (from === undefined || from.kind !== 'endpoint') continue;
    const toId = path[k + 1]!;
    const to = entityById.get(toId);
    if (to === undefined) {
      // the last element names a target and one of its addresses: cut every address of it
      const t = [...byWord.values()].find((x) => toId.startsWith(`${x.label} `));
      if (t === undefined || B.has(egressIsolated, from.bit)) continue;
      for (const h of targetHits(index, from, t)) cut(from, 'egress', h.dst, t.ports === null ? ConnectionSet.ALL : portsSet(t.ports));
      return null;
    }
    if (to.kind === 'endpoint' && isDnsEndpoint(to.endpoint)) continue; // every pod needs DNS: cut elsewhere
    const c = index.connectionsBetween(from, to);
    if (!B.has(egressIsolated, from.bit)) {
      cut(from, 'egress', to, c);
      return null;
    }
    if (to.kind === 'endpoint' && !B.has(ingressIsolated, to.bit)) {
      cut(to, 'ingress', from, c);
      return null;
    }
  }
  return `no hop of ${path.join(' -> ')} can be cut by adding a NetworkPolicy (each hop's sides are already isolated by policies that allow it, or it is DNS): edit one of those rules, or use kubereach paths to see the chain`;
}

function cidrOf(address: string): string {
  return `${address}/${parseIP(address)?.family === 6 ? 128 : 32}`;
}

function planAdmin(index: ReachabilityIndex, findings: readonly Finding[], options: FixOptions): FixPlan {
  const { cluster } = index.compiled;
  const byWord = new Map(resolveTargets(cluster, options).map((t) => [t.word, t]));
  const closing: Finding[] = [];
  const notClosable: { finding: Finding; why: string }[] = [];
  const namespaces = new Set<string>();
  const words = new Set<'metadata' | 'control-plane'>();
  for (const f of findings) {
    switch (f.id) {
      case 'METADATA_REACHABLE':
      case 'CONTROL_PLANE_REACHABLE': {
        const e = index.entities.find((x) => x.id === f.subject);
        const ns =
          e !== undefined && e.kind === 'endpoint' ? e.endpoint.namespace : f.subject.startsWith('namespace ') ? f.subject.slice('namespace '.length) : null;
        if (ns === null) {
          notClosable.push({ finding: f, why: `no workload ${f.subject} in the input` });
          break;
        }
        namespaces.add(ns);
        words.add(f.id === 'METADATA_REACHABLE' ? 'metadata' : 'control-plane');
        closing.push(f);
        break;
      }
      case 'NAMESPACE_NO_DEFAULT_DENY_INGRESS':
      case 'NAMESPACE_NO_DEFAULT_DENY_EGRESS':
        notClosable.push({
          finding: f,
          why: 'isolation is a NetworkPolicy notion: an Admin-tier policy does not isolate pods; run fix without --tier admin for this one',
        });
        break;
      case 'LATERAL_PATH':
        notClosable.push({
          finding: f,
          why: 'one ClusterNetworkPolicy has one subject and cannot cut a chain hop by hop; run fix without --tier admin for this one',
        });
        break;
      default:
        notClosable.push({ finding: f, why: `fix does not handle ${f.id}` });
    }
  }
  if (closing.length === 0) return { objects: [], closing, notClosable };
  const egress: JsonObject[] = [];
  for (const word of ['metadata', 'control-plane'] as const) {
    if (!words.has(word)) continue;
    const t = byWord.get(word)!;
    const networks = t.known ? [...new Set(t.addresses.map((a) => cidrOf(a.address)))] : ['0.0.0.0/0', '::/0'];
    const rule: JsonObject = { name: `kubereach-deny-${word}`, action: 'Deny', to: [{ networks }] };
    if (t.ports !== null)
      rule['protocols'] = t.ports.map((p): Json => ({ tcp: { destinationPort: p.lo === p.hi ? { number: p.lo } : { range: { start: p.lo, end: p.hi } } } }));
    egress.push(rule);
  }
  const nsList = [...namespaces].sort();
  const ids = [...new Set(closing.map((f) => f.id))].sort();
  return {
    objects: [
      {
        manifest: {
          apiVersion: 'policy.networking.k8s.io/v1alpha2',
          kind: 'ClusterNetworkPolicy',
          metadata: { name: 'kubereach-fix' },
          spec: { tier: 'Admin', priority: 0, subject: { namespaces: { matchExpressions: [{ key: NAME_LABEL, operator: 'In', values: nsList }] } }, egress },
        },
        comment: `closes ${ids.join(', ')} for the workloads of ${nsList.join(', ')}: an Admin-tier Deny, ahead of every NetworkPolicy`,
      },
    ],
    closing,
    notClosable,
  };
}

/** A fix checked by auditing and diffing the input with it added. */
export interface FixVerification {
  /** Findings meant to be closed that the re-run audit still raises. */
  readonly stillOpen: readonly Finding[];
  /** Every pair whose connections changed (the cost of the fix: what the findings named). */
  readonly diff: ReachabilityDiff;
}

/** Applies the text (added to the input) and audits and diffs again. */
export function verifyFix(
  index: ReachabilityIndex,
  text: string,
  closing: readonly Finding[],
  options: TargetOptions & { extraCidrs?: readonly Cidr[] } = {},
): FixVerification {
  const before = index.compiled.cluster;
  const { cluster: after, diagnostics } = applyText(before, '<fix>', text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the fix does not load back: ${errors.map((d) => d.message).join('; ')}`);
  const re = auditNetwork(auditIndex(compile(after, index.compiled.options), options), options);
  const open = new Set(re.map(findingKey));
  const stillOpen = closing.filter((f) => open.has(findingKey(f)));
  const { ipblockPods, cni, dns } = index.compiled.options;
  const diff = diffIndexes(compilePair(before, after, { ipblockPods, cni, dns }));
  return { stillOpen, diff };
}

export { renderObjects };
