/**
 * NetworkPolicyPort validation (the API server's ValidateNetworkPolicyPort):
 *
 * | field    | rule                                                             | code              |
 * |----------|------------------------------------------------------------------|-------------------|
 * | protocol | TCP (default), UDP or SCTP, case-sensitive                       | UNKNOWN_PROTOCOL  |
 * | port     | integer 1-65535, or an IANA_SVC_NAME port name                   | PORT_OUT_OF_RANGE |
 * | endPort  | integer 1-65535                                                  | PORT_OUT_OF_RANGE |
 * | endPort  | needs a port, a numeric one, and endPort >= port                 | INVALID_END_PORT  |
 *
 * A quoted number (`port: "80"`) is a string to the API, and not a valid port name.
 */
import { quoteValue } from '../text/escape.js';
import type { FieldPath } from '../base/types.js';
import { PROTOCOLS, type PolicyPort, type Protocol } from './types.js';
import type { ObjectContext } from './context.js';
import { fieldName } from './context.js';
import { readInt, readRecord, readString } from './fields.js';
import { portNameError } from './label-syntax.js';

export function readProtocol(ctx: ObjectContext, v: unknown, path: FieldPath): Protocol | null {
  const text = readString(ctx, v, path);
  if (text === null) return v === undefined || v === null ? 'TCP' : null;
  if ((PROTOCOLS as readonly string[]).includes(text)) return text as Protocol;
  ctx.error('UNKNOWN_PROTOCOL', `protocol ${quoteValue(text)} is not TCP, UDP or SCTP`, path);
  return null;
}

function inRange(n: number): boolean {
  return n >= 1 && n <= 65535;
}

export function readPolicyPort(ctx: ObjectContext, v: unknown, path: FieldPath): PolicyPort | null {
  const rec = readRecord(ctx, v, path) ?? (v === null ? {} : null);
  if (rec === null) return null;
  const errorsBefore = ctx.errors;
  const protocol = readProtocol(ctx, rec['protocol'], [...path, 'protocol']);

  const portPath = [...path, 'port'];
  const rawPort = rec['port'];
  let port: number | string | null = null;
  if (typeof rawPort === 'string') {
    const reason = portNameError(rawPort);
    if (reason === null) port = rawPort;
    else ctx.error('PORT_OUT_OF_RANGE', `port ${quoteValue(String(rawPort))} is not a valid port name: ${reason}`, portPath);
  } else if (rawPort !== undefined && rawPort !== null) {
    const n = readInt(ctx, rawPort, portPath);
    if (n !== null && !inRange(n)) ctx.error('PORT_OUT_OF_RANGE', `port ${n} is outside 1-65535`, portPath);
    else port = n;
  }

  const endPath = [...path, 'endPort'];
  const endPort = readInt(ctx, rec['endPort'], endPath);
  if (endPort !== null) {
    if (!inRange(endPort)) ctx.error('PORT_OUT_OF_RANGE', `endPort ${endPort} is outside 1-65535`, endPath);
    if (rawPort === undefined || rawPort === null) {
      ctx.error('INVALID_END_PORT', 'endPort is given without a port', endPath);
    } else if (typeof rawPort === 'string') {
      ctx.error('INVALID_END_PORT', `endPort cannot be combined with the named port ${quoteValue(String(rawPort))}`, endPath);
    } else if (typeof port === 'number' && endPort < port) {
      ctx.error('INVALID_END_PORT', `${fieldName(endPath)} ${endPort} is less than port ${port}`, endPath);
    }
  }
  if (ctx.errors > errorsBefore || protocol === null) return null;
  return { protocol, port, endPort, location: ctx.at(path) };
}
