/**
 * NetworkPolicies of the shapes real clusters run, exactly `opts.policies` of them, in three passes:
 *
 * 1. `default-deny-all` (Ingress+Egress, empty podSelector) in 90% of the user namespaces;
 * 2. `allow-dns-egress` to kube-system/kube-dns on UDP and TCP 53 wherever egress is denied;
 * 3. the rest round-robin over user namespaces, drawn from this table:
 *
 * | kind               | selects        | rule                                                           |
 * |--------------------|----------------|----------------------------------------------------------------|
 * | same-ns            | app=T          | ingress from app=S (same namespace), named port of T           |
 * | cross-ns           | app=T          | ingress from namespace (team+env / metadata.name / In exprs) AND pods |
 * | monitoring         | {}             | ingress from monitoring/prometheus on named port `metrics`     |
 * | ingress-controller | tier In [frontend] | ingress from ingress-nginx on `http` and 8443               |
 * | internet-egress    | app=T          | Egress only: 0.0.0.0/0 except private ranges (and ::/0) on 443, 80 |
 * | partner-egress     | app=T          | Egress only: public CIDRs with excepts, endPort ranges, UDP 123 |
 * | db-ingress         | app=<db>       | ingress from tier In [backend, worker] on the db's named port  |
 * | egress-to-db       | app=S          | Egress only: to tier In [db, cache] on 5432, 6379, `mysql`     |
 * | from-nodes         | app=T          | ingress from the node network 172.16.0.0/12 (fd01::/64), 8000-8999 |
 * | telco              | tier=telco     | ingress from tier=telco on SCTP 38412 and named `pfcp` (UDP)   |
 * | same-namespace     | {}             | ingress from every pod of the namespace                       |
 * | egress-cross-ns    | app=S          | Egress only: to another namespace's app on its named port      |
 * | deny-egress        | app=T          | Egress only, no rules                                          |
 * | open-port          | app=T          | ingress from anywhere (no `from`) on named `http`/main port    |
 */
import type { World, NamespaceInfo } from './cluster.js';
import type { WorkloadInfo } from './workloads.js';
import type { EgressRuleJson, IngressRuleJson, NetworkPolicyJson, NetworkPolicySpecJson, PeerJson, PolicyPortJson } from './types.js';
import { matchLabels, policy, portOf, randomV4Block, randomV6Block, tcp } from './policy-json.js';
import { PRIVATE_V4, PRIVATE_V6 } from './addressing.js';

type FillKind =
  | 'same-ns'
  | 'cross-ns'
  | 'monitoring'
  | 'ingress-controller'
  | 'internet-egress'
  | 'partner-egress'
  | 'db-ingress'
  | 'egress-to-db'
  | 'from-nodes'
  | 'telco'
  | 'same-namespace'
  | 'egress-cross-ns'
  | 'deny-egress'
  | 'open-port';

const FILL_WEIGHTS: readonly (readonly [FillKind, number])[] = [
  ['same-ns', 20],
  ['cross-ns', 16],
  ['monitoring', 5],
  ['ingress-controller', 5],
  ['internet-egress', 8],
  ['partner-egress', 8],
  ['db-ingress', 8],
  ['egress-to-db', 6],
  ['from-nodes', 3],
  ['telco', 2],
  ['same-namespace', 4],
  ['egress-cross-ns', 10],
  ['deny-egress', 2],
  ['open-port', 3],
];

interface Draft {
  readonly name: string;
  readonly spec: NetworkPolicySpecJson;
}

const DB_TIERS: ReadonlySet<string> = new Set(['db', 'cache', 'queue']);

export function realisticPolicies(world: World): NetworkPolicyJson[] {
  const { ctx } = world;
  const budget = ctx.opts.policies;
  const users = world.namespaces.filter((ns) => !ns.system);
  const out: NetworkPolicyJson[] = [];
  const names = new Map<string, Set<string>>();
  const emit = (ns: NamespaceInfo, d: Draft): void => {
    let used = names.get(ns.name);
    if (!used) names.set(ns.name, (used = new Set()));
    let name = d.name;
    for (let n = 2; used.has(name); n++) name = `${d.name}-${n}`;
    used.add(name);
    out.push(policy(ctx, ns.name, name, d.spec));
  };

  const denied: NamespaceInfo[] = [];
  for (const ns of users) {
    if (out.length >= budget) break;
    if (!ctx.rng.chance(0.9)) continue;
    denied.push(ns);
    emit(ns, { name: 'default-deny-all', spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  }
  for (const ns of denied) {
    if (out.length >= budget) break;
    emit(ns, { name: 'allow-dns-egress', spec: dnsEgress() });
  }
  for (let i = ctx.rng.int(0, users.length - 1); out.length < budget; i = (i + 1) % users.length) {
    const ns = users[i]!;
    const kind = ctx.rng.weighted(FILL_WEIGHTS);
    emit(ns, draft(world, users, ns, kind) ?? sameNamespace(world, ns));
  }
  return out;
}

function dnsEgress(): NetworkPolicySpecJson {
  return {
    egress: [
      {
        ports: [portOf('UDP', 53), portOf('TCP', 53)],
        to: [
          {
            namespaceSelector: matchLabels({ 'kubernetes.io/metadata.name': 'kube-system' }),
            podSelector: matchLabels({ 'k8s-app': 'kube-dns' }),
          },
        ],
      },
    ],
    podSelector: {},
    policyTypes: ['Egress'],
  };
}

function pickWorkload(world: World, ns: NamespaceInfo, pred?: (w: WorkloadInfo) => boolean): WorkloadInfo | null {
  const pool = pred ? ns.workloads.filter(pred) : ns.workloads;
  return pool.length === 0 ? null : world.ctx.rng.pick(pool);
}

function otherNamespace(world: World, users: readonly NamespaceInfo[], ns: NamespaceInfo): NamespaceInfo {
  if (users.length === 1) return ns;
  for (;;) {
    const n = world.ctx.rng.pick(users);
    if (n !== ns) return n;
  }
}

/** The workload's main named port as a policy port (resolved on the destination pod). */
function named(w: WorkloadInfo, name?: string): PolicyPortJson {
  const p = (name !== undefined ? w.ports.find((q) => q.name === name) : undefined) ?? w.ports[0];
  return p === undefined ? tcp(8080) : portOf(p.protocol, p.name);
}

function ingressOnly(podSelector: NetworkPolicySpecJson['podSelector'], ingress: IngressRuleJson[]): NetworkPolicySpecJson {
  return { ingress, podSelector, policyTypes: ['Ingress'] };
}

function egressOnly(podSelector: NetworkPolicySpecJson['podSelector'], egress: EgressRuleJson[]): NetworkPolicySpecJson {
  return egress.length === 0 ? { podSelector, policyTypes: ['Egress'] } : { egress, podSelector, policyTypes: ['Egress'] };
}

function sameNamespace(world: World, ns: NamespaceInfo): Draft {
  const t = pickWorkload(world, ns)!;
  const s = pickWorkload(world, ns)!;
  const ports = [named(t)];
  if (world.ctx.rng.chance(0.25) && t.ports.some((p) => p.name === 'metrics')) ports.push(named(t, 'metrics'));
  return {
    name: `allow-${s.app}-to-${t.app}`,
    spec: ingressOnly(matchLabels({ app: t.app }), [{ from: [{ podSelector: matchLabels({ app: s.app }) }], ports }]),
  };
}

/** One policy of `kind` in `ns`, or null when the namespace has nothing it applies to. */
function draft(world: World, users: readonly NamespaceInfo[], ns: NamespaceInfo, kind: FillKind): Draft | null {
  const { rng, opts } = world.ctx;
  const dual = opts.dualStack;
  switch (kind) {
    case 'same-ns':
      return sameNamespace(world, ns);
    case 'cross-ns': {
      const t = pickWorkload(world, ns)!;
      const other = otherNamespace(world, users, ns);
      const s = pickWorkload(world, other)!;
      const style = rng.weighted([
        ['team-env', 5],
        ['name', 3],
        ['expressions', 2],
      ] as const);
      let peer: PeerJson;
      if (style === 'team-env') {
        peer = { namespaceSelector: matchLabels({ env: other.env, team: other.team }), podSelector: matchLabels({ app: s.app }) };
      } else if (style === 'name') {
        peer = { namespaceSelector: matchLabels({ 'kubernetes.io/metadata.name': other.name }), podSelector: matchLabels({ app: s.app }) };
      } else {
        peer = {
          namespaceSelector: {
            matchExpressions: [
              { key: 'env', operator: 'In', values: ['prod', 'staging'] },
              { key: 'team', operator: 'In', values: [...new Set([ns.team, other.team])].sort() },
            ],
          },
          podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'frontend'] }] },
        };
      }
      return { name: `allow-${t.app}-from-${other.team}`, spec: ingressOnly(matchLabels({ app: t.app }), [{ from: [peer], ports: [named(t, 'grpc')] }]) };
    }
    case 'monitoring':
      return {
        name: 'allow-prometheus-scrape',
        spec: ingressOnly({}, [
          {
            from: [
              {
                namespaceSelector: matchLabels({ 'kubernetes.io/metadata.name': 'monitoring' }),
                podSelector: matchLabels({ 'app.kubernetes.io/name': 'prometheus' }),
              },
            ],
            ports: [tcp('metrics')],
          },
        ]),
      };
    case 'ingress-controller': {
      if (!ns.workloads.some((w) => w.tier === 'frontend')) return null;
      return {
        name: 'allow-ingress-nginx',
        spec: ingressOnly({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend'] }] }, [
          {
            from: [
              {
                namespaceSelector: matchLabels({ 'kubernetes.io/metadata.name': 'ingress-nginx' }),
                podSelector: matchLabels({ 'app.kubernetes.io/name': 'ingress-nginx' }),
              },
            ],
            ports: [tcp('http'), tcp(8443)],
          },
        ]),
      };
    }
    case 'internet-egress': {
      const t = pickWorkload(world, ns)!;
      const to: PeerJson[] = [{ ipBlock: { cidr: '0.0.0.0/0', except: [...PRIVATE_V4] } }];
      if (dual) to.push({ ipBlock: { cidr: '::/0', except: [...PRIVATE_V6] } });
      return { name: `allow-${t.app}-internet-egress`, spec: egressOnly(matchLabels({ app: t.app }), [{ ports: [tcp(443), tcp(80)], to }]) };
    }
    case 'partner-egress': {
      const t = pickWorkload(world, ns)!;
      const to: PeerJson[] = [];
      for (let k = rng.int(1, 3); k > 0; k--) to.push({ ipBlock: randomV4Block(rng, 16, 28, rng.int(0, 2), true) });
      if (dual) to.push({ ipBlock: randomV6Block(rng, 32, 56, rng.int(0, 2)) });
      const ports = rng.pick<PolicyPortJson[]>([[tcp(8000, 8099)], [tcp(443)], [tcp(5671), tcp(9000, 9100)], [portOf('UDP', 123)], [tcp(1024, 65535)]]);
      return { name: `allow-${t.app}-partner-egress`, spec: egressOnly(matchLabels({ app: t.app }), [{ ports, to }]) };
    }
    case 'db-ingress': {
      const t = pickWorkload(world, ns, (w) => DB_TIERS.has(w.tier));
      if (t === null) return null;
      return {
        name: `allow-${t.app}-clients`,
        spec: ingressOnly(matchLabels({ app: t.app }), [
          { from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'worker'] }] } }], ports: [named(t)] },
        ]),
      };
    }
    case 'egress-to-db': {
      const s = pickWorkload(world, ns, (w) => !DB_TIERS.has(w.tier));
      if (s === null) return null;
      return {
        name: `allow-${s.app}-to-datastores`,
        spec: egressOnly(matchLabels({ app: s.app }), [
          {
            ports: [tcp(5432), tcp(6379), tcp('mysql')],
            to: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['cache', 'db'] }] } }],
          },
        ]),
      };
    }
    case 'from-nodes': {
      const t = pickWorkload(world, ns)!;
      const from: PeerJson[] = [{ ipBlock: { cidr: '172.16.0.0/12', except: ['172.16.0.0/28'] } }];
      if (dual) from.push({ ipBlock: { cidr: 'fd01::/64' } });
      return { name: `allow-${t.app}-from-nodes`, spec: ingressOnly(matchLabels({ app: t.app }), [{ from, ports: [tcp(8000, 8999)] }]) };
    }
    case 'telco': {
      const t = pickWorkload(world, ns, (w) => w.tier === 'telco');
      if (t === null) return null;
      return {
        name: `allow-${t.app}-signalling`,
        spec: ingressOnly(matchLabels({ app: t.app }), [
          { from: [{ podSelector: matchLabels({ tier: 'telco' }) }], ports: [portOf('SCTP', 38412), portOf('UDP', 'pfcp')] },
        ]),
      };
    }
    case 'same-namespace':
      return { name: 'allow-same-namespace', spec: ingressOnly({}, [{ from: [{ podSelector: {} }] }]) };
    case 'egress-cross-ns': {
      const s = pickWorkload(world, ns)!;
      const other = otherNamespace(world, users, ns);
      const d = pickWorkload(world, other, (w) => w.ports.some((p) => p.name !== 'metrics')) ?? pickWorkload(world, other)!;
      return {
        name: `allow-${s.app}-to-${other.name}`,
        spec: egressOnly(matchLabels({ app: s.app }), [
          {
            ports: [named(d)],
            to: [{ namespaceSelector: matchLabels({ 'kubernetes.io/metadata.name': other.name }), podSelector: matchLabels({ app: d.app }) }],
          },
        ]),
      };
    }
    case 'deny-egress': {
      const t = pickWorkload(world, ns)!;
      return { name: `deny-${t.app}-egress`, spec: egressOnly(matchLabels({ app: t.app }), []) };
    }
    case 'open-port': {
      const t = pickWorkload(world, ns)!;
      return { name: `allow-${t.app}-public`, spec: ingressOnly(matchLabels({ app: t.app }), [{ ports: [named(t, 'http')] }]) };
    }
    default: {
      const _x: never = kind;
      return _x;
    }
  }
}
