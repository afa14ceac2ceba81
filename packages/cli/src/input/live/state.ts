/**
 * The state `kubereach watch` keeps: the cluster's objects as last listed or watched, the index over
 * them and the audit findings it proves. `apply` takes a batch of object changes and returns the
 * reachability change they cause (the same entries `diff` prints) and the findings that appeared
 * or cleared.
 *
 * How a change is applied (correctness first; the two ways give the same index, which the tests
 * check against a fresh list):
 *
 * | change                                        | how                                                      |
 * |-----------------------------------------------|----------------------------------------------------------|
 * | one networking.k8s.io NetworkPolicy, no new   | replacePolicy (core/evaluate/update.ts): only the rows   |
 * | ipBlock boundary                              | the policy touches are recomputed                        |
 * | a Namespace modified (its labels)             | replaceNamespace: the policies whose namespaceSelectors  |
 * |                                               | it enters or leaves are compiled again, as above         |
 * | a Pod modified                                | its namespace's pods and workloads are loaded again and  |
 * |                                               | the endpoint it folds into is replaced (replaceEndpoint: |
 * |                                               | in place when only its labels changed and no new class   |
 * |                                               | is needed; else compiled again)                          |
 * | anything else (pods created or deleted,       | the objects are loaded and compiled again               |
 * | workloads, nodes, admin policies...)          |                                                          |
 *
 * Every index is compiled with the same extra IP cuts (a union that only grows: every ipBlock
 * boundary seen), so external ranges keep their ids from one change to the next
 * and a diff never reports a range that was merely cut differently. When a change brings a new
 * boundary, the previous index is compiled again with it before the diff.
 */
import {
  auditNetwork,
  compile,
  diffIndexes,
  diffUpdate,
  formatDiagnostic,
  inputCaveats,
  cniProfile,
  loadCluster,
  policyCidrs,
  replaceEndpoint,
  replaceNamespace,
  replacePolicy,
  sortFindings,
  type Cidr,
  type Cluster,
  type Endpoint,
  type Finding,
  type Namespace,
  type NetworkPolicy,
  type ReachabilityDiff,
  type ReachabilityIndex,
  type TargetOptions,
} from '@kubereach/core';
import { configFindings } from '../../commands/audit-config.js';
import { listText, type KubeObject, type ServedResource } from './list.js';

export interface ObjectChange {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly resource: ServedResource;
  readonly object: KubeObject;
}

/** What one batch of changes did. */
export interface StateChange {
  readonly diff: ReachabilityDiff;
  readonly newFindings: Finding[];
  readonly clearedFindings: Finding[];
  /** True when the index was updated by replacePolicy rather than compiled again. */
  readonly incremental: boolean;
}

export interface StateOptions {
  /** --ipblock-pods; absent: the CNI profile detected from the cluster decides. */
  readonly ipblockPods?: 'match' | 'ignore';
  readonly defaultNamespace: string;
  readonly targets: TargetOptions;
  /** Kubeconfig files whose permissions the configuration audit checks. */
  readonly kubeconfigs: readonly string[];
  /** Where diagnostics of objects that fail validation go (they are left out, as --ignore-invalid). */
  readonly warn: (line: string) => void;
}

const cidrKey = (c: Cidr) => `${c.start}-${c.end}`;
const findingKey = (f: Finding) => `${f.id}\u0000${f.subject}`;

export function objectKey(r: ServedResource, o: KubeObject): string {
  const m = (o['metadata'] ?? {}) as { namespace?: string; name?: string };
  return `${r.apiVersion}/${r.spec.resource}/${m.namespace ?? ''}/${m.name ?? ''}`;
}

/** `NetworkPolicy shop/db` or `Namespace shop`: how a change names its object. */
export function objectName(r: ServedResource, o: KubeObject): string {
  const m = (o['metadata'] ?? {}) as { namespace?: string; name?: string };
  return `${r.spec.kind} ${m.namespace === undefined ? '' : `${m.namespace}/`}${m.name ?? ''}`;
}

export class WatchState {
  /** Objects per resource (in discovery order), each in the order first seen. */
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly cuts = new Map<string, Cidr>();
  private seenDiagnostics = new Set<string>();
  cluster!: Cluster;
  index!: ReachabilityIndex;
  findings: Finding[] = [];
  /** The network audit's part of `findings` (kept when an event cannot change it). */
  private network: Finding[] = [];
  caveats: string[] = [];

  constructor(
    readonly served: readonly ServedResource[],
    private readonly opts: StateOptions,
  ) {
    for (const r of served) this.objects.set(resourceKey(r), new Map());
  }

  /** Number of objects held. */
  get size(): number {
    let n = 0;
    for (const m of this.objects.values()) n += m.size;
    return n;
  }

  /** The objects as one List text (what a snapshot taken now would hold). */
  text(): string {
    const all: KubeObject[] = [];
    for (const m of this.objects.values()) for (const o of m.values()) all.push(o);
    return listText(all);
  }

  /** Replaces every object of `resources` (a fresh list) without computing any change. */
  private replaceAll(resources: readonly ServedResource[], objects: readonly KubeObject[]): void {
    for (const r of resources) this.objects.get(resourceKey(r))!.clear();
    for (const o of objects) {
      const r = this.served.find((s) => s.apiVersion === o['apiVersion'] && s.spec.kind === o['kind']);
      if (r !== undefined) this.objects.get(resourceKey(r))!.set(objectKey(r, o), o);
    }
  }

  /** The first state: every object listed. */
  async init(objects: readonly KubeObject[]): Promise<void> {
    this.replaceAll(this.served, objects);
    this.cluster = this.load();
    this.grow(this.cluster);
    this.index = this.compile(this.cluster);
    this.findings = await this.audit(this.index, this.cluster);
  }

  /** The objects of `resources` listed again (after a 410): the change from what was held. */
  async relist(resources: readonly ServedResource[], objects: readonly KubeObject[]): Promise<{ change: StateChange; changes: ObjectChange[] }> {
    const changes: ObjectChange[] = [];
    const fresh = new Map<string, { r: ServedResource; o: KubeObject }>();
    for (const o of objects) {
      const r = resources.find((s) => s.apiVersion === o['apiVersion'] && s.spec.kind === o['kind']);
      if (r !== undefined) fresh.set(objectKey(r, o), { r, o });
    }
    for (const r of resources) {
      for (const [k, o] of this.objects.get(resourceKey(r))!) {
        const now = fresh.get(k);
        if (now === undefined) changes.push({ type: 'DELETED', resource: r, object: o });
        else if (rv(now.o) !== rv(o)) changes.push({ type: 'MODIFIED', resource: r, object: now.o });
      }
    }
    for (const [k, { r, o }] of fresh) if (!this.objects.get(resourceKey(r))!.has(k)) changes.push({ type: 'ADDED', resource: r, object: o });
    return { change: await this.apply(changes), changes };
  }

  /** Applies changes; an empty batch (or one the model does not see) gives an empty change. */
  async apply(changes: readonly ObjectChange[]): Promise<StateChange> {
    for (const c of changes) {
      const m = this.objects.get(resourceKey(c.resource))!;
      const k = objectKey(c.resource, c.object);
      if (c.type === 'DELETED') m.delete(k);
      else m.set(k, c.object);
    }
    const before = this.index;
    let after: ReachabilityIndex;
    let incremental = false;
    const single = changes.length === 1 ? changes[0]! : null;
    const policy =
      single !== null && single.resource.spec.kind === 'NetworkPolicy' && single.resource.spec.group === 'networking.k8s.io'
        ? this.policyOf(single)
        : undefined;
    const namespace =
      single !== null && single.type === 'MODIFIED' && single.resource.spec.kind === 'Namespace' && single.resource.spec.group === ''
        ? this.namespaceOf(single)
        : undefined;
    const pod =
      single !== null && single.type === 'MODIFIED' && single.resource.spec.kind === 'Pod' && single.resource.spec.group === ''
        ? this.endpointOf(single)
        : undefined;
    let old: ReachabilityIndex = before;
    let policyPath = false;
    let diff: ReachabilityDiff;
    if (pod !== undefined) {
      const res = replaceEndpoint(before, pod.before, pod.after);
      after = res.index;
      incremental = res.incremental;
      const endpoints = this.cluster.endpoints.slice();
      endpoints[pod.at] = pod.after;
      this.cluster = { ...this.cluster, endpoints };
      this.caveats = inputCaveats(this.cluster, cniProfile(this.cluster, null, this.opts.ipblockPods)).map((c) => c.message);
      diff = diffUpdate(before, res);
    } else if (namespace !== undefined) {
      const res = replaceNamespace(before, namespace.before, namespace.after);
      after = res.index;
      incremental = res.incremental;
      this.cluster = { ...this.cluster, namespaces: this.cluster.namespaces.map((n) => (n === namespace.before ? namespace.after : n)) };
      this.caveats = inputCaveats(this.cluster, cniProfile(this.cluster, null, this.opts.ipblockPods)).map((c) => c.message);
      diff = diffUpdate(before, res);
    } else if (policy !== undefined && !this.grows(policyCidrs({ ...this.cluster, policies: policy.after === null ? [] : [policy.after] }))) {
      policyPath = true;
      const res = replacePolicy(before, policy.before, policy.after);
      after = res.index;
      incremental = res.incremental;
      // the loaded cluster with the new policy list (the compiled one has workloads split where their
      // pods differ, which the configuration checks must not see: `audit` gives them the loaded one)
      this.cluster = { ...this.cluster, policies: after.cluster.policies };
      diff = diffUpdate(before, res);
    } else {
      const cluster = this.load();
      if (this.grow(cluster)) old = this.compile(this.cluster); // the loaded cluster before the change
      after = this.compile(cluster);
      this.cluster = cluster;
      diff = diffIndexes({ before: old, after });
    }
    this.index = after;
    // The findings are a function of the index's answers, its isolation sets and the cluster's
    // objects. A policy applied in place changes no object the audit reads but the policy; when it
    // also changes no answer and no isolation bit, the findings are the ones already held.
    const unchanged = policyPath && isEmpty(diff) && before.sameIsolation(after);
    // A namespace relabelled that changes no answer and no isolation bit changes no network finding
    // either, unless a Gateway admits Routes by namespace labels (services/entry-points.ts reads them
    // nowhere else); the configuration checks read namespace objects, so they run again.
    const sameNetwork = namespace !== undefined && isEmpty(diff) && before.sameIsolation(after) && (this.cluster.entries?.gateways ?? []).length === 0;
    const findings = unchanged ? this.findings : await this.audit(after, this.cluster, sameNetwork);
    const had = new Set(this.findings.map(findingKey));
    const has = new Set(findings.map(findingKey));
    const change = {
      diff,
      newFindings: findings.filter((f) => !had.has(findingKey(f))),
      clearedFindings: this.findings.filter((f) => !has.has(findingKey(f))),
      incremental,
    };
    this.findings = findings;
    return change;
  }

  /** The model's policy before and after a NetworkPolicy change (after: null when deleted or invalid). */
  private policyOf(c: ObjectChange): { before: NetworkPolicy | null; after: NetworkPolicy | null } {
    const m = (c.object['metadata'] ?? {}) as { namespace?: string; name?: string };
    const ns = m.namespace ?? this.opts.defaultNamespace;
    const before = this.cluster.policies.find((p) => p.namespace === ns && p.name === m.name) ?? null;
    if (c.type === 'DELETED') return { before, after: null };
    const res = loadCluster([{ name: objectName(c.resource, c.object), text: JSON.stringify(c.object) }], {
      defaultNamespace: this.opts.defaultNamespace,
      ignoreInvalid: true,
    });
    this.report(res.diagnostics);
    return { before, after: res.cluster.policies[0] ?? null };
  }

  /**
   * The model's namespace before and after a Namespace modification, when both are defined objects
   * (undefined otherwise: an invalid object, or one only referenced before, is loaded with the rest).
   */
  private namespaceOf(c: ObjectChange): { before: Namespace; after: Namespace } | undefined {
    const name = ((c.object['metadata'] ?? {}) as { name?: string }).name;
    const before = this.cluster.namespaces.find((n) => n.name === name);
    if (before === undefined || before.location === null) return undefined;
    const res = loadCluster([{ name: objectName(c.resource, c.object), text: JSON.stringify(c.object) }], {
      defaultNamespace: this.opts.defaultNamespace,
      ignoreInvalid: true,
    });
    this.report(res.diagnostics);
    const after = res.cluster.namespaces.find((n) => n.name === name && n.location !== null);
    return after === undefined ? undefined : { before, after };
  }

  /**
   * The endpoint a modified Pod folds into, before and after, and its position in the loaded
   * cluster: the pods and workloads of the Pod's namespace are loaded again (folding never looks past
   * a namespace), which must give the same endpoints but that one. Undefined otherwise.
   */
  private endpointOf(c: ObjectChange): { before: Endpoint; after: Endpoint; at: number } | undefined {
    const m = (c.object['metadata'] ?? {}) as { namespace?: string; name?: string };
    const ns = m.namespace ?? this.opts.defaultNamespace;
    const objects: KubeObject[] = [];
    for (const r of this.served) {
      if (!ENDPOINT_KINDS.has(r.spec.kind) || r.spec.group !== ENDPOINT_KINDS.get(r.spec.kind)) continue;
      for (const o of this.objects.get(resourceKey(r))!.values()) if (((o['metadata'] ?? {}) as { namespace?: string }).namespace === ns) objects.push(o);
    }
    const res = loadCluster([{ name: 'cluster', text: listText(objects) }], { defaultNamespace: this.opts.defaultNamespace, ignoreInvalid: true });
    this.report(res.diagnostics);
    const now = res.cluster.endpoints;
    const at: number[] = [];
    this.cluster.endpoints.forEach((e, k) => {
      if (e.namespace === ns) at.push(k);
    });
    if (now.length !== at.length || now.some((e, k) => e.id !== this.cluster.endpoints[at[k]!]!.id)) return undefined;
    const k = now.findIndex((e) => (e.kind === 'Pod' && e.name === m.name) || (e.pods ?? []).some((p) => p.name === m.name));
    if (k < 0) return undefined;
    return { before: this.cluster.endpoints[at[k]!]!, after: now[k]!, at: at[k]! };
  }

  private load(): Cluster {
    const res = loadCluster([{ name: 'cluster', text: this.text() }], { defaultNamespace: this.opts.defaultNamespace, ignoreInvalid: true });
    this.report(res.diagnostics);
    this.caveats = inputCaveats(res.cluster, cniProfile(res.cluster, null, this.opts.ipblockPods)).map((c) => c.message);
    return res.cluster;
  }

  /** Prints diagnostics not printed before (a full load sees every object again). */
  private report(diagnostics: readonly import('@kubereach/core').Diagnostic[]): void {
    const now = new Set<string>();
    for (const d of diagnostics) {
      const key = `${d.code} ${d.object ?? ''} ${d.message}`;
      now.add(key);
      if (!this.seenDiagnostics.has(key)) this.opts.warn(formatDiagnostic(d));
    }
    for (const k of now) this.seenDiagnostics.add(k);
  }

  /** True when `cidrs` hold a boundary the cuts do not have. */
  private grows(cidrs: readonly Cidr[]): boolean {
    return cidrs.some((c) => !this.cuts.has(cidrKey(c)));
  }

  /**
   * Adds the cluster's ipBlock boundaries to the cuts; true when they grew. The cuts are diff's
   * (compilePair: both sides' ipBlock boundaries), so the entries printed are the ones `diff` prints;
   * target addresses are not cut, which changes no finding (answers never depend on cuts).
   */
  private grow(cluster: Cluster): boolean {
    let grew = false;
    for (const c of policyCidrs(cluster)) {
      if (this.cuts.has(cidrKey(c))) continue;
      this.cuts.set(cidrKey(c), c);
      grew = true;
    }
    return grew;
  }

  private compile(cluster: Cluster): ReachabilityIndex {
    return compile(cluster, { ipblockPods: this.opts.ipblockPods, extraCidrs: [...this.cuts.values()] });
  }

  /** What `audit` gives for the loaded cluster and its index (network checks, then configuration). */
  private async audit(index: ReachabilityIndex, cluster: Cluster, sameNetwork = false): Promise<Finding[]> {
    if (!sameNetwork) this.network = auditNetwork(index, this.opts.targets);
    return sortFindings([...this.network, ...(await configFindings(cluster, index, this.opts.kubeconfigs))]);
  }
}

/** The kinds pods fold into endpoints from (model/workloads.ts), by kind: their API group. */
const ENDPOINT_KINDS: ReadonlyMap<string, string> = new Map([
  ['Pod', ''],
  ['Deployment', 'apps'],
  ['ReplicaSet', 'apps'],
  ['StatefulSet', 'apps'],
  ['DaemonSet', 'apps'],
  ['ReplicationController', ''],
  ['Job', 'batch'],
  ['CronJob', 'batch'],
]);

function isEmpty(d: ReachabilityDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}

function resourceKey(r: ServedResource): string {
  return `${r.apiVersion}/${r.spec.resource}`;
}

function rv(o: KubeObject): string {
  return String(((o['metadata'] ?? {}) as { resourceVersion?: unknown }).resourceVersion ?? '');
}
