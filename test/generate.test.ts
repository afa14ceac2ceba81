/**
 * The benchmark cluster generator (benchmarks/generate.ts): deterministic per seed, sizes exactly as
 * asked, every NetworkPolicy valid per the API's validation rules (checked by an independent validator
 * below, itself tested on bad input), pods shaped as kubectl prints them, variants differing in one
 * policy, and renderings that parse back to the same objects.
 */
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseCidr, parseIP } from '@kubereach/core';
import type { Cidr } from '@kubereach/core';
import { generate, generateCluster, POD_ID_LABEL, renderCluster, resolveOptions } from '../benchmarks/generate.js';
import type { K8sObject, LabelSelectorJson, NetworkPolicyJson, PeerJson, PolicyPortJson } from '../benchmarks/generate.js';

// ---- an independent NetworkPolicy validator (k8s.io/kubernetes pkg/apis/networking/validation) ----

const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN = new RegExp(`^${DNS_LABEL}(\\.${DNS_LABEL})*$`);
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function qualifiedName(key: string): boolean {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? null : key.slice(0, slash);
  if (prefix !== null && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

function labelValue(v: string): boolean {
  return v === '' || (v.length <= 63 && LABEL_NAME.test(v));
}

/** IANA_SVC_NAME: 1-15 of [a-z0-9-], at least one letter, no leading, trailing or double hyphen. */
function svcName(s: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes('--');
}

function selectorErrors(s: LabelSelectorJson, at: string): string[] {
  const errs: string[] = [];
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) {
    if (!qualifiedName(k)) errs.push(`${at}: bad label key ${k}`);
    if (!labelValue(v)) errs.push(`${at}: bad label value ${v}`);
  }
  for (const e of s.matchExpressions ?? []) {
    if (!qualifiedName(e.key)) errs.push(`${at}: bad expression key ${e.key}`);
    const vals = e.values ?? [];
    if ((e.operator === 'In' || e.operator === 'NotIn') && vals.length === 0) errs.push(`${at}: ${e.operator} needs values`);
    if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && vals.length > 0) errs.push(`${at}: ${e.operator} takes no values`);
    for (const v of vals) if (!labelValue(v)) errs.push(`${at}: bad expression value ${v}`);
  }
  return errs;
}

function cidrOf(text: string, at: string, errs: string[]): Cidr | null {
  const c = parseCidr(text);
  if (typeof c === 'string') return (errs.push(`${at}: bad CIDR ${text} (${c})`), null);
  if (c.text !== text) errs.push(`${at}: CIDR ${text} not in canonical form ${c.text}`);
  return c;
}

function peerErrors(p: PeerJson, at: string): string[] {
  const errs: string[] = [];
  const selectors = p.podSelector !== undefined || p.namespaceSelector !== undefined;
  if (p.ipBlock !== undefined && selectors) errs.push(`${at}: ipBlock together with a selector`);
  if (p.ipBlock === undefined && !selectors) errs.push(`${at}: empty peer`);
  if (p.podSelector) errs.push(...selectorErrors(p.podSelector, `${at}.podSelector`));
  if (p.namespaceSelector) errs.push(...selectorErrors(p.namespaceSelector, `${at}.namespaceSelector`));
  if (p.ipBlock) {
    const cidr = cidrOf(p.ipBlock.cidr, `${at}.ipBlock.cidr`, errs);
    for (const [i, x] of (p.ipBlock.except ?? []).entries()) {
      const e = cidrOf(x, `${at}.ipBlock.except[${i}]`, errs);
      if (cidr === null || e === null) continue;
      const strict = e.family === cidr.family && e.start >= cidr.start && e.end <= cidr.end && e.prefix > cidr.prefix;
      if (!strict) errs.push(`${at}.ipBlock.except[${i}]: ${x} not strictly inside ${p.ipBlock.cidr}`);
    }
  }
  return errs;
}

function portErrors(p: PolicyPortJson, at: string): string[] {
  const errs: string[] = [];
  if (!['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(`${at}: protocol ${p.protocol}`);
  if (typeof p.port === 'number' && !(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535)) errs.push(`${at}: port ${p.port}`);
  if (typeof p.port === 'string' && !svcName(p.port)) errs.push(`${at}: port name ${p.port}`);
  if (p.endPort !== undefined) {
    if (typeof p.port !== 'number') errs.push(`${at}: endPort without a numeric port`);
    else if (!(Number.isInteger(p.endPort) && p.endPort >= p.port && p.endPort <= 65535)) errs.push(`${at}: endPort ${p.endPort} < port ${p.port} or > 65535`);
  }
  return errs;
}

function policyErrors(p: NetworkPolicyJson, namespaces: ReadonlySet<string>): string[] {
  const at = `${p.metadata.namespace}/${p.metadata.name}`;
  const errs: string[] = [];
  if (p.apiVersion !== 'networking.k8s.io/v1') errs.push(`${at}: apiVersion ${p.apiVersion}`);
  if (p.metadata.name.length > 253 || !DNS_SUBDOMAIN.test(p.metadata.name)) errs.push(`${at}: bad name`);
  if (!namespaces.has(p.metadata.namespace ?? '')) errs.push(`${at}: unknown namespace`);
  const s = p.spec;
  errs.push(...selectorErrors(s.podSelector, `${at}.podSelector`));
  const types = s.policyTypes;
  if (types.length === 0 || new Set(types).size !== types.length || types.some((t) => t !== 'Ingress' && t !== 'Egress')) {
    errs.push(`${at}: policyTypes ${JSON.stringify(types)}`);
  }
  if (s.ingress !== undefined && !types.includes('Ingress')) errs.push(`${at}: ingress rules but no Ingress type`);
  if (s.egress !== undefined && !types.includes('Egress')) errs.push(`${at}: egress rules but no Egress type`);
  for (const [i, r] of (s.ingress ?? []).entries()) {
    for (const [j, peer] of (r.from ?? []).entries()) errs.push(...peerErrors(peer, `${at}.ingress[${i}].from[${j}]`));
    for (const [j, port] of (r.ports ?? []).entries()) errs.push(...portErrors(port, `${at}.ingress[${i}].ports[${j}]`));
  }
  for (const [i, r] of (s.egress ?? []).entries()) {
    for (const [j, peer] of (r.to ?? []).entries()) errs.push(...peerErrors(peer, `${at}.egress[${i}].to[${j}]`));
    for (const [j, port] of (r.ports ?? []).entries()) errs.push(...portErrors(port, `${at}.egress[${i}].ports[${j}]`));
  }
  return errs;
}

// ---- helpers ----

const byKind = (objs: readonly K8sObject[], kind: string): K8sObject[] => objs.filter((o) => o.kind === kind);
const policiesOf = (objs: readonly K8sObject[]): NetworkPolicyJson[] => byKind(objs, 'NetworkPolicy') as NetworkPolicyJson[];
const nsNames = (objs: readonly K8sObject[]): Set<string> => new Set(byKind(objs, 'Namespace').map((n) => n.metadata.name));

interface PodView {
  spec: { hostNetwork?: boolean; nodeName: string; containers: { ports?: { name: string; protocol: string }[] }[] };
  status: { podIP: string; podIPs: { ip: string }[] };
}
const view = (pod: K8sObject): PodView => pod as unknown as PodView;

const REALISTIC = generateCluster({ pods: 3000, seed: 11 });
const DUAL = generateCluster({ pods: 2500, seed: 5, dualStack: true, namespaces: 30, policies: 400, nodes: 60 });
const ADVERSARIAL = generateCluster({ pods: 1500, seed: 3, shape: 'adversarial', dualStack: true, policies: 100 });

describe('determinism', () => {
  test('the same options give the identical rendering, another seed a different one', () => {
    const a = renderCluster(generateCluster({ pods: 2000, seed: 7, dualStack: true }), 'json');
    expect(renderCluster(generateCluster({ pods: 2000, seed: 7, dualStack: true }), 'json')).toBe(a);
    expect(renderCluster(generateCluster({ pods: 2000, seed: 8, dualStack: true }), 'json')).not.toBe(a);
    const y = renderCluster(generateCluster({ pods: 800, seed: 3, shape: 'adversarial' }), 'yaml');
    expect(renderCluster(generateCluster({ pods: 800, seed: 3, shape: 'adversarial' }), 'yaml')).toBe(y);
  });
});

describe('sizes', () => {
  test.each([
    ['realistic defaults', REALISTIC, { pods: 3000, policies: 200, namespaces: 40, nodes: 100 }],
    ['explicit options', DUAL, { pods: 2500, policies: 400, namespaces: 30, nodes: 60 }],
    ['adversarial', ADVERSARIAL, { pods: 1500, policies: 100, namespaces: 20, nodes: 50 }],
  ])('%s: counts match the options', (_name, objs, want) => {
    expect(byKind(objs, 'Pod')).toHaveLength(want.pods);
    expect(policiesOf(objs)).toHaveLength(want.policies);
    expect(byKind(objs, 'Namespace')).toHaveLength(want.namespaces);
    expect(byKind(objs, 'Node')).toHaveLength(want.nodes);
  });

  test('defaults at 150k pods are the scale target (2,000 namespaces, 10,000 policies, 5,000 nodes)', () => {
    expect(resolveOptions({ pods: 150_000 })).toEqual({
      pods: 150_000,
      seed: 1,
      shape: 'realistic',
      namespaces: 2000,
      policies: 10_000,
      nodes: 5000,
      dualStack: false,
      variant: 0,
      calico: 0,
    });
  });

  test('calico: that fraction of the NetworkPolicies becomes Calico NetworkPolicies, and two tiers are added', () => {
    const objs = generateCluster({ pods: 3000, calico: 0.1 });
    const np = objs.filter((o) => o.kind === 'NetworkPolicy' && o.apiVersion === 'networking.k8s.io/v1').length;
    const calico = objs.filter((o) => o.kind === 'NetworkPolicy' && o.apiVersion === 'projectcalico.org/v3').length;
    expect(np + calico).toBe(200);
    expect(calico).toBe(20);
    expect(objs.filter((o) => o.kind === 'Tier').map((o) => o.metadata.name)).toEqual(['security', 'platform']);
    expect(() => generateCluster({ pods: 1000, calico: 2 })).toThrow(RangeError);
  });

  test('impossible sizes are a RangeError', () => {
    expect(() => generateCluster({ pods: 100, namespaces: 200 })).toThrow(RangeError);
    expect(() => generateCluster({ pods: 0 })).toThrow(RangeError);
    expect(() => generateCluster({ pods: 1000, shape: 'huge' as 'realistic' })).toThrow(RangeError);
  });
});

describe('NetworkPolicies are valid per the API', () => {
  test.each([
    ['realistic', REALISTIC],
    ['realistic dual-stack', DUAL],
    ['adversarial dual-stack', ADVERSARIAL],
  ])('%s: no validation errors', (_name, objs) => {
    const ns = nsNames(objs);
    expect(policiesOf(objs).flatMap((p) => policyErrors(p, ns))).toEqual([]);
  });

  test('the validator rejects what the API rejects', () => {
    const bad: NetworkPolicyJson = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { creationTimestamp: '', name: 'Bad_Name', namespace: 'a', resourceVersion: '1', uid: 'u' },
      spec: {
        podSelector: { matchExpressions: [{ key: 'app', operator: 'In' }] },
        policyTypes: ['Egress'],
        ingress: [
          {
            from: [{}],
            ports: [
              { protocol: 'TCP', port: 0 },
              { protocol: 'TCP', port: 'HTTP' },
            ],
          },
        ],
        egress: [
          {
            to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24', '10.0.0.0/16', 'fd00::/64'] }, podSelector: {} }],
            ports: [
              { protocol: 'TCP', port: 9000, endPort: 8000 },
              { protocol: 'TCP', port: 'http', endPort: 90 },
            ],
          },
        ],
      },
    };
    expect(policyErrors(bad, new Set(['a']))).toEqual([
      'a/Bad_Name: bad name',
      'a/Bad_Name.podSelector: In needs values',
      'a/Bad_Name: ingress rules but no Ingress type',
      'a/Bad_Name.ingress[0].from[0]: empty peer',
      'a/Bad_Name.ingress[0].ports[0]: port 0',
      'a/Bad_Name.ingress[0].ports[1]: port name HTTP',
      'a/Bad_Name.egress[0].to[0]: ipBlock together with a selector',
      'a/Bad_Name.egress[0].to[0].ipBlock.except[0]: 10.1.0.0/24 not strictly inside 10.0.0.0/16',
      'a/Bad_Name.egress[0].to[0].ipBlock.except[1]: 10.0.0.0/16 not strictly inside 10.0.0.0/16',
      'a/Bad_Name.egress[0].to[0].ipBlock.except[2]: fd00::/64 not strictly inside 10.0.0.0/16',
      'a/Bad_Name.egress[0].ports[0]: endPort 8000 < port 9000 or > 65535',
      'a/Bad_Name.egress[0].ports[1]: endPort without a numeric port',
    ]);
  });

  test('realistic policies cover every shape the issue lists', () => {
    const ps = policiesOf(DUAL);
    const peers = ps.flatMap((p) => [...(p.spec.ingress ?? []).flatMap((r) => r.from ?? []), ...(p.spec.egress ?? []).flatMap((r) => r.to ?? [])]);
    const ports = ps.flatMap((p) => [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])].flatMap((r) => r.ports ?? []));
    const names = new Set(ps.map((p) => p.metadata.name.replace(/-[0-9]+$/, '')));
    expect(names).toContain('default-deny-all');
    expect(ps.find((p) => p.metadata.name === 'default-deny-all')!.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(names).toContain('allow-dns-egress');
    expect(ps.find((p) => p.metadata.name === 'allow-dns-egress')!.spec.egress![0]!.ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
    expect(peers.some((p) => p.namespaceSelector?.matchLabels?.['team'] !== undefined && p.podSelector?.matchLabels?.['app'] !== undefined)).toBe(true);
    expect(peers.some((p) => p.podSelector !== undefined && p.namespaceSelector === undefined)).toBe(true);
    expect(peers.some((p) => p.ipBlock?.cidr === '0.0.0.0/0' && p.ipBlock.except!.includes('10.0.0.0/8'))).toBe(true);
    expect(peers.some((p) => p.ipBlock?.cidr === '::/0' && (p.ipBlock.except ?? []).length > 0)).toBe(true);
    expect(ports.some((p) => typeof p.port === 'string')).toBe(true);
    expect(ports.some((p) => p.endPort !== undefined)).toBe(true);
    expect(ps.some((p) => p.spec.policyTypes.length === 1 && p.spec.policyTypes[0] === 'Egress' && p.spec.ingress === undefined)).toBe(true);
  });

  test('every named port a realistic policy uses is declared by some container with that protocol', () => {
    for (const objs of [REALISTIC, DUAL]) {
      const declared = new Set(
        byKind(objs, 'Pod').flatMap((p) => view(p).spec.containers.flatMap((c) => (c.ports ?? []).map((q) => `${q.protocol}/${q.name}`))),
      );
      const used = policiesOf(objs).flatMap((p) => [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])].flatMap((r) => r.ports ?? []));
      for (const p of used) if (typeof p.port === 'string') expect(declared).toContain(`${p.protocol}/${p.port}`);
    }
  });
});

describe('pods look like kubectl get pods -o json', () => {
  test('owner references, pod-template-hash and StatefulSet per-pod labels', () => {
    const deployments = new Set(byKind(REALISTIC, 'Deployment').map((d) => `${d.metadata.namespace}/${d.metadata.name}`));
    const statefulSets = new Set(byKind(REALISTIC, 'StatefulSet').map((d) => `${d.metadata.namespace}/${d.metadata.name}`));
    const kinds = new Map<string, number>();
    for (const pod of byKind(REALISTIC, 'Pod')) {
      const { labels = {}, ownerReferences = [], name, namespace } = pod.metadata;
      expect(ownerReferences).toHaveLength(1);
      const owner = ownerReferences[0]!;
      expect(owner.controller).toBe(true);
      kinds.set(owner.kind, (kinds.get(owner.kind) ?? 0) + 1);
      if (owner.kind === 'ReplicaSet') {
        const hash = labels['pod-template-hash']!;
        expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
        expect(owner.name.endsWith(`-${hash}`)).toBe(true);
        expect(deployments).toContain(`${namespace}/${owner.name.slice(0, -11)}`);
        expect(name).toMatch(new RegExp(`^${owner.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      } else if (owner.kind === 'StatefulSet') {
        expect(statefulSets).toContain(`${namespace}/${owner.name}`);
        expect(labels['statefulset.kubernetes.io/pod-name']).toBe(name);
        expect(name).toBe(`${owner.name}-${labels['apps.kubernetes.io/pod-index']}`);
        expect(labels['controller-revision-hash']!.startsWith(`${owner.name}-`)).toBe(true);
      }
    }
    // 100 nodes: 3 control planes x 4 static pods, 3 DaemonSets x 100 pods.
    expect(kinds.get('Node')).toBe(12);
    expect(kinds.get('DaemonSet')).toBe(300);
    expect((kinds.get('ReplicaSet') ?? 0) + (kinds.get('StatefulSet') ?? 0)).toBe(3000 - 312);
  });

  test('pod IPs: unique, in 10.0.0.0/8 and fd00::/48, inside the node podCIDRs; hostNetwork pods use the node IP', () => {
    const nodes = new Map(byKind(DUAL, 'Node').map((n) => [n.metadata.name, n.spec as { podCIDRs: string[] }] as const));
    const nodeIPs = new Set(
      byKind(DUAL, 'Node').flatMap((n) =>
        (n.status as { addresses: { type: string; address: string }[] }).addresses.filter((a) => a.type === 'InternalIP').map((a) => a.address),
      ),
    );
    const v4 = parseCidr('10.0.0.0/8') as Cidr;
    const v6 = parseCidr('fd00::/48') as Cidr;
    const seen = new Set<string>();
    let host = 0;
    for (const pod of byKind(DUAL, 'Pod')) {
      const { spec, status } = view(pod);
      expect(status.podIPs.map((p) => p.ip)[0]).toBe(status.podIP);
      if (spec.hostNetwork === true) {
        host++;
        for (const { ip } of status.podIPs) expect(nodeIPs).toContain(ip);
        continue;
      }
      const [a, b] = status.podIPs.map((p) => parseIP(p.ip)!);
      expect(a!.family === 4 && a!.value >= v4.start && a!.value <= v4.end).toBe(true);
      expect(b!.family === 6 && b!.value >= v6.start && b!.value <= v6.end).toBe(true);
      const [c4, c6] = nodes.get(spec.nodeName)!.podCIDRs.map((c) => parseCidr(c) as Cidr);
      expect(a!.value >= c4!.start && a!.value <= c4!.end && b!.value >= c6!.start && b!.value <= c6!.end).toBe(true);
      for (const { ip } of status.podIPs) {
        expect(seen.has(ip)).toBe(false);
        seen.add(ip);
      }
    }
    // kube-proxy and node-exporter on 60 nodes, 4 static pods on each of 3 control planes.
    expect(host).toBe(2 * 60 + 12);
  });

  test('nodes and namespaces carry the labels selectors use', () => {
    const cps = byKind(REALISTIC, 'Node').filter((n) => n.metadata.labels!['node-role.kubernetes.io/control-plane'] === '');
    expect(cps.map((n) => n.metadata.name)).toEqual(['control-plane-0', 'control-plane-1', 'control-plane-2']);
    for (const ns of byKind(REALISTIC, 'Namespace')) {
      expect(ns.metadata.labels!['kubernetes.io/metadata.name']).toBe(ns.metadata.name);
      if (!['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(ns.metadata.name)) {
        expect(Object.keys(ns.metadata.labels!)).toEqual(expect.arrayContaining(['team', 'env']));
      }
    }
  });
});

describe('adversarial shape', () => {
  test('every pod has a unique id label, every id is named by a selector, every policy isolates one pod', () => {
    const ids = byKind(ADVERSARIAL, 'Pod').map((p) => p.metadata.labels![POD_ID_LABEL]!);
    expect(new Set(ids).size).toBe(1500);
    const named = new Set<string>();
    for (const p of policiesOf(ADVERSARIAL)) {
      expect(Object.keys(p.spec.podSelector.matchLabels!)).toEqual([POD_ID_LABEL]);
      named.add(p.spec.podSelector.matchLabels![POD_ID_LABEL]!);
      for (const r of p.spec.ingress ?? []) for (const q of r.from ?? []) named.add(q.podSelector!.matchLabels![POD_ID_LABEL]!);
    }
    expect([...named].sort()).toEqual([...ids].sort());
  });
});

describe('variants', () => {
  test.each([1, 2, 3, 4, 5, 6])('variant %i differs from the base in exactly one NetworkPolicy, still valid', (k) => {
    const opts = { pods: 1200, seed: 2, dualStack: true };
    const base = generateCluster(opts).map((o) => JSON.stringify(o));
    const v = generate({ ...opts, variant: k });
    const changed = v.objects.map((o, i) => (JSON.stringify(o) === base[i] ? -1 : i)).filter((i) => i >= 0);
    expect(v.objects).toHaveLength(base.length);
    expect(changed).toHaveLength(1);
    const after = v.objects[changed[0]!] as NetworkPolicyJson;
    const before = JSON.parse(base[changed[0]!]!) as NetworkPolicyJson;
    expect(after.kind).toBe('NetworkPolicy');
    expect([after.metadata.namespace, after.metadata.name]).toEqual([before.metadata.namespace, before.metadata.name]);
    expect(after.spec).not.toEqual(before.spec);
    expect(v.policies[v.variant!.index]).toBe(after);
    expect(policyErrors(after, nsNames(v.objects))).toEqual([]);
  });

  test('variant 0 is the base cluster', () => {
    expect(renderCluster(generateCluster({ pods: 1000, variant: 0 }), 'json')).toBe(renderCluster(generateCluster({ pods: 1000 }), 'json'));
  });
});

describe('rendering', () => {
  test('json is one kubectl-style List that parses back to the objects', () => {
    const text = renderCluster(DUAL, 'json');
    expect(text.startsWith('{"apiVersion":"v1","kind":"List","items":[\n{')).toBe(true);
    expect(JSON.parse(text)).toEqual({ apiVersion: 'v1', kind: 'List', items: DUAL, metadata: { resourceVersion: '' } });
  });

  test('yaml is a multi-document stream that parses back to the objects (YAML 1.2 and 1.1)', () => {
    const objs = [...DUAL.slice(0, 400), ...policiesOf(DUAL), ...policiesOf(ADVERSARIAL).slice(0, 20)];
    const text = renderCluster(objs, 'yaml');
    for (const version of ['1.2', '1.1'] as const) {
      const docs = parseAllDocuments(text, { version });
      expect(Array.isArray(docs) && docs.every((d) => d.errors.length === 0)).toBe(true);
      expect((docs as { toJS(): unknown }[]).map((d) => d.toJS())).toEqual(objs);
    }
  });
});

describe('scale', () => {
  // the full 150k cluster is generated by `npm run bench -- --full`; here a 20k one checks that the
  // counts scale as the defaults say, without a gigabyte-sized test
  test('20k pods: the default shape scales (namespaces ~ pods/75, policies pods/15)', { timeout: 120_000 }, () => {
    const objs = generateCluster({ pods: 20_000 });
    const text = renderCluster(objs, 'json');
    expect(byKind(objs, 'Pod')).toHaveLength(20_000);
    expect(policiesOf(objs)).toHaveLength(Math.round(20_000 / 15));
    expect(text.endsWith('\n],"metadata":{"resourceVersion":""}}\n')).toBe(true);
  });
});
