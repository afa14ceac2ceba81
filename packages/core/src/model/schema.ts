/**
 * Field validation of modelled kinds, as `kubectl apply` with strict field validation does it: an
 * unknown field is a typo until proved otherwise. `matchlabels:` inside a peer's podSelector would
 * make the peer match every pod; `ingresss:` would turn an allow policy into an isolating one. So:
 *
 * | where                                              | unknown field                             |
 * |----------------------------------------------------|-------------------------------------------|
 * | NetworkPolicy (every level), object metadata,      | error UNKNOWN_FIELD, with the nearest     |
 * | label selectors, the top level of every object     | known field                               |
 * | workload, pod, container, Service and Node specs   | error when it is near a known field (a    |
 * |                                                    | typo); else a warning: a field of a newer |
 * |                                                    | API that kubereach does not read          |
 * | status, and subtrees kubereach never reads (a      | not checked                               |
 * | workload's own selector: its pods are its template) |                                           |
 *
 * The lists are the Kubernetes API reference's (v1.32). The JSON List fast path builds only the
 * fields the model reads (model/read-shapes.ts), so for the items of a big `kubectl get -o json`
 * dump, which an API server wrote and which therefore hold no unknown field, only the kept fields
 * are checked.
 */
import { isRecord } from '../base/types.js';
import { fieldName, type ObjectContext } from './context.js';
import type { ModelledKind } from './kinds.js';

/** `open`: anything; `map`: free keys (labels, annotations, selectors); else known fields. */
type Schema = 'open' | 'map' | { readonly fields: Readonly<Record<string, Schema>>; readonly strict: boolean } | { readonly each: Schema };

const OPEN: Schema = 'open';
const MAP: Schema = 'map';

function strict(fields: Record<string, Schema>): Schema {
  return { fields, strict: true };
}
function lenient(fields: Record<string, Schema>): Schema {
  return { fields, strict: false };
}
function each(s: Schema): Schema {
  return { each: s };
}
/** Fields whose values kubereach does not read: listed so they are known, not checked inside. */
function known(...names: string[]): Record<string, Schema> {
  return Object.fromEntries(names.map((n) => [n, OPEN]));
}

const META = strict({
  ...known(
    'generateName',
    'selfLink',
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'finalizers',
    'managedFields',
    'clusterName',
  ),
  name: OPEN,
  namespace: OPEN,
  labels: MAP,
  annotations: MAP,
  ownerReferences: each(strict(known('apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion'))),
});

const SELECTOR = strict({ matchLabels: MAP, matchExpressions: each(strict(known('key', 'operator', 'values'))) });

/** Top level of every object. */
function object(spec: Schema, extra: Record<string, Schema> = {}): Schema {
  return strict({ apiVersion: OPEN, kind: OPEN, metadata: META, spec, status: OPEN, ...extra });
}

const NETWORK_POLICY_PEER = strict({ podSelector: SELECTOR, namespaceSelector: SELECTOR, ipBlock: strict(known('cidr', 'except')) });
const NETWORK_POLICY_PORT = strict(known('protocol', 'port', 'endPort'));
const NETWORK_POLICY = object(
  strict({
    podSelector: SELECTOR,
    policyTypes: OPEN,
    ingress: each(strict({ from: each(NETWORK_POLICY_PEER), ports: each(NETWORK_POLICY_PORT) })),
    egress: each(strict({ to: each(NETWORK_POLICY_PEER), ports: each(NETWORK_POLICY_PORT) })),
  }),
);

const CONTAINER_FIELDS = [
  'name',
  'image',
  'command',
  'args',
  'workingDir',
  'envFrom',
  'env',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'restartPolicyRules',
  'volumeMounts',
  'volumeDevices',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'imagePullPolicy',
  'securityContext',
  'stdin',
  'stdinOnce',
  'tty',
  'targetContainerName',
];
const CONTAINER = lenient({ ...known(...CONTAINER_FIELDS), ports: each(strict(known('containerPort', 'hostIP', 'hostPort', 'name', 'protocol'))) });

const POD_SPEC = lenient({
  ...known(
    'activeDeadlineSeconds',
    'affinity',
    'automountServiceAccountToken',
    'dnsConfig',
    'dnsPolicy',
    'enableServiceLinks',
    'ephemeralContainers',
    'hostAliases',
    'hostIPC',
    'hostNetwork',
    'hostPID',
    'hostUsers',
    'hostname',
    'hostnameOverride',
    'imagePullSecrets',
    'nodeName',
    'nodeSelector',
    'os',
    'overhead',
    'preemptionPolicy',
    'priority',
    'priorityClassName',
    'readinessGates',
    'resourceClaims',
    'resources',
    'restartPolicy',
    'runtimeClassName',
    'schedulerName',
    'schedulingGates',
    'securityContext',
    'serviceAccount',
    'serviceAccountName',
    'setHostnameAsFQDN',
    'shareProcessNamespace',
    'subdomain',
    'terminationGracePeriodSeconds',
    'tolerations',
    'topologySpreadConstraints',
    'volumes',
  ),
  containers: each(CONTAINER),
  initContainers: each(CONTAINER),
});

const TEMPLATE = strict({ metadata: META, spec: POD_SPEC });

const JOB_SPEC = lenient({
  ...known(
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'podFailurePolicy',
    'successPolicy',
    'backoffLimit',
    'backoffLimitPerIndex',
    'maxFailedIndexes',
    'manualSelector',
    'ttlSecondsAfterFinished',
    'completionMode',
    'suspend',
    'podReplacementPolicy',
    'managedBy',
  ),
  selector: OPEN,
  template: TEMPLATE,
});

const SCALED = ['replicas', 'minReadySeconds', 'revisionHistoryLimit'];
const SPECS: Readonly<Record<Exclude<ModelledKind, 'NetworkPolicy'>, Schema>> = {
  Namespace: lenient(known('finalizers')),
  Node: lenient(known('podCIDR', 'podCIDRs', 'providerID', 'unschedulable', 'taints', 'configSource', 'externalID')),
  Service: lenient({
    ...known(
      'clusterIP',
      'clusterIPs',
      'type',
      'externalIPs',
      'sessionAffinity',
      'loadBalancerIP',
      'loadBalancerSourceRanges',
      'externalName',
      'externalTrafficPolicy',
      'healthCheckNodePort',
      'publishNotReadyAddresses',
      'sessionAffinityConfig',
      'ipFamilies',
      'ipFamilyPolicy',
      'allocateLoadBalancerNodePorts',
      'loadBalancerClass',
      'internalTrafficPolicy',
      'trafficDistribution',
    ),
    selector: MAP,
    ports: each(strict(known('name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'))),
  }),
  Pod: POD_SPEC,
  Deployment: lenient({ ...known(...SCALED, 'strategy', 'paused', 'progressDeadlineSeconds', 'rollbackTo'), selector: OPEN, template: TEMPLATE }),
  ReplicaSet: lenient({ ...known(...SCALED), selector: OPEN, template: TEMPLATE }),
  StatefulSet: lenient({
    ...known(...SCALED, 'serviceName', 'volumeClaimTemplates', 'podManagementPolicy', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'ordinals'),
    selector: OPEN,
    template: TEMPLATE,
  }),
  DaemonSet: lenient({ ...known('minReadySeconds', 'revisionHistoryLimit', 'updateStrategy', 'templateGeneration'), selector: OPEN, template: TEMPLATE }),
  ReplicationController: lenient({ ...known(...SCALED), selector: MAP, template: TEMPLATE }),
  Job: JOB_SPEC,
  CronJob: lenient({
    ...known('schedule', 'timeZone', 'startingDeadlineSeconds', 'concurrencyPolicy', 'suspend', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'),
    jobTemplate: strict({ metadata: OPEN, spec: JOB_SPEC }),
  }),
};

function schemaOf(kind: ModelledKind): Schema {
  return kind === 'NetworkPolicy' ? NETWORK_POLICY : object(SPECS[kind]);
}

const SCHEMAS = new Map<ModelledKind, Schema>();

/** Edit distance with adjacent transpositions (`lables` is one edit from `labels`). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known field nearest to an unknown one, when it is near enough to be its typo. */
export function nearestField(name: string, fields: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const f of fields) {
    const d = f.toLowerCase() === name.toLowerCase() ? 0 : distance(name, f);
    if (d < bestD) {
      bestD = d;
      best = f;
    }
  }
  const limit = name.length <= 4 ? 1 : name.length <= 10 ? 2 : 3;
  return bestD <= limit ? best : null;
}

/**
 * The last list found free of unknown fields under each list schema: the pods of one workload share
 * their container and owner lists by identity (the JSON List fast path builds each distinct text
 * once, and the model never changes a value) and come one after another, so a list is walked about
 * once per workload. (A WeakMap of every clean list cost more to fill than the walks it saved: a
 * new entry per distinct list, and ephemerons for the collector.) A list with a problem is never
 * recorded, so every object that holds it reports it.
 */
const lastClean = new Map<Schema, unknown>();

/**
 * Walks `value` against `schema`; true when nothing was reported. `path` is the walk's own stack
 * (pushed and popped), copied only into a diagnostic. Without a context it reports nothing and
 * stops at the first problem.
 */
function walk(ctx: ObjectContext | null, value: unknown, schema: Schema, path: (string | number)[]): boolean {
  if (schema === 'open' || schema === 'map') return true;
  if ('each' in schema) {
    if (!Array.isArray(value) || lastClean.get(schema) === value) return true;
    let ok = true;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      if (!walk(ctx, value[i], schema.each, path)) ok = false;
      path.pop();
      if (!ok && ctx === null) return false;
    }
    if (ok) lastClean.set(schema, value);
    return ok;
  }
  if (!isRecord(value)) return true; // the readers report wrong types (a !!binary or !!timestamp value is not a mapping)
  let ok = true;
  for (const key of Object.keys(value)) {
    // own fields only: `toString` or `__proto__` in the input is an unknown field, not a method of
    // the schema's object
    const sub = Object.hasOwn(schema.fields, key) ? schema.fields[key] : undefined;
    if (sub !== undefined) {
      if (sub === 'open' || sub === 'map') continue;
      path.push(key);
      if (!walk(ctx, (value as Record<string, unknown>)[key], sub, path)) ok = false;
      path.pop();
      if (!ok && ctx === null) return false;
      continue;
    }
    ok = false;
    if (ctx === null) return false;
    const near = nearestField(key, Object.keys(schema.fields));
    const where = path.length === 0 ? 'the object' : fieldName(path);
    if (schema.strict || near !== null) {
      ctx.error('UNKNOWN_FIELD', `unknown field "${key}" in ${where}${near === null ? '' : `; did you mean "${near}"?`}`, [...path, key]);
    } else {
      ctx.warn('UNKNOWN_FIELD', `unknown field "${key}" in ${where}: not a field kubereach knows (a newer API?); it is ignored`, [...path, key]);
    }
  }
  return ok;
}

/**
 * Reports the unknown fields of an object of a modelled kind (errors and warnings, see the table).
 *
 * `builtWhole`: the value was built by the JSON List fast path's shape (model/read-shapes.ts), which
 * checked every key it met against the same lists, and these are the paths below which it built
 * values whole without looking at their keys. Only those are walked; when one has a problem, the
 * whole object is walked as without them, so the diagnostics and their order are the same.
 */
export function checkFields(ctx: ObjectContext, kind: ModelledKind, value: unknown, builtWhole: readonly (readonly string[])[] | null = null): void {
  let schema = SCHEMAS.get(kind);
  if (schema === undefined) SCHEMAS.set(kind, (schema = schemaOf(kind)));
  if (builtWhole !== null) {
    let below = BELOW.get(builtWhole);
    if (below === undefined) {
      below = [];
      for (const path of builtWhole) {
        const at = schemaAt(schema, path);
        if (at !== null) below.push({ path, schema: at });
      }
      BELOW.set(builtWhole, below);
    }
    let ok = true;
    for (let k = 0; k < below.length && ok; k++) ok = walk(null, valueAt(value, below[k]!.path), below[k]!.schema, []);
    if (ok) return;
  }
  walk(ctx, value, schema, []);
}

/** The schemas at each list of built-whole paths (one list per kind). */
const BELOW = new WeakMap<readonly (readonly string[])[], { readonly path: readonly string[]; readonly schema: Schema }[]>();

function valueAt(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) v = isRecord(v) && Object.hasOwn(v, key) ? v[key] : undefined;
  return v;
}

/** The schema at a path (array levels passed through), or null where nothing is checked below. */
function schemaAt(schema: Schema, path: readonly string[]): Schema | null {
  let s: Schema = schema;
  for (const key of path) {
    while (typeof s === 'object' && 'each' in s) s = s.each;
    if (typeof s !== 'object' || !Object.hasOwn(s.fields, key)) return null;
    s = s.fields[key]!;
  }
  return s === 'open' || s === 'map' ? null : s;
}

/** Whether anything below a path of a kind's objects is checked (the schema there is not open). */
export function checkedBelow(kind: ModelledKind, path: readonly string[]): boolean {
  let schema = SCHEMAS.get(kind);
  if (schema === undefined) SCHEMAS.set(kind, (schema = schemaOf(kind)));
  return schemaAt(schema, path) !== null;
}

/**
 * The field names the schema knows at a path of a kind's objects (array indexes skipped), or null
 * where any key goes (a map, an unchecked subtree). The JSON List fast path uses it to notice an
 * unknown key it would otherwise skip without building (model/read-shapes.ts).
 */
export function knownFieldsAt(kind: ModelledKind, path: readonly string[]): ReadonlySet<string> | null {
  let schema = SCHEMAS.get(kind);
  if (schema === undefined) SCHEMAS.set(kind, (schema = schemaOf(kind)));
  let s: Schema = schema;
  for (const key of path) {
    while (typeof s === 'object' && 'each' in s) s = s.each;
    if (typeof s !== 'object' || 'each' in s) return null;
    const next: Schema | undefined = s.fields[key];
    if (next === undefined) return null;
    s = next;
  }
  while (typeof s === 'object' && 'each' in s) s = s.each;
  return typeof s === 'object' && 'fields' in s ? new Set(Object.keys(s.fields)) : null;
}
