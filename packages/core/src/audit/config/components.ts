/**
 * The control-plane components present in the input, each with its effective flags.
 *
 * Sources, per component:
 *   static pod   an Endpoint of kind Pod whose container runs the binary (command[0] basename) or, with
 *                the `component: <name>` label, is named after it; one Component per such pod (HA
 *                control planes have one per node).
 *   kubeadm      a ClusterConfiguration: kubeadm's defaults + extraArgs (./kubeadm.ts).
 * When both describe a component, the static pods win: they are what actually runs, and kubeadm only
 * used the ClusterConfiguration to write them. No source, no component, no finding.
 */
import type { Cluster, Container, Endpoint, OtherObject } from '../../model/types.js';
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import { containerArgv, parseFlags, type FlagSet } from './flags.js';
import { hasLocalEtcd, isClusterConfiguration, kubeadmFlags, kubeadmSetFlags, kubeadmUnsetFlag, type KubeadmComponent } from './kubeadm.js';

export type ComponentName = 'kube-apiserver' | 'etcd' | 'kube-controller-manager' | 'kube-scheduler';

export const COMPONENT_NAMES: readonly ComponentName[] = ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler'];

const KUBEADM_KEY: Readonly<Record<ComponentName, KubeadmComponent>> = {
  'kube-apiserver': 'apiServer',
  etcd: 'etcd',
  'kube-controller-manager': 'controllerManager',
  'kube-scheduler': 'scheduler',
};

export interface Component {
  readonly name: ComponentName;
  /** `kube-system/kube-apiserver-cp-1[Pod]`, or `kube-apiserver[ClusterConfiguration]`. */
  readonly subject: string;
  readonly flags: FlagSet;
  /** Where a missing flag belongs: the container, or the component's section of the configuration. */
  readonly location: SourceLocation;
  /** Fix text for setting flags (one sentence for all of them) in this source. */
  readonly setFlags: (flags: readonly (readonly [string, string])[]) => string;
  /** Fix text for removing a flag from this source. */
  readonly unsetFlag: (flag: string) => string;
}

function basename(path: string | undefined): string {
  return path === undefined ? '' : (path.split('/').pop() ?? '');
}

/** The container running `name` in a static pod, or null when the pod is not that component. */
function componentContainer(e: Endpoint, name: ComponentName): Container | null {
  const running = e.containers.filter((c) => !c.init);
  const byBinary = running.find((c) => containerArgv(c.command, c.args).some((t, i) => i < 3 && basename(t) === name));
  if (byBinary !== undefined) return byBinary;
  if (e.labels['component'] === name) return running.find((c) => c.name === name) ?? running[0] ?? null;
  return null;
}

function fromStaticPod(e: Endpoint, name: ComponentName, c: Container): Component {
  const file = c.location.file;
  return {
    name,
    subject: e.id,
    flags: parseFlags(containerArgv(c.command, c.args), c.location),
    location: c.location,
    setFlags: (flags) =>
      `add ${flags.map(([f, v]) => `\`--${f}=${v}\``).join(', ')} to the ${name} container's command in ${file} (on the node: /etc/kubernetes/manifests/${name}.yaml; the kubelet restarts the pod)`,
    unsetFlag: (flag) => `remove \`--${flag}\` from the ${name} container's command in ${file} (on the node: /etc/kubernetes/manifests/${name}.yaml)`,
  };
}

function fromKubeadm(o: OtherObject, name: ComponentName): Component {
  const key = KUBEADM_KEY[name];
  return {
    name,
    subject: `${name}[ClusterConfiguration]`,
    flags: kubeadmFlags(o, key),
    location: o.locate(key === 'etcd' ? ['etcd'] : [key]),
    setFlags: (flags) => kubeadmSetFlags(o, key, flags),
    unsetFlag: (flag) => kubeadmUnsetFlag(o, key, flag),
  };
}

/** Every component configuration in the input, static pods first, in input order. */
export function findComponents(cluster: Cluster): Component[] {
  const out: Component[] = [];
  const seen = new Set<ComponentName>();
  for (const e of cluster.endpoints) {
    if (e.kind !== 'Pod') continue;
    for (const name of COMPONENT_NAMES) {
      const c = componentContainer(e, name);
      if (c === null) continue;
      out.push(fromStaticPod(e, name, c));
      seen.add(name);
      break;
    }
  }
  for (const o of cluster.others) {
    if (!isClusterConfiguration(o)) continue;
    for (const name of COMPONENT_NAMES) {
      if (seen.has(name)) continue;
      if (name === 'etcd' && !hasLocalEtcd(o)) continue; // external etcd: its configuration is not here
      out.push(fromKubeadm(o, name));
    }
  }
  return out;
}
