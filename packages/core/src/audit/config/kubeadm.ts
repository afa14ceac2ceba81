/**
 * kubeadm ClusterConfiguration (kubeadm.k8s.io v1beta3 and v1beta4) turned into the flags kubeadm
 * would write into the static pod manifests: kubeadm's own defaults, then `extraArgs` on top.
 *
 *   version   extraArgs shape                          location of an override
 *   v1beta3   map   { name: value }                     <component>.extraArgs.<name>
 *   v1beta4   list  [ { name, value } ] (may repeat)    <component>.extraArgs[i]   (last one wins)
 *
 * Only the defaults the audit looks at are modelled (kubeadm's generated control-plane and local etcd
 * static Pod manifests): kubeadm wires etcd client and peer TLS with client-certificate auth, gives
 * the API server its etcd CA/cert/key, never enables the insecure port, never sets
 * `--tls-min-version` (the components then default to TLS 1.2), and does NOT configure encryption at
 * rest. The shape is detected from the value, so v1beta2 (map) also reads correctly.
 */
import type { OtherObject } from '../../model/types.js';
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import type { FlagValue } from './flags.js';
import { at, isRecord, list, text, type Path } from './raw.js';

export type KubeadmComponent = 'apiServer' | 'controllerManager' | 'scheduler' | 'etcd';

/** Flags kubeadm writes for the local etcd member (placeholders where the value is per node). */
const ETCD_LOCAL_DEFAULTS: Readonly<Record<string, string>> = {
  'listen-client-urls': 'https://127.0.0.1:2379,https://<advertise-address>:2379',
  'advertise-client-urls': 'https://<advertise-address>:2379',
  'listen-peer-urls': 'https://<advertise-address>:2380',
  'initial-advertise-peer-urls': 'https://<advertise-address>:2380',
  'cert-file': '/etc/kubernetes/pki/etcd/server.crt',
  'key-file': '/etc/kubernetes/pki/etcd/server.key',
  'trusted-ca-file': '/etc/kubernetes/pki/etcd/ca.crt',
  'client-cert-auth': 'true',
  'peer-cert-file': '/etc/kubernetes/pki/etcd/peer.crt',
  'peer-key-file': '/etc/kubernetes/pki/etcd/peer.key',
  'peer-trusted-ca-file': '/etc/kubernetes/pki/etcd/ca.crt',
  'peer-client-cert-auth': 'true',
};

/** API server flags kubeadm writes to reach a local (stacked) etcd. */
const APISERVER_LOCAL_ETCD_DEFAULTS: Readonly<Record<string, string>> = {
  'etcd-servers': 'https://127.0.0.1:2379',
  'etcd-cafile': '/etc/kubernetes/pki/etcd/ca.crt',
  'etcd-certfile': '/etc/kubernetes/pki/apiserver-etcd-client.crt',
  'etcd-keyfile': '/etc/kubernetes/pki/apiserver-etcd-client.key',
};

export function isClusterConfiguration(o: OtherObject): boolean {
  return o.kind === 'ClusterConfiguration' && o.apiVersion.startsWith('kubeadm.k8s.io/');
}

/** Path of a component's extraArgs inside ClusterConfiguration. */
export function extraArgsPath(component: KubeadmComponent): Path {
  return component === 'etcd' ? ['etcd', 'local', 'extraArgs'] : [component, 'extraArgs'];
}

/** True when the configuration runs a local (stacked) etcd: kubeadm's default unless `etcd.external`. */
export function hasLocalEtcd(o: OtherObject): boolean {
  return !isRecord(at(o.value, ['etcd', 'external']));
}

/** The flags kubeadm would give `component`: defaults, then extraArgs. */
export function kubeadmFlags(o: OtherObject, component: KubeadmComponent): Map<string, FlagValue> {
  const flags = new Map<string, FlagValue>();
  const setDefault = (name: string, value: string, location: SourceLocation): void => {
    flags.set(name, { value, location, origin: `--${name}=${value} (kubeadm default)` });
  };
  const objLoc = o.locate([]);
  if (component === 'etcd') {
    for (const [k, v] of Object.entries(ETCD_LOCAL_DEFAULTS)) setDefault(k, v, o.locate(['etcd']));
  } else if (component === 'apiServer') {
    const external = at(o.value, ['etcd', 'external']);
    if (isRecord(external)) {
      // External etcd: kubeadm passes the endpoints and only the TLS files that are configured.
      const endpoints = list(external['endpoints'])
        .map(text)
        .filter((e): e is string => e !== undefined);
      if (endpoints.length > 0) {
        flags.set('etcd-servers', {
          value: endpoints.join(','),
          location: o.locate(['etcd', 'external', 'endpoints']),
          origin: `etcd.external.endpoints: ${endpoints.join(', ')}`,
        });
      }
      const files: [string, string][] = [
        ['etcd-cafile', 'caFile'],
        ['etcd-certfile', 'certFile'],
        ['etcd-keyfile', 'keyFile'],
      ];
      for (const [flag, field] of files) {
        const v = text(external[field]);
        if (v !== undefined && v !== '') {
          flags.set(flag, { value: v, location: o.locate(['etcd', 'external', field]), origin: `etcd.external.${field}: ${v}` });
        }
      }
    } else {
      for (const [k, v] of Object.entries(APISERVER_LOCAL_ETCD_DEFAULTS)) setDefault(k, v, objLoc);
    }
  }
  for (const [name, value] of readExtraArgs(o, extraArgsPath(component))) flags.set(name, value);
  return flags;
}

/** extraArgs in either shape, in order (later entries override earlier ones). */
function readExtraArgs(o: OtherObject, path: Path): [string, FlagValue][] {
  const raw = at(o.value, path);
  const dotted = path.join('.');
  const out: [string, FlagValue][] = [];
  if (Array.isArray(raw)) {
    raw.forEach((entry, i) => {
      const name = text(at(entry, ['name']));
      const value = text(at(entry, ['value'])) ?? '';
      if (name === undefined) return;
      out.push([name, { value, location: o.locate([...path, i]), origin: `${dotted}[${i}]: {name: ${name}, value: "${value}"}` }]);
    });
  } else if (isRecord(raw)) {
    for (const [name, v] of Object.entries(raw)) {
      const value = text(v) ?? '';
      out.push([name, { value, location: o.locate([...path, name]), origin: `${dotted}.${name}: "${value}"` }]);
    }
  }
  return out;
}

/** How to set flags through this configuration, in the shape its version uses. */
export function kubeadmSetFlags(o: OtherObject, component: KubeadmComponent, flags: readonly (readonly [string, string])[]): string {
  const path = extraArgsPath(component).join('.');
  const listShape = o.apiVersion === 'kubeadm.k8s.io/v1beta4';
  const entries = flags.map(([name, value]) => (listShape ? `\`- {name: ${name}, value: "${value}"}\`` : `\`${name}: "${value}"\``));
  return `add ${entries.join(', ')} under \`${path}\` in ${o.location.file} and regenerate the manifest (kubeadm init phase control-plane / etcd local, or kubeadm upgrade)`;
}

/** How to remove a flag set through extraArgs (or override a default). */
export function kubeadmUnsetFlag(o: OtherObject, component: KubeadmComponent, name: string): string {
  return `remove \`${name}\` from \`${extraArgsPath(component).join('.')}\` in ${o.location.file} and regenerate the manifest`;
}
