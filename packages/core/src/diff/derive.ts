/**
 * A diff whose after side is derived from the before side's index instead of compiled again, when
 * the two clusters differ only in NetworkPolicies (a typical pull request): the before side is
 * compiled once, each changed policy is replaced in it as `kubereach watch` does (evaluate/update.ts
 * replacePolicy), and the diff is taken from the sources the replacements touched (update-diff.ts).
 * At 150k pods that costs a fraction of a second compile.
 *
 * The answer is the one of two full compiles (compilePair + diffIndexes) to the byte: both sides
 * then share one universe (the before side's endpoint classes, and IP and port atoms cut at both
 * sides' boundaries: CompileOptions.extraPolicyCuts), and a class partition or an atom finer than a
 * side needs changes no answer. Whenever that could be untrue the two sides are compiled in full,
 * and `fullReason` says why:
 *   | condition                                             | why a derived index could differ              |
 *   |-------------------------------------------------------|-----------------------------------------------|
 *   | anything but NetworkPolicies and container images     | endpoints, namespaces and nodes make classes  |
 *   | differs (only the configuration audit reads images)   |                                               |
 *   | Cilium policies or any Calico object in the input     | they compile together with NetworkPolicies    |
 *   | the sides evaluate staged policies differently        | that is another compile                       |
 *   | a changed policy observes a new label key             | the classes would have to change              |
 *   | a workload listed pod by pod, and the label keys the  | the after side could list it otherwise        |
 *   | policies observe differ                               |                                               |
 *   | compile warnings                                      | they name the before side's objects           |
 *   | more than 64 policies changed                         | (speed only: replacing each costs more)       |
 * Locations (file:line) are not compared: the derived index carries the before side's, so views that
 * print the after side's provenance (the HTML report's explanations and findings) must ask for two
 * full compiles (`derive` false).
 */
import * as B from '../compile/bitset.js';
import { selectorKeys } from '../compile/selector.js';
import type { ReachabilityIndex } from '../evaluate/index.js';
import { compile } from '../evaluate/index.js';
import { misfit, replacePolicy, type UpdateResult } from '../evaluate/update.js';
import type { Cluster, NetworkPolicy } from '../model/types.js';
import { diffIndexes, pairOptions, type DiffOptions, type IndexPair } from './diff.js';
import type { ReachabilityDiff } from './entries.js';
import { diffUpdate } from './update-diff.js';

/** Both sides of a diff and the diff. */
export interface PairDiff {
  readonly pair: IndexPair;
  readonly diff: ReachabilityDiff;
  /** Null when the after side was derived from the before side's index; else why both were compiled in full. */
  readonly fullReason: string | null;
}

/** One NetworkPolicy that differs: before null when added, after null when removed. */
interface PolicyChange {
  readonly before: NetworkPolicy | null;
  readonly after: NetworkPolicy | null;
}

/**
 * More changed policies than this are compiled in full: each replacement copies the index's
 * per-source tables, so a few thousand of them cost more than one compile.
 */
const MAX_CHANGES = 64;

/** Keys never compared: where an object was read, and the containers (read only by the configuration audit). */
const LOCATION = new Set(['location']);
const ENDPOINT_SKIP = new Set(['location', 'containers']);

/**
 * Structural equality of model values (plain objects, arrays, Maps, Sets of primitives, primitives),
 * leaving out the keys in `skip` at every depth and functions (an object's `locate`). Any other kind
 * of object is never the same (the caller then compiles both sides).
 */
function same(a: unknown, b: unknown, skip: ReadonlySet<string>): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return typeof a === 'function' && typeof b === 'function';
  const proto: unknown = Object.getPrototypeOf(a);
  if (proto !== Object.getPrototypeOf(b)) return false;
  if (proto === Object.prototype) return sameRecord(a as Record<string, unknown>, b as Record<string, unknown>, skip);
  if (proto === Array.prototype) {
    const x = a as readonly unknown[];
    const y = b as readonly unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!same(x[i], y[i], skip)) return false;
    return true;
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !same(v, b.get(k), skip)) return false;
    return true;
  }
  if (a instanceof Set && b instanceof Set) {
    if (a.size !== b.size) return false;
    for (const v of a) if (typeof v === 'object' || !b.has(v)) return false;
    return true;
  }
  return false;
}

function sameRecord(x: Record<string, unknown>, y: Record<string, unknown>, skip: ReadonlySet<string>): boolean {
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  let inOrder = kx.length === ky.length;
  for (let i = 0; inOrder && i < kx.length; i++) inOrder = kx[i] === ky[i];
  if (inOrder) {
    // the common case: both read by the same code, so the same keys in the same order
    for (const k of kx) if (!skip.has(k) && !same(x[k], y[k], skip)) return false;
    return true;
  }
  const kept = (keys: readonly string[]) => keys.filter((k) => !skip.has(k)).sort();
  const a = kept(kx);
  const b = kept(ky);
  return a.length === b.length && a.every((k, i) => k === b[i] && same(x[k], y[k], skip));
}

const idOf = (p: NetworkPolicy) => `${p.namespace}/${p.name}`;

/** The NetworkPolicies that differ (by ns/name), or why the clusters differ in more than those. */
function policyChanges(before: Cluster, after: Cluster, options: DiffOptions): PolicyChange[] | string {
  if ((options.staged?.before ?? false) !== (options.staged?.after ?? false)) return 'the sides evaluate staged policies differently';
  for (const c of [before, after]) {
    if ((c.ciliumPolicies?.length ?? 0) > 0) return 'Cilium policies compile together with NetworkPolicies';
    // any Calico object: Calico policies share the default tier with NetworkPolicies, and staged
    // Kubernetes policies replace NetworkPolicies by name when enforced
    if (c.calico !== undefined) return 'Calico objects compile together with NetworkPolicies';
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  keys.delete('policies');
  for (const k of [...keys].sort()) {
    const skip = k === 'endpoints' ? ENDPOINT_SKIP : LOCATION;
    if (!same((before as unknown as Record<string, unknown>)[k], (after as unknown as Record<string, unknown>)[k], skip)) return `${k} differ`;
  }
  const was = new Map(before.policies.map((p) => [idOf(p), p]));
  const now = new Map(after.policies.map((p) => [idOf(p), p]));
  if (was.size !== before.policies.length || now.size !== after.policies.length) return 'two policies share a name';
  const out: PolicyChange[] = [];
  for (const [id, p] of was) {
    const q = now.get(id) ?? null;
    if (q === null || !same(p, q, LOCATION)) out.push({ before: p, after: q });
  }
  for (const [id, q] of now) if (!was.has(id)) out.push({ before: null, after: q });
  return out.length > MAX_CHANGES ? `${out.length} policies changed (more than ${MAX_CHANGES})` : out;
}

/** Label keys the pod selectors of these policies observe. */
function observedKeys(policies: readonly NetworkPolicy[]): Set<string> {
  const out = new Set<string>();
  for (const p of policies) {
    selectorKeys(p.podSelector, out);
    for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers ?? []) if (peer.kind === 'pods') selectorKeys(peer.podSelector, out);
  }
  return out;
}

/**
 * The after side made from `base` by replacing each changed policy, with the sources whose rows may
 * differ (null when the rows were recomputed); or why it cannot be made so.
 */
function deriveAfter(base: ReachabilityIndex, changes: readonly PolicyChange[], before: Cluster, after: Cluster): UpdateResult | string {
  // Classes never depend on which policy observes a label key, but splitting a workload pod by pod
  // does (compile/expand.ts): with a split workload the keys must stay the same.
  if (base.compiled.warnings.length > 0) return "compile warnings name the before side's objects";
  if (base.compiled.split.size > 0) {
    const was = observedKeys(before.policies);
    const now = observedKeys(after.policies);
    if (was.size !== now.size || [...was].some((k) => !now.has(k))) return 'a workload is listed pod by pod and the policies observe other label keys';
  }
  let index = base;
  let touched: B.Bits | null = B.empty(base.compiled.u.size);
  let touchedSources = 0;
  for (const c of changes) {
    const why = c.after === null ? null : misfit(index.compiled, c.after);
    if (why !== null) return why;
    const res = replacePolicy(index, c.before, c.after);
    index = res.index;
    if (touched !== null && res.touched !== null) B.orInto(touched, res.touched);
    else touched = null;
    touchedSources = touched === null ? base.compiled.u.size : B.count(touched);
  }
  return {
    index,
    incremental: touched !== null,
    reason: touched === null ? 'ingress isolation changed: every row is recomputed (compilation reused)' : null,
    touchedSources,
    touched,
  };
}

/**
 * What reachability changes from `before` to `after` (as diffIndexes(compilePair(...)) answers it),
 * with both compiled sides. `derive` false compiles both sides in full whatever the change.
 */
export function diffPair(before: Cluster, after: Cluster, options: DiffOptions = {}, derive = true): PairDiff {
  const opts = pairOptions(before, after, options);
  const changes = derive ? policyChanges(before, after, options) : 'asked to compile both sides';
  // the after side's new ports and named ports are cut on the before side too, so its policies fit
  const cuts = typeof changes === 'string' ? [] : changes.flatMap((c) => (c.after === null ? [] : [c.after]));
  const base = compile(before, cuts.length === 0 ? opts.before : { ...opts.before, extraPolicyCuts: cuts });
  const update = typeof changes === 'string' ? changes : deriveAfter(base, changes, before, after);
  if (typeof update === 'string') {
    const pair = { before: base, after: compile(after, opts.after) };
    return { pair, diff: diffIndexes(pair), fullReason: update };
  }
  return { pair: { before: base, after: update.index }, diff: diffUpdate(base, update), fullReason: null };
}

/**
 * What reachability changes from `before` to `after`. Endpoints are aligned by id (`ns/name[Kind]`);
 * an endpoint on one side only is reported with all its connections as added or removed. Loopback (a
 * single pod to itself) and address-to-address pairs are never listed (as in the matrix); an endpoint
 * with replicas paired with itself is.
 */
export function diffClusters(before: Cluster, after: Cluster, options: DiffOptions = {}): ReachabilityDiff {
  return diffPair(before, after, options).diff;
}
