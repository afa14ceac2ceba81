/**
 * Generated Calico clusters for the engine-vs-reference property: a few namespaces, service accounts
 * and pods (some host-network, some with named ports), tiers with colliding orders and both default
 * actions, NetworkPolicies and GlobalNetworkPolicies (and staged ones, Set or Delete, named like enforced ones, so --staged replaces and deletes) with colliding orders and
 * names, every action, selectors from the whole language, namespaceSelectors (all() and global()
 * included), serviceAccounts, nets/notNets, ports/notPorts/named ports, protocols by name and number
 * (ICMP and ICMPv6 too, with icmp / notICMP types and codes),
 * services matches (two Services, one with a named targetPort), and NetworkSets / GlobalNetworkSets; beside them Kubernetes NetworkPolicies (and staged ones, Set or
 * Delete) named like the Calico policies, so they interleave at order 1000 in the default tier.
 * `renderCalico` prints a cluster as the manifests the engine
 * loads; the reference reads the same objects (calico-evaluator.ts).
 */
import fc from 'fast-check';
import type { RCluster, REntity, RKnp, RKnpPeer, RKnpRule, RPolicy, RPort, RRule, RSel, RService } from './calico-evaluator.js';

const NAMESPACES = ['a', 'b', 'c'];
const KEYS = ['app', 'tier', 'role'];
const VALUES = ['web', 'db', 'api', 'x'];

const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom(...VALUES);

export const selArb: fc.Arbitrary<RSel> = fc.letrec<{ s: RSel }>((tie) => ({
  s: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<RSel>({ kind: 'all' }),
    key.map((k): RSel => ({ kind: 'has', key: k })),
    fc
      .tuple(fc.constantFrom('eq', 'ne', 'contains', 'startsWith', 'endsWith') as fc.Arbitrary<'eq'>, key, value)
      .map(([kind, k, v]): RSel => ({ kind, key: k, value: v })),
    fc
      .tuple(fc.constantFrom('in', 'notIn') as fc.Arbitrary<'in'>, key, fc.uniqueArray(value, { maxLength: 2 }))
      .map(([kind, k, vs]): RSel => ({ kind, key: k, values: vs })),
    fc.constantFrom<RSel>(
      { kind: 'eq', key: 'projectcalico.org/namespace', value: 'a' },
      { kind: 'eq', key: 'pcns.env', value: 'prod' },
      { kind: 'has', key: 'pcsa.team' },
    ),
    tie('s').map((e): RSel => ({ kind: 'not', expr: e })),
    fc.tuple(fc.constantFrom('and', 'or') as fc.Arbitrary<'and'>, tie('s'), tie('s')).map(([kind, left, right]): RSel => ({ kind, left, right })),
  ),
})).s;

const nsSelArb: fc.Arbitrary<RSel> = fc.oneof(
  fc.constantFrom<RSel>(
    { kind: 'all' },
    { kind: 'global' },
    { kind: 'eq', key: 'env', value: 'prod' },
    { kind: 'ne', key: 'env', value: 'prod' },
    { kind: 'has', key: 'env' },
  ),
  fc.constant<RSel>({ kind: 'or', left: { kind: 'global' }, right: { kind: 'eq', key: 'env', value: 'dev' } }),
);

const CIDRS = ['10.0.0.0/16', '10.0.1.0/24', '192.168.0.0/16', '0.0.0.0/0', '8.8.8.0/24'];

const entityArb: fc.Arbitrary<REntity> = fc.record(
  {
    selector: selArb,
    notSelector: selArb,
    namespaceSelector: nsSelArb,
    // names and/or a selector: Calico reads an empty serviceAccounts as no constraint at all
    serviceAccounts: fc.oneof(
      fc.record({ names: fc.subarray(['default', 'sa1'], { minLength: 1 }) }),
      fc.record({
        names: fc.subarray(['default', 'sa1'], { minLength: 1 }),
        selector: fc.constantFrom<RSel>({ kind: 'eq', key: 'team', value: 'x' }, { kind: 'all' }),
      }),
      fc.record({ selector: fc.constantFrom<RSel>({ kind: 'eq', key: 'team', value: 'x' }, { kind: 'all' }) }),
    ),
    nets: fc.subarray(CIDRS, { minLength: 1, maxLength: 2 }),
    notNets: fc.subarray(CIDRS, { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: [] },
);

/** Two Services (rendered in every cluster): web in a (port 80 to the named port http), api in b (TCP 9000; UDP 53 to metrics). */
export const SERVICES: readonly RService[] = [
  { namespace: 'a', name: 'web', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }] },
  {
    namespace: 'b',
    name: 'api',
    selector: { app: 'api' },
    ports: [
      { port: 9000, protocol: 'TCP' },
      { port: 53, targetPort: 'metrics', protocol: 'UDP' },
    ],
  },
];

/** A side that is a services match only (Calico rejects it beside selectors, nets or serviceAccounts). */
const servicesEntityArb: fc.Arbitrary<REntity> = fc.constantFrom<REntity>(
  { services: { name: 'web', namespace: 'a' } },
  { services: { name: 'api', namespace: 'b' } },
  // the policy's namespace: in b, api; elsewhere nothing (and a GlobalNetworkPolicy has none)
  { services: { name: 'api' } },
  { services: { name: 'missing', namespace: 'a' } },
);

const sideArb: fc.Arbitrary<REntity> = fc.oneof({ arbitrary: entityArb, weight: 4 }, { arbitrary: servicesEntityArb, weight: 1 });

const ruleArb: fc.Arbitrary<RRule> = fc
  .record(
    {
      action: fc.constantFrom<RRule['action']>('Allow', 'Allow', 'Deny', 'Pass', 'Log'),
      protocol: fc.constantFrom<RRule['protocol'] | undefined>('TCP', 'UDP', 6, 17, 'ICMP', 'ICMPv6', 1, 58, undefined, undefined),
      notProtocol: fc.constantFrom<RRule['notProtocol'] | undefined>('TCP', 'ICMP', undefined, undefined, undefined),
      icmpType: fc.constantFrom<number | undefined>(0, 3, 8, 128, undefined),
      notIcmpType: fc.constantFrom<number | undefined>(3, 8, 128, undefined, undefined),
      // codes of the types above (Rule "ICMP": a code only with a type); 0 and 4 are packet codes, 9 none
      icmpCode: fc.constantFrom<number | undefined>(0, 4, 9, undefined, undefined),
      notIcmpCode: fc.constantFrom<number | undefined>(0, 4, undefined, undefined),
      source: sideArb,
      destination: sideArb,
      ports: fc.subarray([80, 443, 8080, '8000:8100', 'http', 'metrics'] as RPort[], { minLength: 1, maxLength: 3 }),
      notPorts: fc.subarray([443, '8000:8100', 'http'] as RPort[], { minLength: 1, maxLength: 2 }),
      usePorts: fc.boolean(),
      useNotPorts: fc.boolean(),
    },
    { requiredKeys: ['action', 'usePorts', 'useNotPorts'] },
  )
  .map((r): RRule => {
    const out: { -readonly [K in keyof RRule]: RRule[K] } = { action: r.action };
    if (r.protocol !== undefined) out.protocol = r.protocol;
    if (r.notProtocol !== undefined && r.protocol === undefined) out.notProtocol = r.notProtocol;
    if (r.source !== undefined) out.source = r.source;
    // icmp / notICMP need an ICMP protocol, ports a port protocol (Calico rejects them otherwise)
    const icmp = r.protocol === 'ICMP' || r.protocol === 'ICMPv6' || r.protocol === 1 || r.protocol === 58;
    const portProto = r.protocol !== undefined && !icmp;
    if (icmp && r.icmpType !== undefined) out.icmp = r.icmpCode === undefined ? { type: r.icmpType } : { type: r.icmpType, code: r.icmpCode };
    if (icmp && r.notIcmpType !== undefined) out.notICMP = r.notIcmpCode === undefined ? { type: r.notIcmpType } : { type: r.notIcmpType, code: r.notIcmpCode };
    const dest: { -readonly [K in keyof REntity]: REntity[K] } = { ...(r.destination ?? {}) };
    // destination ports beside services: only on ingress rules, which a rule here does not know
    if (portProto && r.usePorts && r.ports !== undefined && dest.services === undefined) dest.ports = r.ports;
    if (portProto && r.useNotPorts && r.notPorts !== undefined && dest.services === undefined) dest.notPorts = r.notPorts;
    if (Object.keys(dest).length > 0) out.destination = dest;
    return out;
  });

/**
 * Rules that recur across policies, so that policies often allow the same sources on the same ports
 * (the engine evaluates such Allows of one tier as one block) with a Deny or Pass of the same sources
 * between them (which must keep them apart).
 */
const sharedRuleArb: fc.Arbitrary<RRule> = fc.constantFrom<RRule>(
  { action: 'Allow', protocol: 'TCP', source: { selector: { kind: 'eq', key: 'app', value: 'web' } }, destination: { ports: [80] } },
  { action: 'Allow', protocol: 'TCP', source: { selector: { kind: 'eq', key: 'app', value: 'web' } }, destination: { ports: [80] } },
  { action: 'Allow', source: { selector: { kind: 'eq', key: 'app', value: 'web' } } },
  { action: 'Deny', source: { selector: { kind: 'eq', key: 'app', value: 'web' } } },
  { action: 'Pass', source: { selector: { kind: 'eq', key: 'app', value: 'web' } } },
  { action: 'Allow', protocol: 'TCP', destination: { ports: [80] } },
  // ICMP type and code: one code denied ahead of its type, every code but one, a whole type
  { action: 'Deny', protocol: 'ICMP', icmp: { type: 3, code: 4 }, source: { selector: { kind: 'eq', key: 'app', value: 'web' } } },
  { action: 'Allow', protocol: 'ICMP', notICMP: { type: 3, code: 4 } },
  { action: 'Allow', protocol: 'ICMP', icmp: { type: 3 } },
  { action: 'Allow', protocol: 'ICMPv6', icmp: { type: 128, code: 0 } },
  // services: to web's endpoints on their ports; from api's endpoints
  { action: 'Allow', destination: { services: { name: 'web', namespace: 'a' } } },
  { action: 'Deny', source: { services: { name: 'api', namespace: 'b' } } },
);

const TIER_NAMES = ['security', 'platform'];

interface PolicyShape {
  readonly rules: fc.Arbitrary<RRule>;
  readonly selector: fc.Arbitrary<RSel>;
  /** Whether namespaceSelector and serviceAccountSelector may narrow the policy. */
  readonly narrowing: boolean;
  readonly minRules: number;
  readonly maxRules: number;
  readonly namespaces: readonly string[];
  readonly kinds: readonly RPolicy['kind'][];
  readonly types: fc.Arbitrary<readonly ('Ingress' | 'Egress')[]>;
}

const policyArbOf = ({
  rules: anyRuleArb,
  selector: selectorArb,
  narrowing,
  minRules,
  maxRules,
  namespaces,
  kinds,
  types: typesArb,
}: PolicyShape): fc.Arbitrary<RPolicy> =>
  fc
    .record(
      {
        kind: fc.constantFrom<RPolicy['kind']>(...kinds),
        stagedAction: fc.constantFrom<'Set' | 'Delete' | undefined>(undefined, undefined, 'Set', 'Delete'),
        namespace: fc.constantFrom(...namespaces),
        name: fc.constantFrom('p', 'q', 'r', 's'),
        tier: fc.constantFrom('default', 'default', ...TIER_NAMES),
        order: fc.constantFrom<number | undefined>(undefined, 1, 100, 100, 1000),
        selector: selectorArb,
        namespaceSelector: narrowing ? nsSelArb : fc.constant({ kind: 'all' } as RSel),
        serviceAccountSelector: narrowing
          ? fc.constantFrom<RSel>({ kind: 'eq', key: 'team', value: 'x' }, { kind: 'has', key: 'team' })
          : fc.constant({ kind: 'all' } as RSel),
        types: typesArb,
        ingress: fc.array(anyRuleArb, { minLength: minRules, maxLength: maxRules }),
        egress: fc.array(anyRuleArb, { minLength: minRules, maxLength: maxRules }),
      },
      { requiredKeys: ['kind', 'namespace', 'name', 'tier'] },
    )
    .map((p): RPolicy => {
      const out: { -readonly [K in keyof RPolicy]: RPolicy[K] } = { kind: p.kind, name: p.name };
      if (p.kind === 'NetworkPolicy' || p.kind === 'StagedNetworkPolicy') out.namespace = p.namespace;
      else if (p.namespaceSelector !== undefined) out.namespaceSelector = p.namespaceSelector;
      if (p.tier !== 'default') out.tier = p.tier;
      if (p.order !== undefined) out.order = p.order;
      if (p.selector !== undefined) out.selector = p.selector;
      if (p.serviceAccountSelector !== undefined) out.serviceAccountSelector = p.serviceAccountSelector;
      if (p.types !== undefined) out.types = p.types;
      if (p.kind.startsWith('Staged') && p.stagedAction !== undefined) out.stagedAction = p.stagedAction;
      if (p.ingress !== undefined && p.ingress.length > 0) out.ingress = p.ingress;
      if (p.egress !== undefined && p.egress.length > 0) out.egress = p.egress;
      return out;
    });

const labelsArb = fc.dictionary(key, value, { maxKeys: 2 });

const knpPeerArb: fc.Arbitrary<RKnpPeer> = fc.oneof(
  fc.record(
    { podSelector: fc.dictionary(key, value, { maxKeys: 1 }), namespaceSelector: fc.constantFrom<Record<string, string>>({ env: 'prod' }, { env: 'dev' }, {}) },
    { requiredKeys: ['podSelector'] },
  ),
  fc.record({
    ipBlock: fc.oneof(
      fc.record({ cidr: fc.constantFrom('0.0.0.0/0', '10.0.0.0/16', '8.8.8.0/24') }),
      fc.record({ cidr: fc.constant('0.0.0.0/0'), except: fc.subarray(['10.0.1.0/24', '192.168.1.0/24', '8.8.8.8/32'], { minLength: 1 }) }),
    ),
  }),
);

const knpRuleArb: fc.Arbitrary<RKnpRule> = fc.record(
  {
    peers: fc.array(knpPeerArb, { maxLength: 2 }),
    ports: fc.array(
      fc.constantFrom<{ protocol: 'TCP' | 'UDP'; port?: number | string }>(
        { protocol: 'TCP', port: 80 },
        { protocol: 'TCP', port: 'http' },
        { protocol: 'UDP', port: 53 },
        { protocol: 'UDP', port: 'metrics' },
        { protocol: 'TCP' },
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

const knpArb: fc.Arbitrary<RKnp> = fc
  .record(
    {
      stagedAction: fc.constantFrom<'Set' | 'Delete' | undefined>(undefined, undefined, undefined, 'Set', 'Delete'),
      namespace: fc.constantFrom(...NAMESPACES),
      name: fc.constantFrom('p', 'q', 'r', 's'),
      podSelector: fc.dictionary(key, value, { maxKeys: 1 }),
      policyTypes: fc.subarray(['Ingress', 'Egress'] as const, { minLength: 1 }),
      ingress: fc.array(knpRuleArb, { maxLength: 2 }),
      egress: fc.array(knpRuleArb, { maxLength: 2 }),
    },
    { requiredKeys: ['namespace', 'name', 'podSelector'] },
  )
  .map((p): RKnp => {
    const out: { -readonly [K in keyof RKnp]: RKnp[K] } = { namespace: p.namespace, name: p.name, podSelector: p.podSelector };
    if (p.stagedAction !== undefined) out.stagedAction = p.stagedAction;
    if (p.policyTypes !== undefined) out.policyTypes = p.policyTypes;
    if (p.ingress !== undefined) out.ingress = p.ingress;
    if (p.egress !== undefined) out.egress = p.egress;
    return out;
  });

interface ClusterShape {
  /** Namespaces the pods are placed in. */
  readonly podNamespaces: readonly string[];
  readonly podLabels: fc.Arbitrary<Record<string, string>>;
  readonly maxPolicies: number;
  readonly maxTiers: number;
  readonly maxTwins: number;
}

const clusterArbOf = (policyArb: fc.Arbitrary<RPolicy>, shape: ClusterShape): fc.Arbitrary<RCluster> =>
  fc
    .record({
      nsEnv: fc.tuple(fc.constantFrom('prod', 'dev', undefined), fc.constantFrom('prod', 'dev', undefined), fc.constantFrom('prod', undefined)),
      saTeam: fc.constantFrom('x', 'y', undefined),
      pods: fc.array(
        fc.record({
          namespace: fc.constantFrom(...shape.podNamespaces),
          labels: shape.podLabels,
          serviceAccount: fc.constantFrom('default', 'sa1'),
          hostNetwork: fc.constantFrom(false, false, false, false, true),
          httpPort: fc.constantFrom<number | null>(null, 80, 8080, 9000),
        }),
        { minLength: 2, maxLength: 6 },
      ),
      tiers: fc.uniqueArray(
        fc.record({
          name: fc.constantFrom(...TIER_NAMES),
          order: fc.constantFrom<number | undefined>(10, 10, 2_000_000, undefined),
          defaultAction: fc.constantFrom<'Deny' | 'Pass' | undefined>('Deny', 'Pass', undefined),
        }),
        { selector: (t) => t.name, maxLength: shape.maxTiers },
      ),
      policies: fc.array(policyArb, { minLength: 1, maxLength: shape.maxPolicies }),
      // copies of generated policies under another name, selector and order: the same rules in several
      // policies, which the engine may evaluate together (see sharedRuleArb)
      twins: fc.array(
        fc.record({
          of: fc.nat(),
          name: fc.constantFrom('t1', 't2'),
          selector: fc.constantFrom<RSel | null>(null, { kind: 'all' }),
          order: fc.constantFrom<number | undefined>(1, 100, 1000, undefined),
        }),
        { maxLength: shape.maxTwins },
      ),
      knps: fc.array(knpArb, { maxLength: 3 }),
      sets: fc.array(
        fc.record({
          global: fc.boolean(),
          namespace: fc.constantFrom(...NAMESPACES),
          labels: labelsArb,
          nets: fc.subarray(['8.8.8.0/24', '192.168.1.0/24', '10.0.1.0/24'], { minLength: 1 }),
        }),
        { maxLength: 2 },
      ),
    })
    .map((g): RCluster => {
      const names = new Set<string>();
      const pods = g.pods.map((p, i) => {
        const name = `pod${i}`;
        names.add(name);
        return {
          namespace: p.namespace,
          name,
          labels: p.labels,
          serviceAccount: p.serviceAccount,
          ip: `10.0.${i % 2}.${i + 1}`,
          hostNetwork: p.hostNetwork,
          ports:
            p.httpPort === null
              ? []
              : [
                  { name: 'http', port: p.httpPort, protocol: 'TCP' as const },
                  { name: 'metrics', port: 9100, protocol: 'UDP' as const },
                ],
        };
      });
      // policy names unique per kind and namespace (the API's identity)
      const seen = new Set<string>();
      // a policy can only live in a tier that exists (Calico rejects it otherwise)
      const tierNames = new Set(g.tiers.map((t) => t.name));
      const twins = g.twins.map((t): RPolicy => {
        const { order: _o, ...of } = g.policies[t.of % g.policies.length]!;
        return { ...of, name: t.name, ...(t.selector === null ? {} : { selector: t.selector }), ...(t.order === undefined ? {} : { order: t.order }) };
      });
      const placed = [...g.policies, ...twins].map((p) => {
        if (p.tier === undefined || tierNames.has(p.tier)) return p;
        const { tier: _t, ...rest } = p;
        return rest;
      });
      const policies = placed.filter((p) => {
        const k = `${p.kind}/${p.namespace ?? ''}/${p.name}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      const sets = g.sets.map((s, i) =>
        s.global ? { name: `set${i}`, labels: s.labels, nets: s.nets } : { namespace: s.namespace, name: `set${i}`, labels: s.labels, nets: s.nets },
      );
      return {
        namespaces: NAMESPACES.map((n, i): RCluster['namespaces'][number] => ({ name: n, labels: g.nsEnv[i] === undefined ? {} : { env: g.nsEnv[i]! } })),
        serviceAccounts: NAMESPACES.map((n): RCluster['serviceAccounts'][number] => ({
          namespace: n,
          name: 'sa1',
          labels: g.saTeam === undefined ? {} : { team: g.saTeam },
        })),
        pods,
        tiers: g.tiers.map((t) => {
          const out: { name: string; order?: number; defaultAction?: 'Deny' | 'Pass' } = { name: t.name };
          if (t.order !== undefined) out.order = t.order;
          if (t.defaultAction !== undefined) out.defaultAction = t.defaultAction;
          return out;
        }),
        policies,
        knps: g.knps.filter((p) => {
          const k = `${p.stagedAction === undefined ? 'knp' : 'sknp'}/${p.namespace}/${p.name}`;
          if (seen.has(k)) return false;
          seen.add(k);
          return true;
        }),
        services: SERVICES,
        networkSets: sets,
      };
    });

/** Generated clusters: rules from the whole rule language, some recurring across policies. */
export const calicoClusterArb: fc.Arbitrary<RCluster> = clusterArbOf(
  policyArbOf({
    rules: fc.oneof({ arbitrary: ruleArb, weight: 3 }, { arbitrary: sharedRuleArb, weight: 2 }),
    selector: selArb,
    narrowing: true,
    minRules: 0,
    maxRules: 3,
    namespaces: NAMESPACES,
    kinds: ['NetworkPolicy', 'NetworkPolicy', 'GlobalNetworkPolicy', 'GlobalNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedNetworkPolicy'],
    types: fc.subarray(['Ingress', 'Egress'] as const, { minLength: 1 }),
  }),
  { podNamespaces: NAMESPACES, podLabels: labelsArb, maxPolicies: 5, maxTiers: 2, maxTwins: 2 },
);

/**
 * Generated clusters whose rules all come from the few recurring ones: many policies allow the same
 * sources on the same ports with Denies and Passes of those sources between them, the case where
 * evaluating Allows together must stop at a Deny, a Pass or a tier's end.
 */
export const calicoSharedRulesClusterArb: fc.Arbitrary<RCluster> = clusterArbOf(
  policyArbOf({
    rules: sharedRuleArb,
    selector: fc.constantFrom<RSel>(
      { kind: 'all' },
      { kind: 'eq', key: 'app', value: 'db' },
      { kind: 'eq', key: 'app', value: 'x' },
      { kind: 'ne', key: 'app', value: 'db' },
    ),
    narrowing: false,
    minRules: 1,
    maxRules: 1,
    namespaces: ['a'],
    kinds: ['NetworkPolicy', 'NetworkPolicy', 'GlobalNetworkPolicy'],
    types: fc.constantFrom(['Ingress'] as const, ['Ingress'] as const, ['Ingress', 'Egress'] as const),
  }),
  // most pods in one namespace, each with an app label, and more policies: Allows that share sources
  // and ports with a Deny or Pass of other policies between them are common
  {
    podNamespaces: ['a', 'a', 'b'],
    podLabels: fc.record({ app: fc.constantFrom('web', 'db', 'x') }),
    maxPolicies: 8,
    maxTiers: 1,
    maxTwins: 0,
  },
);

function quote(v: string): string {
  return `'${v}'`;
}

/** A selector as Calico text (fully parenthesised). */
export function selText(s: RSel): string {
  switch (s.kind) {
    case 'all':
      return 'all()';
    case 'global':
      return 'global()';
    case 'has':
      return `has(${s.key})`;
    case 'eq':
      return `${s.key} == ${quote(s.value)}`;
    case 'ne':
      return `${s.key} != ${quote(s.value)}`;
    case 'contains':
      return `${s.key} contains ${quote(s.value)}`;
    case 'startsWith':
      return `${s.key} starts with ${quote(s.value)}`;
    case 'endsWith':
      return `${s.key} ends with ${quote(s.value)}`;
    case 'in':
      return `${s.key} in {${s.values.map(quote).join(', ')}}`;
    case 'notIn':
      return `${s.key} not in {${s.values.map(quote).join(', ')}}`;
    case 'not':
      return `!(${selText(s.expr)})`;
    case 'and':
      return `(${selText(s.left)}) && (${selText(s.right)})`;
    case 'or':
      return `(${selText(s.left)}) || (${selText(s.right)})`;
  }
}

function entityJson(e: REntity): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (e.services !== undefined) out['services'] = e.services;
  if (e.selector !== undefined) out['selector'] = selText(e.selector);
  if (e.notSelector !== undefined) out['notSelector'] = selText(e.notSelector);
  if (e.namespaceSelector !== undefined) out['namespaceSelector'] = selText(e.namespaceSelector);
  if (e.serviceAccounts !== undefined) {
    const sa: Record<string, unknown> = {};
    if (e.serviceAccounts.names !== undefined) sa['names'] = e.serviceAccounts.names;
    if (e.serviceAccounts.selector !== undefined) sa['selector'] = selText(e.serviceAccounts.selector);
    out['serviceAccounts'] = sa;
  }
  if (e.nets !== undefined) out['nets'] = e.nets;
  if (e.notNets !== undefined) out['notNets'] = e.notNets;
  if (e.ports !== undefined) out['ports'] = e.ports;
  if (e.notPorts !== undefined) out['notPorts'] = e.notPorts;
  return out;
}

/** The cluster as manifests (one JSON document per object, `---` separated). */
export function renderCalico(c: RCluster): string {
  const docs: unknown[] = [];
  for (const n of c.namespaces) docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n.name, labels: n.labels } });
  for (const s of c.serviceAccounts)
    docs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: s.name, namespace: s.namespace, labels: s.labels } });
  for (const p of c.pods) {
    docs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
      spec: {
        serviceAccountName: p.serviceAccount,
        hostNetwork: p.hostNetwork,
        containers: [{ name: 'c', image: 'x', ports: p.ports.map((x) => ({ name: x.name, containerPort: x.port, protocol: x.protocol })) }],
      },
      status: { podIP: p.ip },
    });
  }
  for (const s of c.services ?? [])
    docs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace: s.namespace }, spec: { selector: s.selector, ports: s.ports } });
  for (const t of c.tiers)
    docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: t.name }, spec: { order: t.order, defaultAction: t.defaultAction } });
  for (const s of c.networkSets) {
    docs.push({
      apiVersion: 'projectcalico.org/v3',
      kind: s.namespace === undefined ? 'GlobalNetworkSet' : 'NetworkSet',
      metadata: { name: s.name, namespace: s.namespace, labels: s.labels },
      spec: { nets: s.nets },
    });
  }
  for (const p of c.policies) {
    const spec: Record<string, unknown> = {};
    if (p.tier !== undefined) spec['tier'] = p.tier;
    if (p.stagedAction !== undefined) spec['stagedAction'] = p.stagedAction;
    if (p.order !== undefined) spec['order'] = p.order;
    if (p.selector !== undefined) spec['selector'] = selText(p.selector);
    if (p.namespaceSelector !== undefined) spec['namespaceSelector'] = selText(p.namespaceSelector);
    if (p.serviceAccountSelector !== undefined) spec['serviceAccountSelector'] = selText(p.serviceAccountSelector);
    if (p.types !== undefined) spec['types'] = p.types;
    const rules = (rs: readonly RRule[]) =>
      rs.map((r) => {
        const o: Record<string, unknown> = { action: r.action };
        if (r.protocol !== undefined) o['protocol'] = r.protocol;
        if (r.notProtocol !== undefined) o['notProtocol'] = r.notProtocol;
        if (r.icmp !== undefined) o['icmp'] = r.icmp;
        if (r.notICMP !== undefined) o['notICMP'] = r.notICMP;
        if (r.source !== undefined) o['source'] = entityJson(r.source);
        if (r.destination !== undefined) o['destination'] = entityJson(r.destination);
        return o;
      });
    if (p.ingress !== undefined) spec['ingress'] = rules(p.ingress);
    if (p.egress !== undefined) spec['egress'] = rules(p.egress);
    docs.push({ apiVersion: 'projectcalico.org/v3', kind: p.kind, metadata: { name: p.name, namespace: p.namespace }, spec });
  }
  for (const p of c.knps ?? []) {
    const spec: Record<string, unknown> = { podSelector: { matchLabels: p.podSelector } };
    if (p.stagedAction !== undefined) spec['stagedAction'] = p.stagedAction;
    if (p.policyTypes !== undefined) spec['policyTypes'] = p.policyTypes;
    const peer = (x: RKnpPeer) =>
      'ipBlock' in x
        ? { ipBlock: x.ipBlock }
        : {
            ...(x.podSelector === undefined ? {} : { podSelector: { matchLabels: x.podSelector } }),
            ...(x.namespaceSelector === undefined ? {} : { namespaceSelector: { matchLabels: x.namespaceSelector } }),
          };
    const rules = (rs: readonly RKnpRule[], side: 'from' | 'to') =>
      rs.map((r) => ({ ...(r.peers === undefined ? {} : { [side]: r.peers.map(peer) }), ...(r.ports === undefined ? {} : { ports: r.ports }) }));
    if (p.ingress !== undefined) spec['ingress'] = rules(p.ingress, 'from');
    if (p.egress !== undefined) spec['egress'] = rules(p.egress, 'to');
    docs.push(
      p.stagedAction === undefined
        ? { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: p.name, namespace: p.namespace }, spec }
        : { apiVersion: 'projectcalico.org/v3', kind: 'StagedKubernetesNetworkPolicy', metadata: { name: p.name, namespace: p.namespace }, spec },
    );
  }
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}
