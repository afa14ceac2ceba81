/**
 * A pod spec (of a Pod or of a workload's pod template) -> the parts of an Endpoint that come from it.
 * Container command/args are kept verbatim: the configuration audit reads static-pod flags
 * (kube-apiserver --anonymous-auth, ...) from them.
 */
import type { FieldPath } from '../load/types.js';
import type { Container, ContainerPort, Labels, ResourceList } from './types.js';
import { withLocation, type ObjectContext } from './context.js';
import { readArray, readBool, readInt, readRecord, readString, readStringMap, readStrings } from './fields.js';
import { portNameError } from './label-syntax.js';
import { readProtocol } from './validate-port.js';

export interface PodSpecInfo {
  readonly labels: Labels;
  readonly containers: readonly Container[];
  /** Ports of the non-init containers, in declaration order. */
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  readonly nodeName: string | null;
  readonly serviceAccountName: string | null;
  readonly priorityClassName: string | null;
}

/** Reads labels from `metaPath` and the spec from `specPath` (both relative to the object). */
export function readPodSpec(ctx: ObjectContext, metaPath: FieldPath, specPath: FieldPath): PodSpecInfo {
  const meta = readRecord(ctx, valueAt(ctx, metaPath), metaPath) ?? {};
  const labels = readStringMap(ctx, meta['labels'], [...metaPath, 'labels']) ?? {};
  const spec = readRecord(ctx, valueAt(ctx, specPath), specPath) ?? {};
  const containers: Container[] = [];
  const ports: ContainerPort[] = [];
  for (const [field, init] of [
    ['initContainers', true],
    ['containers', false],
  ] as const) {
    const list = readArray(ctx, spec[field], [...specPath, field]);
    for (let i = 0; i < list.length; i++) {
      const c = readContainer(ctx, list[i], [...specPath, field, i], init);
      if (c === null) continue;
      containers.push(c);
      if (!init) ports.push(...c.ports);
    }
  }
  const serviceAccountName =
    readString(ctx, spec['serviceAccountName'], [...specPath, 'serviceAccountName']) ??
    readString(ctx, spec['serviceAccount'], [...specPath, 'serviceAccount']);
  return {
    labels,
    containers,
    ports,
    hostNetwork: readBool(ctx, spec['hostNetwork'], [...specPath, 'hostNetwork']) ?? false,
    nodeName: readString(ctx, spec['nodeName'], [...specPath, 'nodeName']),
    serviceAccountName,
    priorityClassName: readString(ctx, spec['priorityClassName'], [...specPath, 'priorityClassName']),
  };
}

/** The raw value at a path of the object (no diagnostics: the readers report wrong types). */
export function valueAt(ctx: ObjectContext, path: FieldPath): unknown {
  let v: unknown = ctx.raw.value;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

function readContainer(ctx: ObjectContext, v: unknown, path: FieldPath, init: boolean): Container | null {
  const rec = readRecord(ctx, v, path);
  if (rec === null) return null;
  const resources = readRecord(ctx, rec['resources'], [...path, 'resources']) ?? {};
  const ports: ContainerPort[] = [];
  const list = readArray(ctx, rec['ports'], [...path, 'ports']);
  for (let i = 0; i < list.length; i++) {
    const p = readContainerPort(ctx, list[i], [...path, 'ports', i]);
    if (p !== null) ports.push(p);
  }
  return withLocation<Container>({
    name: readString(ctx, rec['name'], [...path, 'name']) ?? '',
    image: readString(ctx, rec['image'], [...path, 'image']) ?? '',
    command: readStrings(ctx, rec['command'], [...path, 'command']),
    args: readStrings(ctx, rec['args'], [...path, 'args']),
    ports,
    requests: readQuantities(ctx, resources['requests'], [...path, 'resources', 'requests']),
    limits: readQuantities(ctx, resources['limits'], [...path, 'resources', 'limits']),
    init,
  }, ctx.lazyAt(path));
}

function readContainerPort(ctx: ObjectContext, v: unknown, path: FieldPath): ContainerPort | null {
  const rec = readRecord(ctx, v, path);
  if (rec === null) return null;
  const errorsBefore = ctx.errors;
  const portPath = [...path, 'containerPort'];
  const port = readInt(ctx, rec['containerPort'], portPath);
  if (port === null && (rec['containerPort'] === undefined || rec['containerPort'] === null))
    ctx.error('MISSING_FIELD', 'a container port needs containerPort', path);
  else if (port !== null && (port < 1 || port > 65535))
    ctx.error('PORT_OUT_OF_RANGE', `containerPort ${port} is outside 1-65535`, portPath);
  const name = readString(ctx, rec['name'], [...path, 'name']) ?? '';
  if (name !== '') {
    const reason = portNameError(name);
    if (reason !== null) ctx.error('PORT_OUT_OF_RANGE', `port name "${name}" is invalid: ${reason}`, [...path, 'name']);
  }
  const protocol = readProtocol(ctx, rec['protocol'], [...path, 'protocol']);
  if (ctx.errors > errorsBefore || port === null || protocol === null) return null;
  return { name, port, protocol };
}

/** Quantities as written; YAML may have read `cpu: 1` as a number, which is the quantity "1". */
function readQuantities(ctx: ObjectContext, v: unknown, path: FieldPath): ResourceList {
  const rec = readRecord(ctx, v, path);
  if (rec === null) return {};
  const out: Record<string, string> = {};
  for (const key of Object.keys(rec)) {
    const q = rec[key];
    if (typeof q === 'string' || typeof q === 'number') out[key] = String(q);
    else ctx.error('INVALID_FIELD', `resource quantity ${key} must be a string or number`, [...path, key]);
  }
  return out;
}
