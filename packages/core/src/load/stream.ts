/**
 * Streaming a big JSON `List` into the model: the fast parser (json-fast.ts) hands each completed
 * item to the model's builder (an ObjectSink) at once, so the parsed item is garbage before the next one is read,
 * instead of 150k parsed pods surviving (and being copied by every young-generation GC, then
 * promoted) until the model reads them all.
 *
 * Exactness: this handles only the plain case (StreamedItems). Anything else says so, and the caller
 * loads the input the general way: this source alone when nothing was streamed yet, else the whole
 * load again without streaming (the builder cannot take objects back).
 */
import { fastParseList, type ShapeOf } from './json-fast.js';
import { StreamedItems } from './objects.js';
import { looksLikeJson, rootOffset, withoutBom } from './parse-json.js';
import { SourceText } from './source-text.js';
import type { InputSource, LoadLimits, ObjectSink } from './types.js';

/** 'done': every object of the source is in the builder; 'general': load this source the general way; 'restart': load everything again, without streaming. */
export type StreamOutcome = 'done' | 'general' | 'restart';

export function streamSource(input: InputSource, limits: LoadLimits, shapeOf: ShapeOf, builder: ObjectSink): StreamOutcome {
  const text = input.text;
  if (text.length > limits.maxSourceBytes || !looksLikeJson(text)) return 'general';
  const source = withoutBom(new SourceText(input.name, text));
  const sink = new StreamedItems(source, rootOffset(source.text), (raw) => builder.add(raw));
  const fast = fastParseList(source.text, limits.maxDepth, shapeOf, sink);
  if (fast !== null && sink.complete(fast.value)) return 'done';
  return sink.emitted === 0 ? 'general' : 'restart';
}
