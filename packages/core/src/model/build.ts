/**
 * The model stage: Kubernetes object candidates -> Cluster + diagnostics.
 *
 * Each object is read with its own ObjectContext, so its diagnostics name it and point into it.
 * Rules that span objects live here: duplicates (the first object wins, the second is reported),
 * namespaces that are referenced but not defined (they exist implicitly, location null), and the
 * fate of an invalid policy (left out and reported as errors; with ignoreInvalid, reported as
 * warnings plus POLICY_IGNORED). A silently ignored policy would give wrong answers, so there is no
 * third way. The admin tiers (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy)
 * are read here too, in input order; their diagnostics follow the other kinds' (then the
 * ADMIN_PRIORITY_CONFLICT warnings, which need every admin policy), and the policies come out in
 * evaluation order (admin/order.ts).
 */
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js';
import { formatLocation } from '../diagnostics/diagnostic.js';
import { makeDiagnostic } from '../diagnostics/catalogue.js';
import type { RawObject } from '../base/types.js';
import type { Cluster, Namespace, NetworkPolicy, Node, OtherObject, Service } from './types.js';
import type { AdminPolicy, AdminSourceKind } from './admin/types.js';
import { adminKindOf, readAdminPolicy, VERSION_OF, ADMIN_GROUP } from './admin/policy.js';
import { compareEvaluationOrder, priorityConflicts } from './admin/order.js';
import { capValue } from '../text/escape.js';
import { ObjectContext, objectLabel } from './context.js';
import { readString } from './fields.js';
import { checkObjectMeta } from './validate-meta.js';
import { namespaceLabels, readNode, readService } from './infrastructure.js';
import { isClusterScoped, modelledKind, nearModelledKind, preferredApiVersion, servedVersion } from './kinds.js';
import { checkFields } from './schema.js';
import { builtWhole } from './read-shapes.js';
import { isUnmodelledPolicy } from './unmodelled.js';
import { readNetworkPolicy } from './network-policy.js';
import { readPod, readWorkload } from './read-workload.js';
import { Keyed3 } from './keyed.js';
import { foldEndpoints, isControllerKind, type PodRecord, type WorkloadRecord } from './workloads.js';

export interface BuildOptions {
  readonly defaultNamespace: string;
  readonly ignoreInvalid: boolean;
}

export interface BuildResult {
  readonly cluster: Cluster;
  readonly diagnostics: Diagnostic[];
  readonly byKind: Record<string, number>;
}

/**
 * The model stage one object at a time, in input order (the loader streams the items of a big JSON
 * List into it as they are parsed, so each parsed item is garbage as soon as it is read).
 */
export class ClusterBuilder {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly byKind: Record<string, number> = {};
  // the first definition of each (kind, namespace, name), by its location (the readers compute it
  // anyway): not the object, which would keep every parsed object alive to the end of the load
  private readonly seen = new Keyed3<SourceLocation>();
  private readonly namespaces = new Map<string, Namespace>();
  private readonly nodes: Node[] = [];
  private readonly services: Service[] = [];
  private readonly policies: NetworkPolicy[] = [];
  private readonly others: OtherObject[] = [];
  private readonly workloads: WorkloadRecord[] = [];
  private readonly pods: PodRecord[] = [];
  private readonly adminPolicies: AdminPolicy[] = [];
  private readonly adminDiagnostics: Diagnostic[] = [];
  // the first admin policy of each kind and name, by location
  private readonly adminSeen = new Map<string, SourceLocation>();
  // namespaces named by admin policies' metadata (cluster-scoped kinds, but a given namespace still
  // exists implicitly, as for every object of the input)
  private readonly adminNamespaces: string[] = [];

  /** Objects added so far. */
  added = 0;

  constructor(private readonly options: BuildOptions) {}

  /** Models one object (its diagnostics are kept in input order). */
  add(raw: RawObject): void {
    this.added++;
    const { diagnostics, byKind, seen, namespaces, nodes, services, policies, others, workloads, pods, options } = this;
    const value = raw.value as Record<string, unknown>;
    const kind = value['kind'] as string;
    const apiVersion = value['apiVersion'] as string;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    const mk = modelledKind(kind, apiVersion);
    const metadata = value['metadata'];
    const meta = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>) : {};
    const nameRaw = meta['name'];
    const nsRaw = meta['namespace'];
    const name = typeof nameRaw === 'string' && nameRaw !== '' ? nameRaw : null;
    const givenNs = typeof nsRaw === 'string' && nsRaw !== '' ? nsRaw : null;

    if (mk === null) {
      // a near miss of a modelled kind is a typo: kept aside, its policy would silently not apply
      const meant = nearModelledKind(kind, apiVersion, isUnmodelledPolicy);
      if (meant !== null) {
        const ctx = new ObjectContext(raw, objectLabel(kind, isClusterScoped(meant) ? null : (givenNs ?? options.defaultNamespace), name ?? '<unnamed>'));
        for (const d of raw.parseErrors) ctx.adopt(d);
        const right = preferredApiVersion(meant);
        if (meant === kind)
          ctx.error('UNKNOWN_KIND', `${kind} is served by ${right}, not by ${apiVersion}; did you mean apiVersion: ${right}?`, ['apiVersion']);
        else ctx.error('UNKNOWN_KIND', `unknown kind "${kind}" in ${apiVersion}; did you mean "${meant}"?`, ['kind']);
        settle(ctx, diagnostics, options.ignoreInvalid, true);
        return;
      }
      const label = name === null ? kind : objectLabel(kind, givenNs, name);
      for (const d of raw.parseErrors) diagnostics.push({ ...d, object: label });
      const adminKind = adminKindOf(kind, apiVersion);
      if (adminKind !== null && this.addAdmin(raw, adminKind, apiVersion, name)) {
        if (givenNs !== null) this.adminNamespaces.push(givenNs);
        return;
      }
      others.push({
        apiVersion,
        kind,
        namespace: givenNs,
        name,
        value,
        location: raw.locate([]),
        locate: (path) => raw.locate(path),
        locateChar: (path, index) => raw.locateChar(path, index),
      });
      return;
    }

    const namespace = isClusterScoped(mk) ? null : (givenNs ?? options.defaultNamespace);
    const ctx = new ObjectContext(raw, objectLabel(kind, namespace, name ?? '<unnamed>'));
    for (const d of raw.parseErrors) ctx.adopt(d);
    if (!servedVersion(apiVersion)) {
      ctx.error('UNSERVED_VERSION', `${apiVersion} does not serve ${kind}; did you mean apiVersion: ${preferredApiVersion(mk)}?`, ['apiVersion']);
      settle(ctx, diagnostics, options.ignoreInvalid, true);
      return;
    }
    checkFields(ctx, mk, value, builtWhole(mk, raw.shape));
    readString(ctx, nsRaw, ['metadata', 'namespace']);
    if (name === null) {
      if (nameRaw === undefined || nameRaw === null || nameRaw === '')
        ctx.error('MISSING_FIELD', 'metadata.name is required', nameRaw === '' ? ['metadata', 'name'] : ['metadata']);
      else readString(ctx, nameRaw, ['metadata', 'name']);
      diagnostics.push(...ctx.diagnostics);
      return;
    }
    checkObjectMeta(ctx, kind, name, givenNs);
    const first = seen.get(mk, namespace ?? '', name);
    if (first !== undefined) {
      ctx.error('DUPLICATE_OBJECT', `${ctx.object} is defined twice; the first definition (${formatLocation(first)}) is used`, []);
      settle(ctx, diagnostics, options.ignoreInvalid, true); // the second definition is never used
      return;
    }
    seen.set(mk, namespace ?? '', name, ctx.at([]));
    const ns = namespace ?? '';

    // an object with errors is never used: its errors stand (the command fails), or with
    // ignoreInvalid they become warnings and the object is left out with a POLICY_IGNORED
    const keep = (): boolean => settle(ctx, diagnostics, options.ignoreInvalid);
    switch (mk) {
      case 'Namespace': {
        const labels = namespaceLabels(ctx, name);
        if (keep()) namespaces.set(name, { name, labels, location: ctx.at([]) });
        break;
      }
      case 'Node': {
        const node = readNode(ctx, name);
        if (keep()) nodes.push(node);
        break;
      }
      case 'Service': {
        const svc = readService(ctx, ns, name);
        if (keep()) services.push(svc);
        break;
      }
      case 'Pod': {
        const pod = readPod(ctx, ns, name);
        if (keep()) pods.push(pod);
        break;
      }
      case 'NetworkPolicy': {
        const policy = readNetworkPolicy(ctx, ns, name);
        if (settle(ctx, diagnostics, options.ignoreInvalid, true) && policy !== null) policies.push(policy);
        break;
      }
      case 'Deployment':
      case 'ReplicaSet':
      case 'StatefulSet':
      case 'DaemonSet':
      case 'Job':
      case 'CronJob':
      case 'ReplicationController':
        if (isControllerKind(mk)) {
          const w = readWorkload(ctx, mk, ns, name);
          if (keep()) workloads.push(w);
        }
        break;
      default: {
        const unreachable: never = mk;
        throw new Error(`unhandled kind ${String(unreachable)}`);
      }
    }
  }

  /**
   * An admin policy: read when its version is the one read for its kind (true); otherwise a warning
   * and the object stays among the others (false).
   */
  private addAdmin(raw: RawObject, kind: AdminSourceKind, apiVersion: string, name: string | null): boolean {
    const { adminDiagnostics, adminSeen, adminPolicies, options } = this;
    const ref = `${kind} ${capValue(name ?? '<unnamed>')}`;
    if (apiVersion.split('/')[1] !== VERSION_OF[kind]) {
      const message = `${kind} is read as ${ADMIN_GROUP}/${VERSION_OF[kind]} only; ${apiVersion} is not supported, the object is not analysed`;
      adminDiagnostics.push(makeDiagnostic('INVALID_FIELD', 'warning', message, raw.locate(['apiVersion']), ref));
      return false;
    }
    const ctx = new ObjectContext(raw, ref);
    const key = `${kind}/${name ?? ''}`;
    const first = name === null ? undefined : adminSeen.get(key);
    let policy: AdminPolicy | null = null;
    if (first !== undefined) {
      ctx.error('DUPLICATE_OBJECT', `${ref} is defined twice; the one at ${formatLocation(first)} is used`, ['metadata', 'name']);
    } else {
      if (name !== null) adminSeen.set(key, ctx.at([]));
      policy = readAdminPolicy(ctx, kind, name);
    }
    if (settle(ctx, adminDiagnostics, options.ignoreInvalid, true, 'is left out because it is invalid') && policy !== null) adminPolicies.push(policy);
    return true;
  }

  /** The cluster of every object added, and every diagnostic. */
  finish(): BuildResult {
    const { diagnostics, byKind, namespaces, nodes, services, policies, others, workloads, pods } = this;
    const endpoints = foldEndpoints(workloads, pods);
    // Namespaces that objects live in but that the input does not define exist implicitly.
    const implicit = new Set<string>();
    const reference = (ns: string | null): void => {
      if (ns !== null && !namespaces.has(ns)) implicit.add(ns);
    };
    for (const e of endpoints) reference(e.namespace);
    for (const s of services) reference(s.namespace);
    for (const p of policies) reference(p.namespace);
    for (const o of others) reference(o.namespace);
    for (const ns of this.adminNamespaces) reference(ns);
    const allNamespaces = [...namespaces.values()];
    for (const name of [...implicit].sort()) allNamespaces.push({ name, labels: namespaceLabels(null, name), location: null });

    const adminPolicies = [...this.adminPolicies].sort(compareEvaluationOrder);
    return {
      cluster: { namespaces: allNamespaces, endpoints, nodes, services, policies, others, adminPolicies },
      diagnostics: [...diagnostics, ...this.adminDiagnostics, ...priorityConflicts(adminPolicies)],
      byKind,
    };
  }
}

/**
 * Settles an object's diagnostics; whether the object is used. With ignoreInvalid an object with
 * errors is left out (its errors become warnings, plus one POLICY_IGNORED). Without it the errors
 * stand (a command fails on them); the object is kept as far as it was read, for a library caller
 * that looks at the rest, except a policy, which is left out: a half-read policy must never widen or
 * narrow an answer.
 */
function settle(ctx: ObjectContext, diagnostics: Diagnostic[], ignoreInvalid: boolean, policy = false, leftOut = 'is invalid and was left out'): boolean {
  if (ctx.errors === 0) {
    diagnostics.push(...ctx.diagnostics);
    return true;
  }
  if (!ignoreInvalid) {
    diagnostics.push(...ctx.diagnostics);
    return !policy;
  }
  for (const d of ctx.diagnostics) diagnostics.push(d.severity === 'error' ? { ...d, severity: 'warning' } : d);
  diagnostics.push(makeDiagnostic('POLICY_IGNORED', 'warning', `${ctx.object} ${leftOut}`, ctx.at([]), ctx.object));
  return false;
}
