/**
 * Subjects and peers of both generations. The two spell them the same way except for limits and
 * which members exist:
 *
 * | member        | v1alpha1 ingress/egress | v1alpha2 ingress/egress | model kind            |
 * |---------------|-------------------------|-------------------------|-----------------------|
 * | namespaces    | yes / yes               | yes / yes               | namespaces            |
 * | pods          | yes / yes               | yes / yes               | pods                  |
 * | nodes         | no  / yes (experimental)| no  / yes (experimental)| nodes                 |
 * | networks      | no  / yes               | no  / yes               | networks              |
 * | domainNames   | -                       | no  / yes (experimental)| domainNames (unmatched, warned) |
 *
 * `pods` needs podSelector in both generations and namespaceSelector in v1alpha1 only. A missing
 * required selector is read as the empty selector (what the Go zero value means to the controllers
 * and to netpol-analyzer, whose conformance inputs rely on it) with a MISSING_FIELD *warning*,
 * because the API server would reject the object.
 */
import { parseCidr, type Cidr } from '../../net/ip.js';
import type { LabelSelector } from '../types.js';
import { knownKeys, readObjectField, readListField, readOneOf, show } from '../fields.js';
import { isRecord, type FieldPath } from '../../base/types.js';
import type { ObjectContext } from '../context.js';
import { EMPTY_SELECTOR, readSelector } from './selector.js';
import type { AdminGeneration, AdminPeer, AdminSubject } from './types.js';

export type Direction = 'ingress' | 'egress';

const PEER_MEMBERS: Readonly<Record<AdminGeneration, Readonly<Record<Direction, readonly string[]>>>> = {
  v1alpha1: { ingress: ['namespaces', 'pods'], egress: ['namespaces', 'pods', 'nodes', 'networks'] },
  v1alpha2: { ingress: ['namespaces', 'pods'], egress: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'] },
};

/** The CRDs' DomainName pattern (with the A-z typo of the experimental CRD corrected to A-Z). */
const DOMAIN_NAME = /^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

/** `pods: {namespaceSelector, podSelector}` in a subject or a peer. */
function readNamespacedPod(
  r: ObjectContext,
  value: unknown,
  path: FieldPath,
  gen: AdminGeneration,
): { namespaceSelector: LabelSelector; podSelector: LabelSelector } | null {
  if (!isRecord(value)) {
    r.error('INVALID_FIELD', `pods must be an object, not ${show(value)}`, path);
    return null;
  }
  knownKeys(r, value, ['namespaceSelector', 'podSelector'], path);
  const sel = (key: 'namespaceSelector' | 'podSelector', required: boolean): LabelSelector | null => {
    const v = value[key];
    if (v === undefined || v === null) {
      if (required) {
        r.warn('MISSING_FIELD', `pods.${key} is required; read as {} (selects all), as the API's Go zero value`, path);
      }
      return EMPTY_SELECTOR;
    }
    return readSelector(r, v, [...path, key], key);
  };
  const namespaceSelector = sel('namespaceSelector', gen === 'v1alpha1');
  const podSelector = sel('podSelector', true);
  return namespaceSelector === null || podSelector === null ? null : { namespaceSelector, podSelector };
}

/** spec.subject: exactly one of namespaces, pods. */
export function readSubject(r: ObjectContext, spec: Readonly<Record<string, unknown>>, gen: AdminGeneration): AdminSubject | null {
  const subject = readObjectField(r, spec, 'subject', ['spec'], true);
  if (subject === null) return null;
  const path = ['spec', 'subject'];
  const member = readOneOf(r, subject, ['namespaces', 'pods'], path, 'subject', 'INVALID_FIELD');
  if (member === 'namespaces') {
    const s = readSelector(r, subject['namespaces'], [...path, 'namespaces'], 'subject.namespaces');
    return s === null ? null : { kind: 'namespaces', namespaceSelector: s };
  }
  if (member === 'pods') {
    const p = readNamespacedPod(r, subject['pods'], [...path, 'pods'], gen);
    return p === null ? null : { kind: 'pods', ...p };
  }
  return null;
}

/** One entry of from/to. */
export function readPeer(r: ObjectContext, value: unknown, path: FieldPath, gen: AdminGeneration, dir: Direction): AdminPeer | null {
  const location = r.at(path);
  if (!isRecord(value)) {
    r.error('INVALID_PEER', `a peer must be an object, not ${show(value)}`, path);
    return null;
  }
  const members = PEER_MEMBERS[gen][dir];
  const member = readOneOf(r, value, members, path, `${dir === 'ingress' ? 'from' : 'to'} peer`, 'INVALID_PEER');
  if (member === null) return null;
  const at = [...path, member];
  const v = value[member];
  switch (member) {
    case 'namespaces': {
      const s = readSelector(r, v, at, 'namespaces');
      return s === null ? null : { kind: 'namespaces', namespaceSelector: s, location };
    }
    case 'pods': {
      const p = readNamespacedPod(r, v, at, gen);
      return p === null ? null : { kind: 'pods', ...p, location };
    }
    case 'nodes': {
      const s = readSelector(r, v, at, 'nodes');
      return s === null ? null : { kind: 'nodes', nodeSelector: s, location };
    }
    case 'networks': {
      const cidrs = readNetworks(r, value, path);
      return cidrs === null ? null : { kind: 'networks', cidrs, location };
    }
    case 'domainNames': {
      const names = readDomainNames(r, value, path);
      if (names === null) return null;
      r.warn('UNSUPPORTED_PEER', `domainNames ${names.join(', ')} cannot be resolved from manifests; this peer matches nothing here`, at);
      return { kind: 'domainNames', names, location };
    }
    default:
      // members come from PEER_MEMBERS, all handled above
      throw new Error(`unreachable peer member ${member}`);
  }
}

/**
 * networks: 1-25 CIDRs of either family. Both generations reject IPv4-embedded IPv6 forms
 * (v1alpha1 by its "contains ':' != contains '.'" rule, v1alpha2 by Kubernetes' isCIDR).
 */
function readNetworks(r: ObjectContext, peer: Readonly<Record<string, unknown>>, path: FieldPath): Cidr[] | null {
  const list = readListField(r, peer, 'networks', path, { required: true, min: 1, max: 25 });
  if (list === null) return null;
  const out: Cidr[] = [];
  let ok = true;
  list.forEach((item, i) => {
    const at = [...path, 'networks', i];
    if (typeof item !== 'string') {
      r.error('INVALID_CIDR', `network ${show(item)} must be a CIDR string`, at);
      ok = false;
      return;
    }
    const c = item.length > 43 || (item.includes(':') && item.includes('.')) ? 'syntax' : parseCidr(item);
    if (c === 'syntax' || c === 'prefix') {
      r.error('INVALID_CIDR', `network ${show(item)} is not a CIDR${c === 'prefix' ? ' (prefix too long)' : ''}`, at);
      ok = false;
      return;
    }
    if (c.hostBitsSet) r.warn('CIDR_HOST_BITS', `network ${show(item)} has host bits set; ${c.text} is used`, at);
    out.push(c);
  });
  return ok ? out : null;
}

function readDomainNames(r: ObjectContext, peer: Readonly<Record<string, unknown>>, path: FieldPath): string[] | null {
  const list = readListField(r, peer, 'domainNames', path, { required: true, min: 1, max: 25 });
  if (list === null) return null;
  const out: string[] = [];
  let ok = true;
  list.forEach((item, i) => {
    if (typeof item !== 'string' || !DOMAIN_NAME.test(item)) {
      r.error('INVALID_PEER', `domain name ${show(item)} is not a domain name or *.domain pattern`, [...path, 'domainNames', i]);
      ok = false;
    } else out.push(item);
  });
  return ok ? out : null;
}
