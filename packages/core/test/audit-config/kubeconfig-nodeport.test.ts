import { describe, expect, it } from 'vitest';
import { auditConfiguration } from '../../src/audit/config/audit.js';
import { CONFIG_FINDING_IDS, CONFIG_FINDING_SEVERITY } from '../../src/audit/config/catalogue.js';
import { cluster, endpoint, loc, service, staticPod } from './build.js';

describe('KUBECONFIG_PERMISSIONS (facts, no files)', () => {
  const audit = (mode: number, uid = 1000, currentUid = 1000) =>
    auditConfiguration(cluster(), { kubeconfigs: [{ path: '/home/ann/.kube/my config', mode, uid, currentUid }] });

  it('0600 owned by the caller is clean; so is 0400', () => {
    expect(audit(0o100600)).toEqual([]);
    expect(audit(0o400)).toEqual([]);
  });

  it('0644: group and others can read', () => {
    expect(audit(0o100644)).toEqual([
      {
        id: 'KUBECONFIG_PERMISSIONS',
        severity: 'high',
        subject: '/home/ann/.kube/my config',
        message: 'The kubeconfig holds cluster credentials, but its group and every local user can read or write it.',
        evidence: 'mode 0644, owner uid 1000 (audit runs as uid 1000)',
        fix: "`chmod 600 '/home/ann/.kube/my config'`",
        location: null,
      },
    ]);
  });

  it('0610 (group execute only) is still flagged; 0600 of another user is flagged', () => {
    expect(audit(0o610).map((f) => f.evidence)).toEqual(['mode 0610, owner uid 1000 (audit runs as uid 1000)']);
    const [f] = audit(0o600, 0, 1000);
    expect(f?.message).toBe('The kubeconfig holds cluster credentials, but it belongs to uid 0, not to the user running the audit (uid 1000).');
    expect(f?.fix).toBe("`chown 1000 '/home/ann/.kube/my config'` (or use a copy you own)");
  });
});

describe('NODEPORT_SERVICE', () => {
  const web = endpoint('shop', 'web', { kind: 'Deployment', labels: { app: 'web', tier: 'fe' } });
  const other = endpoint('other', 'web', { kind: 'Deployment', labels: { app: 'web' } });
  const svc = service('shop', 'web', {
    type: 'NodePort',
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }],
    location: loc('svc.yaml', 1),
  });

  it('names the matching workloads of the same namespace', () => {
    const [f] = auditConfiguration(cluster({ endpoints: [web, other], services: [svc] }), { kubeconfigs: [] }).filter((x) => x.id === 'NODEPORT_SERVICE');
    expect(f).toMatchObject({
      subject: 'shop/web[Service]',
      severity: 'low',
      evidence: 'type NodePort, node ports 30080/TCP -> 80; exposes shop/web[Deployment]',
      location: loc('svc.yaml', 1),
    });
  });

  it('says whether a policy limits who reaches them', () => {
    const isolated = (id: string) => id === 'shop/web[Deployment]';
    const [f] = auditConfiguration(cluster({ endpoints: [web], services: [svc] }), { kubeconfigs: [], isIngressIsolated: isolated }).filter(
      (x) => x.id === 'NODEPORT_SERVICE',
    );
    expect(f?.evidence).toBe('type NodePort, node ports 30080/TCP -> 80; exposes shop/web[Deployment] (ingress limited by a NetworkPolicy)');
    const [g] = auditConfiguration(cluster({ endpoints: [web], services: [svc] }), { kubeconfigs: [], isIngressIsolated: () => false }).filter(
      (x) => x.id === 'NODEPORT_SERVICE',
    );
    expect(g?.evidence).toBe(
      'type NodePort, node ports 30080/TCP -> 80; exposes shop/web[Deployment] (no NetworkPolicy limits ingress: any source that reaches a node reaches it)',
    );
  });

  it('LoadBalancer raises, ClusterIP does not, an empty selector exposes nothing', () => {
    const lb = {
      ...svc,
      type: 'LoadBalancer' as const,
      selector: {},
      ports: [{ name: '', port: 443, targetPort: 443, nodePort: null, protocol: 'TCP' as const }],
    };
    const fs = auditConfiguration(cluster({ endpoints: [web], services: [lb, { ...svc, name: 'internal', type: 'ClusterIP' }] }), { kubeconfigs: [] }).filter(
      (x) => x.id === 'NODEPORT_SERVICE',
    );
    expect(fs.map((f) => f.evidence)).toEqual([
      'type LoadBalancer, node ports auto-assigned node port/TCP -> 443; exposes no selector: endpoints are managed elsewhere',
    ]);
  });
});

describe('order and catalogue', () => {
  it('sorts by severity (high first), then id, then subject', () => {
    const c = cluster({
      endpoints: [
        staticPod('kube-apiserver', [
          '--etcd-servers=https://127.0.0.1:2379',
          '--etcd-cafile=a',
          '--etcd-certfile=b',
          '--etcd-keyfile=c',
          '--insecure-port=8080',
        ]),
      ],
      services: [service('a', 'np', { type: 'NodePort' })],
    });
    expect(
      auditConfiguration(c, { kubeconfigs: [{ path: '/k', mode: 0o644, uid: 1, currentUid: 1 }] }).map((f) => `${f.severity} ${f.id} ${f.subject}`),
    ).toEqual([
      'high APISERVER_INSECURE_PORT kube-system/kube-apiserver-cp-1[Pod]',
      'high APISERVER_NO_ENCRYPTION_AT_REST kube-system/kube-apiserver-cp-1[Pod]',
      'high KUBECONFIG_PERMISSIONS /k',
      'low NAMESPACE_NO_LIMITRANGE kube-system',
      'low NAMESPACE_NO_RESOURCEQUOTA kube-system',
      'low NODEPORT_SERVICE a/np[Service]',
    ]);
  });

  it('every configuration finding id with its severity', () => {
    expect(CONFIG_FINDING_IDS.map((id) => `${id}:${CONFIG_FINDING_SEVERITY[id]}`)).toEqual([
      'APISERVER_INSECURE_PORT:high',
      'APISERVER_NO_ENCRYPTION_AT_REST:high',
      'ENCRYPTION_IDENTITY_FIRST:high',
      'ENCRYPTION_LOCAL_KEY:low',
      'APISERVER_ETCD_PLAINTEXT:high',
      'ETCD_NO_CLIENT_TLS:high',
      'ETCD_NO_CLIENT_CERT_AUTH:high',
      'ETCD_PEER_NO_TLS:medium',
      'TLS_MIN_VERSION_WEAK:medium',
      'NAMESPACE_NO_LIMITRANGE:low',
      'NAMESPACE_NO_RESOURCEQUOTA:low',
      'WORKLOAD_VIOLATES_LIMITRANGE:medium',
      'NAMESPACE_EXCEEDS_RESOURCEQUOTA:medium',
      'KUBECONFIG_PERMISSIONS:high',
      'NODEPORT_SERVICE:low',
    ]);
  });
});
