/**
 * NetworkPolicyPeer validation (the API server's ValidateNetworkPolicyPeer and ValidateIPBlock):
 *
 * | podSelector | namespaceSelector | ipBlock | result                                   |
 * |-------------|-------------------|---------|------------------------------------------|
 * | -           | -                 | -       | INVALID_PEER (a peer must select something) |
 * | any         | any               | set     | INVALID_PEER when combined with a selector  |
 * | set or -    | set or -          | -       | pods peer (nil vs empty kept apart)       |
 * | -           | -                 | set     | ipBlock peer                              |
 *
 * "Set" means present and not null: `podSelector: {}` is set (all pods), `podSelector:` is nil.
 * ipBlock: cidr must parse (INVALID_CIDR); host bits set is a warning and the network is used
 * (CIDR_HOST_BITS); each except must be of the same family (MIXED_FAMILY) and strictly inside the
 * cidr (EXCEPT_OUTSIDE_CIDR).
 */
import { quoteValue } from '../text/escape.js';
import type { FieldPath } from '../base/types.js';
import { parseCidr, type Cidr } from '../net/ip.js';
import type { PolicyPeer } from './types.js';
import type { ObjectContext } from './context.js';
import { readArray, readRecord, readString } from './fields.js';
import { readSelector } from './selector.js';

function given(v: unknown): boolean {
  return v !== undefined && v !== null;
}

export function readPeer(ctx: ObjectContext, v: unknown, path: FieldPath): PolicyPeer | null {
  const rec = readRecord(ctx, v, path) ?? (v === null ? {} : null);
  if (rec === null) return null;
  const location = ctx.at(path);
  const hasPods = given(rec['podSelector']);
  const hasNamespaces = given(rec['namespaceSelector']);
  const hasIpBlock = given(rec['ipBlock']);
  if (!hasPods && !hasNamespaces && !hasIpBlock) {
    ctx.error('INVALID_PEER', 'the peer has no podSelector, namespaceSelector or ipBlock', path);
    return null;
  }
  if (hasIpBlock && (hasPods || hasNamespaces)) {
    ctx.error('INVALID_PEER', 'ipBlock cannot be combined with podSelector or namespaceSelector in one peer', [...path, 'ipBlock']);
    return null;
  }
  if (hasIpBlock) {
    const block = readIpBlock(ctx, rec['ipBlock'], [...path, 'ipBlock']);
    return block === null ? null : { kind: 'ipBlock', cidr: block.cidr, except: block.except, location };
  }
  const podSelector = readSelector(ctx, rec['podSelector'], [...path, 'podSelector']);
  const namespaceSelector = readSelector(ctx, rec['namespaceSelector'], [...path, 'namespaceSelector']);
  return { kind: 'pods', podSelector, namespaceSelector, location };
}

function readCidr(ctx: ObjectContext, text: string, path: FieldPath): Cidr | null {
  const cidr = parseCidr(text);
  if (cidr === 'syntax') {
    ctx.error('INVALID_CIDR', `${quoteValue(text)} is not a CIDR (ADDRESS/PREFIX)`, path);
    return null;
  }
  if (cidr === 'prefix') {
    ctx.error('INVALID_CIDR', `${quoteValue(text)} has a prefix length beyond the address size`, path);
    return null;
  }
  if (cidr.hostBitsSet) ctx.warn('CIDR_HOST_BITS', `${quoteValue(text)} has host bits set; ${cidr.text} is used`, path);
  return cidr;
}

function readIpBlock(ctx: ObjectContext, v: unknown, path: FieldPath): { cidr: Cidr; except: Cidr[] } | null {
  const rec = readRecord(ctx, v, path);
  if (rec === null) return null;
  const cidrPath = [...path, 'cidr'];
  const text = readString(ctx, rec['cidr'], cidrPath);
  if (text === null) {
    if (!given(rec['cidr'])) ctx.error('MISSING_FIELD', 'ipBlock.cidr is required', path);
    return null;
  }
  const cidr = readCidr(ctx, text, cidrPath);
  const except: Cidr[] = [];
  const exceptPath = [...path, 'except'];
  const entries = readArray(ctx, rec['except'], exceptPath);
  for (let i = 0; i < entries.length; i++) {
    const entryPath = [...exceptPath, i];
    const entryText = readString(ctx, entries[i], entryPath);
    if (entryText === null) continue;
    const ex = readCidr(ctx, entryText, entryPath);
    if (ex === null || cidr === null) continue;
    if (ex.family !== cidr.family) {
      ctx.error('MIXED_FAMILY', `except ${quoteValue(entryText)} is IPv${ex.family} but cidr ${quoteValue(text)} is IPv${cidr.family}`, entryPath);
    } else if (!(ex.start >= cidr.start && ex.end <= cidr.end && ex.prefix > cidr.prefix)) {
      ctx.error('EXCEPT_OUTSIDE_CIDR', `except ${quoteValue(entryText)} is not strictly inside cidr ${quoteValue(text)}`, entryPath);
    } else {
      except.push(ex);
    }
  }
  return cidr === null ? null : { cidr, except };
}
