/**
 * One source text -> its documents. Decides between the JSON fast path and YAML, enforces the size
 * bound, and makes sure nothing here throws: any unexpected exception from a parser becomes a
 * syntax diagnostic for the source rather than a crash of the whole load.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { makeDiagnostic } from '../diagnostics/catalogue.js';
import { formatSize } from './limits.js';
import type { ShapeOf } from './json-fast.js';
import { fastJsonDocument, jsonDocument, looksLikeJson, tryParseJson, withoutBom } from './parse-json.js';
import { parseYaml } from './parse-yaml.js';
import { fastYamlDocuments, fastYamlStream } from './yaml-fast.js';
import { SourceText } from './source-text.js';
import type { InputSource, LoadLimits, ParsedDocument } from './types.js';

export interface ParsedSource {
  readonly source: SourceText;
  readonly documents: readonly ParsedDocument[];
}

/**
 * `shapeOf` names the fields to build of each List item of a JSON dump (all when it returns null);
 * null turns the List fast path off (tests compare both ways). `fastYaml` turns the block-YAML fast
 * path (yaml-fast.ts) on or off; by default it follows shapeOf.
 */
export function parseSource(
  input: InputSource,
  limits: LoadLimits,
  diagnostics: Diagnostic[],
  shapeOf: ShapeOf | null = () => null,
  yamlSink: ((source: SourceText, doc: ParsedDocument) => void) | null = null,
  fastYaml: boolean = shapeOf !== null,
): ParsedSource {
  const text = input.text;
  const source = new SourceText(input.name, text);
  if (text.length > limits.maxSourceBytes) {
    diagnostics.push(
      makeDiagnostic(
        'INPUT_TOO_LARGE',
        'error',
        `${formatSize(text.length)} is over the limit of ${formatSize(limits.maxSourceBytes)}; the input was not loaded`,
        { file: input.name, line: 1, col: 1, doc: 0 },
      ),
    );
    return { source, documents: [] };
  }
  const nul = nulOffset(text);
  if (nul >= 0) {
    diagnostics.push(
      makeDiagnostic(
        'INPUT_ENCODING',
        'error',
        'the text contains NUL characters: it is UTF-16 or UTF-32 (or binary) read as UTF-8, not a YAML or JSON manifest; the input was not loaded',
        source.location(nul, 0),
      ),
    );
    return { source, documents: [] };
  }
  try {
    return { source, documents: parseText(source, limits, diagnostics, shapeOf, yamlSink, fastYaml) };
  } catch (e) {
    // Defensive: the parsers are not expected to throw, but a load must never crash.
    const message = e instanceof Error ? e.message : String(e);
    const code = looksLikeJson(text) ? 'JSON_SYNTAX' : 'YAML_SYNTAX';
    diagnostics.push(makeDiagnostic(code, 'error', `could not parse: ${message}`, source.location(0, 0)));
    return { source, documents: [] };
  }
}

/**
 * Where the first NUL character is among the first 1024, or -1. Neither YAML nor JSON allows a raw
 * NUL, and UTF-16 text of ASCII characters read as UTF-8 has one every other character, so looking
 * at the start is enough to tell "wrong encoding" from a syntax error far into the file.
 */
function nulOffset(text: string): number {
  return text.length <= 1024 ? text.indexOf('\u0000') : text.slice(0, 1024).indexOf('\u0000');
}

function parseText(
  source: SourceText,
  limits: LoadLimits,
  diagnostics: Diagnostic[],
  shapeOf: ShapeOf | null,
  yamlSink: ((source: SourceText, doc: ParsedDocument) => void) | null,
  fastYaml: boolean,
): ParsedDocument[] {
  // YAML skips a BOM itself; a YAML stream's documents go to the sink one by one when there is one
  if (!looksLikeJson(source.text)) {
    if (!fastYaml) return parseYaml(source, limits, diagnostics, yamlSink === null ? null : (doc) => yamlSink(source, doc));
    // block-style YAML is read the fast way as far as it is in the subset yaml-fast.ts reads; the
    // yaml package reads the rest, from the first document the fast path gave up on (the documents
    // before it were read whole and carry no diagnostic, as the yaml package would have read them)
    if (yamlSink === null) return fastYamlDocuments(source, limits.maxDepth) ?? parseYaml(source, limits, diagnostics);
    const sink = (doc: ParsedDocument): void => yamlSink(source, doc);
    const from = fastYamlStream(source, limits.maxDepth, sink);
    if (from < 0) return [];
    return parseYaml(source, limits, diagnostics, from === 0 ? sink : (doc) => doc.doc >= from && sink(doc));
  }
  const jsonSource = withoutBom(source);
  const fast = shapeOf === null ? null : fastJsonDocument(jsonSource, limits.maxDepth, shapeOf);
  if (fast !== null) return [fast];
  const attempt = tryParseJson(jsonSource.text);
  if (attempt.ok) {
    const doc = jsonDocument(jsonSource, attempt.value, limits.maxDepth, diagnostics);
    return doc === null ? [] : [doc];
  }
  // A .json file is JSON, strictly (as kubectl reads it). Other text that merely starts with `{` may
  // be YAML flow style (`{kind: Pod, ...}`); if YAML cannot read it either, the JSON error is the one
  // that makes sense to the user.
  if (source.name.toLowerCase().endsWith('.json')) {
    diagnostics.push(makeDiagnostic('JSON_SYNTAX', 'error', attempt.message, source.location(attempt.offset, 0)));
    return [];
  }
  const yamlDiagnostics: Diagnostic[] = [];
  const docs = parseYaml(source, limits, yamlDiagnostics);
  if (!yamlDiagnostics.some((d) => d.code === 'YAML_SYNTAX')) {
    diagnostics.push(...yamlDiagnostics);
    return docs;
  }
  diagnostics.push(makeDiagnostic('JSON_SYNTAX', 'error', attempt.message, source.location(attempt.offset, 0)));
  return [];
}
