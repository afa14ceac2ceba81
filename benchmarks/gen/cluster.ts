/**
 * Namespaces, workloads, Pods and Services of a generated cluster (everything but NetworkPolicies).
 *
 * Pods look as `kubectl get pods -o json` shows them: Deployment pods are owned by the ReplicaSet
 * `<deployment>-<pod-template-hash>` (controller: true) and carry that hash as a label; StatefulSet
 * pods carry `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index` and
 * `controller-revision-hash`; DaemonSet pods `controller-revision-hash` and
 * `pod-template-generation`; control-plane static pods are owned by their Node. The pod count is
 * exact: system pods first (control plane, kube-proxy, node-exporter and fluent-bit on every node,
 * CoreDNS, Prometheus, the ingress controller), then the rest spread over the user namespaces with a
 * skewed (log-normal) size distribution, as real tenants are.
 */
import type { Context } from './context.js';
import { ownerRef } from './context.js';
import type { K8sObject, Labels, OwnerReference } from './types.js';
import type { NodeInfo, Placement } from './nodes.js';
import { NodePool } from './nodes.js';
import { APPS, DEPLOYMENT_REPLICAS, DOMAINS, ENVS, STATEFULSET_REPLICAS, TEAMS, TIER_KIND, TIER_WEIGHTS } from './names.js';
import type { WorkloadInfo } from './workloads.js';
import { freezeContainers, namedPorts, userContainers } from './workloads.js';
import { serviceIPv4, serviceIPv6 } from './addressing.js';
import { SYSTEM_NAMESPACES } from './options.js';

export interface NamespaceInfo {
  readonly name: string;
  readonly labels: Readonly<Labels>;
  readonly team: string;
  readonly env: string;
  readonly system: boolean;
  readonly workloads: WorkloadInfo[];
}

/** The label that makes every pod its own class in the adversarial shape. */
export const POD_ID_LABEL = 'kubereach.io/pod-id';

export interface World {
  readonly ctx: Context;
  readonly namespaces: NamespaceInfo[];
  readonly byName: Map<string, NamespaceInfo>;
  readonly pool: NodePool;
  readonly namespaceObjects: K8sObject[];
  readonly services: K8sObject[];
  readonly deployments: K8sObject[];
  readonly statefulSets: K8sObject[];
  readonly daemonSets: K8sObject[];
  readonly pods: K8sObject[];
  /** Next NodePort offset (30000 + n), so NodePorts are unique while the range lasts. */
  nodePortsUsed: number;
}

/** The namespaces (system ones first) and nodes; workloads are added by buildSystem and fillUserNamespaces. */
export function createWorld(ctx: Context): World {
  const world: World = {
    ctx,
    namespaces: [],
    byName: new Map(),
    pool: new NodePool(ctx),
    namespaceObjects: [],
    services: [],
    deployments: [],
    statefulSets: [],
    daemonSets: [],
    pods: [],
    nodePortsUsed: 0,
  };
  addNamespace(world, 'default', '', '', true);
  addNamespace(world, 'kube-system', '', '', true);
  addNamespace(world, 'kube-public', '', '', true);
  addNamespace(world, 'kube-node-lease', '', '', true);
  addNamespace(world, 'monitoring', 'platform', 'prod', true);
  addNamespace(world, 'ingress-nginx', 'platform', 'prod', true);
  const taken = new Set(world.byName.keys());
  for (let i = SYSTEM_NAMESPACES; i < ctx.opts.namespaces; i++) {
    const team = ctx.rng.pick(TEAMS);
    const env = ctx.rng.weighted(ENVS);
    const base = `${team}-${ctx.rng.pick(DOMAINS)}-${env}`;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    addNamespace(world, name, team, env, false);
  }
  return world;
}

/** Spreads `userPods` (at least one per user namespace) over the user namespaces' workloads. */
export function fillUserNamespaces(world: World, userPods: number): void {
  const users = world.namespaces.filter((ns) => !ns.system);
  const sizes = splitSkewed(world.ctx, userPods, users.length);
  users.forEach((ns, i) => fillNamespace(world, ns, sizes[i]!));
}

function addNamespace(world: World, name: string, team: string, env: string, system: boolean): void {
  const { ctx } = world;
  const labels: Labels = { 'kubernetes.io/metadata.name': name };
  if (team !== '') {
    labels['env'] = env;
    labels['team'] = team;
  }
  if (!system && ctx.rng.chance(0.3)) labels['pod-security.kubernetes.io/enforce'] = ctx.rng.pick(['baseline', 'restricted']);
  if (!system && ctx.rng.chance(0.2)) labels['istio-injection'] = 'enabled';
  const info: NamespaceInfo = { name, labels, team, env, system, workloads: [] };
  world.namespaces.push(info);
  world.byName.set(name, info);
  world.namespaceObjects.push({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: ctx.meta(name, null, labels),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
}

/** Splits `total` into `parts` positive integers with a log-normal spread, summing exactly. */
function splitSkewed(ctx: Context, total: number, parts: number): number[] {
  if (parts === 0) return [];
  const weights = Array.from({ length: parts }, () => Math.exp(0.9 * ctx.rng.gaussian()));
  const sum = weights.reduce((a, b) => a + b, 0);
  const extra = total - parts; // every namespace gets one pod, the rest by weight
  const sizes = weights.map((w) => 1 + Math.floor((extra * w) / sum));
  let left = total - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % parts, left--) sizes[i]!++;
  return sizes;
}

function fillNamespace(world: World, ns: NamespaceInfo, podBudget: number): void {
  const { ctx } = world;
  const used = new Set<string>();
  let left = podBudget;
  while (left > 0) {
    const tier = ctx.rng.weighted(TIER_WEIGHTS);
    const base = ctx.rng.pick(APPS[tier]);
    let app = base;
    for (let n = 2; used.has(app); n++) app = `${base}-${n}`;
    used.add(app);
    const kind = TIER_KIND[tier];
    const replicas = Math.min(left, ctx.rng.weighted(kind === 'Deployment' ? DEPLOYMENT_REPLICAS : STATEFULSET_REPLICAS));
    left -= replicas;
    const templateLabels: Labels = Object.freeze({
      app,
      'app.kubernetes.io/name': app,
      'app.kubernetes.io/part-of': ns.team,
      tier,
      version: 'v1',
    });
    const containers = freezeContainers(userContainers(tier, app, ns.team, ctx.rng));
    const w: WorkloadInfo = {
      kind,
      namespace: ns.name,
      name: app,
      app,
      tier,
      templateLabels,
      containers,
      ports: namedPorts(containers),
      hostNetwork: false,
    };
    ns.workloads.push(w);
    const selector = { matchLabels: { app } };
    if (kind === 'Deployment') {
      addDeployment(world, w, selector, replicas, () => world.pool.randomWorker());
      if (tier !== 'worker' && ctx.rng.chance(0.85))
        addService(world, w, selector.matchLabels, tier === 'frontend' && ctx.rng.chance(0.05) ? 'NodePort' : 'ClusterIP');
    } else {
      addStatefulSet(world, w, selector, replicas);
      addService(world, w, selector.matchLabels, 'Headless');
    }
  }
}

function podSpec(w: WorkloadInfo, node: string | null, extra?: Record<string, unknown>): Record<string, unknown> {
  const system = w.tier === 'system';
  const spec: Record<string, unknown> = {
    containers: w.containers,
    dnsPolicy: w.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
    enableServiceLinks: true,
  };
  if (w.hostNetwork) spec['hostNetwork'] = true;
  if (extra !== undefined) for (const k in extra) spec[k] = extra[k];
  if (node !== null) spec['nodeName'] = node;
  spec['preemptionPolicy'] = 'PreemptLowerPriority';
  spec['priority'] = system ? 2000000000 : 0;
  if (system) spec['priorityClassName'] = 'system-node-critical';
  spec['restartPolicy'] = 'Always';
  spec['schedulerName'] = 'default-scheduler';
  spec['securityContext'] = {};
  // Static pods have no service account; system add-ons run under their own.
  if (w.kind !== 'Static') {
    spec['serviceAccount'] = system ? w.name : 'default';
    spec['serviceAccountName'] = system ? w.name : 'default';
  }
  spec['terminationGracePeriodSeconds'] = 30;
  return spec;
}

/** Adds one Pod; `labels` may be shared between replicas (it is frozen) except in the adversarial shape. */
export function addPod(
  world: World,
  w: WorkloadInfo,
  name: string,
  labels: Readonly<Labels>,
  owner: OwnerReference,
  place: Placement,
  generateName: string | null,
  extraSpec?: Record<string, unknown>,
): void {
  const { ctx } = world;
  let podLabels = labels;
  if (ctx.opts.shape === 'adversarial') podLabels = { ...labels, [POD_ID_LABEL]: `p${world.pods.length}` };
  const hostIP = place.node.ips[0]!;
  world.pods.push({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: ctx.meta(name, w.namespace, podLabels, generateName !== null ? { generateName, ownerReferences: [owner] } : { ownerReferences: [owner] }),
    spec: podSpec(w, place.node.name, extraSpec),
    status: {
      hostIP,
      hostIPs: place.node.ips.map((ip) => ({ ip })),
      phase: 'Running',
      podIP: place.podIPs[0]!,
      podIPs: place.podIPs.map((ip) => ({ ip })),
      qosClass: 'Burstable',
      startTime: ctx.timestamp(),
    },
  });
}

function place(world: World, w: WorkloadInfo, node: NodeInfo): Placement {
  return w.hostNetwork ? world.pool.placeOnHostNetwork(node) : world.pool.placeOnPodNetwork(node);
}

/** A name suffix not used yet by this workload (27^5 suffixes; DaemonSets have thousands of pods). */
function uniqueSuffix(world: World, used: Set<string>): string {
  let s = world.ctx.rng.k8sString(5);
  while (used.has(s)) s = world.ctx.rng.k8sString(5);
  used.add(s);
  return s;
}

export function addDeployment(world: World, w: WorkloadInfo, selector: { matchLabels: Labels }, replicas: number, node: () => NodeInfo): void {
  const { ctx } = world;
  const meta = ctx.meta(w.name, w.namespace, w.templateLabels, { annotations: { 'deployment.kubernetes.io/revision': '1' }, generation: 1 });
  world.deployments.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta,
    spec: {
      progressDeadlineSeconds: 600,
      replicas,
      revisionHistoryLimit: 10,
      selector,
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: { metadata: { labels: w.templateLabels }, spec: podSpec(w, null) },
    },
    status: { availableReplicas: replicas, observedGeneration: 1, readyReplicas: replicas, replicas, updatedReplicas: replicas },
  });
  const hash = ctx.rng.k8sString(10);
  const rsName = `${w.name}-${hash}`;
  const owner = ownerRef('apps/v1', 'ReplicaSet', rsName, ctx.rng.uid());
  const labels = Object.freeze({ ...w.templateLabels, 'pod-template-hash': hash });
  const used = new Set<string>();
  for (let i = 0; i < replicas; i++) {
    addPod(world, w, `${rsName}-${uniqueSuffix(world, used)}`, labels, owner, place(world, w, node()), `${rsName}-`);
  }
}

export function addStatefulSet(world: World, w: WorkloadInfo, selector: { matchLabels: Labels }, replicas: number): void {
  const { ctx } = world;
  const meta = ctx.meta(w.name, w.namespace, w.templateLabels, { generation: 1 });
  const revision = `${w.name}-${ctx.rng.k8sString(10)}`;
  world.statefulSets.push({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta,
    spec: {
      podManagementPolicy: 'OrderedReady',
      replicas,
      revisionHistoryLimit: 10,
      selector,
      serviceName: w.name,
      template: { metadata: { labels: w.templateLabels }, spec: podSpec(w, null) },
      updateStrategy: { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' },
    },
    status: {
      availableReplicas: replicas,
      currentReplicas: replicas,
      currentRevision: revision,
      observedGeneration: 1,
      readyReplicas: replicas,
      replicas,
      updateRevision: revision,
    },
  });
  const owner = ownerRef('apps/v1', 'StatefulSet', w.name, meta.uid);
  for (let i = 0; i < replicas; i++) {
    const name = `${w.name}-${i}`;
    const labels = {
      ...w.templateLabels,
      'apps.kubernetes.io/pod-index': String(i),
      'controller-revision-hash': revision,
      'statefulset.kubernetes.io/pod-name': name,
    };
    addPod(world, w, name, labels, owner, place(world, w, world.pool.randomWorker()), `${w.name}-`, { hostname: name, subdomain: w.name });
  }
}

/** One pod per node (`nodes`), as a DaemonSet with control-plane tolerations places them. */
export function addDaemonSet(world: World, w: WorkloadInfo, selector: { matchLabels: Labels }, nodes: readonly NodeInfo[]): void {
  const { ctx } = world;
  const meta = ctx.meta(w.name, w.namespace, w.templateLabels, { annotations: { 'deprecated.daemonset.template.generation': '1' }, generation: 1 });
  const n = nodes.length;
  world.daemonSets.push({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta,
    spec: {
      revisionHistoryLimit: 10,
      selector,
      template: { metadata: { labels: w.templateLabels }, spec: { ...podSpec(w, null), tolerations: [{ operator: 'Exists' }] } },
      updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' },
    },
    status: {
      currentNumberScheduled: n,
      desiredNumberScheduled: n,
      numberAvailable: n,
      numberMisscheduled: 0,
      numberReady: n,
      observedGeneration: 1,
      updatedNumberScheduled: n,
    },
  });
  const hash = ctx.rng.k8sString(10);
  const owner = ownerRef('apps/v1', 'DaemonSet', w.name, meta.uid);
  const labels = Object.freeze({ ...w.templateLabels, 'controller-revision-hash': hash, 'pod-template-generation': '1' });
  const used = new Set<string>();
  for (const node of nodes) {
    addPod(world, w, `${w.name}-${uniqueSuffix(world, used)}`, labels, owner, place(world, w, node), `${w.name}-`, { tolerations: [{ operator: 'Exists' }] });
  }
}

/** Control-plane static (mirror) pods: hostNetwork, owned by their Node. */
export function addStaticPod(world: World, w: WorkloadInfo, node: NodeInfo): void {
  addPod(world, w, `${w.name}-${node.name}`, w.templateLabels, ownerRef('v1', 'Node', node.name, node.uid), place(world, w, node), null);
}

/** A Service in front of a workload: ClusterIP, NodePort, LoadBalancer, or headless for a StatefulSet. */
export function addService(world: World, w: WorkloadInfo, selector: Labels, type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'Headless'): void {
  const { ctx } = world;
  const dual = ctx.opts.dualStack;
  const index = 100 + world.services.length;
  const clusterIPs = type === 'Headless' ? ['None'] : dual ? [serviceIPv4(index), serviceIPv6(index)] : [serviceIPv4(index)];
  const ports = w.ports.map((p) => ({
    name: p.name,
    ...(type === 'NodePort' || type === 'LoadBalancer' ? { nodePort: 30000 + (world.nodePortsUsed++ % 2768) } : {}),
    port: p.name === 'http' ? 80 : p.name === 'https' ? 443 : p.containerPort,
    protocol: p.protocol,
    targetPort: p.name,
  }));
  world.services.push(serviceObject(world, w.name, w.namespace, w.templateLabels, type, clusterIPs, ports, selector));
}

export function serviceObject(
  world: World,
  name: string,
  namespace: string,
  labels: Readonly<Labels> | null,
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'Headless',
  clusterIPs: string[],
  ports: unknown[],
  selector: Labels | null,
): K8sObject {
  const v6 = clusterIPs.length > 1;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: world.ctx.meta(name, namespace, labels),
    spec: {
      clusterIP: clusterIPs[0],
      clusterIPs,
      internalTrafficPolicy: 'Cluster',
      ipFamilies: v6 ? ['IPv4', 'IPv6'] : ['IPv4'],
      ipFamilyPolicy: v6 ? 'PreferDualStack' : 'SingleStack',
      ports,
      ...(selector !== null ? { selector } : {}),
      sessionAffinity: 'None',
      type: type === 'Headless' ? 'ClusterIP' : type,
    },
    status: { loadBalancer: {} },
  };
}
