/**
 * Per-object diagnostic collection for the model stage: every problem is recorded with the exact
 * location of the offending value (by path inside the object) and the object's `Kind ns/name`.
 * Every kind is read through one of these, with the readers of fields.ts:
 *
 * - a problem with a value points at the value (`path` of the field);
 * - a missing field points at the object that should hold it (`path` of the parent);
 * - errors mark the object invalid; warnings keep it.
 */
import type { Diagnostic, DiagnosticCode, SourceLocation } from '../diagnostics/diagnostic.js';
import { makeDiagnostic } from '../diagnostics/catalogue.js';
import { capValue } from '../text/escape.js';
import type { FieldPath } from '../base/types.js';
import type { OtherObject } from './types.js';

/** What a context needs of its object: the value, and where each part of it is. */
export interface Located {
  readonly value: unknown;
  locate(path: FieldPath): SourceLocation;
  locateChar(path: FieldPath, index: number): SourceLocation;
  /** The same locations without the value (see RawObject.detached). */
  detached(): Located;
}

export class ObjectContext {
  /** Diagnostics of this object, in the order found. */
  readonly diagnostics: Diagnostic[] = [];
  errors = 0;
  /** The object's own location (path []), computed once: the readers and duplicate detection share it. */
  private root: SourceLocation | null = null;

  constructor(
    readonly raw: Located,
    /** `Kind namespace/name`, or `Kind name` for cluster-scoped kinds. */
    readonly object: string | null,
    /**
     * Record errors as warnings (still counted in `errors`): the --ignore-invalid reading for the
     * later passes over `Cluster.others`, which leave an invalid object out themselves (the builder
     * instead rewrites the severities when it settles an object, build.ts).
     */
    private readonly demote = false,
  ) {}

  /** Takes over a diagnostic found earlier (a parse error inside this object), naming the object. */
  adopt(d: Diagnostic): void {
    if (d.severity === 'error') this.errors++;
    this.diagnostics.push({ ...d, object: this.object });
  }

  at(path: FieldPath): SourceLocation {
    if (path.length === 0) return (this.root ??= this.raw.locate(path));
    return this.raw.locate(path);
  }

  /**
   * A location computed on first read: objects built for every pod (containers, endpoints) carry
   * one, and a 150k-pod load should not walk the text for positions nobody asks for.
   */
  lazyAt(path: FieldPath): () => SourceLocation {
    const where = this.raw.detached(); // not `this`: that would keep the parsed object alive
    let memo: SourceLocation | null = null;
    return () => (memo ??= where.locate(path));
  }

  error(code: DiagnosticCode, message: string, path: FieldPath): void {
    this.errorAt(code, message, this.at(path));
  }

  /** An error at a location computed by the caller (a character inside a value). */
  errorAt(code: DiagnosticCode, message: string, location: SourceLocation): void {
    this.errors++;
    this.diagnostics.push(makeDiagnostic(code, this.demote ? 'warning' : 'error', message, location, this.object));
  }

  warn(code: DiagnosticCode, message: string, path: FieldPath): void {
    this.diagnostics.push(makeDiagnostic(code, 'warning', message, this.at(path), this.object));
  }
}

/**
 * A context for an object the builder kept aside in `Cluster.others` and a later pass lifts out
 * (Calico's and Cilium's kinds, EndpointSlices): the same reading as for the builder's own kinds.
 */
export function otherContext(o: OtherObject, object: string, demote = false): ObjectContext {
  const located: Located = {
    value: o.value,
    locate: (path) => o.locate(path),
    locateChar: (path, index) => o.locateChar?.(path, index) ?? o.locate(path),
    detached: () => located,
  };
  return new ObjectContext(located, object, demote);
}

/** `Kind ns/name` or `Kind name`. */
export function objectLabel(kind: string, namespace: string | null, name: string): string {
  // capped: an invalid name may be megabytes long, and this label is in every diagnostic of the object
  return namespace === null ? `${capValue(kind)} ${capValue(name)}` : `${capValue(kind)} ${capValue(namespace)}/${capValue(name)}`;
}

/** Renders a path as the field name users know: ['spec', 'ingress', 0, 'from'] -> spec.ingress[0].from */
export function fieldName(path: FieldPath): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? seg : `.${seg}`;
  return s;
}
