/**
 * The JSON fast path: `kubectl get -o json` dumps are parsed with JSON.parse (native, non-recursive,
 * several times faster than a YAML parser), then one scan adds what JSON.parse cannot say: depth,
 * duplicate keys and List item offsets. Positions are computed only when asked for (JsonLocator).
 * A big `kind: List` dump first tries json-fast.ts, which does both in one pass and builds only
 * what the model reads.
 */
import { quoteValue } from '../text/escape.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { makeDiagnostic } from '../diagnostics/catalogue.js';
import { fastParseList, type ShapeOf } from './json-fast.js';
import { JsonLocator } from './json-locate.js';
import { scanJson } from './json-scan.js';
import { SourceText } from './source-text.js';
import type { ParsedDocument } from './types.js';

/** True when the text is meant as JSON: its first non-blank character opens an object or array. */
export function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) continue;
    return c === 123 || c === 91;
  }
  return false;
}

export type JsonAttempt = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly offset: number; readonly message: string };

/** JSON.parse, with the error position taken from V8's message ("... at position N"). */
export function tryParseJson(text: string): JsonAttempt {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /at position (\d+)/.exec(message);
    const offset = m ? Math.min(Number(m[1]), text.length) : lastNonBlank(text);
    // keep only V8's description, not the quoted input excerpt
    return { ok: false, offset, message: message.replace(/ in JSON at position.*$/s, '').replace(/,? ".*$/s, '') };
  }
}

/** Builds the one document of a JSON text that JSON.parse accepted. */
export function jsonDocument(src: SourceText, value: unknown, maxDepth: number, diagnostics: Diagnostic[]): ParsedDocument | null {
  const scan = scanJson(src.text, maxDepth);
  if (scan.tooDeepAt >= 0) {
    diagnostics.push(
      makeDiagnostic('NESTING_TOO_DEEP', 'error', `nesting deeper than ${maxDepth} levels; the document was not loaded`, src.location(scan.tooDeepAt, 0)),
    );
    return null;
  }
  return scannedDocument(src, value, scan.items, scan.duplicates);
}

/**
 * The one document of a `List` JSON text read by the fast path (json-fast.ts), or null when that
 * path gave up and JSON.parse must read it.
 */
export function fastJsonDocument(src: SourceText, maxDepth: number, shapeOf: ShapeOf): ParsedDocument | null {
  const fast = fastParseList(src.text, maxDepth, shapeOf);
  return fast === null ? null : scannedDocument(src, fast.value, fast.items, fast.duplicates);
}

function scannedDocument(
  src: SourceText,
  value: unknown,
  items: readonly number[] | null,
  duplicates: readonly { readonly key: string; readonly offset: number }[],
): ParsedDocument {
  const keyErrors = duplicates.map((d) => ({ offset: d.offset, diagnostic: duplicateKey(src, d) }));
  return { value, doc: 0, locator: new JsonLocator(src.text, rootOffset(src.text), items), keyErrors };
}

/** Offset of a JSON text's first value (past leading blanks). */
export function rootOffset(text: string): number {
  let root = 0;
  while (root < text.length && text.charCodeAt(root) <= 32) root++;
  return root;
}

/** The text JSON.parse is given: a byte-order mark becomes a space, so every offset matches the user's file. */
export function withoutBom(source: SourceText): SourceText {
  return source.text.charCodeAt(0) === 0xfeff ? new SourceText(source.name, ` ${source.text.slice(1)}`) : source;
}

/** The diagnostic of a key repeated in one JSON object. */
export function duplicateKey(src: SourceText, d: { readonly key: string; readonly offset: number }): Diagnostic {
  return makeDiagnostic('DUPLICATE_KEY', 'error', `key ${quoteValue(d.key)} appears twice in one mapping`, src.location(d.offset, 0));
}

function lastNonBlank(text: string): number {
  let i = text.length;
  while (i > 0 && text.charCodeAt(i - 1) <= 32) i--;
  return i;
}
