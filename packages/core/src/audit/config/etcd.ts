/**
 * etcd checks: client TLS, client-certificate authentication, peer TLS. One finding per id and etcd
 * member, listing every cause; the location is the first offending flag (or the container / the
 * configuration section when a flag is missing).
 *
 *   id                         causes
 *   ETCD_NO_CLIENT_TLS         no --cert-file; no --key-file; an http:// URL in --listen-client-urls
 *                              or --advertise-client-urls
 *   ETCD_NO_CLIENT_CERT_AUTH   --client-cert-auth not true; no --trusted-ca-file
 *   ETCD_PEER_NO_TLS           an http:// URL in --listen-peer-urls or --initial-advertise-peer-urls;
 *                              no --peer-cert-file / --peer-key-file / --peer-trusted-ca-file;
 *                              --peer-client-cert-auth not true
 *
 * etcd's own defaults count: --listen-client-urls defaults to http://localhost:2379 and
 * --listen-peer-urls to http://localhost:2380, so leaving them out means plaintext listeners.
 */
import type { Finding } from '../finding.js';
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import type { Component } from './components.js';
import type { ConfigFindingId } from './catalogue.js';
import { isPlaintextUrl, parseGoBool, urlList } from './flags.js';
import { finding } from './make-finding.js';

const ETCD_URL_DEFAULTS: Readonly<Record<string, string>> = {
  'listen-client-urls': 'http://localhost:2379',
  'listen-peer-urls': 'http://localhost:2380',
};

/** Accumulates causes and fixes for one finding. */
class Causes {
  readonly causes: string[] = [];
  readonly fixes: [string, string][] = [];
  location: SourceLocation | null = null;
  constructor(private readonly etcd: Component) {}

  missingFile(flag: string, example: string): void {
    const v = this.etcd.flags.get(flag);
    if (v !== undefined && v.value.trim() !== '') return;
    this.causes.push(`no --${flag}`);
    this.fixes.push([flag, example]);
  }

  plaintextUrls(flag: string, httpsExample: string): void {
    const v = this.etcd.flags.get(flag);
    const fallback = ETCD_URL_DEFAULTS[flag];
    if (v === undefined && fallback === undefined) return;
    const urls = urlList(v?.value ?? (fallback as string));
    const plain = urls.filter(isPlaintextUrl);
    if (plain.length === 0) return;
    this.causes.push(v === undefined ? `no --${flag}: etcd then listens on ${fallback}` : `${v.origin} (plaintext: ${plain.join(', ')})`);
    const fixed = v === undefined ? httpsExample : urls.map((u) => u.replace(/^http:/i, 'https:')).join(',');
    this.fixes.push([flag, fixed]);
    this.location ??= v?.location ?? null;
  }

  notTrue(flag: string): void {
    const v = this.etcd.flags.get(flag);
    if (v !== undefined && parseGoBool(v.value) === true) return;
    this.causes.push(v === undefined ? `no --${flag}` : `${v.origin} (not true)`);
    this.fixes.push([flag, 'true']);
    this.location ??= v?.location ?? null;
  }

  finding(id: ConfigFindingId, message: string): Finding[] {
    if (this.causes.length === 0) return [];
    return [finding(id, this.etcd.subject, message, this.causes.join('; '), this.etcd.setFlags(this.fixes), this.location ?? this.etcd.location)];
  }
}

export function auditEtcd(etcd: Component): Finding[] {
  const client = new Causes(etcd);
  client.plaintextUrls('listen-client-urls', 'https://127.0.0.1:2379,https://<node-ip>:2379');
  client.plaintextUrls('advertise-client-urls', 'https://<node-ip>:2379');
  client.missingFile('cert-file', '/etc/kubernetes/pki/etcd/server.crt');
  client.missingFile('key-file', '/etc/kubernetes/pki/etcd/server.key');

  const auth = new Causes(etcd);
  auth.notTrue('client-cert-auth');
  auth.missingFile('trusted-ca-file', '/etc/kubernetes/pki/etcd/ca.crt');

  const peer = new Causes(etcd);
  peer.plaintextUrls('listen-peer-urls', 'https://<node-ip>:2380');
  peer.plaintextUrls('initial-advertise-peer-urls', 'https://<node-ip>:2380');
  peer.missingFile('peer-cert-file', '/etc/kubernetes/pki/etcd/peer.crt');
  peer.missingFile('peer-key-file', '/etc/kubernetes/pki/etcd/peer.key');
  peer.missingFile('peer-trusted-ca-file', '/etc/kubernetes/pki/etcd/ca.crt');
  peer.notTrue('peer-client-cert-auth');

  return [
    ...client.finding('ETCD_NO_CLIENT_TLS', 'etcd serves clients without TLS: the cluster state, Secrets included, crosses the network in clear text.'),
    ...auth.finding(
      'ETCD_NO_CLIENT_CERT_AUTH',
      'etcd does not require client certificates signed by its CA: anything that reaches port 2379 can read and write the whole cluster state.',
    ),
    ...peer.finding(
      'ETCD_PEER_NO_TLS',
      'etcd members replicate to each other without mutually authenticated TLS: a host on the peer network can read the data or join the cluster.',
    ),
  ];
}
