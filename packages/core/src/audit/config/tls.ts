/**
 * TLS_MIN_VERSION_WEAK: a component accepts TLS 1.0 or 1.1.
 *
 *   source                                         setting          weak values
 *   kube-apiserver, kube-controller-manager,       --tls-min-version VersionTLS10, VersionTLS11
 *   kube-scheduler (static pod or kubeadm)
 *   etcd                                           --tls-min-version TLS1.0, TLS1.1 (etcd's spelling)
 *   KubeletConfiguration                           tlsMinVersion     VersionTLS10, VersionTLS11
 *
 * Unset is not flagged: every one of these servers defaults to TLS 1.2. The controller-manager and
 * scheduler are checked too because the guidance asks for TLS 1.2+ between all components. An
 * unknown value is not flagged either: the component refuses to start with it.
 */
import type { Finding } from '../finding.js';
import type { OtherObject } from '../../model/types.js';
import type { Component } from './components.js';
import { finding } from './make-finding.js';
import { otherSubject, text } from './raw.js';

const WEAK: ReadonlySet<string> = new Set(['VersionTLS10', 'VersionTLS11', 'TLS1.0', 'TLS1.1']);

const MESSAGE = (who: string, value: string): string =>
  `${who} accepts ${value}: TLS 1.0 and 1.1 are deprecated (RFC 8996) and allow downgrade attacks; the hardening guidance asks for TLS 1.2 or later between all components.`;

export function auditComponentTls(c: Component): Finding[] {
  const v = c.flags.get('tls-min-version');
  if (v === undefined || !WEAK.has(v.value.trim())) return [];
  const strong = c.name === 'etcd' ? 'TLS1.2' : 'VersionTLS12';
  return [finding('TLS_MIN_VERSION_WEAK', c.subject, MESSAGE(c.name, v.value), v.origin, c.setFlags([['tls-min-version', strong]]), v.location)];
}

export function isKubeletConfiguration(o: OtherObject): boolean {
  return o.kind === 'KubeletConfiguration' && o.apiVersion.startsWith('kubelet.config.k8s.io/');
}

export function auditKubeletTls(o: OtherObject): Finding[] {
  const raw = o.value as Record<string, unknown> | null;
  const v = typeof raw === 'object' && raw !== null ? text(raw['tlsMinVersion']) : undefined;
  if (v === undefined || !WEAK.has(v.trim())) return [];
  return [
    finding(
      'TLS_MIN_VERSION_WEAK',
      otherSubject(o),
      MESSAGE('The kubelet', v),
      `tlsMinVersion: ${v}`,
      `set \`tlsMinVersion: VersionTLS12\` in ${o.location.file} (on the node: /var/lib/kubelet/config.yaml) and restart the kubelet`,
      o.locate(['tlsMinVersion']),
    ),
  ];
}
