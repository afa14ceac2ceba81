/** Matrix renderers, one per `-o` format of `kubereach matrix`. */
import { servicePartlyNote, type ConnectionSet, type ServiceMatrixEntry } from '@kubereach/core';
import { csvCell, dotString, mdCode, mdText, txt } from './escape.js';

/** A matrix line: endpoints by id (an IndexEntity, or a pod of the per-pod listing). */
export interface MatrixRow {
  readonly src: { readonly id: string };
  readonly dst: { readonly id: string };
  readonly conn: ConnectionSet;
}
import { caveatsMd } from './diff.js';

export type MatrixFormat = 'text' | 'json' | 'csv' | 'md' | 'dot';
export const MATRIX_FORMATS: readonly MatrixFormat[] = ['text', 'json', 'csv', 'md', 'dot'];

/** `SRC => DST : CONNS`, the matrix line, with names escaped (one line whatever they hold). */
function textLine(e: MatrixRow): string {
  return `${txt(e.src.id)} => ${txt(e.dst.id)} : ${e.conn.toString()}`;
}

/** The whole matrix as one string (small matrices, or to embed it in a larger document). */
export function renderMatrix(entries: Iterable<MatrixRow>, endpoints: readonly string[], format: MatrixFormat, caveats: readonly string[] = []): string {
  let out = '';
  for (const chunk of matrixChunks(entries, endpoints, format, caveats)) out += chunk;
  return out;
}

/** A JSON value as `JSON.stringify(v, null, 2)` writes it nested `depth` levels deep (2 spaces each). */
function nested(v: unknown, depth: number): string {
  return JSON.stringify(v, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/** An array as `JSON.stringify(obj, null, 2)` writes it as a key of a top-level object, element by element. */
function* jsonArray<T>(items: Iterable<T>, value: (item: T) => unknown): Generator<string> {
  let first = true;
  for (const item of items) {
    yield `${first ? '[\n' : ',\n'}    ${nested(value(item), 2)}`;
    first = false;
  }
  yield first ? '[]' : '\n  ]';
}

/**
 * The matrix in one of its formats, line by line (a JSON value or a few lines per chunk): the output
 * of a large cluster can exceed the longest string the runtime can build, so it is written as it is
 * made (`writeChunks`), never joined. `entries` is read once, except for `dot`, which reads it twice
 * (the addresses that take part come before the edges).
 */
export function* matrixChunks(
  entries: Iterable<MatrixRow>,
  endpoints: readonly string[],
  format: MatrixFormat,
  caveats: readonly string[] = [],
): Generator<string> {
  switch (format) {
    case 'text':
      for (const e of entries) yield `${textLine(e)}\n`;
      return;
    case 'json':
      // byte for byte what JSON.stringify({ endpoints, connections, caveats }, null, 2) writes
      yield '{\n  "endpoints": ';
      yield* jsonArray(endpoints, (id) => id);
      yield ',\n  "connections": ';
      yield* jsonArray(entries, (e) => ({ src: e.src.id, dst: e.dst.id, conn: e.conn.toString() }));
      yield `,\n  "caveats": ${nested(caveats, 1)}\n}\n`;
      return;
    case 'csv':
      yield 'src,dst,conn\n';
      for (const e of entries) yield `${[e.src.id, e.dst.id, e.conn.toString()].map(csvCell).join(',')}\n`;
      return;
    case 'md':
      for (const line of caveatsMd(caveats)) yield `${line}\n`;
      yield '| src | dst | conn |\n|-----|-----|------|\n';
      for (const e of entries) yield `| ${mdCode(e.src.id)} | ${mdCode(e.dst.id)} | ${e.conn.toString()} |\n`;
      return;
    case 'dot': {
      yield 'digraph reachability {\n';
      for (const c of caveats) yield `  // caveat: ${txt(c)}\n`;
      yield '  rankdir=LR;\n  node [shape=box, style=rounded, fontname="Helvetica"];\n';
      const used = new Set<string>();
      for (const e of entries) {
        used.add(e.src.id);
        used.add(e.dst.id);
      }
      for (const id of endpoints) {
        if (!used.has(id) && id.endsWith('[External]')) continue;
        const ext = id.endsWith('[External]');
        yield `  ${dotString(id)}${ext ? ' [shape=ellipse, style=dashed]' : ''};\n`;
      }
      for (const e of entries) yield `  ${dotString(e.src.id)} -> ${dotString(e.dst.id)} [label=${dotString(e.conn.toString())}];\n`;
      yield '}\n';
      return;
    }
    default: {
      const never: never = format;
      yield String(never);
    }
  }
}

/** `SRC => ns/name[Service] : CONNS` (Service ports), with ` (partly: ...)` when some backends only. */
export function serviceRowText(e: ServiceMatrixEntry): string {
  const partly = servicePartlyNote(e);
  return `${txt(e.src.id)} => ${txt(e.id)} : ${e.conn.toString()}${partly === '' ? '' : ` (${txt(partly)})`}`;
}

/** The Service rows of `matrix --services` as JSON values: per Service port, every backend. */
export function serviceRowsJson(rows: readonly ServiceMatrixEntry[]): unknown[] {
  return rows.map((e) => ({
    src: e.src.id,
    dst: e.id,
    conn: e.conn.toString(),
    ports: e.ports.map((p) => ({
      name: p.servicePort.name,
      port: p.servicePort.port,
      protocol: p.servicePort.protocol,
      answer: p.answer,
      reached: p.reached,
      total: p.total,
      backends: p.backends.map((b) => ({ backend: b.backend.label, targetPort: b.backend.target, allowed: b.allowed, note: b.backend.note })),
    })),
  }));
}

/** The Service rows as a Markdown table (after the matrix table). */
export function serviceRowsMd(rows: readonly ServiceMatrixEntry[]): string {
  const lines = ['| src | service | service ports | backends |', '|-----|---------|---------------|----------|'];
  for (const e of rows) {
    const partly = servicePartlyNote(e);
    lines.push(`| ${mdCode(e.src.id)} | ${mdCode(e.id)} | ${e.conn.toString()} | ${partly === '' ? 'all' : mdText(partly)} |`);
  }
  return `${lines.join('\n')}\n`;
}
