/**
 * API server checks: the insecure port, encryption at rest, and the connection to etcd.
 *
 *   id                               raised when
 *   APISERVER_INSECURE_PORT          --insecure-port is set to anything but 0 (unset = closed: kubeadm
 *                                    never opens it, and Kubernetes >= 1.24 has no such port at all)
 *   APISERVER_NO_ENCRYPTION_AT_REST  --encryption-provider-config is missing or empty
 *   APISERVER_ETCD_PLAINTEXT         an --etcd-servers URL is http://, or --etcd-cafile, --etcd-certfile
 *                                    or --etcd-keyfile is missing (one finding listing every cause)
 */
import type { Finding } from '../finding.js';
import type { Cluster } from '../../model/types.js';
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import type { Component } from './components.js';
import { isPlaintextUrl, urlList } from './flags.js';
import { finding } from './make-finding.js';
import { othersOfKind } from './raw.js';

export function auditApiServer(api: Component, cluster: Cluster): Finding[] {
  return [...insecurePort(api), ...encryptionAtRest(api, cluster), ...etcdPlaintext(api)];
}

function insecurePort(api: Component): Finding[] {
  const port = api.flags.get('insecure-port');
  if (port === undefined || /^[+-]?0+$/.test(port.value.trim())) return [];
  return [
    finding(
      'APISERVER_INSECURE_PORT',
      api.subject,
      `The API server serves HTTP without authentication or authorization on port ${port.value}: anything that reaches it is cluster-admin.`,
      port.origin,
      `${api.setFlags([['insecure-port', '0']])}; on Kubernetes 1.24 and later the flag no longer exists, so ${api.unsetFlag('insecure-port')} instead.`,
      port.location,
    ),
  ];
}

function encryptionAtRest(api: Component, cluster: Cluster): Finding[] {
  const flag = api.flags.get('encryption-provider-config');
  if (flag !== undefined && flag.value.trim() !== '') return [];
  const configs = othersOfKind(cluster.others, ['EncryptionConfiguration', 'EncryptionConfig']);
  const unused = configs[0];
  const evidence = flag === undefined ? 'no --encryption-provider-config flag' : `${flag.origin} (empty)`;
  const note =
    unused === undefined
      ? ''
      : ` (an EncryptionConfiguration is in the input at ${unused.location.file}:${unused.location.line}, but the API server does not load it)`;
  return [
    finding(
      'APISERVER_NO_ENCRYPTION_AT_REST',
      api.subject,
      'Secrets are stored in etcd unencrypted: anyone with a copy of etcd or its backups reads every Secret.',
      evidence + note,
      'write an EncryptionConfiguration (apiserver.config.k8s.io/v1) with a kms v2 provider (or aescbc/secretbox) first for secrets, ' +
        'e.g. /etc/kubernetes/enc/encryption-config.yaml mounted into the API server pod; ' +
        `${api.setFlags([['encryption-provider-config', '/etc/kubernetes/enc/encryption-config.yaml']])}; ` +
        'then re-encrypt existing Secrets with `kubectl get secrets --all-namespaces -o json | kubectl replace -f -`.',
      flag?.location ?? api.location,
    ),
  ];
}

const ETCD_TLS_FILES: readonly [string, string][] = [
  ['etcd-cafile', '/etc/kubernetes/pki/etcd/ca.crt'],
  ['etcd-certfile', '/etc/kubernetes/pki/apiserver-etcd-client.crt'],
  ['etcd-keyfile', '/etc/kubernetes/pki/apiserver-etcd-client.key'],
];

function etcdPlaintext(api: Component): Finding[] {
  const causes: string[] = [];
  const fixes: [string, string][] = [];
  let location: SourceLocation | null = null;
  const servers = api.flags.get('etcd-servers');
  if (servers !== undefined) {
    const plain = urlList(servers.value).filter(isPlaintextUrl);
    if (plain.length > 0) {
      causes.push(`${servers.origin} (plaintext: ${plain.join(', ')})`);
      fixes.push([
        'etcd-servers',
        urlList(servers.value)
          .map((u) => u.replace(/^http:/i, 'https:'))
          .join(','),
      ]);
      location = servers.location;
    }
  }
  for (const [flag, example] of ETCD_TLS_FILES) {
    const v = api.flags.get(flag);
    if (v === undefined || v.value.trim() === '') {
      causes.push(v === undefined ? `no --${flag}` : `${v.origin} (empty)`);
      fixes.push([flag, example]);
      location ??= v?.location ?? null;
    }
  }
  if (causes.length === 0) return [];
  return [
    finding(
      'APISERVER_ETCD_PLAINTEXT',
      api.subject,
      'The API server talks to etcd without mutually authenticated TLS: the whole cluster state, Secrets included, can be read or altered on the way.',
      causes.join('; '),
      api.setFlags(fixes),
      location ?? api.location,
    ),
  ];
}
