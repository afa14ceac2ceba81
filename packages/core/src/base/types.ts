/**
 * Leaf types shared by every stage (load, model, net and above). This folder imports nothing but
 * diagnostics' location type, so any stage may use it without pulling in another stage.
 */
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js';

/** A path into a parsed value: mapping keys and sequence indexes, e.g. ['spec', 'ingress', 0]. */
export type FieldPath = readonly (string | number)[];

/** The transport protocols a NetworkPolicy port names (Kubernetes NetworkPolicyPort.protocol). */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** How serious a finding is, in ascending order info < low < medium < high. */
export type Severity = 'info' | 'low' | 'medium' | 'high';

/** One Kubernetes object candidate: a document, or one item of a List. */
export interface RawObject {
  readonly value: unknown;
  readonly file: string;
  readonly doc: number;
  /** Location of a value inside this object, by a path relative to the object (a method: bind it to pass it on). */
  locate(path: FieldPath): SourceLocation;
  /**
   * Location of character `index` (0-based, in the decoded string) of the string value at `path`:
   * quotes and escapes of the source are accounted for, so a diagnostic about a character inside a
   * value (a selector's syntax error) points at that character.
   */
  locateChar(path: FieldPath, index: number): SourceLocation;
  /**
   * This object without its value (and parse errors), still able to locate: lazy locations and reads
   * of the model (one per pod at scale) hold this, not the object, so a 150k-pod load does not
   * retain every parsed pod. One small object, no closures.
   */
  detached(): RawObject;
  /** Parse errors (duplicate keys) inside this object; the model reports them naming the object. */
  readonly parseErrors: readonly Diagnostic[];
  /**
   * The shape (load/json-fast.ts) the JSON List fast path built the value by: only the fields the
   * model reads, every key checked where the shape lists the known ones. Absent or null: built whole.
   */
  readonly shape?: object | null;
}

/**
 * A mapping as JSON and YAML give it: a plain object. YAML tags also make other objects
 * (`!!binary` a Uint8Array, `!!timestamp` a Date, `!!set` a Set, `!!omap` a Map), which are values,
 * never mappings: `spec: !!binary ...` is not a policy spec.
 */
export function isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
