/**
 * Test support: YAML text -> OtherObject[] the way the loader hands them to the admin post-pass
 * (plain value + locate(path) resolving to the value's position, or the deepest existing prefix).
 * Kept independent of the loader so these tests pin the admin model alone.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import type { OtherObject } from '../../src/model/types.js';
import type { SourceLocation } from '../../src/diagnostics/diagnostic.js';

export function objectsFromYaml(text: string, file = 'policies.yaml'): OtherObject[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc });
  if (!Array.isArray(docs)) throw new Error('empty stream');
  const out: OtherObject[] = [];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) throw new Error(`test YAML is invalid: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    if (value === null || typeof value !== 'object') return;
    const loc = (offset: number): SourceLocation => {
      const p = lc.linePos(offset);
      return { file, line: p.line, col: p.col, doc: index };
    };
    const locate = (path: readonly (string | number)[]): SourceLocation => {
      let node: unknown = doc.contents;
      let offset = (doc.contents as Node).range?.[0] ?? 0;
      for (const key of path) {
        let next: unknown;
        if (isMap(node)) {
          const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
          if (pair === undefined) break;
          const v = pair.value as Node | null;
          // `key:` with nothing after it has no value node: point at the key
          next = v;
          offset = v?.range?.[0] ?? (pair.key as Node).range?.[0] ?? offset;
          if (v === null) break;
        } else if (isSeq(node) && typeof key === 'number') {
          const item = node.items[key] as Node | undefined;
          if (item === undefined) break;
          next = item;
          offset = item.range?.[0] ?? offset;
        } else break;
        node = next;
      }
      return loc(offset);
    };
    const v = value as Record<string, unknown>;
    const meta = (v['metadata'] ?? {}) as Record<string, unknown>;
    out.push({
      apiVersion: String(v['apiVersion']),
      kind: String(v['kind']),
      namespace: typeof meta['namespace'] === 'string' ? meta['namespace'] : null,
      name: typeof meta['name'] === 'string' ? meta['name'] : null,
      value,
      location: locate([]),
      locate,
    });
  });
  return out;
}
