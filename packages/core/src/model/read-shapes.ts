/**
 * The fields the model reads, per kind: the JSON fast path (load/json-fast.ts) builds only these
 * for the List items of a big dump and skips the rest (uids, timestamps, env, probes, mounts...).
 *
 * Keep this in step with the readers: a field read in build.ts, read-workload.ts, pod-spec.ts,
 * infrastructure.ts or network-policy.ts must be listed here, or it reads as absent for JSON Lists.
 * test/load/read-shapes.test.ts loads objects that set every field both ways and compares.
 * Objects of kinds the model does not interpret (`others`, admin tiers) are always kept whole.
 */
import type { ValueShape } from '../load/json-fast.js';
import { modelledKind, type ModelledKind } from './kinds.js';
import { checkedBelow, knownFieldsAt } from './schema.js';

const ALL = 'all';
/** Values that repeat verbatim across the pods of one workload: built once, shared (never changed). */
const SHARED = 'shared';

function fields(f: Record<string, ValueShape>): ValueShape {
  return { fields: f };
}

/** build.ts reads these of every modelled object. */
const IDENTITY = { apiVersion: ALL, kind: ALL } as const;
const NAMING = { name: ALL, namespace: ALL } as const;

const POD_SPEC = fields({
  // whole, and shared: the pods of a workload repeat them verbatim, and pod-spec.ts then reads
  // each distinct list once (its memo is by identity)
  initContainers: SHARED,
  containers: SHARED,
  serviceAccountName: ALL,
  serviceAccount: ALL,
  hostNetwork: ALL,
  nodeName: ALL,
  priorityClassName: ALL,
});

const TEMPLATE = fields({ metadata: fields({ labels: SHARED }), spec: POD_SPEC });

/** metadata of pods and workloads: the controller comes from ownerReferences. */
const OWNED_META = fields({ ...NAMING, labels: SHARED, ownerReferences: SHARED });

const WORKLOAD = fields({ ...IDENTITY, metadata: OWNED_META, spec: fields({ replicas: ALL, template: TEMPLATE }) });

const SHAPES: Readonly<Record<ModelledKind, ValueShape>> = {
  Namespace: fields({ ...IDENTITY, metadata: fields({ ...NAMING, labels: ALL }) }),
  Node: fields({
    ...IDENTITY,
    metadata: fields({ ...NAMING, labels: ALL }),
    spec: fields({ podCIDRs: ALL, podCIDR: ALL }),
    status: fields({ addresses: ALL }),
  }),
  Service: fields({
    ...IDENTITY,
    metadata: fields({ ...NAMING, labels: ALL }),
    spec: fields({
      type: ALL,
      selector: ALL,
      ports: ALL,
      clusterIPs: ALL,
      clusterIP: ALL,
      externalName: ALL,
      externalTrafficPolicy: ALL,
      loadBalancerSourceRanges: ALL,
      externalIPs: ALL,
    }),
    status: ALL,
  }),
  Pod: fields({
    ...IDENTITY,
    metadata: OWNED_META,
    spec: POD_SPEC,
    status: fields({ podIP: ALL, podIPs: ALL }),
  }),
  ReplicationController: WORKLOAD,
  Deployment: WORKLOAD,
  ReplicaSet: WORKLOAD,
  StatefulSet: WORKLOAD,
  DaemonSet: WORKLOAD,
  Job: fields({ ...IDENTITY, metadata: OWNED_META, spec: fields({ parallelism: ALL, template: TEMPLATE }) }),
  CronJob: fields({
    ...IDENTITY,
    metadata: OWNED_META,
    spec: fields({ jobTemplate: fields({ spec: fields({ parallelism: ALL, template: TEMPLATE }) }) }),
  }),
  NetworkPolicy: fields({ ...IDENTITY, metadata: fields(NAMING), spec: ALL }),
};

/**
 * A kind's shape with the keys its schema knows at each level (model/schema.ts): a key that is
 * neither read nor known sends the source to the general path, where it is an UNKNOWN_FIELD.
 */
function withKnown(kind: ModelledKind, shape: ValueShape, path: readonly string[]): ValueShape {
  if (typeof shape !== 'object' || !('fields' in shape)) return shape;
  const fields: Record<string, ValueShape> = {};
  for (const [k, v] of Object.entries(shape.fields)) fields[k] = withKnown(kind, v, [...path, k]);
  const known = knownFieldsAt(kind, path);
  return known === null ? { fields } : { fields, known };
}

const CHECKED = new Map<ModelledKind, ValueShape>();

function checkedShape(mk: ModelledKind): ValueShape {
  let shape = CHECKED.get(mk);
  if (shape === undefined) CHECKED.set(mk, (shape = withKnown(mk, SHAPES[mk], [])));
  return shape;
}

/** The paths (from the object) below which a shape builds values whole, where the schema checks keys. */
function wholeBelow(kind: ModelledKind, shape: ValueShape, path: string[], out: string[][]): string[][] {
  if (typeof shape === 'object' && 'fields' in shape) {
    for (const [k, v] of Object.entries(shape.fields)) wholeBelow(kind, v, [...path, k], out);
  } else if (checkedBelow(kind, path)) out.push(path);
  return out;
}

const WHOLE = new Map<ModelledKind, readonly (readonly string[])[]>();

/**
 * For an object the JSON List fast path built by its kind's shape (`raw.shape` is {@link readShape}'s):
 * the paths below which the shape built values whole, so the unknown-field check walks only those
 * (model/schema.ts checkFields); null for any other object.
 */
export function builtWhole(mk: ModelledKind, shape: object | null | undefined): readonly (readonly string[])[] | null {
  if (shape === null || shape === undefined || shape !== checkedShape(mk)) return null;
  let paths = WHOLE.get(mk);
  if (paths === undefined) WHOLE.set(mk, (paths = wholeBelow(mk, SHAPES[mk], [], [])));
  return paths;
}

/** The shape of an object of this kind and apiVersion; null (keep whole) for kinds not modelled. */
export function readShape(kind: string, apiVersion: string): ValueShape | null {
  const mk = modelledKind(kind, apiVersion);
  return mk === null ? null : checkedShape(mk);
}
