import { describe, expect, it } from 'vitest';
import { auditConfiguration } from '../../src/audit/config/audit.js';
import type { Finding } from '../../src/audit/finding.js';
import type { Cluster, Endpoint, Node } from '../../src/model/types.js';
import { cluster, container, endpoint, loc, otherFrom } from './build.js';

function limitRange(ns: string, limitsYaml: string, name = 'limits') {
  return otherFrom(`${ns}-lr.yaml`, `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  limits:\n${limitsYaml}`);
}
function quota(ns: string, hardYaml: string) {
  return otherFrom(`${ns}-quota.yaml`, `apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\n  namespace: ${ns}\nspec:\n  hard:\n${hardYaml}`);
}
function app(over: Partial<Endpoint> & { requests?: Record<string, string>; limits?: Record<string, string> } = {}): Endpoint {
  const { requests = {}, limits = {}, ...rest } = over;
  return endpoint('team', 'web', { kind: 'Deployment', containers: [container('app', { requests, limits, location: loc('web.yaml', 20, 9) })], ...rest });
}
function of(c: Cluster, id: string): Finding[] {
  return auditConfiguration(c, { kubeconfigs: [] }).filter((f) => f.id === id);
}

// A Container item as a team would write it: bounds and defaults for cpu and memory.
const CONTAINER_ITEM = `  - type: Container
    max: {cpu: "2", memory: 1Gi}
    min: {cpu: 50m, memory: 64Mi}
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}
    maxLimitRequestRatio: {cpu: "4"}
`;

describe('WORKLOAD_VIOLATES_LIMITRANGE', () => {
  it('within bounds is clean', () => {
    expect(
      of(
        cluster({ endpoints: [app({ requests: { cpu: '250m' }, limits: { cpu: '1' } })], others: [limitRange('team', CONTAINER_ITEM)] }),
        'WORKLOAD_VIOLATES_LIMITRANGE',
      ),
    ).toEqual([]);
  });

  it('no resources at all: defaults fill both, ratio 500m/100m = 5 > 4', () => {
    const [f] = of(cluster({ endpoints: [app()], others: [limitRange('team', CONTAINER_ITEM)] }), 'WORKLOAD_VIOLATES_LIMITRANGE');
    expect(f?.evidence).toBe(
      'container "app": cpu limit 500m (from default of LimitRange team/limits (spec.limits[0].default.cpu)) / request 100m (from defaultRequest of LimitRange team/limits (spec.limits[0].defaultRequest.cpu)) = 5 above maxLimitRequestRatio 4 (LimitRange team/limits spec.limits[0].maxLimitRequestRatio.cpu)',
    );
    expect(f).toMatchObject({ subject: 'team/web[Deployment]', severity: 'medium', location: loc('web.yaml', 20, 9) });
  });

  it('limit above max, request below min', () => {
    const [f] = of(
      cluster({
        endpoints: [app({ requests: { cpu: '1', memory: '32Mi' }, limits: { cpu: '3', memory: '512Mi' } })],
        others: [limitRange('team', CONTAINER_ITEM)],
      }),
      'WORKLOAD_VIOLATES_LIMITRANGE',
    );
    expect(f?.evidence).toBe(
      'container "app": memory request 32Mi below min 64Mi (LimitRange team/limits spec.limits[0].min.memory); container "app": cpu limit 3 above max 2 (LimitRange team/limits spec.limits[0].max.cpu)',
    );
    expect(f?.fix).toBe(
      'in web.yaml: set requests.memory of container "app" to at least 64Mi; set limits.cpu of container "app" to at most 2; or change the LimitRange',
    );
  });

  it('a request above the default limit fails validation', () => {
    const item = '  - type: Container\n    default: {memory: 256Mi}\n';
    const [f] = of(cluster({ endpoints: [app({ requests: { memory: '512Mi' } })], others: [limitRange('team', item)] }), 'WORKLOAD_VIOLATES_LIMITRANGE');
    expect(f?.evidence).toBe(
      'container "app": memory request 512Mi above the limit 256Mi filled in from the default of LimitRange team/limits (spec.limits[0].default.memory)',
    );
  });

  it('max alone becomes the default limit (storage defaulting), so a container without limits passes', () => {
    const item = '  - type: Container\n    max: {memory: 1Gi}\n';
    expect(of(cluster({ endpoints: [app({ requests: { memory: '100Mi' } })], others: [limitRange('team', item)] }), 'WORKLOAD_VIOLATES_LIMITRANGE')).toEqual(
      [],
    );
  });

  it('a request is defaulted from the container limit before defaultRequest applies', () => {
    // limit 2 with no request: request = 2 (pod defaulting), not defaultRequest 100m; ratio 1 is fine.
    expect(of(cluster({ endpoints: [app({ limits: { cpu: '2' } })], others: [limitRange('team', CONTAINER_ITEM)] }), 'WORKLOAD_VIOLATES_LIMITRANGE')).toEqual(
      [],
    );
  });

  it('Pod items bound the sum of the containers', () => {
    const item = '  - type: Pod\n    max: {cpu: "1"}\n';
    const e = endpoint('team', 'web', {
      kind: 'Deployment',
      containers: [container('a', { limits: { cpu: '600m' } }), container('b', { limits: { cpu: '600m' } })],
      location: loc('web.yaml', 1),
    });
    const [f] = of(cluster({ endpoints: [e], others: [limitRange('team', item)] }), 'WORKLOAD_VIOLATES_LIMITRANGE');
    expect(f?.evidence).toBe('the pod (all containers): cpu limit 1200m above max 1 (LimitRange team/limits spec.limits[0].max.cpu)');
    expect(f?.location).toEqual(loc('web.yaml', 1));
  });

  it('only the namespace of the LimitRange', () => {
    const item = '  - type: Container\n    max: {cpu: 100m}\n';
    expect(of(cluster({ endpoints: [app({ limits: { cpu: '1' } })], others: [limitRange('other', item)] }), 'WORKLOAD_VIOLATES_LIMITRANGE')).toEqual([]);
  });
});

describe('NAMESPACE_EXCEEDS_RESOURCEQUOTA', () => {
  const nodes = (n: number): Node[] =>
    Array.from({ length: n }, (_, i) => ({ name: `n${i}`, labels: {}, addresses: [], controlPlane: false, podCIDRs: [], location: loc('nodes.yaml', i + 1) }));

  it('requests x replicas above hard, located at the hard key', () => {
    const c = cluster({
      endpoints: [app({ replicas: 3, requests: { cpu: '500m', memory: '1Gi' } })],
      others: [quota('team', '    requests.cpu: "2"\n    requests.memory: 2Gi\n    pods: "10"\n')],
    });
    const [f] = of(c, 'NAMESPACE_EXCEEDS_RESOURCEQUOTA');
    expect(f?.evidence).toBe('requests.memory: 3Gi needed > hard 2Gi (team/web[Deployment] 3 x 1Gi)');
    expect(f).toMatchObject({ subject: 'team', location: { file: 'team-quota.yaml', line: 9 } });
  });

  it('cpu 1500m fits a hard of 1.5 exactly', () => {
    const c = cluster({ endpoints: [app({ replicas: 3, requests: { cpu: '500m' } })], others: [quota('team', '    cpu: "1.5"\n')] });
    expect(of(c, 'NAMESPACE_EXCEEDS_RESOURCEQUOTA')).toEqual([]);
  });

  it('DaemonSets count one pod per node; pods count', () => {
    const ds = endpoint('team', 'agent', { kind: 'DaemonSet', containers: [container('agent', { limits: { memory: '100Mi' } })] });
    const c = cluster({ endpoints: [ds, app({ replicas: 2 })], nodes: nodes(4), others: [quota('team', '    pods: "5"\n    limits.memory: 300Mi\n')] });
    expect(of(c, 'NAMESPACE_EXCEEDS_RESOURCEQUOTA').map((f) => f.evidence)).toEqual([
      'pods: 6 needed > hard 5 (team/agent[DaemonSet] 4, team/web[Deployment] 2); limits.memory: 400Mi needed > hard 300Mi (team/agent[DaemonSet] 4 x 100Mi)',
    ]);
  });

  it('LimitRange defaults count toward the quota', () => {
    const lr = limitRange('team', '  - type: Container\n    defaultRequest: {cpu: 300m}\n');
    const c = cluster({ endpoints: [app({ replicas: 4 })], others: [lr, quota('team', '    requests.cpu: "1"\n')] });
    expect(of(c, 'NAMESPACE_EXCEEDS_RESOURCEQUOTA').map((f) => f.evidence)).toEqual(['requests.cpu: 1200m needed > hard 1 (team/web[Deployment] 4 x 300m)']);
  });

  it('scoped quotas are skipped', () => {
    const q = otherFrom(
      'q.yaml',
      'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: be, namespace: team}\nspec:\n  hard: {pods: "1"}\n  scopes: [BestEffort]\n',
    );
    expect(of(cluster({ endpoints: [app({ replicas: 3 })], others: [q] }), 'NAMESPACE_EXCEEDS_RESOURCEQUOTA')).toEqual([]);
  });
});

describe('NAMESPACE_NO_LIMITRANGE / NAMESPACE_NO_RESOURCEQUOTA', () => {
  it('namespaces with workloads and neither object, kube-system included', () => {
    const c = cluster({
      endpoints: [app(), endpoint('kube-system', 'coredns', { kind: 'Deployment' })],
      namespaces: [
        { name: 'team', labels: {}, location: loc('ns.yaml', 3) },
        { name: 'empty', labels: {}, location: loc('ns.yaml', 9) },
      ],
      others: [quota('team', '    pods: "10"\n')],
    });
    expect(auditConfiguration(c, { kubeconfigs: [] }).map((f) => [f.id, f.subject, f.location?.file, f.location?.line])).toEqual([
      ['NAMESPACE_NO_LIMITRANGE', 'kube-system', 'coredns.yaml', 1],
      ['NAMESPACE_NO_LIMITRANGE', 'team', 'ns.yaml', 3],
      ['NAMESPACE_NO_RESOURCEQUOTA', 'kube-system', 'coredns.yaml', 1],
    ]);
  });
});
