/**
 * A pod spec (of a Pod or of a workload's pod template) -> the parts of an Endpoint that come from it.
 * Container command/args are kept verbatim: the configuration audit reads static-pod flags
 * (kube-apiserver --anonymous-auth, ...) from them.
 */
import { quoteValue } from '../text/escape.js';
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { FieldPath } from '../base/types.js';
import { isRecord } from '../base/types.js';
import type { Container, ContainerPort, Labels, ResourceList } from './types.js';
import { ObjectContext, type Located } from './context.js';
import { readArray, readBool, readInt, readRecord, readString, readStringMap, readStrings } from './fields.js';
import { portNameError } from './label-syntax.js';
import { checkLabels } from './validate-meta.js';
import { readProtocol } from './validate-port.js';

export interface PodSpecInfo {
  readonly labels: Labels;
  /**
   * The containers, built on the first call for a pod whose lists were read clean before (only the
   * pod an endpoint is built from ever asks). A method, not a getter: an accessor puts each of 150k
   * pod records in dictionary mode.
   */
  containers(): readonly Container[];
  /** Ports of the non-init containers, in declaration order. */
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  readonly nodeName: string | null;
  readonly serviceAccountName: string | null;
  readonly priorityClassName: string | null;
}

/*
 * Label maps and container lists already read without a problem, by identity. The JSON fast path
 * hands the pods of one workload the same parsed `labels` object and `containers` array (they are
 * 'shared' in read-shapes.ts); reading them again would give the same result, so a pod that repeats
 * them costs a lookup, and its labels are the same (read-only) object. Container objects carry the
 * pod's own locations, so for such a pod they are built on first use: only the pod an endpoint is
 * built from ever needs them. Init and app containers are memoised apart (equal texts, one array).
 */
const cleanLabels = new WeakMap<object, Labels>();
const cleanInit = new WeakMap<object, true>();
const cleanApp = new WeakMap<object, readonly ContainerPort[]>();
const NO_PORTS: readonly ContainerPort[] = [];

/** Reads labels from `metaPath` and the spec from `specPath` (both relative to the object). */
export function readPodSpec(ctx: ObjectContext, metaPath: FieldPath, specPath: FieldPath): PodSpecInfo {
  const meta = readRecord(ctx, valueAt(ctx, metaPath), metaPath) ?? {};
  const labels = readLabels(ctx, meta['labels'], metaPath);
  const spec = readRecord(ctx, valueAt(ctx, specPath), specPath) ?? {};
  const initList = spec['initContainers'];
  const appList = spec['containers'];
  const knownApp = appList === undefined || appList === null ? NO_PORTS : isObject(appList) ? cleanApp.get(appList) : undefined;
  const knownInit = initList === undefined || initList === null || (isObject(initList) && cleanInit.has(initList));
  let containers: readonly Container[] | null = null;
  let ports: readonly ContainerPort[];
  if (knownInit && knownApp !== undefined) ports = knownApp;
  else {
    const built: Container[] = [];
    const all: ContainerPort[] = [];
    readContainers(ctx, initList, specPath, true, built, all);
    readContainers(ctx, appList, specPath, false, built, all);
    containers = built;
    ports = all;
  }
  const serviceAccountName =
    readString(ctx, spec['serviceAccountName'], [...specPath, 'serviceAccountName']) ??
    readString(ctx, spec['serviceAccount'], [...specPath, 'serviceAccount']);
  return new PodSpec(
    labels,
    ports,
    readBool(ctx, spec['hostNetwork'], [...specPath, 'hostNetwork']) ?? false,
    readString(ctx, spec['nodeName'], [...specPath, 'nodeName']),
    serviceAccountName,
    readString(ctx, spec['priorityClassName'], [...specPath, 'priorityClassName']),
    containers,
    // known clean lists are read again on first use, located through the object without its value
    containers === null ? ctx.raw.detached() : null,
    ctx.object,
    containers === null ? initList : undefined,
    containers === null ? appList : undefined,
    specPath,
  );
}

/**
 * A class, not a literal with closures: one object per pod (150k at scale) instead of a record, a
 * closure and its context, and a locator closure and its context.
 */
class PodSpec implements PodSpecInfo {
  constructor(
    readonly labels: Labels,
    readonly ports: readonly ContainerPort[],
    readonly hostNetwork: boolean,
    readonly nodeName: string | null,
    readonly serviceAccountName: string | null,
    readonly priorityClassName: string | null,
    private built: readonly Container[] | null,
    /** The object without its parsed value: a pod's parsed item must not live as long as its record. */
    private readonly where: Located | null,
    private readonly object: string | null,
    private readonly initList: unknown,
    private readonly appList: unknown,
    private readonly specPath: FieldPath,
  ) {}

  /** The containers; lists read clean before are read again (without a diagnostic, as before) on the first call. */
  containers(): readonly Container[] {
    if (this.built === null) {
      const light = new ObjectContext(this.where!, this.object);
      const built: Container[] = [];
      readContainers(light, this.initList, this.specPath, true, built, []);
      readContainers(light, this.appList, this.specPath, false, built, []);
      this.built = built;
    }
    return this.built;
  }
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function readLabels(ctx: ObjectContext, v: unknown, metaPath: FieldPath): Labels {
  if (isRecord(v)) {
    const known = cleanLabels.get(v);
    if (known !== undefined) return known;
  }
  const before = ctx.diagnostics.length;
  const labels = readStringMap(ctx, v, [...metaPath, 'labels']) ?? {};
  checkLabels(ctx, labels, [...metaPath, 'labels']);
  if (isRecord(v) && ctx.diagnostics.length === before) cleanLabels.set(v, labels);
  return labels;
}

/** Reads one container list, appending its containers and (app containers') ports; memoises a clean list. */
function readContainers(ctx: ObjectContext, v: unknown, specPath: FieldPath, init: boolean, containers: Container[], ports: ContainerPort[]): void {
  const field = init ? 'initContainers' : 'containers';
  const before = ctx.diagnostics.length;
  const first = ports.length;
  const list = readArray(ctx, v, [...specPath, field]);
  for (let i = 0; i < list.length; i++) {
    const c = readContainer(ctx, list[i], [...specPath, field, i], init);
    if (c === null) continue;
    containers.push(c);
    if (!init) ports.push(...c.ports);
  }
  if (ctx.diagnostics.length !== before || !Array.isArray(v)) return;
  if (init) cleanInit.set(v, true);
  else cleanApp.set(v, ports.slice(first));
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
  const where = ctx.raw.detached(); // not ctx: that would keep the parsed pod alive
  let location: SourceLocation | null = null;
  return {
    name: readString(ctx, rec['name'], [...path, 'name']) ?? '',
    image: readString(ctx, rec['image'], [...path, 'image']) ?? '',
    command: readStrings(ctx, rec['command'], [...path, 'command']),
    args: readStrings(ctx, rec['args'], [...path, 'args']),
    ports,
    requests: readQuantities(ctx, resources['requests'], [...path, 'resources', 'requests']),
    limits: readQuantities(ctx, resources['limits'], [...path, 'resources', 'limits']),
    init,
    // computed on first read (a getter in the literal: much cheaper than defineProperty)
    get location(): SourceLocation {
      return (location ??= where.locate(path));
    },
  };
}

function readContainerPort(ctx: ObjectContext, v: unknown, path: FieldPath): ContainerPort | null {
  const rec = readRecord(ctx, v, path);
  if (rec === null) return null;
  const errorsBefore = ctx.errors;
  const portPath = [...path, 'containerPort'];
  const port = readInt(ctx, rec['containerPort'], portPath);
  if (port === null && (rec['containerPort'] === undefined || rec['containerPort'] === null))
    ctx.error('MISSING_FIELD', 'a container port needs containerPort', path);
  else if (port !== null && (port < 1 || port > 65535)) ctx.error('PORT_OUT_OF_RANGE', `containerPort ${port} is outside 1-65535`, portPath);
  const name = readString(ctx, rec['name'], [...path, 'name']) ?? '';
  if (name !== '') {
    const reason = portNameError(name);
    if (reason !== null) ctx.error('PORT_OUT_OF_RANGE', `port name ${quoteValue(name)} is invalid: ${reason}`, [...path, 'name']);
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
