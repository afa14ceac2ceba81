/**
 * Pod and workload objects -> the records workloads.ts folds into endpoints.
 */
import { quoteValue } from '../text/escape.js';
import { formatIP, parseIP } from '../net/ip.js';
import type { FieldPath } from '../base/types.js';
import type { ObjectContext } from './context.js';
import { readArray, readInt, readRecord, readString } from './fields.js';
import { readPodSpec, valueAt } from './pod-spec.js';
import type { ControllerKind, OwnerRef, PodRecord, WorkloadRecord } from './workloads.js';

const TEMPLATE: Readonly<Record<ControllerKind, FieldPath>> = {
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  ReplicationController: ['spec', 'template'],
};

/** Kinds whose spec.replicas is meaningful. */
const SCALED: ReadonlySet<ControllerKind> = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

/** Where a Job's pods-at-once count is: spec.parallelism (the API's default is 1). */
const PARALLELISM: Partial<Record<ControllerKind, FieldPath>> = {
  Job: ['spec', 'parallelism'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'parallelism'],
};

/** How many pods the workload runs at once, when its spec says: replicas, or a Job's parallelism. */
function readReplicas(ctx: ObjectContext, kind: ControllerKind): number | null {
  if (SCALED.has(kind)) return readInt(ctx, valueAt(ctx, ['spec', 'replicas']), ['spec', 'replicas']);
  const path = PARALLELISM[kind];
  return path === undefined ? null : readInt(ctx, valueAt(ctx, path), path);
}

export function readWorkload(ctx: ObjectContext, kind: ControllerKind, namespace: string, name: string): WorkloadRecord {
  const template = TEMPLATE[kind];
  return {
    kind,
    namespace,
    name,
    owner: readController(ctx),
    info: readPodSpec(ctx, [...template, 'metadata'], [...template, 'spec']),
    replicas: readReplicas(ctx, kind),
    location: ctx.at([]),
  };
}

export function readPod(ctx: ObjectContext, namespace: string, name: string): PodRecord {
  return {
    namespace,
    name,
    owner: readController(ctx),
    info: readPodSpec(ctx, ['metadata'], ['spec']),
    ips: readPodIPs(ctx),
    location: ctx.at([]),
  };
}

/** The controlling ownerReference (controller: true), or the only one. */
function readController(ctx: ObjectContext): OwnerRef | null {
  const path = ['metadata', 'ownerReferences'];
  const refs = readArray(ctx, valueAt(ctx, path), path);
  const owners: { ref: OwnerRef; controller: boolean }[] = [];
  for (let i = 0; i < refs.length; i++) {
    const rec = readRecord(ctx, refs[i], [...path, i]);
    if (rec === null) continue;
    const kind = readString(ctx, rec['kind'], [...path, i, 'kind']);
    const name = readString(ctx, rec['name'], [...path, i, 'name']);
    if (kind === null || name === null) continue;
    owners.push({ ref: { kind, name }, controller: rec['controller'] === true });
  }
  const controller = owners.find((o) => o.controller);
  if (controller !== undefined) return controller.ref;
  return owners.length === 1 ? owners[0]!.ref : null;
}

/** status.podIP and status.podIPs[].ip, canonical and without repeats. */
function readPodIPs(ctx: ObjectContext): string[] {
  const out: string[] = [];
  const add = (v: unknown, path: FieldPath): void => {
    const text = readString(ctx, v, path);
    if (text === null || text === '') return;
    const ip = parseIP(text);
    if (ip === null) {
      ctx.error('INVALID_FIELD', `${quoteValue(text)} is not an IP address`, path);
      return;
    }
    const canonical = formatIP(ip.value);
    if (!out.includes(canonical)) out.push(canonical);
  };
  add(valueAt(ctx, ['status', 'podIP']), ['status', 'podIP']);
  const list = readArray(ctx, valueAt(ctx, ['status', 'podIPs']), ['status', 'podIPs']);
  for (let i = 0; i < list.length; i++) {
    const rec = readRecord(ctx, list[i], ['status', 'podIPs', i]);
    if (rec !== null) add(rec['ip'], ['status', 'podIPs', i, 'ip']);
  }
  return out;
}
