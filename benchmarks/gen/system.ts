/**
 * The system part of every generated cluster, as kubeadm plus common add-ons lay it out:
 *
 * | namespace     | workload                                  | pods              | network      |
 * |---------------|-------------------------------------------|-------------------|--------------|
 * | kube-system   | kube-apiserver, etcd, controller-manager, | 4 per control-    | hostNetwork  |
 * |               | scheduler (static, owned by the Node)     | plane node        |              |
 * | kube-system   | kube-proxy (DaemonSet)                    | 1 per node        | hostNetwork  |
 * | kube-system   | coredns (Deployment, k8s-app=kube-dns)    | max(2, nodes/50)  | pod network  |
 * | monitoring    | node-exporter (DaemonSet)                 | 1 per node        | hostNetwork  |
 * | monitoring    | fluent-bit (DaemonSet)                    | 1 per node        | pod network  |
 * | monitoring    | prometheus (StatefulSet)                  | 2                 | pod network  |
 * | ingress-nginx | ingress-nginx-controller (Deployment)     | max(2, nodes/100) | pod network  |
 *
 * plus the Services `default/kubernetes` (10.96.0.1) and `kube-system/kube-dns` (10.96.0.10).
 * hostNetwork pods report the node's InternalIP as podIP, as they do in a real cluster.
 */
import type { Labels } from './types.js';
import type { NodeInfo } from './nodes.js';
import type { World } from './cluster.js';
import { addDaemonSet, addDeployment, addService, addStatefulSet, addStaticPod, serviceObject } from './cluster.js';
import type { ContainerJson, WorkloadInfo } from './workloads.js';
import { container, freezeContainers, namedPorts, port } from './workloads.js';
import { serviceIPv4, serviceIPv6 } from './addressing.js';

function controlPlaneCount(nodes: number): number {
  return nodes >= 4 ? 3 : 1;
}

function corednsReplicas(nodes: number): number {
  return Math.max(2, Math.ceil(nodes / 50));
}

function ingressReplicas(nodes: number): number {
  return Math.max(2, Math.ceil(nodes / 100));
}

/** How many Pods buildSystem adds for `nodes` nodes. */
export function systemPodCount(nodes: number): number {
  return 4 * controlPlaneCount(nodes) + 3 * nodes + corednsReplicas(nodes) + 2 + ingressReplicas(nodes);
}

function workload(
  world: World,
  kind: WorkloadInfo['kind'],
  namespace: string,
  name: string,
  labels: Labels,
  containers: ContainerJson[],
  hostNetwork: boolean,
): WorkloadInfo {
  const frozen = freezeContainers(containers);
  const w: WorkloadInfo = {
    kind,
    namespace,
    name,
    app: labels['app'] ?? '',
    tier: 'system',
    templateLabels: Object.freeze({ ...labels }),
    containers: frozen,
    ports: namedPorts(frozen),
    hostNetwork,
  };
  world.byName.get(namespace)!.workloads.push(w);
  return w;
}

const K8S = 'registry.k8s.io';

export function buildSystem(world: World): void {
  const { ctx, pool } = world;
  const nodes = ctx.opts.nodes;
  const all: readonly NodeInfo[] = pool.nodes;
  const cp = pool.controlPlanes;
  const dual = ctx.opts.dualStack;
  const ips = (index: number): string[] => (dual ? [serviceIPv4(index), serviceIPv6(index)] : [serviceIPv4(index)]);

  world.services.push(
    serviceObject(
      world,
      'kubernetes',
      'default',
      { component: 'apiserver', provider: 'kubernetes' },
      'ClusterIP',
      ips(1),
      [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      null,
    ),
  );

  const statics: [string, ContainerJson][] = [
    ['kube-apiserver', container('kube-apiserver', `${K8S}/kube-apiserver:v1.30.2`, [port('https', 6443)], null)],
    ['etcd', container('etcd', `${K8S}/etcd:3.5.12-0`, [port('client', 2379), port('peer', 2380), port('metrics', 2381)], null)],
    ['kube-controller-manager', container('kube-controller-manager', `${K8S}/kube-controller-manager:v1.30.2`, [port('https', 10257)], null)],
    ['kube-scheduler', container('kube-scheduler', `${K8S}/kube-scheduler:v1.30.2`, [port('https', 10259)], null)],
  ];
  for (const [name, c] of statics) {
    const w = workload(world, 'Static', 'kube-system', name, { component: name, tier: 'control-plane' }, [c], true);
    for (const node of cp) addStaticPod(world, w, node);
  }

  const proxy = workload(
    world,
    'DaemonSet',
    'kube-system',
    'kube-proxy',
    { 'k8s-app': 'kube-proxy' },
    [container('kube-proxy', `${K8S}/kube-proxy:v1.30.2`, [], null)],
    true,
  );
  addDaemonSet(world, proxy, { matchLabels: { 'k8s-app': 'kube-proxy' } }, all);

  const dnsPorts = [port('dns', 53, 'UDP'), port('dns-tcp', 53, 'TCP'), port('metrics', 9153)];
  const coredns = workload(
    world,
    'Deployment',
    'kube-system',
    'coredns',
    { 'k8s-app': 'kube-dns' },
    [container('coredns', `${K8S}/coredns/coredns:v1.11.1`, dnsPorts, ctx.rng)],
    false,
  );
  addDeployment(world, coredns, { matchLabels: { 'k8s-app': 'kube-dns' } }, corednsReplicas(nodes), () => pool.randomWorker());
  world.services.push(
    serviceObject(
      world,
      'kube-dns',
      'kube-system',
      { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' },
      'ClusterIP',
      ips(10),
      dnsPorts.map((p) => ({ name: p.name, port: p.containerPort, protocol: p.protocol, targetPort: p.containerPort })),
      { 'k8s-app': 'kube-dns' },
    ),
  );

  const exporter = workload(
    world,
    'DaemonSet',
    'monitoring',
    'node-exporter',
    { 'app.kubernetes.io/name': 'node-exporter' },
    [container('node-exporter', 'quay.io/prometheus/node-exporter:v1.8.1', [port('metrics', 9100)], ctx.rng)],
    true,
  );
  addDaemonSet(world, exporter, { matchLabels: { 'app.kubernetes.io/name': 'node-exporter' } }, all);

  const fluent = workload(
    world,
    'DaemonSet',
    'monitoring',
    'fluent-bit',
    { 'app.kubernetes.io/name': 'fluent-bit' },
    [container('fluent-bit', 'cr.fluentbit.io/fluent/fluent-bit:3.0.7', [port('http', 2020)], ctx.rng)],
    false,
  );
  addDaemonSet(world, fluent, { matchLabels: { 'app.kubernetes.io/name': 'fluent-bit' } }, all);

  const promLabels = { app: 'prometheus', 'app.kubernetes.io/name': 'prometheus' };
  const prom = workload(
    world,
    'StatefulSet',
    'monitoring',
    'prometheus',
    promLabels,
    [container('prometheus', 'quay.io/prometheus/prometheus:v2.53.0', [port('web', 9090)], ctx.rng)],
    false,
  );
  addStatefulSet(world, prom, { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } }, 2);
  addService(world, prom, { 'app.kubernetes.io/name': 'prometheus' }, 'Headless');

  const ingressLabels = {
    'app.kubernetes.io/component': 'controller',
    'app.kubernetes.io/instance': 'ingress-nginx',
    'app.kubernetes.io/name': 'ingress-nginx',
  };
  const ingress = workload(
    world,
    'Deployment',
    'ingress-nginx',
    'ingress-nginx-controller',
    ingressLabels,
    [container('controller', `${K8S}/ingress-nginx/controller:v1.10.1`, [port('http', 80), port('https', 443), port('metrics', 10254)], ctx.rng)],
    false,
  );
  addDeployment(world, ingress, { matchLabels: { ...ingressLabels } }, ingressReplicas(nodes), () => pool.randomWorker());
  addService(world, ingress, { ...ingressLabels }, 'LoadBalancer');
}
