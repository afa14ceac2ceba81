import { describe, expect, it } from 'vitest';
import { auditConfiguration } from '../../src/audit/config/audit.js';
import type { Finding } from '../../src/audit/finding.js';
import type { Cluster } from '../../src/model/types.js';
import { cluster, loc, otherFrom, staticPod } from './build.js';

const NO_FACTS = { kubeconfigs: [] };

/** The etcd flags kubeadm writes (phases/etcd/local.go), for node 10.0.0.10. */
const KUBEADM_ETCD = [
  '--advertise-client-urls=https://10.0.0.10:2379',
  '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
  '--client-cert-auth=true',
  '--data-dir=/var/lib/etcd',
  '--initial-advertise-peer-urls=https://10.0.0.10:2380',
  '--initial-cluster=cp-1=https://10.0.0.10:2380',
  '--key-file=/etc/kubernetes/pki/etcd/server.key',
  '--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379',
  '--listen-metrics-urls=http://127.0.0.1:2381',
  '--listen-peer-urls=https://10.0.0.10:2380',
  '--name=cp-1',
  '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
  '--peer-client-cert-auth=true',
  '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
  '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
  '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
];

const KUBEADM_APISERVER = [
  '--advertise-address=10.0.0.10',
  '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
  '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
  '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
  '--etcd-servers=https://127.0.0.1:2379',
  '--secure-port=6443',
];

function ids(c: Cluster): string[] {
  return auditConfiguration(c, NO_FACTS).map((f) => `${f.id} ${f.subject}`);
}

function only(c: Cluster, id: string): Finding[] {
  return auditConfiguration(c, NO_FACTS).filter((f) => f.id === id);
}

// Static pods in kube-system also raise the two namespace findings (low); tests here drop them.
function controlPlaneIds(c: Cluster): string[] {
  return ids(c).filter((s) => !s.startsWith('NAMESPACE_'));
}

describe('nothing in, nothing out', () => {
  it('an empty cluster has no findings', () => {
    expect(auditConfiguration(cluster(), NO_FACTS)).toEqual([]);
  });
});

describe('API server (static pod)', () => {
  it('kubeadm flags only lack encryption at rest', () => {
    expect(controlPlaneIds(cluster({ endpoints: [staticPod('kube-apiserver', KUBEADM_APISERVER)] }))).toEqual([
      'APISERVER_NO_ENCRYPTION_AT_REST kube-system/kube-apiserver-cp-1[Pod]',
    ]);
  });

  it('APISERVER_INSECURE_PORT for any value but 0, at the container', () => {
    const flags = [...KUBEADM_APISERVER, '--encryption-provider-config=/etc/kubernetes/enc.yaml', '--insecure-port', '8080'];
    const [f] = only(cluster({ endpoints: [staticPod('kube-apiserver', flags)] }), 'APISERVER_INSECURE_PORT');
    expect(f).toMatchObject({ severity: 'high', evidence: '--insecure-port 8080', location: loc('kube-apiserver.yaml', 14, 5) });
    expect(f?.fix).toContain('--insecure-port=0');
    const zero = [...KUBEADM_APISERVER, '--insecure-port=0'];
    expect(only(cluster({ endpoints: [staticPod('kube-apiserver', zero)] }), 'APISERVER_INSECURE_PORT')).toEqual([]);
  });

  it('APISERVER_ETCD_PLAINTEXT lists every cause', () => {
    const flags = ['--etcd-servers=http://10.0.0.10:2379,https://10.0.0.11:2379', '--etcd-cafile=/ca.crt'];
    const [f] = only(cluster({ endpoints: [staticPod('kube-apiserver', flags)] }), 'APISERVER_ETCD_PLAINTEXT');
    expect(f?.evidence).toBe(
      '--etcd-servers=http://10.0.0.10:2379,https://10.0.0.11:2379 (plaintext: http://10.0.0.10:2379); no --etcd-certfile; no --etcd-keyfile',
    );
    expect(f?.fix).toContain('--etcd-servers=https://10.0.0.10:2379,https://10.0.0.11:2379');
    expect(f?.fix).toContain('--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key');
  });

  it('an unused EncryptionConfiguration is named in the evidence', () => {
    const enc = otherFrom(
      'enc.yaml',
      'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - kms: {apiVersion: v2, name: k, endpoint: unix:///k.sock}\n',
    );
    const [f] = only(cluster({ endpoints: [staticPod('kube-apiserver', KUBEADM_APISERVER)], others: [enc] }), 'APISERVER_NO_ENCRYPTION_AT_REST');
    expect(f?.evidence).toBe(
      'no --encryption-provider-config flag (an EncryptionConfiguration is in the input at enc.yaml:1, but the API server does not load it)',
    );
    expect(f?.fix).toContain('kubectl get secrets --all-namespaces -o json | kubectl replace -f -');
  });
});

describe('etcd (static pod)', () => {
  it('kubeadm flags are clean', () => {
    expect(controlPlaneIds(cluster({ endpoints: [staticPod('etcd', KUBEADM_ETCD)] }))).toEqual([]);
  });

  it('bare etcd raises all three, using etcd defaults for the listen URLs', () => {
    const fs = auditConfiguration(cluster({ endpoints: [staticPod('etcd', ['--data-dir=/var/lib/etcd'])] }), NO_FACTS);
    const byId = new Map(fs.map((f) => [f.id, f.evidence]));
    expect(byId.get('ETCD_NO_CLIENT_TLS')).toBe('no --listen-client-urls: etcd then listens on http://localhost:2379; no --cert-file; no --key-file');
    expect(byId.get('ETCD_NO_CLIENT_CERT_AUTH')).toBe('no --client-cert-auth; no --trusted-ca-file');
    expect(byId.get('ETCD_PEER_NO_TLS')).toBe(
      'no --listen-peer-urls: etcd then listens on http://localhost:2380; no --peer-cert-file; no --peer-key-file; no --peer-trusted-ca-file; no --peer-client-cert-auth',
    );
  });

  it('--client-cert-auth=false is not enough', () => {
    const flags = KUBEADM_ETCD.map((f) => (f === '--client-cert-auth=true' ? '--client-cert-auth=false' : f));
    const [f] = only(cluster({ endpoints: [staticPod('etcd', flags)] }), 'ETCD_NO_CLIENT_CERT_AUTH');
    expect(f).toMatchObject({ severity: 'high', evidence: '--client-cert-auth=false (not true)' });
  });

  it('an http:// advertised client URL is plaintext', () => {
    const flags = [...KUBEADM_ETCD, '--advertise-client-urls=http://10.0.0.10:2379'];
    expect(only(cluster({ endpoints: [staticPod('etcd', flags)] }), 'ETCD_NO_CLIENT_TLS').map((f) => f.evidence)).toEqual([
      '--advertise-client-urls=http://10.0.0.10:2379 (plaintext: http://10.0.0.10:2379)',
    ]);
  });

  it('peer over http is medium', () => {
    const flags = [...KUBEADM_ETCD, '--listen-peer-urls=http://10.0.0.10:2380'];
    expect(only(cluster({ endpoints: [staticPod('etcd', flags)] }), 'ETCD_PEER_NO_TLS').map((f) => [f.severity, f.evidence])).toEqual([
      ['medium', '--listen-peer-urls=http://10.0.0.10:2380 (plaintext: http://10.0.0.10:2380)'],
    ]);
  });
});

describe('TLS_MIN_VERSION_WEAK', () => {
  it.each<[string, string, boolean]>([
    ['kube-apiserver', 'VersionTLS10', true],
    ['kube-apiserver', 'VersionTLS11', true],
    ['kube-apiserver', 'VersionTLS12', false],
    ['kube-apiserver', 'VersionTLS13', false],
    ['etcd', 'TLS1.1', true],
    ['etcd', 'TLS1.2', false],
    ['kube-scheduler', 'VersionTLS10', true],
  ])('%s --tls-min-version=%s -> %s', (binary, version, weak) => {
    const base = binary === 'etcd' ? KUBEADM_ETCD : binary === 'kube-apiserver' ? KUBEADM_APISERVER : [];
    const fs = only(cluster({ endpoints: [staticPod(binary, [...base, `--tls-min-version=${version}`])] }), 'TLS_MIN_VERSION_WEAK');
    expect(fs.map((f) => f.evidence)).toEqual(weak ? [`--tls-min-version=${version}`] : []);
  });

  it('kubelet tlsMinVersion, located at the field', () => {
    const kc = otherFrom(
      'kubelet.yaml',
      'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\ntlsMinVersion: VersionTLS11\n',
    );
    const [f] = only(cluster({ others: [kc] }), 'TLS_MIN_VERSION_WEAK');
    expect(f).toMatchObject({ subject: 'KubeletConfiguration', evidence: 'tlsMinVersion: VersionTLS11', location: { file: 'kubelet.yaml', line: 4, col: 16 } });
    expect(f?.fix).toContain('tlsMinVersion: VersionTLS12');
  });
});

describe('kubeadm ClusterConfiguration', () => {
  const v1beta3 = `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
kubernetesVersion: v1.29.0
apiServer:
  extraArgs:
    encryption-provider-config: /etc/kubernetes/enc/enc.yaml
    tls-min-version: VersionTLS11
etcd:
  local:
    dataDir: /var/lib/etcd
`;
  const v1beta4 = `apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
  - name: insecure-port
    value: "8080"
  - name: insecure-port
    value: "0"
  - name: etcd-keyfile
    value: ""
etcd:
  local:
    extraArgs:
    - name: client-cert-auth
      value: "false"
`;

  it('v1beta3: defaults are secure, extraArgs override them, located at the map entry', () => {
    const fs = auditConfiguration(cluster({ others: [otherFrom('kubeadm.yaml', v1beta3)] }), NO_FACTS);
    expect(fs.map((f) => [f.id, f.subject, f.evidence, f.location?.line])).toEqual([
      ['TLS_MIN_VERSION_WEAK', 'kube-apiserver[ClusterConfiguration]', 'apiServer.extraArgs.tls-min-version: "VersionTLS11"', 7],
    ]);
    expect(fs[0]?.fix).toContain('`tls-min-version: "VersionTLS12"` under `apiServer.extraArgs` in kubeadm.yaml');
  });

  it('v1beta4: list extraArgs, last one wins, located at the list item', () => {
    const fs = auditConfiguration(cluster({ others: [otherFrom('kubeadm.yaml', v1beta4)] }), NO_FACTS);
    expect(fs.map((f) => [f.id, f.subject, f.location?.line])).toEqual([
      ['APISERVER_ETCD_PLAINTEXT', 'kube-apiserver[ClusterConfiguration]', 9],
      ['APISERVER_NO_ENCRYPTION_AT_REST', 'kube-apiserver[ClusterConfiguration]', 4],
      ['ETCD_NO_CLIENT_CERT_AUTH', 'etcd[ClusterConfiguration]', 14],
    ]);
    expect(fs[0]?.evidence).toBe('apiServer.extraArgs[2]: {name: etcd-keyfile, value: ""} (empty)');
    expect(fs[2]?.evidence).toBe('etcd.local.extraArgs[0]: {name: client-cert-auth, value: "false"} (not true)');
    expect(fs[2]?.fix).toContain('`- {name: client-cert-auth, value: "true"}` under `etcd.local.extraArgs`');
  });

  it('external etcd: no etcd audit; its endpoints and files feed the API server check', () => {
    const ext = `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
apiServer:
  extraArgs:
    encryption-provider-config: /etc/kubernetes/enc/enc.yaml
etcd:
  external:
    endpoints:
    - http://10.0.0.20:2379
    caFile: /etc/etcd/ca.crt
`;
    const fs = auditConfiguration(cluster({ others: [otherFrom('kubeadm.yaml', ext)] }), NO_FACTS);
    expect(fs.map((f) => [f.id, f.evidence, f.location?.line])).toEqual([
      [
        'APISERVER_ETCD_PLAINTEXT',
        'etcd.external.endpoints: http://10.0.0.20:2379 (plaintext: http://10.0.0.20:2379); no --etcd-certfile; no --etcd-keyfile',
        9,
      ],
    ]);
  });

  it('a static pod wins over the ClusterConfiguration for the same component', () => {
    const c = cluster({ endpoints: [staticPod('kube-apiserver', KUBEADM_APISERVER)], others: [otherFrom('kubeadm.yaml', v1beta3)] });
    expect(controlPlaneIds(c)).toEqual(['APISERVER_NO_ENCRYPTION_AT_REST kube-system/kube-apiserver-cp-1[Pod]']);
  });
});
