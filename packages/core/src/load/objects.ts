/**
 * Documents -> Kubernetes object candidates. A `List` (kubectl's `kind: List`) or a typed list
 * (`PodList`, `NamespaceList`, ...) is expanded into its items, each located at its own position; items
 * of a typed list may omit kind/apiVersion (the API returns them so), which are then taken from the
 * list. Anything that is not a mapping with a string kind and apiVersion is NOT_AN_OBJECT.
 */
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js';
import { makeDiagnostic } from '../diagnostics/catalogue.js';
import type { SourceText } from './source-text.js';
import type { ItemSink, ValueShape } from './json-fast.js';
import { JsonLocator } from './json-locate.js';
import { duplicateKey } from './parse-json.js';
import type { FieldPath, OffsetLocator, ParsedDocument, RawObject } from './types.js';

import { isRecord } from '../base/types.js';

export { isRecord };

const NO_ERRORS: readonly Diagnostic[] = [];

/** An object at `prefix` in its document (a class, not a closure each: a dump has 200k of them). */
class DocumentObject implements RawObject {
  constructor(
    readonly value: unknown,
    readonly file: string,
    readonly doc: number,
    readonly parseErrors: readonly Diagnostic[],
    private readonly at: Locators,
    private readonly prefix: FieldPath,
    readonly shape: object | null = null,
  ) {}

  locate(path: FieldPath): SourceLocation {
    return this.at.value(this.prefix.length === 0 ? path : [...this.prefix, ...path]);
  }

  locateChar(path: FieldPath, index: number): SourceLocation {
    return this.at.char(this.prefix.length === 0 ? path : [...this.prefix, ...path], index);
  }

  detached(): RawObject {
    return new DocumentObject(undefined, this.file, this.doc, NO_ERRORS, this.at, this.prefix);
  }
}

interface Locators {
  readonly value: (path: FieldPath) => SourceLocation;
  readonly char: (path: FieldPath, index: number) => SourceLocation;
}

/**
 * Offset of decoded character `index` of the string scalar starting at `start`: double-quoted
 * (JSON or YAML) strings count an escape as one character, single-quoted YAML strings count `''` as
 * one, plain scalars map one to one. Block scalars (`|`, `>`) and folded lines are not followed:
 * their first character stands for all of them.
 */
export function charOffset(text: string, start: number, end: number, index: number): number {
  const q = text[start];
  if (q === '|' || q === '>') return start;
  if (q === '"' || q === "'") {
    let j = start + 1;
    for (let k = 0; k < index && j < end - 1; k++) {
      if (q === '"' && text[j] === '\\') j += text[j + 1] === 'u' ? 6 : text[j + 1] === 'x' ? 4 : text[j + 1] === 'U' ? 10 : 2;
      else if (q === "'" && text[j] === "'" && text[j + 1] === "'") j += 2;
      else j++;
    }
    return j;
  }
  return Math.min(start + index, Math.max(start, end));
}

/**
 * Locations in one document. Made here, not in collectObjects: a closure there would share its
 * scope, and with it keep every parsed object alive as long as any location is pending.
 */
function locateIn(source: SourceText, locator: OffsetLocator, doc: number): Locators {
  return {
    value: (path) => source.location(locator.offsetOf(path), doc),
    char: (path, index) => {
      const [start, end] = locator.rangeOf(path);
      return source.location(charOffset(source.text, start, end, index), doc);
    },
  };
}

/** Appends the objects of one document (List items expanded) to `out`. */
export function collectObjects(
  source: SourceText,
  doc: ParsedDocument,
  out: RawObject[],
  diagnostics: Diagnostic[],
  /** For a walked source: where its documents that are not Kubernetes objects go instead of errors. */
  skipped: SourceLocation[] | null = null,
): void {
  const at = locateIn(source, doc.locator, doc.doc);
  const claimed = new Set<number>(); // indexes into `sorted` handed to an object
  // key errors by offset, so each object finds its own by binary search: a List of N items with a
  // duplicate key in each costs O(N log N), not O(N^2)
  const sorted = doc.keyErrors.length <= 1 ? doc.keyErrors : [...doc.keyErrors].sort((a, b) => a.offset - b.offset);
  const errorsIn = (path: FieldPath): readonly Diagnostic[] => {
    if (sorted.length === 0) return NO_ERRORS;
    const [start, end] = doc.locator.rangeOf(path);
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]!.offset < start) lo = mid + 1;
      else hi = mid;
    }
    const out: Diagnostic[] = [];
    for (let i = lo; i < sorted.length && sorted[i]!.offset < end; i++) {
      if (!claimed.has(i)) {
        claimed.add(i);
        out.push(sorted[i]!.diagnostic);
      }
    }
    return out;
  };

  const visit = (value: unknown, path: FieldPath, inherited: { kind: string; apiVersion: string } | null): void => {
    // a document that is a sequence of objects (calicoctl prints several kinds so) is read as them
    if (
      path.length === 0 &&
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((v) => isRecord(v) && typeof v['kind'] === 'string' && typeof v['apiVersion'] === 'string')
    ) {
      value.forEach((v, i) => visit(v, [i], null));
      return;
    }
    if (
      skipped !== null &&
      path.length === 0 &&
      (!isRecord(value) || typeof value['kind'] !== 'string' || value['kind'] === '' || typeof value['apiVersion'] !== 'string' || value['apiVersion'] === '')
    ) {
      skipped.push(at.value(path));
      return;
    }
    if (!isRecord(value)) {
      const what = Array.isArray(value) ? 'a sequence' : value === null ? 'null' : `a ${typeof value}`;
      diagnostics.push(makeDiagnostic('NOT_AN_OBJECT', 'error', `the document is ${what}, not a mapping`, at.value(path)));
      return;
    }
    let obj = value;
    if (inherited !== null && obj['kind'] === undefined && obj['apiVersion'] === undefined) {
      obj = { apiVersion: inherited.apiVersion, kind: inherited.kind, ...obj };
    }
    const kind = obj['kind'];
    const apiVersion = obj['apiVersion'];
    if (typeof kind !== 'string' || kind === '' || typeof apiVersion !== 'string' || apiVersion === '') {
      const missing = typeof kind !== 'string' || kind === '' ? 'kind' : 'apiVersion';
      diagnostics.push(makeDiagnostic('NOT_AN_OBJECT', 'error', `the mapping has no ${missing}; it is not a Kubernetes object`, at.value(path)));
      return;
    }
    if (kind.endsWith('List') && 'items' in obj) {
      const items = obj['items'];
      if (items === null) return;
      if (!Array.isArray(items)) {
        diagnostics.push(makeDiagnostic('INVALID_FIELD', 'error', `${kind}.items must be a sequence`, at.value([...path, 'items']), kind));
        return;
      }
      const itemKind = kind === 'List' ? null : { kind: kind.slice(0, -'List'.length), apiVersion };
      for (let i = 0; i < items.length; i++) visit(items[i], [...path, 'items', i], itemKind);
      return;
    }
    out.push(new DocumentObject(obj, source.name, doc.doc, errorsIn(path), at, path));
  };
  visit(doc.value, [], null);
  // key errors outside any object (in a List's own fields, or in a document that is not an object)
  sorted.forEach((k, i) => {
    if (!claimed.has(i)) diagnostics.push(k.diagnostic);
  });
}

/**
 * The items of a JSON `List` streamed from the fast parser (json-fast.ts) straight to `emit`, each
 * with the duplicate keys inside it, as collectObjects would give them. Only the plain case is
 * handled here: an item that is not a mapping with a string kind and apiVersion, a List inside the
 * List, or a duplicate key outside every item (a second `items`, say) sets `unusual`, and the caller
 * then loads the source again the general way (the objects emitted so far are discarded with it).
 */
export class StreamedItems implements ItemSink {
  readonly items: number[] = [];
  readonly duplicates: { key: string; offset: number }[] = [];
  /** Some item, or the List itself, needs the general path (see the class comment). */
  unusual = false;
  /** Items handed to `emit`. */
  emitted = 0;
  private claimed = 0;
  private readonly at: Locators;

  /** `root`: offset of the List's opening brace in `source`. */
  constructor(
    private readonly source: SourceText,
    root: number,
    private readonly emit: (raw: RawObject) => void,
  ) {
    this.at = locateIn(source, new JsonLocator(source.text, root, this.items), 0);
  }

  item(value: unknown, index: number, end: number, shape: ValueShape | null): void {
    const start = this.items[index]!;
    let errors: Diagnostic[] | null = null;
    // duplicates arrive in text order: those before this item are outside every item
    for (; this.claimed < this.duplicates.length && this.duplicates[this.claimed]!.offset < end; this.claimed++) {
      const d = this.duplicates[this.claimed]!;
      if (d.offset < start) this.unusual = true;
      else (errors ??= []).push(duplicateKey(this.source, d));
    }
    if (!isRecord(value)) {
      this.unusual = true;
      return;
    }
    const kind = value['kind'];
    const apiVersion = value['apiVersion'];
    if (typeof kind !== 'string' || kind === '' || typeof apiVersion !== 'string' || apiVersion === '' || (kind.endsWith('List') && 'items' in value)) {
      this.unusual = true;
      return;
    }
    if (this.unusual) return; // it will all be loaded again
    this.emitted++;
    this.emit(new DocumentObject(value, this.source.name, 0, errors ?? NO_ERRORS, this.at, ['items', index], typeof shape === 'object' ? shape : null));
  }

  /** After the parse: whether the root was a plain `List` whose every duplicate key lay in an item. */
  complete(root: unknown): boolean {
    if (this.claimed < this.duplicates.length) this.unusual = true;
    if (!isRecord(root) || root['kind'] !== 'List' || typeof root['apiVersion'] !== 'string' || root['apiVersion'] === '') this.unusual = true;
    return !this.unusual;
  }
}
