/**
 * Types shared by the parse stage (text -> documents) and the model stage (documents -> Cluster).
 */
import type { FieldPath, RawObject } from '../base/types.js';
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js';

/** One input text. `name` is the file path as the user gave it, or `<stdin>`. */
export interface InputSource {
  readonly name: string;
  readonly text: string;
  /**
   * Found by walking a folder rather than named: its documents that are not Kubernetes objects
   * (values files, CI configuration, anything without apiVersion and kind) are skipped and counted
   * in `stats.skipped`, not reported as errors. A named file must hold objects.
   */
  readonly walked?: boolean;
}

/** Bounds that keep hostile input from hanging or exhausting memory. Each overrun is a diagnostic. */
export interface LoadLimits {
  /** Largest source, in UTF-16 code units (about bytes for manifests). Default 512 MiB. */
  readonly maxSourceBytes: number;
  /**
   * How many nodes YAML aliases may add to a document, counting each alias as the size of what it
   * refers to (alias bombs): at most this many, or as many as the document has written, whichever is
   * more. Default 400,000 (go-yaml, which kubectl uses, allows about as much). The number of aliases
   * does not matter, only what they expand to.
   */
  readonly maxAliasExpansion: number;
  /** Deepest nesting of mappings and sequences. Default 256. */
  readonly maxDepth: number;
}

/** How to load: the namespace of objects that name none, limits, and whether to leave invalid objects out. */
export interface LoadOptions {
  /** Namespace of namespaced objects without metadata.namespace. Default `default`. */
  readonly defaultNamespace?: string;
  /** Drop invalid policies with warnings (and a POLICY_IGNORED each) instead of errors. */
  readonly ignoreInvalid?: boolean;
  readonly limits?: Partial<LoadLimits>;
}

/** What a load read: documents, objects, bytes and what was skipped. */
export interface LoadStats {
  /** Objects seen (documents, and List items counted one each). */
  readonly documents: number;
  /** Objects per kind, modelled or not. */
  readonly byKind: Record<string, number>;
  /** Documents of walked sources that are not Kubernetes objects, skipped (see InputSource.walked). */
  readonly skipped: readonly SourceLocation[];
}

export type { FieldPath, RawObject };

/** Where the load stage hands each object it reads (the model's ClusterBuilder is one). */
export interface ObjectSink {
  add(raw: RawObject): void;
}

/**
 * Positions inside one parsed document, computed on demand. Paths that do not exist resolve to the
 * deepest prefix that does, so a missing field points at its parent.
 */
export interface OffsetLocator {
  /** Offset of the value at `path` (or of the deepest existing prefix). */
  offsetOf(path: FieldPath): number;
  /** [start, end) offsets of the value at `path` (or of the deepest existing prefix). */
  rangeOf(path: FieldPath): readonly [number, number];
}

/** A document of a source after parsing, before List expansion. */
export interface ParsedDocument {
  /** Plain JSON-like data (objects, arrays, strings, numbers, booleans, null). */
  readonly value: unknown;
  /** 0-based index of the document in its source. */
  readonly doc: number;
  readonly locator: OffsetLocator;
  /**
   * Errors found inside this document that do not stop it from loading (duplicate keys), with their
   * offsets; the object stage hands each to the object that contains it, which names it.
   */
  readonly keyErrors: readonly { readonly offset: number; readonly diagnostic: Diagnostic }[];
  /** An item of a `kind: List` document composed on its own (parse-yaml.ts splitList). */
  readonly listItem?: true;
}
