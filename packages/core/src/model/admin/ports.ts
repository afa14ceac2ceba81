/**
 * Destination ports of both generations, into one `AdminPort` form:
 *
 * | v1alpha1 `ports[]` entry                   | v1alpha2 `protocols[]` entry                         | model  |
 * |--------------------------------------------|------------------------------------------------------|--------|
 * | portNumber: {protocol (TCP), port}         | tcp/udp/sctp: {destinationPort: {number}}            | number |
 * | portRange: {protocol (TCP), start, end}    | tcp/udp/sctp: {destinationPort: {range: {start,end}}}| range  |
 * | namedPort: name                            | destinationNamedPort: name                           | named  |
 *
 * Each entry sets exactly one member. Ranges need start < end (v1alpha2's CEL rule; v1alpha1's field
 * docs say End must be greater than Start). Named ports have no protocol in either generation: the
 * name is resolved on the destination pod with the container port's own protocol. A name that is not
 * a valid IANA service name can never match a container port and is kept with a warning.
 */
import type { Protocol } from '../types.js';
import { PROTOCOLS } from '../types.js';
import { portNameError } from '../label-syntax.js';
import { knownKeys, readObjectField, readListField, readIntegerField, readOneOf, show } from '../fields.js';
import { isRecord, type FieldPath } from '../../base/types.js';
import type { ObjectContext } from '../context.js';
import type { AdminGeneration, AdminPort } from './types.js';

/** IANA_SVC_NAME, as container port names must be (the model's one port-name syntax, label-syntax.ts). */
export function isPortName(name: string): boolean {
  return portNameError(name) === null;
}

const LIMITS: Readonly<Record<AdminGeneration, { key: string; max: number; min: number }>> = {
  // v1alpha1 `ports` has no minItems; an empty list filters nothing, like an absent one
  v1alpha1: { key: 'ports', min: 0, max: 100 },
  v1alpha2: { key: 'protocols', min: 1, max: 25 },
};

/** The rule's port list: null = all ports. Returns undefined after an error. */
export function readPorts(
  r: ObjectContext,
  rule: Readonly<Record<string, unknown>>,
  rulePath: FieldPath,
  gen: AdminGeneration,
): AdminPort[] | null | undefined {
  const { key, min, max } = LIMITS[gen];
  const before = r.errors;
  const list = readListField(r, rule, key, rulePath, { required: false, min, max });
  if (list === null) return r.errors === before ? null : undefined;
  if (list.length === 0) return null;
  const out: AdminPort[] = [];
  list.forEach((item, i) => {
    const p = gen === 'v1alpha1' ? readV1Port(r, item, [...rulePath, key, i]) : readV2Protocol(r, item, [...rulePath, key, i]);
    if (p !== null) out.push(p);
  });
  return r.errors === before ? out : undefined;
}

function named(r: ObjectContext, name: unknown, at: FieldPath, location: AdminPort['location']): AdminPort | null {
  if (typeof name !== 'string' || name === '') {
    r.error('PORT_OUT_OF_RANGE', `port name ${show(name)} must be a non-empty string`, at);
    return null;
  }
  if (!isPortName(name)) {
    r.warn('PORT_OUT_OF_RANGE', `port name ${show(name)} is not a valid container port name and can never match`, at);
  }
  return { kind: 'named', name, location };
}

function protocolOf(r: ObjectContext, v: unknown, at: FieldPath): Protocol | null {
  if (v === undefined || v === null) return 'TCP'; // the v1alpha1 CRD default
  if (typeof v === 'string' && (PROTOCOLS as readonly string[]).includes(v)) return v as Protocol;
  r.error('UNKNOWN_PROTOCOL', `protocol ${show(v)} is not TCP, UDP or SCTP`, at);
  return null;
}

function range(
  r: ObjectContext,
  value: Readonly<Record<string, unknown>>,
  at: FieldPath,
  protocol: Protocol,
  location: AdminPort['location'],
): AdminPort | null {
  const opts = { min: 1, max: 65535, code: 'PORT_OUT_OF_RANGE' as const, what: 'port' };
  const start = readIntegerField(r, value, 'start', at, opts);
  const end = readIntegerField(r, value, 'end', at, opts);
  if (start === null || end === null) return null;
  if (start >= end) {
    r.error('INVALID_END_PORT', `port range ${start}-${end}: start must be less than end`, at);
    return null;
  }
  return { kind: 'range', protocol, start, end, location };
}

function readV1Port(r: ObjectContext, item: unknown, at: FieldPath): AdminPort | null {
  const location = r.at(at);
  if (!isRecord(item)) {
    r.error('INVALID_FIELD', `a ports entry must be an object, not ${show(item)}`, at);
    return null;
  }
  const member = readOneOf(r, item, ['portNumber', 'namedPort', 'portRange'], at, 'ports entry', 'INVALID_FIELD');
  if (member === null) return null;
  const mat = [...at, member];
  if (member === 'namedPort') return named(r, item['namedPort'], mat, location);
  const v = item[member];
  if (!isRecord(v)) {
    r.error('INVALID_FIELD', `${member} must be an object, not ${show(v)}`, mat);
    return null;
  }
  if (member === 'portNumber') {
    knownKeys(r, v, ['protocol', 'port'], mat);
    const protocol = protocolOf(r, v['protocol'], [...mat, 'protocol']);
    const port = readIntegerField(r, v, 'port', mat, { min: 1, max: 65535, code: 'PORT_OUT_OF_RANGE', what: 'port' });
    return protocol === null || port === null ? null : { kind: 'number', protocol, port, location };
  }
  knownKeys(r, v, ['protocol', 'start', 'end'], mat);
  const protocol = protocolOf(r, v['protocol'], [...mat, 'protocol']);
  return protocol === null ? null : range(r, v, mat, protocol, location);
}

const V2_MEMBERS: Readonly<Record<string, Protocol | null>> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP', destinationNamedPort: null };

function readV2Protocol(r: ObjectContext, item: unknown, at: FieldPath): AdminPort | null {
  const location = r.at(at);
  if (!isRecord(item)) {
    r.error('INVALID_FIELD', `a protocols entry must be an object, not ${show(item)}`, at);
    return null;
  }
  const member = readOneOf(r, item, Object.keys(V2_MEMBERS), at, 'protocols entry', 'INVALID_FIELD');
  if (member === null) return null;
  const mat = [...at, member];
  const protocol = V2_MEMBERS[member] ?? null;
  if (protocol === null) return named(r, item[member], mat, location);
  const v = item[member];
  if (!isRecord(v)) {
    r.error('INVALID_FIELD', `${member} must be an object with destinationPort, not ${show(v)}`, mat);
    return null;
  }
  // tcp/udp/sctp have minProperties 1 and one property: destinationPort is in effect required
  const dp = readObjectField(r, v, 'destinationPort', mat, true);
  knownKeys(r, v, ['destinationPort'], mat);
  if (dp === null) return null;
  const dat = [...mat, 'destinationPort'];
  const which = readOneOf(r, dp, ['number', 'range'], dat, 'destinationPort', 'INVALID_FIELD');
  if (which === 'number') {
    const port = readIntegerField(r, dp, 'number', dat, { min: 1, max: 65535, code: 'PORT_OUT_OF_RANGE', what: 'port' });
    return port === null ? null : { kind: 'number', protocol, port, location };
  }
  if (which === 'range') {
    const rv = readObjectField(r, dp, 'range', dat, true);
    if (rv === null) return null;
    knownKeys(r, rv, ['start', 'end'], [...dat, 'range']);
    return range(r, rv, [...dat, 'range'], protocol, location);
  }
  return null;
}
