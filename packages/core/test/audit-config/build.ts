/**
 * Test helpers: small Cluster values built by hand, so the audit is tested without the loader.
 * `otherFrom` parses one YAML document with the `yaml` package and locates paths by the node
 * positions it reports (line of the value node), which is all OtherObject.locate promises.
 */
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { SourceLocation } from '../../src/diagnostics/diagnostic.js';
import type { Cluster, Container, Endpoint, OtherObject, Service } from '../../src/model/types.js';

export function loc(file: string, line: number, col = 1): SourceLocation {
  return { file, line, col, doc: 0 };
}

export function otherFrom(file: string, text: string): OtherObject {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const value = doc.toJS() as Record<string, unknown>;
  const at = (offset: number): SourceLocation => {
    const p = lc.linePos(offset);
    return { file, line: p.line, col: p.col, doc: 0 };
  };
  const own = at(doc.contents?.range?.[0] ?? 0);
  const metadata = (value['metadata'] ?? {}) as Record<string, unknown>;
  return {
    apiVersion: String(value['apiVersion']),
    kind: String(value['kind']),
    namespace: typeof metadata['namespace'] === 'string' ? metadata['namespace'] : null,
    name: typeof metadata['name'] === 'string' ? metadata['name'] : null,
    value,
    location: own,
    locate: (path) => {
      const node: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
      return isNode(node) && node.range ? at(node.range[0]) : own;
    },
  };
}

export function container(name: string, over: Partial<Container> = {}): Container {
  return {
    name,
    image: `${name}:latest`,
    command: [],
    args: [],
    ports: [],
    requests: {},
    limits: {},
    init: false,
    location: loc('pod.yaml', 10),
    ...over,
  };
}

export function endpoint(namespace: string, name: string, over: Partial<Endpoint> = {}): Endpoint {
  const kind = over.kind ?? 'Pod';
  return {
    id: `${namespace}/${name}[${kind}]`,
    kind,
    namespace,
    name,
    labels: {},
    ports: [],
    containers: [container(name)],
    ips: [],
    hostNetwork: false,
    nodeName: null,
    replicas: null,
    podCount: 0,
    serviceAccountName: null,
    priorityClassName: null,
    location: loc(`${name}.yaml`, 1),
    ...over,
  };
}

/** A static pod running `binary` with the given flags, as kubeadm writes them. */
export function staticPod(binary: string, flags: readonly string[], file = `${binary}.yaml`): Endpoint {
  return endpoint('kube-system', `${binary}-cp-1`, {
    labels: { component: binary, tier: 'control-plane' },
    hostNetwork: true,
    containers: [container(binary, { command: [binary, ...flags], location: loc(file, 14, 5) })],
    location: loc(file, 1),
  });
}

export function service(namespace: string, name: string, over: Partial<Service> = {}): Service {
  return {
    namespace,
    name,
    type: 'ClusterIP',
    selector: null,
    ports: [],
    clusterIPs: [],
    location: loc(`${name}-svc.yaml`, 1),
    ...over,
  };
}

export function cluster(over: Partial<Cluster> = {}): Cluster {
  return { namespaces: [], endpoints: [], nodes: [], services: [], policies: [], others: [], ...over };
}
