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
import { nameError } from '../label-syntax.js';
import { harmlessName } from '../validate-meta.js';
import { quoteValue } from '../../text/escape.js';
import { readPeer, readSubject, type Direction } from './peers.js';
import { readPorts } from './ports.js';
import { knownKeys, readObjectField, readListField, readStringField, readIntegerField, show, type JsonObject } from '../fields.js';
import { isRecord } from '../../base/types.js';
import type { ObjectContext } from '../context.js';
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

function readRule(r: ObjectContext, kind: AdminSourceKind, dir: Direction, value: unknown, index: number): AdminRule | null {
  const k = KINDS[kind];
  const path = ['spec', dir, index];
  const location = r.at(path);
  if (!isRecord(value)) {
    r.error('INVALID_FIELD', `an ${dir} rule must be an object, not ${show(value)}`, path);
    return null;
  }
  const before = r.errors;
  knownKeys(r, value, k.ruleKeys[dir], path);
  const name = readStringField(r, value, 'name', path, { required: false, maxLength: 100 });
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
  const rawPeers = readListField(r, value, peersKey, path, { required: true, min: 1, max: k.maxPeers });
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

/** The admin policies' API group; each kind is read in one version (VERSION_OF). */
export const ADMIN_GROUP = 'policy.networking.k8s.io';

/** The version each admin kind is read as. */
export const VERSION_OF: Readonly<Record<AdminSourceKind, string>> = {
  AdminNetworkPolicy: 'v1alpha1',
  BaselineAdminNetworkPolicy: 'v1alpha1',
  ClusterNetworkPolicy: 'v1alpha2',
};

/** The admin kind of an object of the admin policies' group, whatever its version; null for anything else. */
export function adminKindOf(kind: string, apiVersion: string): AdminSourceKind | null {
  return apiVersion.split('/')[0] === ADMIN_GROUP && Object.hasOwn(KINDS, kind) ? (kind as AdminSourceKind) : null;
}

/**
 * Reads one admin policy object (after the builder's duplicate check); null after errors (the
 * context holds the diagnostics). `name` is metadata.name, null when missing or empty.
 */
export function readAdminPolicy(r: ObjectContext, kind: AdminSourceKind, name: string | null): AdminPolicy | null {
  const k = KINDS[kind];
  const root = r.raw.value as JsonObject;
  if (name !== null) {
    // a custom resource's name is a DNS subdomain, as for every object the API server stores
    const nameWhy = nameError(name, 'dns1123-subdomain');
    if (nameWhy !== null) {
      const message = `metadata.name ${quoteValue(name)} is not a valid ${kind} name: ${nameWhy}`;
      // as for the modelled kinds (model/validate-meta.ts): a name of name-like characters is a warning
      if (harmlessName(name)) r.warn('INVALID_NAME', `${message} (the API server would refuse it)`, ['metadata', 'name']);
      else r.error('INVALID_NAME', message, ['metadata', 'name']);
    }
  }
  if (name === null) r.error('MISSING_FIELD', 'metadata.name is required', isRecord(root['metadata']) ? ['metadata'] : []);
  else if (kind === 'BaselineAdminNetworkPolicy' && name !== 'default') {
    r.error('INVALID_FIELD', `a BaselineAdminNetworkPolicy must be named "default", not ${show(name)}`, ['metadata', 'name']);
  }
  const spec = readObjectField(r, root, 'spec', [], true);
  if (spec === null) return null;
  knownKeys(r, spec, k.specKeys, ['spec']);

  let tier: AdminTier = kind === 'BaselineAdminNetworkPolicy' ? 'Baseline' : 'Admin';
  if (kind === 'ClusterNetworkPolicy') {
    const t = spec['tier'];
    if (t === undefined || t === null) r.error('MISSING_FIELD', 'tier is required (Admin or Baseline)', ['spec']);
    else if (t !== 'Admin' && t !== 'Baseline') r.error('INVALID_FIELD', `tier ${show(t)} is not Admin or Baseline`, ['spec', 'tier']);
    else tier = t;
  }
  const priority =
    kind === 'BaselineAdminNetworkPolicy' ? 0 : readIntegerField(r, spec, 'priority', ['spec'], { min: 0, max: 1000, code: 'INVALID_FIELD', what: 'priority' });
  const subject = readSubject(r, spec, k.generation);

  const rules = (dir: Direction): AdminRule[] => {
    const list = readListField(r, spec, dir, ['spec'], { required: false, min: 0, max: k.maxRules }) ?? [];
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
  return { tier, name, priority, generation: k.generation, sourceKind: kind, subject, ingress, egress, location: r.at([]) };
}
