import { describe, expect, it } from 'vitest';
import { loadCluster, type Endpoint } from '@kubereach/core';

/** A pod manifest; owner is [kind, name] of a controller ownerReference. */
function pod(
  name: string,
  opts: { owner?: [string, string]; labels?: Record<string, string>; ip?: string; ips?: string[]; node?: string; controller?: boolean } = {},
): string {
  const owner = opts.owner
    ? `  ownerReferences:\n  - {apiVersion: apps/v1, kind: ${opts.owner[0]}, name: ${opts.owner[1]}${opts.controller === false ? '' : ', controller: true'}, uid: u}\n`
    : '';
  const status =
    opts.ip || opts.ips
      ? `status:\n${opts.ip ? `  podIP: "${opts.ip}"\n` : ''}${opts.ips ? `  podIPs:\n${opts.ips.map((i) => `  - ip: "${i}"\n`).join('')}` : ''}`
      : '';
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: shop\n  labels: ${JSON.stringify(opts.labels ?? {})}\n${owner}spec:\n  ${opts.node ? `nodeName: ${opts.node}\n  ` : ''}containers: [{name: c, image: img}]\n${status}`;
}

function workload(kind: string, name: string, labels: Record<string, string>, extra = ''): string {
  const api = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  const template = (indent: string) =>
    `${indent}template:\n` +
    `${indent}  metadata: {labels: ${JSON.stringify(labels)}}\n` +
    `${indent}  spec: {containers: [{name: c, image: img, ports: [{containerPort: 8080, name: http}]}]}\n`;
  // replicas only where the API has it (a Job or DaemonSet with replicas is an unknown field)
  const scaled = kind === 'Deployment' || kind === 'ReplicaSet' || kind === 'StatefulSet' || kind === 'ReplicationController';
  const spec = kind === 'CronJob' ? `  jobTemplate:\n    spec:\n${template('      ')}` : `${scaled ? '  replicas: 3\n' : ''}${template('  ')}`;
  return `apiVersion: ${api}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: shop\n${extra}spec:\n${spec}`;
}

function load(...docs: string[]): Endpoint[] {
  const r = loadCluster([{ name: 'w.yaml', text: docs.join('---\n') }]);
  expect(r.diagnostics).toEqual([]);
  return [...r.cluster.endpoints];
}

const summary = (e: Endpoint) => ({ id: e.id, podCount: e.podCount, ips: e.ips, labels: e.labels });

describe('workloads and pods become endpoints', () => {
  it('a workload alone is one endpoint from its template, with replicas and ports', () => {
    const [e, ...rest] = load(workload('Deployment', 'web', { app: 'web' }));
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ id: 'shop/web[Deployment]', kind: 'Deployment', replicas: 3, podCount: 0, labels: { app: 'web' } });
    expect(e!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  it('a bare pod is NAMESPACE/NAME[Pod]', () => {
    expect(load(pod('solo', { ip: '10.0.0.1' })).map(summary)).toEqual([{ id: 'shop/solo[Pod]', podCount: 1, ips: ['10.0.0.1'], labels: {} }]);
  });

  it('folds pods of a ReplicaSet owned by a Deployment into the Deployment, template labels win', () => {
    const rs = workload(
      'ReplicaSet',
      'web-5d8f',
      { app: 'web', 'pod-template-hash': '5d8f' },
      '  ownerReferences:\n  - {apiVersion: apps/v1, kind: Deployment, name: web, controller: true, uid: d}\n',
    );
    const eps = load(
      rs,
      workload('Deployment', 'web', { app: 'web' }),
      pod('web-5d8f-a', { owner: ['ReplicaSet', 'web-5d8f'], labels: { app: 'web', 'pod-template-hash': '5d8f' }, ip: '10.0.0.1' }),
      pod('web-5d8f-b', { owner: ['ReplicaSet', 'web-5d8f'], labels: { app: 'web', 'pod-template-hash': '5d8f' }, ips: ['10.0.0.2', 'fd00::0002'] }),
    );
    expect(eps.map(summary)).toEqual([{ id: 'shop/web[Deployment]', podCount: 2, ips: ['10.0.0.1', '10.0.0.2', 'fd00::2'], labels: { app: 'web' } }]);
  });

  it('names pods of an absent ReplicaSet <deployment>-<pod-template-hash> after the Deployment', () => {
    const eps = load(
      pod('api-7c9b-x', { owner: ['ReplicaSet', 'api-7c9b'], labels: { app: 'api', 'pod-template-hash': '7c9b' }, ip: '10.0.1.1' }),
      pod('api-7c9b-y', { owner: ['ReplicaSet', 'api-7c9b'], labels: { app: 'api', 'pod-template-hash': '7c9b' }, ip: '10.0.1.1' }),
    );
    expect(eps.map(summary)).toEqual([{ id: 'shop/api[Deployment]', podCount: 2, ips: ['10.0.1.1'], labels: { app: 'api', 'pod-template-hash': '7c9b' } }]);
  });

  it('keeps an absent ReplicaSet whose name does not end in the hash as a ReplicaSet', () => {
    const eps = load(pod('odd-1', { owner: ['ReplicaSet', 'odd'], labels: { 'pod-template-hash': 'zz' } }));
    expect(eps.map((e) => e.id)).toEqual(['shop/odd[ReplicaSet]']);
  });

  it('names pods of another absent controller after it (StatefulSet)', () => {
    const eps = load(pod('db-0', { owner: ['StatefulSet', 'db'], node: 'n1' }), pod('db-1', { owner: ['StatefulSet', 'db'], node: 'n2' }));
    expect(eps.map((e) => [e.id, e.kind, e.podCount, e.nodeName])).toEqual([['shop/db[StatefulSet]', 'StatefulSet', 2, null]]);
  });

  it('folds a Job owned by a CronJob, and its pods, into the CronJob', () => {
    const job = workload(
      'Job',
      'backup-2900',
      { app: 'backup' },
      '  ownerReferences:\n  - {apiVersion: batch/v1, kind: CronJob, name: backup, controller: true, uid: c}\n',
    );
    const eps = load(
      workload('CronJob', 'backup', { app: 'backup', from: 'cron' }),
      job,
      pod('backup-2900-q', { owner: ['Job', 'backup-2900'], labels: { app: 'backup' } }),
    );
    expect(eps.map(summary)).toEqual([{ id: 'shop/backup[CronJob]', podCount: 1, ips: [], labels: { app: 'backup', from: 'cron' } }]);
  });

  it('a pod owned by a non-workload (a Node, for static pods) stays a Pod', () => {
    expect(load(pod('kube-apiserver-n1', { owner: ['Node', 'n1'] })).map((e) => e.id)).toEqual(['shop/kube-apiserver-n1[Pod]']);
  });

  it('uses the only ownerReference even without controller: true, and ignores several non-controllers', () => {
    expect(load(pod('a-1', { owner: ['DaemonSet', 'agent'], controller: false })).map((e) => e.id)).toEqual(['shop/agent[DaemonSet]']);
    const two = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\n  ownerReferences:\n  - {kind: DaemonSet, name: a}\n  - {kind: DaemonSet, name: b}\nspec: {containers: []}\n`;
    expect(load(two).map((e) => e.id)).toEqual(['shop/p[Pod]']);
  });

  it('keeps pod details: init containers, command/args verbatim, hostNetwork, nodeName, accounts', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  hostNetwork: true
  nodeName: cp1
  serviceAccountName: sa
  priorityClassName: system-node-critical
  initContainers:
  - {name: init, image: busybox, ports: [{containerPort: 9000}]}
  containers:
  - name: api
    image: k8s/kube-apiserver
    command: [kube-apiserver, --anonymous-auth=false]
    args: ["--secure-port=6443"]
    ports: [{containerPort: 6443, name: https, protocol: TCP}, {containerPort: 53, protocol: UDP}]
    resources: {requests: {cpu: 250m, memory: 1}, limits: {memory: 1Gi}}
`;
    const [e] = load(text);
    expect(e).toMatchObject({
      id: 'kube-system/kube-apiserver[Pod]',
      hostNetwork: true,
      nodeName: 'cp1',
      serviceAccountName: 'sa',
      priorityClassName: 'system-node-critical',
    });
    expect(e!.ports).toEqual([
      { name: 'https', port: 6443, protocol: 'TCP' },
      { name: '', port: 53, protocol: 'UDP' },
    ]);
    expect(e!.containers.map((c) => [c.name, c.init, c.command, c.args, c.requests, c.limits, c.location.line])).toEqual([
      ['init', true, [], [], {}, {}, 10],
      ['api', false, ['kube-apiserver', '--anonymous-auth=false'], ['--secure-port=6443'], { cpu: '250m', memory: '1' }, { memory: '1Gi' }, 12],
    ]);
  });

  it("a pod whose containers repeat another object's verbatim (one parsed list in a JSON List) still has its own containers and locations", () => {
    // the fast path hands both objects the same parsed list; the pod's containers are read again,
    // on first use, at the pod's own position
    const containers = [{ name: 'c', image: 'img', ports: [{ containerPort: 8080, name: 'http' }] }];
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web', namespace: 'shop' },
          spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers } } },
        },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo', namespace: 'shop' }, spec: { containers } },
      ],
    };
    const text = JSON.stringify(list); // compact: the two lists are the same text, so one parsed value
    const r = loadCluster([{ name: 'l.json', text }]);
    expect(r.diagnostics).toEqual([]);
    const solo = r.cluster.endpoints.find((e) => e.id === 'shop/solo[Pod]')!;
    expect(solo.containers.map((c) => [c.name, c.image, c.ports.map((p) => p.port)])).toEqual([['c', 'img', [8080]]]);
    // a container is located at its own mapping: the `{` of the pod's list, not the Deployment's
    const line = 1;
    const col = text.indexOf('[{"name":"c"', text.indexOf('"solo"')) + 2;
    expect(col).toBeGreaterThan(text.indexOf('[{"name":"c"') + 2);
    expect(solo.containers[0]!.location).toEqual({ file: 'l.json', line, col, doc: 0 });
  });
});
