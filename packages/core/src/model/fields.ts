/**
 * Typed readers for fields of parsed objects. Absent (undefined) and null read as "not given"; a
 * value of the wrong type is an INVALID_FIELD error at the value's position, and reads as not given,
 * so one bad field never hides the problems of the others.
 */
import { capValue } from '../text/escape.js';
import type { FieldPath } from '../base/types.js';
import { isRecord } from '../base/types.js';
import type { Labels } from './types.js';
import { fieldName, type ObjectContext } from './context.js';

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a sequence';
  if (v === null) return 'null';
  // YAML tags make these; each is a value, not a mapping
  if (v instanceof Uint8Array) return 'binary data (a !!binary value)';
  if (v instanceof Date) return 'a timestamp (a !!timestamp value)';
  if (v instanceof Set) return 'a set (a !!set value)';
  if (v instanceof Map) return 'an ordered map (a !!omap or !!pairs value)';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${capValue(JSON.stringify(v))}`;
}

function wrong(ctx: ObjectContext, path: FieldPath, expected: string, v: unknown): null {
  ctx.error('INVALID_FIELD', `${fieldName(path)} must be ${expected}, not ${describe(v)}`, path);
  return null;
}

export function readString(ctx: ObjectContext, v: unknown, path: FieldPath): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : wrong(ctx, path, 'a string', v);
}

export function readInt(ctx: ObjectContext, v: unknown, path: FieldPath): number | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : wrong(ctx, path, 'an integer', v);
}

export function readBool(ctx: ObjectContext, v: unknown, path: FieldPath): boolean | null {
  if (v === undefined || v === null) return null;
  return typeof v === 'boolean' ? v : wrong(ctx, path, 'true or false', v);
}

export function readRecord(ctx: ObjectContext, v: unknown, path: FieldPath): Record<string, unknown> | null {
  if (v === undefined || v === null) return null;
  return isRecord(v) ? v : wrong(ctx, path, 'a mapping', v);
}

/** A sequence; not given reads as empty. */
export function readArray(ctx: ObjectContext, v: unknown, path: FieldPath): readonly unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : (wrong(ctx, path, 'a sequence', v) ?? []);
}

/** A sequence of strings (command, args); non-strings are reported and left out. */
export function readStrings(ctx: ObjectContext, v: unknown, path: FieldPath): string[] {
  const out: string[] = [];
  const arr = readArray(ctx, v, path);
  for (let i = 0; i < arr.length; i++) {
    const s = readString(ctx, arr[i], [...path, i]);
    if (s !== null) out.push(s);
  }
  return out;
}

/** A string -> string map (labels, selectors). Non-string values are reported and left out. */
export function readStringMap(ctx: ObjectContext, v: unknown, path: FieldPath): Labels | null {
  const rec = readRecord(ctx, v, path);
  if (rec === null) return null;
  const out: Record<string, string> = {};
  for (const key of Object.keys(rec)) {
    const value = rec[key];
    if (typeof value === 'string') out[key] = value;
    else wrong(ctx, [...path, key], 'a string', value);
  }
  return out;
}
