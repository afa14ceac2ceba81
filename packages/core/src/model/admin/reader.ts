/**
 * Reading one raw admin-policy object: typed accessors over plain JSON data that report problems as
 * located diagnostics instead of throwing. Every check the extractor makes goes through here, so the
 * convention is in one place:
 *
 * - a problem with a value points at the value (`path` of the field);
 * - a missing field points at the object that should hold it (`path` of the parent);
 * - errors mark the policy invalid (it is left out); warnings keep it.
 *
 * With `ignoreInvalid`, errors are reported as warnings and the caller adds one POLICY_IGNORED per
 * dropped policy (the loader's --ignore-invalid convention).
 */
import { isRecord } from '../../base/types.js';
import { makeDiagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic, DiagnosticCode, SourceLocation } from '../../diagnostics/diagnostic.js';
import type { OtherObject } from '../types.js';
import { nearestField } from '../schema.js';

export type Path = readonly (string | number)[];
export type Json = unknown;
export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(v: unknown): v is JsonObject {
  return isRecord(v); // a plain object: a !!binary or !!timestamp value is not a mapping
}

/** Describes a value for messages: strings quoted, others as JSON, cut to a readable length. */
export function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export class Reader {
  readonly diagnostics: Diagnostic[] = [];
  errors = 0;

  constructor(
    readonly obj: OtherObject,
    /** `Kind name` for the diagnostics' `object`. */
    readonly ref: string,
    private readonly ignoreInvalid: boolean,
  ) {}

  at(path: Path): SourceLocation {
    return this.obj.locate(path);
  }

  error(code: DiagnosticCode, message: string, path: Path): void {
    this.errors++;
    const severity = this.ignoreInvalid ? 'warning' : 'error';
    this.diagnostics.push(makeDiagnostic(code, severity, message, this.at(path), this.ref));
  }

  /** An error at a location computed by the caller (a character inside a value). */
  errorAt(code: DiagnosticCode, message: string, location: SourceLocation): void {
    this.errors++;
    this.diagnostics.push(makeDiagnostic(code, this.ignoreInvalid ? 'warning' : 'error', message, location, this.ref));
  }

  warn(code: DiagnosticCode, message: string, path: Path): void {
    this.diagnostics.push(makeDiagnostic(code, 'warning', message, this.at(path), this.ref));
  }

  /**
   * Reports keys outside `allowed` as UNKNOWN_FIELD errors and returns the known keys present with a
   * non-null value. An unknown key is a typo until proved otherwise: read as the API server's pruning
   * reads it (ignored), `ingres:` would drop a policy's rules and widen what it allows, and strict
   * field validation (kubectl's default) rejects it. YAML `key:` with nothing after it is null, which
   * the API server drops.
   */
  knownKeys(value: JsonObject, allowed: readonly string[], path: Path): string[] {
    const present: string[] = [];
    for (const k of Object.keys(value)) {
      if (!allowed.includes(k)) {
        const near = nearestField(k, allowed);
        this.error('UNKNOWN_FIELD', `unknown field ${show(k)} (allowed: ${allowed.join(', ')})${near === null ? '' : `; did you mean "${near}"?`}`, [
          ...path,
          k,
        ]);
      } else if (value[k] !== null && value[k] !== undefined) {
        present.push(k);
      }
    }
    return present;
  }

  /** An object-valued field; `required` reports a missing one. Returns null when absent or wrong. */
  object(parent: JsonObject, key: string, path: Path, required: boolean): JsonObject | null {
    const v = parent[key];
    if (v === undefined || v === null) {
      if (required) this.error('MISSING_FIELD', `${key} is required`, path);
      return null;
    }
    if (!isObject(v)) {
      this.error('INVALID_FIELD', `${key} must be an object, not ${show(v)}`, [...path, key]);
      return null;
    }
    return v;
  }

  /** A list-valued field with CRD bounds. Returns null when absent (after reporting if required) or wrong. */
  list(parent: JsonObject, key: string, path: Path, opts: { required: boolean; min: number; max: number }): readonly unknown[] | null {
    const v = parent[key];
    if (v === undefined || v === null) {
      if (opts.required) this.error('MISSING_FIELD', `${key} is required and must list at least ${opts.min} item(s)`, path);
      return null;
    }
    if (!Array.isArray(v)) {
      this.error('INVALID_FIELD', `${key} must be a list, not ${show(v)}`, [...path, key]);
      return null;
    }
    if (v.length < opts.min) {
      this.error('INVALID_FIELD', `${key} must list at least ${opts.min} item(s)`, [...path, key]);
      return null;
    }
    if (v.length > opts.max) {
      this.error('INVALID_FIELD', `${key} lists ${v.length} items; at most ${opts.max} are allowed`, [...path, key]);
      return null;
    }
    return v;
  }

  /** A string field; '' when absent and optional. Returns null on error. */
  string(parent: JsonObject, key: string, path: Path, opts: { required: boolean; maxLength?: number }): string | null {
    const v = parent[key];
    if (v === undefined || v === null) {
      if (opts.required) {
        this.error('MISSING_FIELD', `${key} is required`, path);
        return null;
      }
      return '';
    }
    if (typeof v !== 'string') {
      this.error('INVALID_FIELD', `${key} must be a string, not ${show(v)}`, [...path, key]);
      return null;
    }
    if (opts.maxLength !== undefined && v.length > opts.maxLength) {
      this.error('INVALID_FIELD', `${key} is ${v.length} characters long; at most ${opts.maxLength} are allowed`, [...path, key]);
      return null;
    }
    return v;
  }

  /** An integer field within [min, max]; `code` is used for range errors. Returns null on error. */
  integer(parent: JsonObject, key: string, path: Path, opts: { min: number; max: number; code: DiagnosticCode; what: string }): number | null {
    const v = parent[key];
    if (v === undefined || v === null) {
      this.error('MISSING_FIELD', `${key} is required`, path);
      return null;
    }
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.error('INVALID_FIELD', `${key} must be an integer, not ${show(v)}`, [...path, key]);
      return null;
    }
    if (v < opts.min || v > opts.max) {
      this.error(opts.code, `${opts.what} ${v} is outside ${opts.min}-${opts.max}`, [...path, key]);
      return null;
    }
    return v;
  }

  /**
   * Exactly one of `members` must be set (the CRDs' minProperties/maxProperties 1 unions). Returns
   * the member set, or null after an error.
   */
  oneOf(value: JsonObject, members: readonly string[], path: Path, what: string, code: DiagnosticCode): string | null {
    const present = this.knownKeys(value, members, path);
    if (present.length === 1) return present[0]!;
    if (present.length === 0) {
      this.error(code, `${what} sets none of ${members.join(', ')}; exactly one is required`, path);
    } else {
      this.error(code, `${what} sets ${present.join(' and ')}; exactly one of ${members.join(', ')} is allowed`, path);
    }
    return null;
  }
}
