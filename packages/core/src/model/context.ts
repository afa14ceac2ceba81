/**
 * Per-object diagnostic collection for the model stage: every problem is recorded with the exact
 * location of the offending value (by path inside the object) and the object's `Kind ns/name`.
 */
import type { Diagnostic, DiagnosticCode, SourceLocation } from '../diagnostics/diagnostic.js';
import { makeDiagnostic } from '../diagnostics/catalogue.js';
import { capValue } from '../text/escape.js';
import type { FieldPath, RawObject } from '../base/types.js';

export class ObjectContext {
  /** Diagnostics of this object, in the order found. */
  readonly diagnostics: Diagnostic[] = [];
  errors = 0;
  /** The object's own location (path []), computed once: the readers and duplicate detection share it. */
  private root: SourceLocation | null = null;

  constructor(
    readonly raw: RawObject,
    /** `Kind namespace/name`, or `Kind name` for cluster-scoped kinds. */
    readonly object: string | null,
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
    this.errors++;
    this.diagnostics.push(makeDiagnostic(code, 'error', message, this.at(path), this.object));
  }

  warn(code: DiagnosticCode, message: string, path: FieldPath): void {
    this.diagnostics.push(makeDiagnostic(code, 'warning', message, this.at(path), this.object));
  }
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
