/**
 * Reading the raw `value` of objects the model keeps aside (OtherObject): plain JSON data of unknown
 * shape. Every accessor tolerates any shape and answers undefined, so a malformed object yields no
 * finding instead of a crash (the loader already reported what it could).
 */
import { isRecord as isMapping } from '../../load/objects.js';
import type { OtherObject } from '../../model/types.js';

export type Path = readonly (string | number)[];

export function isRecord(v: unknown): v is Record<string, unknown> {
  return isMapping(v); // a plain object: a !!binary or !!timestamp value is not a mapping
}

/** The value at `path`, or undefined when any step is missing or of the wrong shape. */
export function at(value: unknown, path: Path): unknown {
  let cur: unknown = value;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step];
    } else {
      if (!isRecord(cur)) return undefined;
      cur = cur[step];
    }
  }
  return cur;
}

/** A scalar as text (YAML may give `2379` or `true` unquoted), else undefined. */
export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Objects of one kind (and optionally an apiVersion group prefix). */
export function othersOfKind(others: readonly OtherObject[], kinds: readonly string[], group?: string): OtherObject[] {
  return others.filter((o) => kinds.includes(o.kind) && (group === undefined || o.apiVersion.startsWith(`${group}/`)));
}

/** `Kind/name`, or `Kind` when the object has no name (config files usually have none). */
export function otherSubject(o: OtherObject): string {
  return o.name === null ? o.kind : `${o.kind}/${o.name}`;
}

/** Namespace of a namespaced object; `default` when the manifest names none (kubectl's default). */
export function namespaceOf(o: OtherObject): string {
  return o.namespace ?? 'default';
}
