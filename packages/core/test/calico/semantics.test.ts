/**
 * One named test per Calico policy rule kubereach commits to, each citing the section of Calico's
 * policy reference it follows (docs.tigera.io: reference/resources/networkpolicy, globalnetworkpolicy,
 * tier, networkset, globalnetworkset; "Rule", "EntityRule", "Selectors"). Expected answers come from
 * those documents, not from running the engine.
 */
import { describe, expect, test } from 'vitest';
import { compile, explainConnection, inputCaveats, lint, loadCluster, renderVerdict, type ReachabilityIndex } from '../../src/index.js';
import { evalBlocks } from '../../src/evaluate/merge-blocks.js';

const BASE = `
apiVersion: v1
kind: Namespace
metadata: {name: app, labels: {team: a}}
---
apiVersion: v1
kind: Namespace
metadata: {name: other, labels: {team: b}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: app, labels: {app: web}}
spec: {serviceAccountName: web-sa, containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: app, labels: {app: db}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 9090}]}]}
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: other, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web-sa, namespace: app, labels: {role: frontend}}
`;

function load(yaml: string) {
  const r = loadCluster([{ name: 't.yaml', text: BASE + yaml }]);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r;
}

function conn(yaml: string, src: string, dst: string, opts = {}): string {
  return compile(load(yaml).cluster, opts).connections(src, dst).toString();
}

/** The `can --explain` text of one TCP connection. */
function explainText(index: ReachabilityIndex, src: string, dst: string, port: number): string {
  return renderVerdict(explainConnection(index, index.resolve(src), index.resolve(dst), 'TCP', port));
}

const gnp = (name: string, spec: string) => `\n---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n${spec}`;
const np = (ns: string, name: string, spec: string) =>
  `\n---\napiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}`;
const tier = (name: string, spec: string) => `\n---\napiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: ${name}}\nspec: ${spec}`;

describe('Tier: evaluation order and defaultAction (reference: Tier, "How policy is evaluated")', () => {
  test('tiers are evaluated by order: a Deny in a lower-order tier wins over an Allow in a later one', () => {
    const y =
      tier('first', '{order: 10}') +
      tier('second', '{order: 20}') +
      gnp('allow-all', '  tier: second\n  selector: all()\n  ingress: [{action: Allow}]') +
      gnp('deny-web', "  tier: first\n  selector: app == 'db'\n  ingress: [{action: Deny, source: {selector: app == 'web'}}, {action: Pass}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('No Connections');
    expect(conn(y, 'app/db', 'app/web')).toBe('All Connections');
  });
  test('a tier in which a policy applies and no rule matches ends with defaultAction Deny', () => {
    const y =
      tier('t', '{order: 10}') + gnp('only-web', "  tier: t\n  selector: app == 'db'\n  ingress: [{action: Allow, source: {selector: app == 'nothing'}}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('No Connections');
  });
  test('defaultAction Pass sends unmatched traffic to the next tier', () => {
    const y =
      tier('t', '{order: 10, defaultAction: Pass}') +
      gnp('p', "  tier: t\n  selector: app == 'db'\n  ingress: [{action: Deny, source: {selector: app == 'nothing'}}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
  });
  test('a tier whose policies do not apply to the endpoint is skipped (its defaultAction does not apply)', () => {
    const y = tier('t', '{order: 10}') + gnp('p', "  tier: t\n  selector: app == 'nothing'\n  ingress: [{action: Allow}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
  });
  test('a tier applies per direction: an Ingress policy does not end the tier for egress', () => {
    const y = tier('t', '{order: 10}') + gnp('p', "  tier: t\n  selector: app == 'web'\n  types: [Ingress]");
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
    expect(conn(y, 'app/db', 'app/web')).toBe('No Connections');
  });
  test('tiers of equal order are evaluated by name', () => {
    const y =
      tier('b', '{order: 10}') +
      tier('a', '{order: 10}') +
      gnp('in-b', "  tier: b\n  selector: app == 'db'\n  ingress: [{action: Allow}]") +
      gnp('in-a', "  tier: a\n  selector: app == 'db'\n  ingress: [{action: Deny}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('No Connections');
  });
  test('a tier without order comes after every ordered tier, the default tier (1,000,000) included', () => {
    const y =
      tier('last', '{}') +
      gnp('in-last', "  tier: last\n  selector: app == 'db'\n  ingress: [{action: Deny}]") +
      gnp(
        'in-default',
        "  selector: app == 'db'\n  ingress: [{action: Allow, source: {selector: \"app == 'web' && projectcalico.org/namespace == 'app'\"}}, {action: Pass}]",
      );
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
    expect(conn(y, 'other/web', 'app/db')).toBe('No Connections');
  });
});

describe('Policy order and rule actions (reference: NetworkPolicy spec.order, Rule action)', () => {
  test('within a tier, policies by order: the lower order decides first', () => {
    const y =
      np('app', 'allow', "  order: 200\n  selector: app == 'db'\n  ingress: [{action: Allow}]") +
      np('app', 'deny', "  order: 100\n  selector: app == 'db'\n  ingress: [{action: Deny}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('No Connections');
  });
  test('a policy without order comes after ordered ones', () => {
    const y =
      np('app', 'allow', "  selector: app == 'db'\n  ingress: [{action: Allow}]") +
      np('app', 'deny', "  order: 5000\n  selector: app == 'db'\n  ingress: [{action: Deny, source: {selector: app == 'web'}}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('No Connections');
    expect(conn(y, 'other/web', 'app/db')).toBe('All Connections');
  });
  test('equal orders are decided by name', () => {
    const y =
      np('app', 'b-allow', "  order: 1\n  selector: app == 'db'\n  ingress: [{action: Allow}]") +
      np('app', 'a-deny', "  order: 1\n  selector: app == 'db'\n  ingress: [{action: Deny}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('No Connections');
  });
  test('the first matching rule decides; a later rule does not', () => {
    const y = np('app', 'p', "  selector: app == 'db'\n  ingress:\n  - {action: Deny, protocol: TCP, destination: {ports: [80]}}\n  - {action: Allow}");
    expect(conn(y, 'app/web', 'app/db')).toBe('ICMP 0-255,ICMPv6 0-255,SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
  });
  test('Log records and continues: it changes no verdict', () => {
    const y = np('app', 'p', "  selector: app == 'db'\n  ingress:\n  - {action: Log}\n  - {action: Allow, source: {selector: app == 'web'}}");
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
    expect(conn(y, 'other/web', 'app/db')).toBe('No Connections');
  });
  test('Pass skips the rest of the tier, its defaultAction included: the profile allows', () => {
    const y =
      np('app', 'p', "  order: 1\n  selector: app == 'db'\n  ingress: [{action: Pass, source: {selector: app == 'web'}}]") +
      np('app', 'q', "  order: 2\n  selector: app == 'db'\n  ingress: [{action: Deny}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
    expect(conn(y, 'other/web', 'app/db')).toBe('No Connections');
  });
  test('Kubernetes NetworkPolicies sit in the default tier at order 1000', () => {
    const k8s = `\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: k, namespace: app}\nspec: {podSelector: {matchLabels: {app: db}}, ingress: [{}]}`;
    const before = np('app', 'deny', "  order: 999\n  selector: app == 'db'\n  ingress: [{action: Deny}]");
    const after = np('app', 'deny', "  order: 1001\n  selector: app == 'db'\n  ingress: [{action: Deny}]");
    expect(conn(k8s + before, 'app/web', 'app/db')).toBe('No Connections');
    expect(conn(k8s + after, 'app/web', 'app/db')).toBe('All Connections');
  });
  test('a Calico policy that applies with no rules denies (end of the default tier)', () => {
    const y = gnp('deny-all', '  selector: all()');
    expect(conn(y, 'app/web', 'app/db')).toBe('No Connections');
    expect(conn(y, '8.8.8.8', 'app/db')).toBe('No Connections');
    expect(conn(y, 'app/web', '8.8.8.8')).toBe('All Connections');
  });
  test('Staged policies are not enforced; --staged evaluates them', () => {
    const y = `\n---\napiVersion: projectcalico.org/v3\nkind: StagedGlobalNetworkPolicy\nmetadata: {name: s}\nspec: {selector: app == 'db', types: [Ingress]}`;
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
    expect(conn(y, 'app/web', 'app/db', { staged: true })).toBe('No Connections');
  });
});

describe('types defaulting (reference: NetworkPolicy spec.types)', () => {
  test('no rules at all: Ingress', () => {
    const y = gnp('p', "  selector: app == 'web'");
    expect(conn(y, 'app/db', 'app/web')).toBe('No Connections');
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
  });
  test('egress rules and no ingress rules: Egress only', () => {
    const y = gnp('p', "  selector: app == 'web'\n  egress: [{action: Deny}]");
    expect(conn(y, 'app/db', 'app/web')).toBe('All Connections');
    expect(conn(y, 'app/web', 'app/db')).toBe('No Connections');
  });
});

describe('Selection (reference: EntityRule, Selectors, NetworkSet, GlobalNetworkSet)', () => {
  test('a namespaced policy applies in its own namespace only', () => {
    const y = np('app', 'p', '  selector: all()');
    expect(conn(y, 'app/db', 'app/web')).toBe('No Connections');
    expect(conn(y, 'app/db', 'other/web')).toBe('All Connections');
  });
  test('a rule selector in a namespaced policy matches its own namespace only', () => {
    const y = np('app', 'p', "  selector: app == 'db'\n  ingress: [{action: Allow, source: {selector: app == 'web'}}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
    expect(conn(y, 'other/web', 'app/db')).toBe('No Connections');
  });
  test('a rule selector in a GlobalNetworkPolicy matches every namespace', () => {
    const y = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, source: {selector: app == 'web'}}]");
    expect(conn(y, 'other/web', 'app/db')).toBe('All Connections');
    expect(conn(y, '8.8.8.8', 'app/db')).toBe('No Connections');
  });
  test('namespaceSelector matches namespace labels; with selector both must hold', () => {
    const y = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, source: {namespaceSelector: team == 'b', selector: app == 'web'}}]");
    expect(conn(y, 'other/web', 'app/db')).toBe('All Connections');
    expect(conn(y, 'app/web', 'app/db')).toBe('No Connections');
  });
  test('the implicit labels projectcalico.org/namespace and pcns.* select by namespace', () => {
    const y = gnp(
      'p',
      "  selector: app == 'db'\n  ingress: [{action: Allow, source: {selector: \"projectcalico.org/namespace == 'other' || pcns.team == 'a'\"}}]",
    );
    expect(conn(y, 'other/web', 'app/db')).toBe('All Connections');
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
  });
  test('a GlobalNetworkPolicy namespaceSelector limits the policy to those namespaces', () => {
    const y = gnp('p', "  namespaceSelector: team == 'b'\n  selector: all()");
    expect(conn(y, 'app/web', 'other/web')).toBe('No Connections');
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
  });
  test('serviceAccountSelector selects by the service account labels', () => {
    const y = gnp('p', "  serviceAccountSelector: role == 'frontend'\n  selector: all()");
    expect(conn(y, 'app/db', 'app/web')).toBe('No Connections');
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
  });
  test('rule serviceAccounts names match the pod service account', () => {
    const y = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, source: {serviceAccounts: {names: [web-sa]}}}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
    expect(conn(y, 'other/web', 'app/db')).toBe('No Connections');
  });
  test('serviceAccounts on an address in a network set: no name matches it; a selector is asked of no labels', () => {
    // Calico turns the match into an endpoint selector over the service account's labels
    // (EntityRule serviceAccounts); a network set carries none, so all() and `!=` still match it.
    const set = `\n---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: ext}\nspec: {nets: [192.168.1.0/24]}`;
    const all =
      set + gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, source: {namespaceSelector: team != 'z', serviceAccounts: {selector: all()}}}]");
    expect(conn(all, '192.168.1.5', 'app/db')).toBe('All Connections');
    expect(conn(all, '192.168.2.5', 'app/db')).toBe('No Connections');
    const ne =
      set +
      gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, source: {namespaceSelector: global(), serviceAccounts: {selector: role != 'frontend'}}}]");
    expect(conn(ne, '192.168.1.5', 'app/db')).toBe('All Connections');
    const names =
      set + gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, source: {namespaceSelector: global(), serviceAccounts: {names: [web-sa]}}}]");
    expect(conn(names, '192.168.1.5', 'app/db')).toBe('No Connections');
    const eq =
      set +
      gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, source: {namespaceSelector: global(), serviceAccounts: {selector: role == 'frontend'}}}]");
    expect(conn(eq, '192.168.1.5', 'app/db')).toBe('No Connections');
  });
  test('notSelector excludes; in a namespaced policy the rule stays in its namespace', () => {
    const y = np('app', 'p', "  selector: app == 'db'\n  ingress: [{action: Allow, source: {notSelector: app == 'db'}}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
    expect(conn(y, 'other/web', 'app/db')).toBe('No Connections');
    expect(conn(y, '8.8.8.8', 'app/db')).toBe('No Connections');
  });
  test('nets and notNets match addresses, pod addresses included', () => {
    const y = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, source: {nets: [10.0.0.0/16], notNets: [10.0.1.0/24]}}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
    expect(conn(y, 'other/web', 'app/db')).toBe('No Connections');
    expect(conn(y, '10.0.5.5', 'app/db')).toBe('All Connections');
    expect(conn(y, 'app/web', 'app/db', { ipblockPods: 'ignore' })).toBe('No Connections');
  });
  test('a NetworkSet is selectable by its labels: its nets become the matched addresses', () => {
    const y =
      `\n---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: dns, labels: {kind: dns}}\nspec: {nets: [8.8.8.0/24]}` +
      gnp('p', "  selector: app == 'web'\n  egress: [{action: Allow, destination: {selector: kind == 'dns'}}]");
    expect(conn(y, 'app/web', '8.8.8.8')).toBe('All Connections');
    expect(conn(y, 'app/web', '8.8.9.9')).toBe('No Connections');
  });
  test('ports: numbers, ranges "A:B", named ports on the destination, notPorts', () => {
    const y = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, protocol: TCP, destination: {ports: [80, '8000:8100', http], notPorts: [8050]}}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('TCP 80,8000-8049,8051-8100,9090');
  });
  test('protocol by number (6 = TCP) and notProtocol', () => {
    const y = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, protocol: 6}, {action: Deny}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('TCP 1-65535');
    const z = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, notProtocol: TCP}]");
    expect(conn(z, 'app/web', 'app/db')).toBe('ICMP 0-255,ICMPv6 0-255,SCTP 1-65535,UDP 1-65535');
  });
  test('protocol ICMP / ICMPv6 (by name or as 1 / 58) match those families, every type', () => {
    const y = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, protocol: ICMP}, {action: Allow, protocol: 58}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('ICMP 0-255,ICMPv6 0-255');
    const z = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Deny, protocol: 1}, {action: Allow}]");
    expect(conn(z, 'app/web', 'app/db')).toBe('ICMPv6 0-255,SCTP 1-65535,TCP 1-65535,UDP 1-65535');
    const n = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, notProtocol: ICMPv6}]");
    expect(conn(n, 'app/web', 'app/db')).toBe('ICMP 0-255,SCTP 1-65535,TCP 1-65535,UDP 1-65535');
  });
  test('icmp {type} matches that ICMP type only; an empty icmp is no constraint', () => {
    const y = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, protocol: ICMP, icmp: {type: 8}}, {action: Allow, protocol: ICMPv6, icmp: {}}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('ICMP 8,ICMPv6 0-255');
  });
  test('notICMP {type} matches the family except that type; with icmp both must hold', () => {
    const y = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, protocol: ICMP, notICMP: {type: 8}}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('ICMP 0-7,9-255');
    const z = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, protocol: ICMP, icmp: {type: 8}, notICMP: {type: 8}}]");
    expect(conn(z, 'app/web', 'app/db')).toBe('No Connections');
  });
  test('a Deny of one ICMP type ahead of an Allow: every other connection stays allowed', () => {
    const y = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Deny, protocol: ICMP, icmp: {type: 8}}, {action: Allow}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('ICMP 0-7,9-255,ICMPv6 0-255,SCTP 1-65535,TCP 1-65535,UDP 1-65535');
  });
  // Rule reference, "ICMP": `code` matches a specific ICMP code, and needs a type ("Use ICMP/ping rules
  // in policy": type 5 code 2 matches specific ICMP redirect packets); connections hold type and code
  test('icmp {type, code} matches that one code of the type (Rule "ICMP")', () => {
    const yaml = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, protocol: ICMP, icmp: {type: 3, code: 4}}]");
    expect(conn(yaml, 'app/web', 'app/db')).toBe('ICMP 3:4');
    const index = compile(load(yaml).cluster);
    expect(index.can('app/web', 'app/db', 'ICMP', 3, 4)).toBe(true);
    expect(index.can('app/web', 'app/db', 'ICMP', 3, 3)).toBe(false);
    // the type without a code asks about every code of it: not all allowed
    expect(index.can('app/web', 'app/db', 'ICMP', 3)).toBe(false);
    // a code is modelled: no caveat
    expect(inputCaveats(load(yaml).cluster)).toEqual([]);
  });
  test('notICMP {type, code} excludes that one code, every other code of the type still matches (Rule "ICMP")', () => {
    const y = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, protocol: ICMP, notICMP: {type: 3, code: 4}}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('ICMP 0-2,3:0-3,3:5-255,4-255');
    const z = gnp('p', "  selector: app == 'db'\n  ingress: [{action: Allow, protocol: ICMPv6, icmp: {type: 1}, notICMP: {type: 1, code: 0}}]");
    expect(conn(z, 'app/web', 'app/db')).toBe('ICMPv6 1:1-255');
  });
  test('a Deny of one code ahead of an Allow of the type: the first match decides per code', () => {
    const y = gnp(
      'p',
      "  selector: app == 'db'\n  ingress: [{action: Deny, protocol: ICMP, icmp: {type: 5, code: 2}}, {action: Allow, protocol: ICMP, icmp: {type: 5}}]",
    );
    expect(conn(y, 'app/web', 'app/db')).toBe('ICMP 5:0-1,5:3-255');
    const index = compile(load(y).cluster);
    // explained per code: code 2 by the Deny, code 1 by the Allow; the whole type by its first denied code
    const why = (code?: number) => renderVerdict(explainConnection(index, index.resolve('app/web'), index.resolve('app/db'), 'ICMP', 5, code));
    expect(why(2)).toContain('denied: [Tier default order 1000000] GlobalNetworkPolicy p rule 0 Deny');
    expect(why(1)).toContain('allowed: [Tier default order 1000000] GlobalNetworkPolicy p rule 1 Allow');
    expect(why()).toContain('denied: [Tier default order 1000000] GlobalNetworkPolicy p rule 0 Deny');
  });
  test('icmp fields need protocol ICMP or ICMPv6; a code needs a type; type 0-254, code 0-255', () => {
    const bad = (rule: string) =>
      loadCluster([{ name: 't.yaml', text: BASE + gnp('p', `  selector: all()\n  ingress: [${rule}]`) }])
        .diagnostics.filter((d) => d.severity === 'error')
        .map((d) => d.message);
    expect(bad('{action: Allow, protocol: TCP, icmp: {type: 8}}')).toEqual(['icmp and notICMP need protocol ICMP or ICMPv6']);
    expect(bad('{action: Allow, notICMP: {type: 8}}')).toEqual(['icmp and notICMP need protocol ICMP or ICMPv6']);
    expect(bad('{action: Allow, protocol: ICMP, icmp: {code: 4}}')).toEqual(['an ICMP code needs a type (icmp.type)']);
    expect(bad('{action: Allow, protocol: ICMP, icmp: {type: 255}}')).toEqual(['ICMP type must be an integer 0-254, not 255']);
    expect(bad('{action: Allow, protocol: ICMPv6, icmp: {type: 1, code: 256}}')).toEqual(['ICMP code must be an integer 0-255, not 256']);
    expect(bad('{action: Allow, protocol: ICMPv6, ipVersion: 4}')).toEqual(['protocol ICMPv6 cannot be used with ipVersion 4']);
  });
  test('host-network pods have no workload endpoint: Calico policies do not apply to them', () => {
    const y =
      `\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: h, namespace: app, labels: {app: db}}\nspec: {hostNetwork: true, containers: [{name: c, image: x}]}` +
      gnp('p', "  selector: app == 'db'");
    expect(conn(y, 'app/web', 'app/h')).toBe('All Connections');
  });
});

describe('WorkloadEndpoints and Profiles (reference: WorkloadEndpoint, Profile)', () => {
  const wep = (name: string, pod: string, labels: string, profiles: string) =>
    `\n---\napiVersion: projectcalico.org/v3\nkind: WorkloadEndpoint\nmetadata: {name: ${name}, namespace: other, labels: {${labels}}}\nspec: {pod: ${pod}, node: n1, ipNetworks: [10.9.0.1/32], profiles: [${profiles}], ports: [{name: web, port: 8443, protocol: TCP}]}`;
  test('a WorkloadEndpoint is the pod spec.pod of its namespace, with its labels and named ports', () => {
    const y =
      wep('n1-k8s-api-eth0', 'api', 'app: api', 'kns.other') +
      np('other', 'p', "  selector: app == 'api'\n  ingress: [{action: Allow, protocol: TCP, destination: {ports: [web]}}]");
    const r = load(y);
    expect(r.cluster.endpoints.map((e) => e.id)).toContain('other/api[Pod]');
    expect(conn(y, 'app/web', 'other/api')).toBe('TCP 8443');
  });
  test('the Pod object wins over its WorkloadEndpoint (one endpoint, not two)', () => {
    const r = load(wep('n1-k8s-web-eth0', 'web', 'app: nope', ''));
    expect(r.cluster.endpoints.filter((e) => e.id === 'other/web[Pod]').map((e) => e.labels)).toEqual([{ app: 'web' }]);
  });
  test("a Profile's labelsToApply label the endpoints that list it", () => {
    const prof = `\n---\napiVersion: projectcalico.org/v3\nkind: Profile\nmetadata: {name: team-x}\nspec: {labelsToApply: {zone: dmz}, ingress: [{action: Allow}], egress: [{action: Allow}]}`;
    const y = prof + wep('n1-k8s-api-eth0', 'api', 'app: api', 'team-x') + gnp('p', "  selector: zone == 'dmz'");
    const r = load(y);
    expect(inputCaveats(r.cluster)).toEqual([]);
    expect(conn(y, 'app/web', 'other/api')).toBe('No Connections');
  });
  test('a Profile with rules other than allow-all is a caveat', () => {
    const prof = `\n---\napiVersion: projectcalico.org/v3\nkind: Profile\nmetadata: {name: strict}\nspec: {ingress: [{action: Deny}]}`;
    expect(inputCaveats(load(prof).cluster).map((c) => c.code)).toEqual(['CALICO_UNMODELLED']);
  });
  test('a document that is a sequence of objects (as calicoctl prints several kinds) is read as them', () => {
    const r = loadCluster([
      {
        name: 's.json',
        text: '[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}},{"apiVersion":"projectcalico.org/v3","kind":"GlobalNetworkSetList","items":[{"apiVersion":"projectcalico.org/v3","kind":"GlobalNetworkSet","metadata":{"name":"g"},"spec":{"nets":["1.2.3.0/24"]}}]}]',
      },
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.cluster.calico!.networkSets.map((s) => s.name)).toEqual(['g']);
  });
});

describe('Diagnostics', () => {
  test('a selector syntax error is INVALID_SELECTOR at the offending character', () => {
    const r = loadCluster([
      { name: 'p.yaml', text: "apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: p}\nspec:\n  selector: app == 'x''\n" },
    ]);
    const d = r.diagnostics.find((x) => x.code === 'INVALID_SELECTOR')!;
    expect(d.severity).toBe('error');
    expect(d.location).toEqual({ file: 'p.yaml', line: 5, col: 23, doc: 0 });
    const q = loadCluster([
      { name: 'q.yaml', text: 'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: p}\nspec:\n  selector: "app = \'x\'"\n' },
    ]);
    expect(q.diagnostics.find((x) => x.code === 'INVALID_SELECTOR')!.location).toEqual({ file: 'q.yaml', line: 5, col: 18, doc: 0 });
    expect(q.cluster.calico!.policies).toEqual([]);
  });
  test('a HostEndpoint is a caveat, never silent', () => {
    const r = loadCluster([
      { name: 'h.yaml', text: 'apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata: {name: h}\nspec: {node: n1, interfaceName: eth0}\n' },
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(inputCaveats(r.cluster).map((c) => c.code)).toEqual(['UNMODELLED_POLICY_KIND']);
    expect(inputCaveats(r.cluster)[0]!.message).toContain('HostEndpoint');
  });
  test('fields kubereach does not evaluate are caveats of every answer (source ports, other IP protocols)', () => {
    const r = load(gnp('p', '  selector: all()\n  ingress: [{action: Allow, protocol: UDPLite}, {action: Allow, protocol: TCP, source: {ports: [53]}}]'));
    expect(inputCaveats(r.cluster).map((c) => c.code)).toEqual(['CALICO_UNMODELLED', 'CALICO_UNMODELLED']);
  });
  test('a crd.projectcalico.org/v1 policy reads like projectcalico.org/v3', () => {
    const y = "\n---\napiVersion: crd.projectcalico.org/v1\nkind: GlobalNetworkPolicy\nmetadata: {name: default.p}\nspec: {selector: app == 'db'}";
    expect(conn(y, 'app/web', 'app/db')).toBe('No Connections');
  });
});

describe('lint CALICO_TIER_DEFAULT_DENY (reference: Tier defaultAction, "How policy is evaluated")', () => {
  const ids = (yaml: string) =>
    lint(compile(load(yaml).cluster))
      .filter((f) => f.id === 'CALICO_TIER_DEFAULT_DENY')
      .map((f) => f.message);
  const denyList = (extra: string) =>
    gnp('deny-md', `  tier: security\n  selector: all()\n  types: [Egress]\n  egress: [{action: Deny, destination: {nets: [169.254.169.254/32]}}${extra}]`);
  test("a deny-list tier without a final Pass drops the rest of its endpoints' traffic at its end", () => {
    const m = ids(tier('security', '{order: 100}') + denyList(''));
    expect(m.length).toBe(1);
    expect(m[0]).toContain('tier security (defaultAction Deny) has no Allow rule for egress');
  });
  test('not raised: a final Pass, defaultAction Pass, an allow-list tier, the default tier', () => {
    expect(ids(tier('security', '{order: 100}') + denyList(', {action: Pass}'))).toEqual([]);
    expect(ids(tier('security', '{order: 100, defaultAction: Pass}') + denyList(''))).toEqual([]);
    expect(ids(tier('security', '{order: 100}') + denyList(', {action: Allow, protocol: TCP}'))).toEqual([]);
    expect(ids(gnp('p', "  selector: app == 'db'\n  ingress: [{action: Deny, source: {selector: app == 'web'}}]"))).toEqual([]);
  });
  test('rules that together pass everything leave the tier end unreached: not raised (exact, not per rule)', () => {
    const y =
      tier('security', '{order: 100}') +
      gnp(
        'split',
        '  tier: security\n  selector: all()\n  types: [Egress]\n  egress: [{action: Deny, destination: {nets: [169.254.169.254/32]}}, {action: Pass, protocol: TCP}, {action: Pass, notProtocol: TCP}]',
      );
    expect(ids(y)).toEqual([]);
  });
});

describe('Staged policies under --staged (reference: "Stage, preview impacts, and enforce policy"; StagedNetworkPolicy, StagedGlobalNetworkPolicy, StagedKubernetesNetworkPolicy stagedAction)', () => {
  const staged = (kind: string, ns: string | null, name: string, spec: string) =>
    `\n---\napiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata: {name: ${name}${ns === null ? '' : `, namespace: ${ns}`}}\nspec:\n${spec}`;
  const k8s = (name: string, spec: string) =>
    `\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: app}\nspec:\n${spec}`;
  test('Set (the default) replaces the enforced policy of the same kind, namespace and name', () => {
    const y =
      gnp('lock', "  selector: app == 'db'\n  ingress: [{action: Allow, source: {selector: app == 'web'}}]") +
      staged(
        'StagedGlobalNetworkPolicy',
        null,
        'lock',
        "  selector: app == 'db'\n  ingress: [{action: Allow, protocol: TCP, source: {selector: app == 'web'}, destination: {ports: [5432]}}]",
      );
    expect(conn(y, 'app/web', 'app/db')).toBe('All Connections');
    expect(conn(y, 'app/web', 'app/db', { staged: true })).toBe('TCP 5432');
  });
  test('a staged policy of another name is evaluated beside the enforced ones', () => {
    const y =
      np('app', 'lock', "  selector: app == 'db'\n  ingress: [{action: Allow}]") +
      staged('StagedNetworkPolicy', 'app', 'lock2', "  order: 1\n  selector: app == 'db'\n  ingress: [{action: Deny, source: {selector: app == 'web'}}]");
    expect(conn(y, 'app/web', 'app/db', { staged: true })).toBe('No Connections');
    expect(conn(y, 'other/web', 'app/db', { staged: true })).toBe('All Connections');
  });
  test('Delete deletes the enforced policy of the same name and is itself not evaluated', () => {
    const y =
      np('app', 'lock', "  selector: app == 'db'\n  ingress: [{action: Deny}]") +
      staged('StagedNetworkPolicy', 'app', 'lock', "  stagedAction: Delete\n  selector: app == 'db'\n  ingress: [{action: Deny}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('No Connections');
    expect(conn(y, 'app/web', 'app/db', { staged: true })).toBe('All Connections');
  });
  test('a StagedKubernetesNetworkPolicy is a NetworkPolicy spec: not enforced; --staged sets or deletes the NetworkPolicy of its name', () => {
    const enforced = k8s('db', '  podSelector: {matchLabels: {app: db}}\n  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]');
    const set = staged(
      'StagedKubernetesNetworkPolicy',
      'app',
      'db',
      '  podSelector: {matchLabels: {app: db}}\n  ingress: [{ports: [{port: 5432}], from: [{podSelector: {matchLabels: {app: web}}}]}]',
    );
    expect(conn(enforced + set, 'app/web', 'app/db')).toBe('All Connections');
    expect(conn(enforced + set, 'app/web', 'app/db', { staged: true })).toBe('TCP 5432');
    // a new one (no NetworkPolicy of its name) isolates like any NetworkPolicy
    expect(conn(set, 'other/web', 'app/db', { staged: true })).toBe('No Connections');
    const del = staged('StagedKubernetesNetworkPolicy', 'app', 'db', '  stagedAction: Delete\n  podSelector: {}');
    expect(conn(enforced + del, 'app/db', 'app/db')).toBe('All Connections');
    expect(conn(enforced + del, 'other/web', 'app/db')).toBe('No Connections');
    expect(conn(enforced + del, 'other/web', 'app/db', { staged: true })).toBe('All Connections');
  });
  test('a StagedKubernetesNetworkPolicy is read like a NetworkPolicy: its errors and unknown fields at their location; no caveat', () => {
    const bad = loadCluster([
      {
        name: 's.yaml',
        text: 'apiVersion: projectcalico.org/v3\nkind: StagedKubernetesNetworkPolicy\nmetadata: {name: s, namespace: app}\nspec:\n  podSelector: {}\n  ingres: []\n  stagedAction: Sometimes\n',
      },
    ]);
    expect(bad.diagnostics.map((d) => [d.code, d.severity, d.location?.line])).toEqual([
      ['UNKNOWN_FIELD', 'error', 6],
      ['INVALID_FIELD', 'error', 7],
    ]);
    const ok = loadCluster([
      {
        name: 's.yaml',
        text: 'apiVersion: projectcalico.org/v3\nkind: StagedKubernetesNetworkPolicy\nmetadata: {name: s, namespace: app}\nspec: {podSelector: {}, policyTypes: [Egress]}\n',
      },
    ]);
    expect(ok.diagnostics).toEqual([]);
    expect(inputCaveats(ok.cluster)).toEqual([]);
    expect(
      ok.cluster.calico!.stagedKubernetes.map((s) => [s.policy.namespace, s.policy.name, s.policy.isolatesIngress, s.policy.isolatesEgress, s.stagedAction]),
    ).toEqual([['app', 's', false, true, 'Set']]);
  });
});

describe('CNI profile calico (reference: "Calico matches by address"; host-network pods have no WorkloadEndpoint)', () => {
  const host = `\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: h, namespace: app, labels: {app: db}}\nspec: {hostNetwork: true, containers: [{name: c, image: x}]}\nstatus: {podIP: 10.9.0.1}`;
  const denyAll = `\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: app}\nspec: {podSelector: {}}`;
  test('detected from Calico kinds; --cni calico by hand', () => {
    const r = load(tier('t', '{order: 1}'));
    expect(compile(r.cluster).compiled.profile).toMatchObject({
      cni: 'calico',
      source: 'detected: Calico Tier objects in the input',
      ipblockMatchesPods: true,
      hostNetworkIsPolicySubject: false,
    });
    expect(compile(load('').cluster).compiled.profile.cni).toBe('generic');
    expect(compile(load('').cluster, { cni: 'calico' }).compiled.profile.source).toBe('given');
  });
  test('detected from calico-node pods', () => {
    const y = `\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: calico-node-x1, namespace: calico-system, labels: {k8s-app: calico-node}}\nspec: {hostNetwork: true, containers: [{name: c, image: x}]}`;
    expect(compile(load(y).cluster).compiled.profile).toMatchObject({
      cni: 'calico',
      source: 'detected: calico-node calico-system/calico-node-x1[Pod] in the input',
    });
  });
  test('a host-network pod is no NetworkPolicy subject and no pod peer under calico; it is under generic', () => {
    expect(conn(host + denyAll, 'app/web', 'app/h', { cni: 'calico' })).toBe('All Connections');
    expect(conn(host + denyAll, 'app/web', 'app/h', { cni: 'generic' })).toBe('No Connections');
    const allowDb = `\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: from-db, namespace: app}\nspec: {podSelector: {matchLabels: {app: web}}, ingress: [{from: [{podSelector: {matchLabels: {app: db}}}]}]}`;
    expect(conn(host + allowDb, 'app/h', 'app/web', { cni: 'calico' })).toBe('No Connections');
    expect(conn(host + allowDb, 'app/db', 'app/web', { cni: 'calico' })).toBe('All Connections');
  });
});

describe('NetworkPolicies and Calico policies at order 1000 in the default tier (reference: NetworkPolicy spec.order; Felix name/namespace/kind tie-break)', () => {
  const dbs = `\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: db1, namespace: app, labels: {app: db1}}\nspec: {containers: [{name: c, image: x}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: db2, namespace: app, labels: {app: db2}}\nspec: {containers: [{name: c, image: x}]}`;
  const k8s = (name: string, app: string) =>
    `\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: app}\nspec: {podSelector: {matchLabels: {app: ${app}}}, ingress: [{ports: [{port: 80}], from: [{podSelector: {matchLabels: {app: web}}}]}]}`;
  const calico = (action: string) =>
    np('app', 'b', `  order: 1000\n  selector: app == 'db2'\n  ingress: [{action: ${action}, source: {selector: app == 'web'}}]`);
  test('a Calico Deny sorted between two NetworkPolicies decides before the later one (their blocks are never merged across it)', () => {
    const y = dbs + k8s('a', 'db1') + calico('Deny') + k8s('c', 'db2');
    expect(conn(y, 'app/web', 'app/db1')).toBe('TCP 80');
    expect(conn(y, 'app/web', 'app/db2')).toBe('No Connections');
  });
  test('a Calico Allow between them commutes with their Allows (the blocks may be merged): the same answers as by hand', () => {
    const y = dbs + k8s('a', 'db1') + calico('Allow') + k8s('c', 'db2');
    expect(conn(y, 'app/web', 'app/db1')).toBe('TCP 80');
    expect(conn(y, 'app/web', 'app/db2')).toBe('All Connections');
    // a and c admit the same sources on the same ports: one evaluation block, explained as its members
    const index = compile(load(y).cluster);
    expect(evalBlocks(index.compiled.blocks).members.size).toBe(1);
    expect(explainText(index, 'app/web', 'app/db1', 80)).toContain('[Tier default order 1000000] KubernetesNetworkPolicy app/a rule 0 Allow');
  });
  test('explain names a deciding NetworkPolicy in the tier form: Calico places it in the default tier (reference: Tier, "the default tier")', () => {
    const index = compile(load(dbs + k8s('a', 'db1') + calico('Deny')).cluster);
    const allowed = explainText(index, 'app/web', 'app/db1', 80);
    expect(allowed).toContain('selected by: KubernetesNetworkPolicy app/a (tier default, t.yaml:');
    expect(allowed).toMatch(/allowed: \[Tier default order 1000000\] KubernetesNetworkPolicy app\/a rule 0 Allow \(t\.yaml:\d+:\d+\)$/);
    // isolated by the NetworkPolicy, no rule matches port 81: the default tier ends with its default action Deny
    expect(explainText(index, 'app/web', 'app/db1', 81)).toContain(
      'denied: [Tier default order 1000000] default action Deny: isolated by KubernetesNetworkPolicy app/a and no rule allows it',
    );
  });
  test('a Pass chain ends in a NetworkPolicy of the default tier, both links in the tier form', () => {
    const y = dbs + tier('security', '{order: 100}') + gnp('pass-all', '  tier: security\n  selector: all()\n  ingress: [{action: Pass}]') + k8s('a', 'db1');
    expect(explainText(compile(load(y).cluster), 'app/web', 'app/db1', 80)).toMatch(
      /allowed: \[Tier security order 100\] GlobalNetworkPolicy pass-all rule 0 Pass \(t\.yaml:\d+:\d+\) -> \[Tier default order 1000000\] KubernetesNetworkPolicy app\/a rule 0 Allow/,
    );
  });
  test('without Calico policies a NetworkPolicy keeps the NetworkPolicy notation', () => {
    const index = compile(load(dbs + k8s('a', 'db1')).cluster);
    expect(explainText(index, 'app/web', 'app/db1', 80)).toContain('allowed: [NetworkPolicy app/a rule 0] Allow');
  });
  test('with a Calico Deny between them, the NetworkPolicies on either side are evaluated apart', () => {
    const index = compile(load(dbs + k8s('a', 'db1') + calico('Deny') + k8s('c', 'db2')).cluster);
    expect(evalBlocks(index.compiled.blocks).members.size).toBe(0);
  });
});

describe('Allow rules commute in first-match order (reference: Tier "How policy is evaluated": the first rule that matches decides)', () => {
  // Two Allows decide the same packets in either order, so rules that allow the same sources on the
  // same ports are evaluated as one block; a Deny or Pass between them, or a tier boundary, keeps them apart.
  const dbs = `\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: db1, namespace: app, labels: {app: db1}}\nspec: {containers: [{name: c, image: x}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: db2, namespace: app, labels: {app: db2}}\nspec: {containers: [{name: c, image: x}]}`;
  const allow = (name: string, order: number, app: string) =>
    np(
      'app',
      name,
      `  order: ${order}\n  selector: app == '${app}'\n  ingress: [{action: Allow, protocol: TCP, source: {selector: app == 'web'}, destination: {ports: [80]}}]`,
    );
  const rule = (name: string, order: number, app: string, action: string) =>
    np('app', name, `  order: ${order}\n  selector: app == '${app}'\n  ingress: [{action: ${action}, source: {selector: app == 'web'}}]`);

  test('Allows of one tier with the same sources and ports are one evaluation block; answers and explanations are per rule', () => {
    const y = dbs + allow('a', 100, 'db1') + rule('log', 150, 'db2', 'Log') + allow('c', 200, 'db2');
    expect(conn(y, 'app/web', 'app/db1')).toBe('TCP 80');
    expect(conn(y, 'app/web', 'app/db2')).toBe('TCP 80');
    const index = compile(load(y).cluster);
    expect([...evalBlocks(index.compiled.blocks).members.values()].map((m) => m.map((b) => b.rule.policy))).toEqual([['app/a', 'app/c']]);
    const text = explainText(index, 'app/web', 'app/db2', 80);
    expect(text).toContain('NetworkPolicy app/c rule 0 Allow');
    expect(text).not.toContain('app/a rule');
  });
  test('a Deny between two such Allows decides first: they are not merged across it', () => {
    const y = dbs + allow('a', 100, 'db1') + rule('deny', 150, 'db2', 'Deny') + allow('c', 200, 'db2');
    expect(conn(y, 'app/web', 'app/db1')).toBe('TCP 80');
    expect(conn(y, 'app/web', 'app/db2')).toBe('No Connections');
    expect(evalBlocks(compile(load(y).cluster).compiled.blocks).members.size).toBe(0);
  });
  test('a Pass between them sends the packet on to the next tier: not merged across it', () => {
    const y = dbs + allow('a', 100, 'db1') + rule('pass', 150, 'db2', 'Pass') + allow('c', 200, 'db2');
    // passed out of the default tier and no later tier applies: the profile allows everything
    expect(conn(y, 'app/web', 'app/db2')).toBe('All Connections');
    expect(evalBlocks(compile(load(y).cluster).compiled.blocks).members.size).toBe(0);
  });
  test('Allows in different tiers are not merged (a tier end lies between them)', () => {
    const inTier = np(
      'app',
      'a',
      `  tier: security\n  order: 100\n  selector: app == 'db1'\n  ingress: [{action: Allow, protocol: TCP, source: {selector: app == 'web'}, destination: {ports: [80]}}]`,
    );
    const y = dbs + tier('security', '{order: 100}') + inTier + allow('c', 200, 'db2');
    expect(conn(y, 'app/web', 'app/db1')).toBe('TCP 80');
    expect(conn(y, 'app/web', 'app/db2')).toBe('TCP 80');
    expect(evalBlocks(compile(load(y).cluster).compiled.blocks).members.size).toBe(0);
  });
});

describe('Rule services (reference: EntityRule "services", ServiceMatch; "Use service rules in policy")', () => {
  const svc = (name: string, selector: string, ports: string) =>
    `\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: app}\nspec: {selector: ${selector}, ports: ${ports}}`;
  // db-svc: port 80 to the named container port http (9090 on db); web-svc: 8080 to 8080 on web
  const SVCS = svc('db-svc', '{app: db}', '[{port: 80, targetPort: http}]') + svc('web-svc', '{app: web}', '[{port: 8080}]');
  const errors = (yaml: string) =>
    loadCluster([{ name: 't.yaml', text: BASE + yaml }])
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => d.message);
  test('destination services: the endpoints of the Service, each on its own port (the targetPort, a named one resolved on the pod)', () => {
    const y =
      SVCS +
      gnp('web-out', "  selector: app == 'web'\n  types: [Egress]\n  egress: [{action: Allow, destination: {services: {name: db-svc, namespace: app}}}]");
    // not the Service port 80: Calico sees the packet after the Service is translated to the endpoint
    expect(conn(y, 'app/web', 'app/db')).toBe('TCP 9090');
    expect(conn(y, 'app/web', 'other/web')).toBe('No Connections');
    expect(conn(y, 'app/web', '8.8.8.8')).toBe('No Connections');
  });
  test('a Service selector key no policy selector mentions still tells its pods from their look-alikes', () => {
    const pod = (name: string, labels: string) =>
      `\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: app, labels: ${labels}}\nspec: {containers: [{name: c, image: x}]}`;
    const y =
      pod('db3', '{app: db, tier: one}') +
      pod('db4', '{app: db}') +
      svc('one', '{tier: one}', '[{port: 5432}]') +
      gnp('web-out', "  selector: app == 'web'\n  types: [Egress]\n  egress: [{action: Allow, destination: {services: {name: one, namespace: app}}}]");
    expect(conn(y, 'app/web', 'app/db3')).toBe('TCP 5432');
    expect(conn(y, 'app/web', 'app/db4')).toBe('No Connections');
  });
  test('the rule protocol narrows the endpoint ports: UDP to a TCP Service matches nothing', () => {
    const y =
      SVCS +
      gnp(
        'web-out',
        "  selector: app == 'web'\n  types: [Egress]\n  egress: [{action: Allow, protocol: UDP, destination: {services: {name: db-svc, namespace: app}}}]",
      );
    expect(conn(y, 'app/web', 'app/db')).toBe('No Connections');
  });
  test('namespace left empty: the policy namespace ("If left empty, the rule will match within this policy\'s namespace")', () => {
    const y = SVCS + np('app', 'web-out', "  selector: app == 'web'\n  types: [Egress]\n  egress: [{action: Allow, destination: {services: {name: db-svc}}}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('TCP 9090');
    // in namespace other there is no db-svc: the rule matches nothing, and a warning says so
    const z =
      SVCS + np('other', 'web-out', "  selector: app == 'web'\n  types: [Egress]\n  egress: [{action: Allow, destination: {services: {name: db-svc}}}]");
    expect(conn(z, 'other/web', 'app/db')).toBe('No Connections');
    const index = compile(load(z).cluster);
    expect(index.warnings.map((w) => [w.code, w.message])).toEqual([
      ['CALICO_SERVICE_MISSING', 'services other/db-svc: the input has no such Service: the rule matches no endpoint here'],
    ]);
  });
  test('source services: the endpoints only, whatever port their Service serves', () => {
    const y =
      SVCS +
      np(
        'app',
        'db-in',
        "  selector: app == 'db'\n  ingress: [{action: Allow, protocol: TCP, source: {services: {name: web-svc}}, destination: {ports: [9090, 22]}}]",
      );
    expect(conn(y, 'app/web', 'app/db')).toBe('TCP 22,9090');
    expect(conn(y, 'other/web', 'app/db')).toBe('No Connections');
  });
  test('a Service without a selector: the addresses of its EndpointSlices on their ports, a pod by its address, an outside address as such', () => {
    const slice =
      `\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: app}\nspec: {ports: [{name: pg, port: 5432}]}` +
      `\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: ext-1, namespace: app, labels: {kubernetes.io/service-name: ext}}\naddressType: IPv4\nports: [{name: pg, port: 6432, protocol: TCP}]\nendpoints: [{addresses: [10.0.0.2]}, {addresses: [1.2.3.4]}]`;
    const y =
      slice + gnp('web-out', "  selector: app == 'web'\n  types: [Egress]\n  egress: [{action: Allow, destination: {services: {name: ext, namespace: app}}}]");
    expect(conn(y, 'app/web', 'app/db')).toBe('TCP 6432');
    expect(conn(y, 'app/web', '1.2.3.4')).toBe('TCP 6432');
    expect(conn(y, 'app/web', '1.2.3.5')).toBe('No Connections');
  });
  test('services cannot share a side with selectors, nets or serviceAccounts; an egress rule to services takes no ports; name is required', () => {
    expect(errors(gnp('p', '  selector: all()\n  egress: [{action: Allow, destination: {services: {name: a, namespace: app}, selector: all()}}]'))).toEqual([
      'services cannot be combined with selector on the same side of a rule',
    ]);
    expect(errors(gnp('p', '  selector: all()\n  ingress: [{action: Allow, source: {services: {name: a, namespace: app}, nets: [10.0.0.0/8]}}]'))).toEqual([
      'services cannot be combined with nets on the same side of a rule',
    ]);
    expect(
      errors(gnp('p', '  selector: all()\n  egress: [{action: Allow, protocol: TCP, destination: {services: {name: a, namespace: app}, ports: [80]}}]')),
    ).toEqual(['an egress rule to services cannot also name destination ports: the Service gives each endpoint its port']);
    expect(errors(gnp('p', '  selector: all()\n  egress: [{action: Allow, destination: {services: {namespace: app}}}]'))).toEqual([
      'services needs the name of a Kubernetes Service (services.name)',
    ]);
  });
  test('a services match is modelled: no caveat', () => {
    const y =
      SVCS +
      gnp('web-out', "  selector: app == 'web'\n  types: [Egress]\n  egress: [{action: Allow, destination: {services: {name: db-svc, namespace: app}}}]");
    expect(inputCaveats(load(y).cluster)).toEqual([]);
  });
});
