/**
 * Offsets -> 1-based line:col for one source, with the line-start index built on first use: a load
 * that reports nothing never pays for it. Columns count UTF-16 code units, as yaml's LineCounter does.
 */
import type { SourceLocation } from '../diagnostics/diagnostic.js';

export class SourceText {
  private lineStarts: number[] | null = null;

  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  /** The location of `offset` in document `doc`. */
  location(offset: number, doc: number): SourceLocation {
    const starts = this.lineStarts ?? (this.lineStarts = buildLineStarts(this.text));
    // binary search: the last line start <= offset
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.name, line: lo + 1, col: offset - starts[lo]! + 1, doc };
  }
}

function buildLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
