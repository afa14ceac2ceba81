/**
 * Workloads and pods -> endpoints, named as `kubectl get` users know them.
 *
 * | object                                   | endpoint                                         |
 * |------------------------------------------|--------------------------------------------------|
 * | workload W (Deployment, StatefulSet, ...) | ns/W[Kind], from W's pod template                |
 * | ReplicaSet owned by Deployment D         | ns/D[Deployment] (D present or not)              |
 * | Job owned by CronJob C                   | ns/C[CronJob]                                    |
 * | pod controlled by workload W in input    | folds into W's endpoint                          |
 * | pod controlled by absent ReplicaSet      | ns/D[Deployment] when the RS is named            |
 * |   `D-<hash>`, pod label pod-template-hash=<hash> | (the Deployment the RS stands for)       |
 * | pod controlled by other absent workload  | ns/OWNER[OwnerKind], from the first such pod     |
 * | pod with no workload controller          | ns/NAME[Pod]                                     |
 *
 * The controller is the ownerReference with `controller: true`, or the only ownerReference. Pods
 * folding into one endpoint add their IPs and count; labels and containers come from the workload
 * object's template when one is in the input (the workload named by the id wins over a ReplicaSet or
 * Job that only stands for it), else from the first pod.
 */
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { Endpoint, PodInfo, WorkloadKind } from './types.js';
import type { PodSpecInfo } from './pod-spec.js';
import { Keyed3 } from './keyed.js';

export type ControllerKind = Exclude<WorkloadKind, 'Pod'>;

export const CONTROLLER_KINDS: readonly ControllerKind[] = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController'];

export function isControllerKind(kind: string): kind is ControllerKind {
  return (CONTROLLER_KINDS as readonly string[]).includes(kind);
}

export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
}

export interface WorkloadRecord {
  readonly kind: ControllerKind;
  readonly namespace: string;
  readonly name: string;
  readonly owner: OwnerRef | null;
  readonly info: PodSpecInfo;
  readonly replicas: number | null;
  readonly location: SourceLocation;
}

export interface PodRecord {
  readonly namespace: string;
  readonly name: string;
  readonly owner: OwnerRef | null;
  readonly info: PodSpecInfo;
  /** Canonical IP texts. */
  readonly ips: readonly string[];
  readonly location: SourceLocation;
}

interface Target {
  readonly kind: WorkloadKind;
  readonly name: string;
}

export function endpointId(namespace: string, name: string, kind: WorkloadKind): string {
  return `${namespace}/${name}[${kind}]`;
}

/** The workload a workload object stands for: its Deployment / CronJob owner, else itself. */
function workloadTarget(w: WorkloadRecord): Target {
  if (w.kind === 'ReplicaSet' && w.owner?.kind === 'Deployment') return { kind: 'Deployment', name: w.owner.name };
  if (w.kind === 'Job' && w.owner?.kind === 'CronJob') return { kind: 'CronJob', name: w.owner.name };
  return { kind: w.kind, name: w.name };
}

function podTarget(p: PodRecord, byId: Keyed3<WorkloadRecord>): Target {
  const owner = p.owner;
  if (owner === null || !isControllerKind(owner.kind)) return { kind: 'Pod', name: p.name };
  const w = byId.get(p.namespace, owner.kind, owner.name);
  if (w !== undefined) return workloadTarget(w);
  const hash = p.info.labels['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash !== undefined && hash !== '' && owner.name.endsWith(`-${hash}`)) {
    const deployment = owner.name.slice(0, -hash.length - 1);
    if (deployment !== '') return { kind: 'Deployment', name: deployment };
  }
  return { kind: owner.kind, name: owner.name };
}

interface Builder {
  id: string;
  kind: WorkloadKind;
  namespace: string;
  name: string;
  info: PodSpecInfo;
  /** True once the object named by the id itself supplied the template. */
  primary: boolean;
  fromWorkload: boolean;
  replicas: number | null;
  ips: string[];
  /** The IPs as a set, once there are too many to scan (most endpoints have a few pods). */
  ipSet: Set<string> | null;
  podCount: number;
  nodeName: string | null;
  location: SourceLocation;
  /** The Pod objects folded in (their own labels and IPs; compile/expand.ts reads them). */
  pods: PodInfo[];
}

/** Folds workloads and pods (both in input order) into endpoints, in order of first appearance. */
export function foldEndpoints(workloads: readonly WorkloadRecord[], pods: readonly PodRecord[]): Endpoint[] {
  // by (namespace, kind, name): what endpointId joins, looked up once per pod without joining
  const byId = new Keyed3<WorkloadRecord>();
  for (const w of workloads) byId.set(w.namespace, w.kind, w.name, w);
  const builders = new Keyed3<Builder>();
  const order: Builder[] = [];

  for (const w of workloads) {
    const target = workloadTarget(w);
    const primary = target.kind === w.kind && target.name === w.name;
    const b = builders.get(w.namespace, target.kind, target.name);
    if (b === undefined) {
      const nb = newBuilder(endpointId(w.namespace, target.name, target.kind), target, w.namespace, w.info, w.location, true, primary, w.replicas);
      builders.set(w.namespace, target.kind, target.name, nb);
      order.push(nb);
    } else if (primary && !b.primary) {
      b.info = w.info;
      b.primary = true;
      b.replicas = w.replicas;
      b.location = w.location;
      b.nodeName = w.info.nodeName;
    }
  }

  for (const p of pods) {
    const target = podTarget(p, byId);
    let b = builders.get(p.namespace, target.kind, target.name);
    if (b === undefined) {
      b = newBuilder(endpointId(p.namespace, target.name, target.kind), target, p.namespace, p.info, p.location, false, false, null);
      builders.set(p.namespace, target.kind, target.name, b);
      order.push(b);
    } else if (!b.fromWorkload && b.nodeName !== p.info.nodeName) {
      b.nodeName = null; // pods of one absent workload on different nodes: no single node
    }
    b.podCount++;
    if (target.kind !== 'Pod') b.pods.push(podInfo(p));
    for (const ip of p.ips) {
      addIP(b, ip);
    }
  }

  const out: Endpoint[] = [];
  for (const b of order) {
    out.push({
      id: b.id,
      kind: b.kind,
      namespace: b.namespace,
      name: b.name,
      labels: b.info.labels,
      ports: b.info.ports,
      containers: b.info.containers(),
      ips: b.ips,
      hostNetwork: b.info.hostNetwork,
      nodeName: b.nodeName,
      replicas: b.replicas,
      podCount: b.podCount,
      serviceAccountName: b.info.serviceAccountName,
      priorityClassName: b.info.priorityClassName,
      ...(b.pods.length > 0 ? { pods: b.pods } : {}),
      location: b.location,
    });
  }
  return out;
}

/**
 * A plain object: locations of pods and workloads are computed when read (an item's offset is known,
 * so this is a binary search in the line index), because any accessor property (defineProperty or a
 * getter in a literal) puts the object in dictionary mode: ~1.5 us and ~0.5 KB more per pod.
 */
function podInfo(p: PodRecord): PodInfo {
  return { name: p.name, labels: p.info.labels, ips: p.ips, nodeName: p.info.nodeName, location: p.location };
}

/** Adds an IP to an endpoint once: a scan of its few IPs, or a Set past SCAN_IPS of them. */
function addIP(b: Builder, ip: string): void {
  if (b.ipSet !== null) {
    if (b.ipSet.has(ip)) return;
    b.ipSet.add(ip);
  } else {
    if (b.ips.includes(ip)) return;
    if (b.ips.length >= SCAN_IPS) b.ipSet = new Set([...b.ips, ip]);
  }
  b.ips.push(ip);
}

const SCAN_IPS = 16;

function newBuilder(
  id: string,
  target: Target,
  namespace: string,
  info: PodSpecInfo,
  location: SourceLocation,
  fromWorkload: boolean,
  primary: boolean,
  replicas: number | null,
): Builder {
  return {
    id,
    kind: target.kind,
    namespace,
    name: target.name,
    info,
    primary,
    fromWorkload,
    replicas,
    ips: [],
    ipSet: null,
    podCount: 0,
    nodeName: info.nodeName,
    location,
    pods: [],
  };
}
