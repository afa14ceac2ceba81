/**
 * `fix`: NetworkPolicies that close network findings while keeping every other connection the
 * workloads have today, verified by applying them to the input and running the engine again.
 *
 * | finding                             | what is written                                                                   |
 * |-------------------------------------|-----------------------------------------------------------------------------------|
 * | NAMESPACE_NO_DEFAULT_DENY_INGRESS   | a default deny (Ingress) for the namespace, and for each workload not yet isolated |
 * | / _EGRESS                           | an allow list of exactly what it has today in that direction                      |
 * | METADATA_REACHABLE                  | for the workload: an egress allow list of everything it has today minus the       |
 * |                                     | metadata addresses                                                                |
 * | CONTROL_PLANE_REACHABLE             | likewise, minus the control-plane ports on the control-plane addresses            |
 *
 * NetworkPolicies only add allowed connections, so a connection that a policy of the input already
 * allows cannot be closed by adding one: when the workload is already isolated in that direction,
 * the finding is reported as not closable here, naming the rule to edit (or use an Admin-tier
 * Deny). LATERAL_PATH is not handled yet and is reported so.
 */
import * as B from '../compile/bitset.js';
import type { Direction } from '../compile/block.js';
import type { Finding } from '../audit/finding.js';
import { auditNetwork } from '../audit/network/audit.js';
import { compilePair, diffIndexes, type ReachabilityDiff } from '../diff/diff.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { compile } from '../evaluate/index.js';
import { ConnectionSet } from '../net/connection-set.js';
import { resolveTargets, targetCidrs, type TargetOptions } from '../targets/resolve.js';
import { portsSet } from '../targets/reach.js';
import { freezePolicies, type GeneratedObject } from './freeze.js';
import { applyText, renderObjects } from './render.js';

export const FIXABLE_IDS = ['METADATA_REACHABLE', 'CONTROL_PLANE_REACHABLE', 'NAMESPACE_NO_DEFAULT_DENY_INGRESS', 'NAMESPACE_NO_DEFAULT_DENY_EGRESS', 'LATERAL_PATH'] as const;

export interface FixPlan {
  readonly objects: GeneratedObject[];
  /** Findings the objects are meant to close. */
  readonly closing: readonly Finding[];
  /** Findings that adding NetworkPolicies cannot close, with why. */
  readonly notClosable: readonly { finding: Finding; why: string }[];
}

type EndpointEntity = Extract<IndexEntity, { kind: 'endpoint' }>;

/** The index audited the way `audit` does: with the target addresses as atoms of their own. */
export function auditIndex(index: ReachabilityIndex, options: TargetOptions): ReachabilityIndex {
  const cluster = index.compiled.cluster;
  return compile(cluster, { ipblockPods: index.compiled.options.ipblockPods, extraCidrs: targetCidrs(resolveTargets(cluster, options)) });
}

export function planFix(index: ReachabilityIndex, findings: readonly Finding[], options: TargetOptions = {}): FixPlan {
  const { cluster, egressIsolated, ingressIsolated } = index.compiled;
  const targets = resolveTargets(cluster, options);
  const byWord = new Map(targets.map((t) => [t.word, t]));
  const entityById = new Map(index.entities.map((e) => [e.id, e]));
  // per workload and direction: the connections to leave out, per destination (or source) entity
  const drops = new Map<string, { subject: EndpointEntity; dir: Direction; drop: Map<number, ConnectionSet> }>();
  const closing: Finding[] = [];
  const notClosable: { finding: Finding; why: string }[] = [];
  const namespaces = new Map<string, Set<Direction>>();
  const want = (subject: EndpointEntity, dir: Direction) => {
    const k = `${subject.index} ${dir}`;
    return drops.get(k) ?? drops.set(k, { subject, dir, drop: new Map() }).get(k)!;
  };
  for (const f of findings) {
    switch (f.id) {
      case 'METADATA_REACHABLE':
      case 'CONTROL_PLANE_REACHABLE': {
        const subject = entityById.get(f.subject);
        if (subject === undefined || subject.kind !== 'endpoint') {
          notClosable.push({ finding: f, why: `no workload ${f.subject} in the input` });
          break;
        }
        if (B.has(egressIsolated, subject.bit)) {
          notClosable.push({ finding: f, why: `${f.subject} is already isolated for egress and a policy of the input allows it (${f.evidence}); adding a NetworkPolicy cannot take that away: edit that rule (an ipBlock except) or use an Admin-tier Deny` });
          break;
        }
        const t = byWord.get(f.id === 'METADATA_REACHABLE' ? 'metadata' : 'control-plane')!;
        const ports = t.ports === null ? ConnectionSet.ALL : portsSet(t.ports);
        const dsts = t.known ? t.addresses.map((a) => index.addressEntity(a.address)).filter((d): d is IndexEntity => d !== null) : index.entities.filter((e) => e.kind === 'external');
        const w = want(subject, 'egress');
        for (const d of dsts) w.drop.set(d.index, (w.drop.get(d.index) ?? ConnectionSet.NONE).union(ports));
        closing.push(f);
        break;
      }
      case 'NAMESPACE_NO_DEFAULT_DENY_INGRESS':
      case 'NAMESPACE_NO_DEFAULT_DENY_EGRESS': {
        const dir: Direction = f.id.endsWith('INGRESS') ? 'ingress' : 'egress';
        const mask = dir === 'ingress' ? ingressIsolated : egressIsolated;
        for (const e of index.entities) if (e.kind === 'endpoint' && e.endpoint.namespace === f.subject && !B.has(mask, e.bit)) want(e, dir);
        (namespaces.get(f.subject) ?? namespaces.set(f.subject, new Set()).get(f.subject)!).add(dir);
        closing.push(f);
        break;
      }
      case 'LATERAL_PATH':
        notClosable.push({ finding: f, why: 'fix does not break lateral paths yet: use `kubereach paths` to see the chain and close one hop' });
        break;
      default:
        notClosable.push({ finding: f, why: `fix does not handle ${f.id}` });
    }
  }
  const objects: GeneratedObject[] = [];
  for (const [ns, dirs] of [...namespaces].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const types = (['ingress', 'egress'] as const).filter((d) => dirs.has(d)).map((d) => (d === 'ingress' ? 'Ingress' : 'Egress'));
    objects.push({
      manifest: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `kubereach-fix-default-deny-${types.join('-').toLowerCase()}`, namespace: ns }, spec: { podSelector: {}, policyTypes: types } },
      comment: `closes NAMESPACE_NO_DEFAULT_DENY_${types.map((t) => t.toUpperCase()).join('/')} for ${ns}: default deny (the allow lists below keep today's traffic)`,
    });
  }
  for (const { subject, dir, drop } of drops.values()) {
    const conn = (s: IndexEntity, d: IndexEntity) => {
      const c = index.connectionsBetween(s, d);
      const other = dir === 'egress' ? d : s;
      const x = drop.get(other.index);
      return x === undefined ? c : c.subtract(x);
    };
    const names = closing.filter((f) => f.subject === subject.id || f.subject === subject.endpoint.namespace).map((f) => f.id);
    objects.push(
      ...freezePolicies(index, {
        subjects: [subject.index],
        directions: [dir],
        conn,
        dns: false,
        prefix: `kubereach-fix-${dir}`,
        comment: `closes ${[...new Set(names)].join(', ')}: ${dir} allow list of what it has today${drop.size > 0 ? ', minus what the finding names,' : ''} for`,
      }),
    );
  }
  return { objects, closing, notClosable };
}

export interface FixVerification {
  /** Findings meant to be closed that the re-run audit still raises. */
  readonly stillOpen: readonly Finding[];
  /** Every pair whose connections changed (the cost of the fix: what the findings named). */
  readonly diff: ReachabilityDiff;
}

/** Applies the text (added to the input) and audits and diffs again. */
export function verifyFix(index: ReachabilityIndex, text: string, closing: readonly Finding[], options: TargetOptions = {}): FixVerification {
  const before = index.compiled.cluster;
  const { cluster: after, diagnostics } = applyText(before, '<fix>', text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the fix does not load back: ${errors.map((d) => d.message).join('; ')}`);
  const re = auditNetwork(auditIndex(compile(after, index.compiled.options), options), options);
  const open = new Set(re.map((f) => `${f.id} ${f.subject}`));
  const stillOpen = closing.filter((f) => open.has(`${f.id} ${f.subject}`));
  const diff = diffIndexes(compilePair(before, after, { ipblockPods: index.compiled.options.ipblockPods }));
  return { stillOpen, diff };
}

export { renderObjects };
