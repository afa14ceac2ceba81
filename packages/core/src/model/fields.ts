/**
 * Typed readers for fields of parsed objects. Absent (undefined) and null read as "not given"; a
 * value of the wrong type is an INVALID_FIELD error at the value's position, and reads as not given,
 * so one bad field never hides the problems of the others.
 */
import { capValue } from '../text/escape.js';
import type { FieldPath } from '../base/types.js';
import { isRecord } from '../base/types.js';
import type { DiagnosticCode } from '../diagnostics/diagnostic.js';
import type { Labels } from './types.js';
import { fieldName, type ObjectContext } from './context.js';
import { nearestField } from './schema.js';

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

// ---------------------------------------------------------------------------------------------
// Readers with the bounds of a CustomResourceDefinition's schema (required members, list lengths,
// string lengths, integer ranges, one-of unions), for the kinds validated against their CRDs:
// the admin policies, Cilium's and Calico's. They report through the same ObjectContext; their
// messages name the field by its key.

/** A mapping as read from JSON or YAML (see isRecord). */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Describes a value for messages: strings quoted, others as JSON, cut to a readable length. */
export function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Reports keys outside `allowed` as UNKNOWN_FIELD errors and returns the known keys present with a
 * non-null value. An unknown key is a typo until proved otherwise: read as the API server's pruning
 * reads it (ignored), `ingres:` would drop a policy's rules and widen what it allows, and strict
 * field validation (kubectl's default) rejects it. YAML `key:` with nothing after it is null, which
 * the API server drops.
 */
export function knownKeys(ctx: ObjectContext, value: JsonObject, allowed: readonly string[], path: FieldPath): string[] {
  const present: string[] = [];
  for (const k of Object.keys(value)) {
    if (!allowed.includes(k)) {
      const near = nearestField(k, allowed);
      ctx.error('UNKNOWN_FIELD', `unknown field ${show(k)} (allowed: ${allowed.join(', ')})${near === null ? '' : `; did you mean "${near}"?`}`, [...path, k]);
    } else if (value[k] !== null && value[k] !== undefined) {
      present.push(k);
    }
  }
  return present;
}

/** An object-valued field; `required` reports a missing one. Returns null when absent or wrong. */
export function readObjectField(ctx: ObjectContext, parent: JsonObject, key: string, path: FieldPath, required: boolean): JsonObject | null {
  const v = parent[key];
  if (v === undefined || v === null) {
    if (required) ctx.error('MISSING_FIELD', `${key} is required`, path);
    return null;
  }
  if (!isRecord(v)) {
    ctx.error('INVALID_FIELD', `${key} must be an object, not ${show(v)}`, [...path, key]);
    return null;
  }
  return v;
}

/** A list-valued field with CRD bounds. Returns null when absent (after reporting if required) or wrong. */
export function readListField(
  ctx: ObjectContext,
  parent: JsonObject,
  key: string,
  path: FieldPath,
  opts: { required: boolean; min: number; max: number },
): readonly unknown[] | null {
  const v = parent[key];
  if (v === undefined || v === null) {
    if (opts.required) ctx.error('MISSING_FIELD', `${key} is required and must list at least ${opts.min} item(s)`, path);
    return null;
  }
  if (!Array.isArray(v)) {
    ctx.error('INVALID_FIELD', `${key} must be a list, not ${show(v)}`, [...path, key]);
    return null;
  }
  if (v.length < opts.min) {
    ctx.error('INVALID_FIELD', `${key} must list at least ${opts.min} item(s)`, [...path, key]);
    return null;
  }
  if (v.length > opts.max) {
    ctx.error('INVALID_FIELD', `${key} lists ${v.length} items; at most ${opts.max} are allowed`, [...path, key]);
    return null;
  }
  return v;
}

/** A string field; '' when absent and optional. Returns null on error. */
export function readStringField(
  ctx: ObjectContext,
  parent: JsonObject,
  key: string,
  path: FieldPath,
  opts: { required: boolean; maxLength?: number },
): string | null {
  const v = parent[key];
  if (v === undefined || v === null) {
    if (opts.required) {
      ctx.error('MISSING_FIELD', `${key} is required`, path);
      return null;
    }
    return '';
  }
  if (typeof v !== 'string') {
    ctx.error('INVALID_FIELD', `${key} must be a string, not ${show(v)}`, [...path, key]);
    return null;
  }
  if (opts.maxLength !== undefined && v.length > opts.maxLength) {
    ctx.error('INVALID_FIELD', `${key} is ${v.length} characters long; at most ${opts.maxLength} are allowed`, [...path, key]);
    return null;
  }
  return v;
}

/** An integer field within [min, max]; `code` is used for range errors. Returns null on error. */
export function readIntegerField(
  ctx: ObjectContext,
  parent: JsonObject,
  key: string,
  path: FieldPath,
  opts: { min: number; max: number; code: DiagnosticCode; what: string },
): number | null {
  const v = parent[key];
  if (v === undefined || v === null) {
    ctx.error('MISSING_FIELD', `${key} is required`, path);
    return null;
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    ctx.error('INVALID_FIELD', `${key} must be an integer, not ${show(v)}`, [...path, key]);
    return null;
  }
  if (v < opts.min || v > opts.max) {
    ctx.error(opts.code, `${opts.what} ${v} is outside ${opts.min}-${opts.max}`, [...path, key]);
    return null;
  }
  return v;
}

/**
 * Exactly one of `members` must be set (the CRDs' minProperties/maxProperties 1 unions). Returns
 * the member set, or null after an error.
 */
export function readOneOf(
  ctx: ObjectContext,
  value: JsonObject,
  members: readonly string[],
  path: FieldPath,
  what: string,
  code: DiagnosticCode,
): string | null {
  const present = knownKeys(ctx, value, members, path);
  if (present.length === 1) return present[0]!;
  if (present.length === 0) {
    ctx.error(code, `${what} sets none of ${members.join(', ')}; exactly one is required`, path);
  } else {
    ctx.error(code, `${what} sets ${present.join(' and ')}; exactly one of ${members.join(', ')} is allowed`, path);
  }
  return null;
}
