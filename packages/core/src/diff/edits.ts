/**
 * `diff --explain`: the edits between two clusters, and which of them can cause a pair's change.
 *
 * Edits are found structurally, not textually: policies are matched by `ns/name`, their rules
 * compared as multisets per direction (NetworkPolicy rules are OR-ed, so order is meaningless and a
 * moved rule is no edit), locations and indexes ignored. Endpoints are matched by id, namespaces by
 * name (their labels feed namespaceSelectors).
 *
 * Attribution of an edit to a pair (src -> dst), on whichever side(s) the edit exists:
 *   | edit                                   | relevant when                                           |
 *   |----------------------------------------|---------------------------------------------------------|
 *   | policy added / removed                 | it selects dst (ingress) or src (egress) on its side     |
 *   | podSelector or policyTypes changed     | it selects dst (ingress) or src (egress) on either side  |
 *   | rule added / removed                   | a block of that rule covers (src, dst) on its side       |
 *   | endpoint added / removed / changed     | the endpoint is src or dst                               |
 *   | namespace labels changed               | src or dst lives in it (its pods are what selectors see) |
 * This is the set of edits that *can* have caused the change: an edit whose effect another rule
 * masks is still listed, as a reviewer wants to see it.
 */
import { hasSeveralPods } from '../model/replicas.js';
import type { Direction } from '../compile/block.js';
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import type { Cluster, NetworkPolicy, PolicyRule } from '../model/types.js';
import type { IndexPair } from './diff.js';

/** One change between two inputs (a policy, workload, namespace, ... added, removed or changed), with where it is, so a diff can name its causes. */
export type Edit =
  | { readonly kind: 'policy-added'; readonly policy: string; readonly location: SourceLocation }
  | { readonly kind: 'policy-removed'; readonly policy: string; readonly location: SourceLocation }
  | {
      readonly kind: 'policy-selector-changed';
      readonly policy: string;
      /** What changed: the podSelector, and/or which directions the policy isolates. */
      readonly what: readonly ('podSelector' | 'policyTypes')[];
      readonly before: SourceLocation;
      readonly location: SourceLocation;
    }
  | { readonly kind: 'rule-added'; readonly policy: string; readonly direction: Direction; readonly index: number; readonly location: SourceLocation }
  | { readonly kind: 'rule-removed'; readonly policy: string; readonly direction: Direction; readonly index: number; readonly location: SourceLocation }
  | { readonly kind: 'endpoint-added'; readonly endpoint: string; readonly location: SourceLocation }
  | { readonly kind: 'endpoint-removed'; readonly endpoint: string; readonly location: SourceLocation }
  | { readonly kind: 'endpoint-changed'; readonly endpoint: string; readonly before: SourceLocation; readonly location: SourceLocation }
  /** From one pod to several or back: traffic between its replicas appears or goes (model/replicas.ts). */
  | {
      readonly kind: 'endpoint-scaled';
      readonly endpoint: string;
      readonly several: boolean;
      readonly before: SourceLocation;
      readonly location: SourceLocation;
    }
  | { readonly kind: 'namespace-changed'; readonly namespace: string; readonly location: SourceLocation | null };

/**
 * A canonical text of a model value with locations and rule indexes left out (bigints as text,
 * object keys sorted), so two structurally equal values have equal keys.
 */
export function canonical(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const rec = v as Record<string, unknown>;
  const keys = Object.keys(rec)
    .filter((k) => k !== 'location' && k !== 'index' && typeof rec[k] !== 'function')
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(rec[k])}`).join(',')}}`;
}

function policyId(p: NetworkPolicy): string {
  return `${p.namespace}/${p.name}`;
}

/** Rules of `from` with no structurally equal rule left in `to` (multiset difference). */
function ruleDifference(from: readonly PolicyRule[], to: readonly PolicyRule[]): PolicyRule[] {
  const pool = new Map<string, number>();
  for (const r of to) pool.set(canonical(r), (pool.get(canonical(r)) ?? 0) + 1);
  const out: PolicyRule[] = [];
  for (const r of from) {
    const k = canonical(r);
    const n = pool.get(k) ?? 0;
    if (n > 0) pool.set(k, n - 1);
    else out.push(r);
  }
  return out;
}

function policyEdits(before: NetworkPolicy | undefined, after: NetworkPolicy | undefined, out: Edit[]): void {
  if (before === undefined && after !== undefined) {
    out.push({ kind: 'policy-added', policy: policyId(after), location: after.location });
    return;
  }
  if (after === undefined && before !== undefined) {
    out.push({ kind: 'policy-removed', policy: policyId(before), location: before.location });
    return;
  }
  if (before === undefined || after === undefined) return;
  const policy = policyId(after);
  const what: ('podSelector' | 'policyTypes')[] = [];
  if (canonical(before.podSelector) !== canonical(after.podSelector)) what.push('podSelector');
  if (before.isolatesIngress !== after.isolatesIngress || before.isolatesEgress !== after.isolatesEgress) what.push('policyTypes');
  if (what.length > 0) out.push({ kind: 'policy-selector-changed', policy, what, before: before.location, location: after.location });
  for (const direction of ['ingress', 'egress'] as const) {
    for (const r of ruleDifference(before[direction], after[direction])) {
      out.push({ kind: 'rule-removed', policy, direction, index: r.index, location: r.location });
    }
    for (const r of ruleDifference(after[direction], before[direction])) {
      out.push({ kind: 'rule-added', policy, direction, index: r.index, location: r.location });
    }
  }
}

/** Every edit from `before` to `after`: policies (by ns/name), then endpoints (by id), then namespaces. */
export function clusterEdits(before: Cluster, after: Cluster): Edit[] {
  const out: Edit[] = [];
  const pa = new Map(before.policies.map((p) => [policyId(p), p]));
  const pb = new Map(after.policies.map((p) => [policyId(p), p]));
  for (const id of [...new Set([...pa.keys(), ...pb.keys()])].sort()) policyEdits(pa.get(id), pb.get(id), out);

  const ea = new Map(before.endpoints.map((e) => [e.id, e]));
  const eb = new Map(after.endpoints.map((e) => [e.id, e]));
  for (const id of [...new Set([...ea.keys(), ...eb.keys()])].sort()) {
    const x = ea.get(id);
    const y = eb.get(id);
    if (x === undefined && y !== undefined) out.push({ kind: 'endpoint-added', endpoint: id, location: y.location });
    else if (y === undefined && x !== undefined) out.push({ kind: 'endpoint-removed', endpoint: id, location: x.location });
    else if (x !== undefined && y !== undefined) {
      // what selectors, ipBlocks and ports can observe
      const seen = (e: typeof x) => canonical({ labels: e.labels, ports: e.ports, ips: e.ips, hostNetwork: e.hostNetwork });
      if (seen(x) !== seen(y)) out.push({ kind: 'endpoint-changed', endpoint: id, before: x.location, location: y.location });
      const several = hasSeveralPods(y, after.nodes.length);
      if (hasSeveralPods(x, before.nodes.length) !== several)
        out.push({ kind: 'endpoint-scaled', endpoint: id, several, before: x.location, location: y.location });
    }
  }

  // a namespace missing on one side has only its name label there (what the compiler assumes)
  const na = new Map(before.namespaces.map((n) => [n.name, n]));
  const nb = new Map(after.namespaces.map((n) => [n.name, n]));
  for (const name of [...new Set([...na.keys(), ...nb.keys()])].sort()) {
    const x = na.get(name);
    const y = nb.get(name);
    const labels = (n: typeof x) => canonical(n?.labels ?? { 'kubernetes.io/metadata.name': name });
    if (labels(x) !== labels(y)) out.push({ kind: 'namespace-changed', namespace: name, location: y?.location ?? x?.location ?? null });
  }
  return out;
}

/** The pair's entities on one side. */
interface SidePair {
  readonly index: ReachabilityIndex;
  readonly src: IndexEntity | null;
  readonly dst: IndexEntity | null;
}

function entityOn(index: ReachabilityIndex, id: string): IndexEntity | null {
  try {
    const e = index.resolve(id);
    return e.id === id ? e : null;
  } catch {
    return null;
  }
}

/**
 * Does `policy` isolate the pair's subject for `direction` (dst for ingress, src for egress) on this
 * side? A policy that selects a pod without isolating it in a direction cannot change that direction.
 */
function selects(side: SidePair, policy: string, direction: Direction): boolean {
  const subject = direction === 'ingress' ? side.dst : side.src;
  if (subject === null || subject.kind !== 'endpoint') return false;
  return side.index.compiled.policyRefs.some(
    (r) => r.policy === policy && r.direction === direction && (r.tier !== 'NetworkPolicy' || r.isolates) && r.subjects.has(subject.bit),
  );
}

function selectsAny(side: SidePair, policy: string): boolean {
  return selects(side, policy, 'ingress') || selects(side, policy, 'egress');
}

/** Does a block of (policy, direction, rule index) cover the pair on this side? */
function ruleCovers(side: SidePair, policy: string, direction: Direction, index: number): boolean {
  if (side.src === null || side.dst === null) return false;
  const s = side.src.bit;
  const d = side.dst.bit;
  return side.index.blocksFor(direction, s).some((b) => b.rule.policy === policy && b.rule.ruleIndex === index && b.other.has(d));
}

function namespaceOfEntity(e: IndexEntity | null): string | null {
  return e !== null && e.kind === 'endpoint' ? e.endpoint.namespace : null;
}

/** The edits (of `edits`, from clusterEdits on the same two clusters) that can cause the pair's change. */
export function editsFor(pair: IndexPair, edits: readonly Edit[], src: string, dst: string): Edit[] {
  const a: SidePair = { index: pair.before, src: entityOn(pair.before, src), dst: entityOn(pair.before, dst) };
  const b: SidePair = { index: pair.after, src: entityOn(pair.after, src), dst: entityOn(pair.after, dst) };
  return edits.filter((e) => {
    switch (e.kind) {
      case 'policy-added':
        return selectsAny(b, e.policy);
      case 'policy-removed':
        return selectsAny(a, e.policy);
      case 'policy-selector-changed':
        return selectsAny(a, e.policy) || selectsAny(b, e.policy);
      case 'rule-added':
        return ruleCovers(b, e.policy, e.direction, e.index);
      case 'rule-removed':
        return ruleCovers(a, e.policy, e.direction, e.index);
      case 'endpoint-added':
      case 'endpoint-removed':
      case 'endpoint-changed':
        return e.endpoint === src || e.endpoint === dst;
      case 'endpoint-scaled':
        return e.endpoint === src && e.endpoint === dst;
      case 'namespace-changed':
        return [a.src, a.dst, b.src, b.dst].some((x) => namespaceOfEntity(x) === e.namespace);
      default: {
        const _x: never = e;
        return _x;
      }
    }
  });
}
