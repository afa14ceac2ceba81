/**
 * Endpoint classes: endpoints that no selector, ipBlock or named port can tell apart share one class
 * (README "How it works"). The class key is
 *   namespace | labels restricted to the keys some pod selector observes | named ports some rule
 *   references (name/protocol -> number) | the IP atoms of the endpoint's known IPs (only when ipBlocks
 *   match pod IPs).
 * Replicas of one workload, StatefulSet members and pods differing only in pod-template-hash collapse.
 * Everything after this works on class ids, never on endpoints.
 */
import type { Cluster, Endpoint, Labels } from '../model/types.js';
import { parseIP } from '../net/ip.js';
import type { IPAtoms } from './ip-atoms.js';

export interface ClassTable {
  readonly count: number;
  /** endpoint index -> class id */
  readonly ofEndpoint: Int32Array;
  /** class id -> endpoint indices */
  readonly members: readonly (readonly number[])[];
  /** class id -> a representative endpoint (its labels and ports stand for the class) */
  readonly rep: readonly Endpoint[];
  /** class id -> namespace labels */
  readonly nsLabels: readonly Labels[];
  /** class id -> IP atoms of its known pod IPs (empty unless ipBlocks match pod IPs) */
  readonly ipAtoms: readonly (readonly number[])[];
  /** namespace name -> class ids in it */
  readonly byNamespace: ReadonlyMap<string, readonly number[]>;
}

export interface ClassInputs {
  readonly podKeys: ReadonlySet<string>;
  /** `name/protocol` of named ports referenced by some rule */
  readonly namedPorts: ReadonlySet<string>;
  /** null when pod IPs are not matched by ipBlocks */
  readonly ipAtoms: IPAtoms | null;
  /** Whether selectors observe service accounts (Calico's serviceAccountSelector, pcsa.*): they split classes. */
  readonly serviceAccounts?: boolean;
}

export function buildClasses(cluster: Cluster, inp: ClassInputs): ClassTable {
  const nsLabelsByName = new Map<string, Labels>();
  for (const ns of cluster.namespaces) nsLabelsByName.set(ns.name, ns.labels);
  const podKeys = [...inp.podKeys].sort();

  const keyToClass = new Map<string, number>();
  const ofEndpoint = new Int32Array(cluster.endpoints.length);
  const members: number[][] = [];
  const rep: Endpoint[] = [];
  const nsLabels: Labels[] = [];
  const ipAtoms: number[][] = [];
  const byNamespace = new Map<string, number[]>();

  cluster.endpoints.forEach((e, i) => {
    const { key, atoms } = classKey(e, podKeys, inp);
    let c = keyToClass.get(key);
    if (c === undefined) {
      c = members.length;
      keyToClass.set(key, c);
      members.push([]);
      rep.push(e);
      nsLabels.push(nsLabelsByName.get(e.namespace) ?? { 'kubernetes.io/metadata.name': e.namespace });
      ipAtoms.push(atoms);
      let list = byNamespace.get(e.namespace);
      if (list === undefined) byNamespace.set(e.namespace, (list = []));
      list.push(c);
    }
    members[c]!.push(i);
    ofEndpoint[i] = c;
  });

  return { count: members.length, ofEndpoint, members, rep, nsLabels, ipAtoms, byNamespace };
}

/**
 * The class key of an endpoint (see the top of this file) and the IP atoms of its known IPs;
 * `podKeys` sorted. Two endpoints share a class exactly when their keys are equal.
 */
export function classKey(e: Endpoint, podKeys: readonly string[], inp: ClassInputs): { key: string; atoms: number[] } {
  let key = e.hostNetwork ? `H${e.namespace}` : e.namespace;
  for (const k of podKeys) {
    const v = Object.prototype.hasOwnProperty.call(e.labels, k) ? e.labels[k] : undefined;
    key += v === undefined ? '\u0001' : `\u0002${v}`;
  }
  key += '\u0003';
  if (inp.serviceAccounts === true) key += `${e.serviceAccountName ?? 'default'}\u0005`;
  if (inp.namedPorts.size > 0) {
    for (const p of e.ports) {
      if (p.name !== '' && inp.namedPorts.has(`${p.name}/${p.protocol}`)) key += `${p.name}/${p.protocol}=${p.port},`;
    }
  }
  let atoms: number[] = [];
  if (inp.ipAtoms !== null && e.ips.length > 0) {
    const s = new Set<number>();
    for (const ip of e.ips) {
      const a = parseIP(ip);
      if (a !== null) s.add(inp.ipAtoms.find(a.value));
    }
    atoms = [...s].sort((x, y) => x - y);
    key += `\u0004${atoms.join(',')}`;
  }
  return { key, atoms };
}
