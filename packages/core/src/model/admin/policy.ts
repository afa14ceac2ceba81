/**
 * One admin policy object -> AdminPolicy, with the per-kind differences in one table:
 *
 * | kind                          | tier            | priority         | actions              | rules / peers / ports max |
 * |-------------------------------|-----------------|------------------|----------------------|---------------------------|
 * | v1alpha1 AdminNetworkPolicy   | Admin           | required, 0-1000 | Allow, Deny, Pass    | 100 / 100 / 100           |
 * | v1alpha1 BaselineAdmin...     | Baseline        | none (0)         | Allow, Deny          | 100 / 100 / 100           |
 * | v1alpha2 ClusterNetworkPolicy | required enum   | required, 0-1000 | Accept, Deny, Pass   | 25 / 25 / 25              |
 *
 * A BaselineAdminNetworkPolicy must be named `default` (the API's singleton rule).
 */
import type { OtherObject } from '../types.js';
import { readPeer, readSubject, type Direction } from './peers.js';
import { readPorts } from './ports.js';
import { isObject, show, type JsonObject, type Reader } from './reader.js';
import type { AdminAction, AdminGeneration, AdminPeer, AdminPolicy, AdminRule, AdminSourceKind, AdminTier } from './types.js';

interface KindSpec {
  readonly generation: AdminGeneration;
  readonly actions: Readonly<Record<string, AdminAction>>;
  readonly specKeys: readonly string[];
  readonly ruleKeys: Readonly<Record<Direction, readonly string[]>>;
  readonly maxRules: number;
  readonly maxPeers: number;
}

const V1_RULE_KEYS = { ingress: ['name', 'action', 'ports', 'from'], egress: ['name', 'action', 'ports', 'to'] } as const;
const V2_RULE_KEYS = { ingress: ['name', 'action', 'protocols', 'from'], egress: ['name', 'action', 'protocols', 'to'] } as const;

export const KINDS: Readonly<Record<AdminSourceKind, KindSpec>> = {
  AdminNetworkPolicy: {
    generation: 'v1alpha1',
    actions: { Allow: 'Accept', Deny: 'Deny', Pass: 'Pass' },
    specKeys: ['priority', 'subject', 'ingress', 'egress'],
    ruleKeys: V1_RULE_KEYS,
    maxRules: 100,
    maxPeers: 100,
  },
  BaselineAdminNetworkPolicy: {
    generation: 'v1alpha1',
    actions: { Allow: 'Accept', Deny: 'Deny' },
    specKeys: ['subject', 'ingress', 'egress'],
    ruleKeys: V1_RULE_KEYS,
    maxRules: 100,
    maxPeers: 100,
  },
  ClusterNetworkPolicy: {
    generation: 'v1alpha2',
    actions: { Accept: 'Accept', Deny: 'Deny', Pass: 'Pass' },
    specKeys: ['tier', 'priority', 'subject', 'ingress', 'egress'],
    ruleKeys: V2_RULE_KEYS,
    maxRules: 25,
    maxPeers: 25,
  },
};

const IP_PEERS: ReadonlySet<AdminPeer['kind']> = new Set(['networks', 'nodes', 'domainNames']);

function readRule(r: Reader, kind: AdminSourceKind, dir: Direction, value: unknown, index: number): AdminRule | null {
  const k = KINDS[kind];
  const path = ['spec', dir, index];
  const location = r.at(path);
  if (!isObject(value)) {
    r.error('INVALID_FIELD', `an ${dir} rule must be an object, not ${show(value)}`, path);
    return null;
  }
  const before = r.errors;
  r.knownKeys(value, k.ruleKeys[dir], path);
  const name = r.string(value, 'name', path, { required: false, maxLength: 100 });
  let action: AdminAction | null = null;
  const rawAction = value['action'];
  if (rawAction === undefined || rawAction === null) {
    r.error('MISSING_FIELD', 'action is required', path);
  } else if (typeof rawAction !== 'string' || !Object.hasOwn(k.actions, rawAction)) {
    r.error('INVALID_FIELD', `action ${show(rawAction)} is not one of ${Object.keys(k.actions).join(', ')} in a ${kind}`, [...path, 'action']);
  } else {
    action = k.actions[rawAction]!;
  }
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  const rawPeers = r.list(value, peersKey, path, { required: true, min: 1, max: k.maxPeers });
  const peers: AdminPeer[] = [];
  rawPeers?.forEach((p, j) => {
    const peer = readPeer(r, p, [...path, peersKey, j], k.generation, dir);
    if (peer !== null) peers.push(peer);
  });
  const ports = readPorts(r, value, path, k.generation);
  if (r.errors !== before || name === null || action === null || ports === undefined) return null;
  // Addresses have no port names. The experimental CRDs reject this combination; the standard ones
  // accept it, and the named port then simply never matches those peers.
  const ipPeer = peers.find((p) => IP_PEERS.has(p.kind));
  const namedPort = ports?.find((p) => p.kind === 'named');
  if (ipPeer !== undefined && namedPort !== undefined && namedPort.kind === 'named') {
    r.warn('NAMED_PORT_IP_PEER', `named port ${show(namedPort.name)} never matches the ${ipPeer.kind} peer of this rule (only pods have port names)`, [
      ...path,
      k.generation === 'v1alpha1' ? 'ports' : 'protocols',
    ]);
  }
  return { index, name, action, peers, ports, location };
}

/** Reads one recognised object; null after errors (the reader holds the diagnostics). */
export function readAdminPolicy(r: Reader, obj: OtherObject, kind: AdminSourceKind): AdminPolicy | null {
  const k = KINDS[kind];
  const root = obj.value as JsonObject;
  const name = obj.name;
  if (name === null || name === '') r.error('MISSING_FIELD', 'metadata.name is required', isObject(root['metadata']) ? ['metadata'] : []);
  else if (kind === 'BaselineAdminNetworkPolicy' && name !== 'default') {
    r.error('INVALID_FIELD', `a BaselineAdminNetworkPolicy must be named "default", not ${show(name)}`, ['metadata', 'name']);
  }
  const spec = r.object(root, 'spec', [], true);
  if (spec === null) return null;
  r.knownKeys(spec, k.specKeys, ['spec']);

  let tier: AdminTier = kind === 'BaselineAdminNetworkPolicy' ? 'Baseline' : 'Admin';
  if (kind === 'ClusterNetworkPolicy') {
    const t = spec['tier'];
    if (t === undefined || t === null) r.error('MISSING_FIELD', 'tier is required (Admin or Baseline)', ['spec']);
    else if (t !== 'Admin' && t !== 'Baseline') r.error('INVALID_FIELD', `tier ${show(t)} is not Admin or Baseline`, ['spec', 'tier']);
    else tier = t;
  }
  const priority =
    kind === 'BaselineAdminNetworkPolicy' ? 0 : r.integer(spec, 'priority', ['spec'], { min: 0, max: 1000, code: 'INVALID_FIELD', what: 'priority' });
  const subject = readSubject(r, spec, k.generation);

  const rules = (dir: Direction): AdminRule[] => {
    const list = r.list(spec, dir, ['spec'], { required: false, min: 0, max: k.maxRules }) ?? [];
    const out: AdminRule[] = [];
    list.forEach((v, i) => {
      const rule = readRule(r, kind, dir, v, i);
      if (rule !== null) out.push(rule);
    });
    return out;
  };
  const ingress = rules('ingress');
  const egress = rules('egress');
  if (r.errors > 0 || name === null || priority === null || subject === null) return null;
  return { tier, name, priority, generation: k.generation, sourceKind: kind, subject, ingress, egress, location: obj.location };
}
