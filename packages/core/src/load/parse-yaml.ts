/**
 * YAML streams -> documents, with bounds checked *before* anything recursive runs:
 *
 * | threat                       | guard                                                      | code             |
 * |------------------------------|------------------------------------------------------------|------------------|
 * | `[[[[...` 100k deep          | lexemes are counted as they stream (flow depth, `- - -`)   | NESTING_TOO_DEEP |
 * | deep block nesting           | the CST of each document is measured iteratively            | NESTING_TOO_DEEP |
 * | alias bomb (billion laughs)  | expanded size counted over the AST before toJS (aliasGrowth) | ALIAS_LIMIT      |
 *
 * yaml's Parser keeps an explicit stack, so lexing and parsing never recurse; only the Composer
 * (CST -> AST) and toJS do, and they only see documents that passed the depth check.
 * Each document's syntax errors are its own: the other documents of the stream still load.
 */
import { Composer, isAlias, isMap, isNode, isSeq, Lexer, Parser, type CST, type Document, type Node, type ParsedNode } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { makeDiagnostic } from '../diagnostics/catalogue.js';
import type { SourceText } from './source-text.js';
import type { LoadLimits, ParsedDocument } from './types.js';
import { documentSpan, ReparsingYamlLocator } from './yaml-locate.js';

/**
 * The documents of a YAML stream. With `sink`, each document goes to it as soon as it is composed
 * (and none is returned), so a long stream's parsed documents need not all be alive at once.
 */
export function parseYaml(
  src: SourceText,
  limits: LoadLimits,
  diagnostics: Diagnostic[],
  sink: ((doc: ParsedDocument) => void) | null = null,
): ParsedDocument[] {
  const out: ParsedDocument[] = [];
  const parser = new Parser();
  // logLevel 'error': the library's own warnings (collection keys stringified) must never reach the
  // user's terminal as a stray Node warning; what matters to the model is reported as diagnostics
  const composer = new Composer({ uniqueKeys: true, merge: true, logLevel: 'error' });
  const docIndexes: number[] = []; // document index of each CST document handed to the composer
  let docCount = 0;

  const onDoc = (doc: Document.Parsed): void => {
    const index = docIndexes.shift() ?? docCount - 1;
    const parsed = finishDocument(src, doc, index, limits, diagnostics);
    if (parsed === null) return;
    if (sink === null) out.push(parsed);
    else sink(parsed);
  };
  const onToken = (token: CST.Token): void => {
    if (token.type === 'document') {
      const index = docCount++;
      const deepAt = tooDeep(token, limits.maxDepth);
      if (deepAt >= 0) {
        // the document before it is still held by the composer: out first, so diagnostics stay in
        // source order (the composer goes on with the next document)
        for (const doc of composer.end()) onDoc(doc);
        diagnostics.push(tooDeepDiagnostic(src, deepAt, index, limits.maxDepth));
        return;
      }
      // a `kind: List` document goes into the model item by item (see splitList)
      if (sink !== null && splittable) splitList(token, index, src, limits, diagnostics, sink);
      docIndexes.push(index);
    }
    for (const doc of composer.next(token)) onDoc(doc);
  };
  // Items of a List are composed alone only when no anchor or alias can tie them to the rest of the
  // document (a `&` or `*` that may start one, anywhere in the text, rules it out: a false alarm
  // only costs the split).
  const splittable = !/(?:^|[\s[{,:?-])[&*][^\s,[\]{}]/m.test(src.text);

  // Stream lexemes ourselves so runaway nesting stops the parse before the parser's stack grows.
  let flowDepth = 0;
  let lineIndicators = 0; // `-` and `?` indicators on the current line: one nesting level each
  let afterScalarMark = false; // the lexeme after U+001F is scalar text, not an indicator
  for (const lexeme of new Lexer().lex(src.text)) {
    if (!afterScalarMark) {
      if (lexeme === '[' || lexeme === '{') flowDepth++;
      else if (lexeme === ']' || lexeme === '}') flowDepth = Math.max(0, flowDepth - 1);
      else if (lexeme === '-' || lexeme === '?') lineIndicators++;
      else if (lexeme === '\n' || lexeme === '\r\n') lineIndicators = 0;
      else if (lexeme === '---' || lexeme === '...') flowDepth = 0;
      if (flowDepth + lineIndicators > limits.maxDepth) {
        // the documents before this one first, so diagnostics stay in source order
        for (const doc of composer.end()) onDoc(doc);
        diagnostics.push(tooDeepDiagnostic(src, parser.offset, docCount, limits.maxDepth));
        return out;
      }
    }
    afterScalarMark = lexeme === '\u001f';
    for (const token of parser.next(lexeme)) onToken(token);
  }
  for (const token of parser.end()) onToken(token);
  for (const doc of composer.end()) onDoc(doc);
  for (const e of composer.streamInfo().errors) {
    diagnostics.push(makeDiagnostic('YAML_SYNTAX', 'error', e.message.split('\n')[0]!, src.location(e.pos[0], docCount)));
  }
  return out;
}

function finishDocument(src: SourceText, doc: Document.Parsed, index: number, limits: LoadLimits, diagnostics: Diagnostic[]): ParsedDocument | null {
  const keyErrors: { offset: number; diagnostic: Diagnostic }[] = [];
  let fatal = false;
  // yaml reports some errors twice at one position (an unclosed flow collection inside another, once
  // per level): one diagnostic each
  const seen = new Set<string>();
  for (const e of doc.errors) {
    const first = e.message.split('\n')[0]!;
    const key = `${e.code} ${e.pos[0]} ${first}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const loc = src.location(e.pos[0], index);
    if (e.code === 'DUPLICATE_KEY') {
      keyErrors.push({ offset: e.pos[0], diagnostic: makeDiagnostic('DUPLICATE_KEY', 'error', first, loc) });
    } else if (e.code === 'RESOURCE_EXHAUSTION') {
      fatal = true;
      diagnostics.push(makeDiagnostic('NESTING_TOO_DEEP', 'error', first, loc));
    } else {
      fatal = true;
      diagnostics.push(makeDiagnostic('YAML_SYNTAX', 'error', first, loc));
    }
  }
  if (fatal || doc.contents === null) {
    for (const k of keyErrors) diagnostics.push(k.diagnostic);
    return null;
  }
  const start = doc.contents.range?.[0] ?? doc.range[0];
  const growth = aliasGrowth(doc.contents);
  const allowed = Math.max(limits.maxAliasExpansion, growth.written);
  if (growth.added > allowed) {
    const size = Number.isFinite(growth.added) ? `${growth.added.toExponential(2)} nodes` : 'an unbounded size (an alias inside its own anchor)';
    diagnostics.push(
      makeDiagnostic(
        'ALIAS_LIMIT',
        'error',
        `aliases would expand the document by ${size}, past the limit of ${allowed} (the document has ${growth.written} nodes written); the document was not loaded`,
        src.location(start, index),
      ),
    );
    for (const k of keyErrors) diagnostics.push(k.diagnostic);
    return null;
  }
  let value: unknown;
  try {
    // the expansion was bounded above; yaml's own alias count would refuse many harmless references
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    diagnostics.push(makeDiagnostic('YAML_SYNTAX', 'error', message.split('\n')[0]!, src.location(start, index)));
    for (const k of keyErrors) diagnostics.push(k.diagnostic);
    return null;
  }
  if (value === null || value === undefined) return null; // an empty document (so no key errors)
  // positions from the text on demand: the AST is not kept (see ReparsingYamlLocator)
  return { value, doc: index, locator: new ReparsingYamlLocator(src.text, documentSpan(doc.range, doc.contents)), keyErrors };
}

/**
 * Nodes as written, and nodes aliases add when expanded (each alias counting the full size of the
 * node it refers to, itself expanded). One iterative post-order pass in document order: an anchor is
 * complete before any later alias to it, so sizes need no recursion through aliases; an alias to a
 * node still open (inside its own anchor) is infinite. Sizes are floating point, so a billion-laughs
 * document's 10^9 is counted, not overflowed.
 */
export function aliasGrowth(root: ParsedNode | null): { written: number; added: number } {
  if (root === null) return { written: 0, added: 0 };
  const size = new Map<Node, number>(); // expanded size of each completed node
  // the last node seen (in document order) with each anchor: an alias refers to it, as in yaml's
  // Alias.resolve (which, called without a cache, would walk the whole document per alias)
  const anchored = new Map<string, Node>();
  let written = 0;
  let added = 0;
  const stack: [Node, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, expanded] = top;
    if (isAlias(node)) {
      stack.pop();
      written++;
      const target = anchored.get(node.source);
      const n = target === undefined ? 1 : (size.get(target) ?? Infinity);
      size.set(node, n);
      added += n;
      continue;
    }
    if (!expanded && typeof node.anchor === 'string') anchored.set(node.anchor, node);
    const children: Node[] = [];
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isNode(pair.key)) children.push(pair.key);
        if (isNode(pair.value)) children.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (isNode(item)) children.push(item);
    }
    if (!expanded && children.length > 0) {
      top[1] = true;
      for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, false]);
      continue;
    }
    stack.pop();
    written++;
    let n = 1;
    for (const c of children) n += size.get(c) ?? 1;
    size.set(node, n);
  }
  return { written, added };
}

/**
 * A `kind: List` document (kubectl get -o yaml) with a block `items:` sequence, composed item by item:
 * each item's CST node becomes a document of its own (its tokens keep their offsets, so positions
 * are unchanged) and goes to `sink` at once, and the CST of the items already read is dropped, so
 * the composed AST and the plain value of the whole List (about 15 times the text) never exist at
 * once. The items' sequence is replaced in the CST document by a `null`, and the caller composes the
 * rest as the List's own shell, for the fields around the items and their errors. Items keep the
 * List's document index, as a List's items always do.
 */
function splitList(
  token: CST.Document,
  index: number,
  src: SourceText,
  limits: LoadLimits,
  diagnostics: Diagnostic[],
  sink: (doc: ParsedDocument) => void,
): void {
  const root = token.value;
  if (root === undefined || root.type !== 'block-map') return;
  let isList = false;
  let seq: CST.BlockSequence | null = null;
  let holder: { value?: CST.Token } | null = null;
  let seqEnd = src.text.length; // where the token after the sequence starts
  for (let k = 0; k < root.items.length; k++) {
    const item = root.items[k]!;
    const key = item.key;
    if (key === undefined || key === null || key.type !== 'scalar') continue;
    if (key.source === 'kind' && item.value?.type === 'scalar' && item.value.source === 'List') isList = true;
    if (key.source === 'items' && item.value?.type === 'block-seq') {
      seq = item.value;
      holder = item;
      const next = root.items[k + 1];
      seqEnd = next?.start[0]?.offset ?? next?.key?.offset ?? token.end?.[0]?.offset ?? src.text.length;
    }
  }
  if (!isList || seq === null || holder === null) return;
  // The shell: `items: null` in place of the sequence. The scalar ends where the sequence ended, so
  // the composer measures the keys after it from the right place.
  holder.value = { type: 'scalar', offset: Math.max(seq.offset, seqEnd - 4), indent: seq.indent, source: 'null' };
  const items = seq.items;
  for (let i = 0; i < items.length; i++) {
    const value = items[i]!.value;
    (items as unknown[])[i] = null; // dropped as soon as it is composed
    if (value === undefined) continue;
    const composer = new Composer({ uniqueKeys: true, merge: true });
    const docs = [...composer.next({ type: 'document', offset: value.offset, start: [], value }), ...composer.end()];
    for (const doc of docs) {
      const parsed = finishDocument(src, doc, index, limits, diagnostics);
      if (parsed !== null) sink({ ...parsed, listItem: true });
    }
  }
}

/** Offset of the first collection nested deeper than `max` in a CST document, or -1. Iterative. */
function tooDeep(doc: CST.Document, max: number): number {
  const stack: [CST.Token, number][] = [];
  if (doc.value) stack.push([doc.value, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    const d = depth + 1;
    if (d > max) return token.offset;
    for (const item of token.items) {
      if (item.key) stack.push([item.key, d]);
      if (item.value) stack.push([item.value, d]);
    }
  }
  return -1;
}

function tooDeepDiagnostic(src: SourceText, offset: number, doc: number, max: number): Diagnostic {
  return makeDiagnostic('NESTING_TOO_DEEP', 'error', `nesting deeper than ${max} levels; the document was not loaded`, src.location(offset, doc));
}
