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

export function renderMatrix(entries: readonly MatrixRow[], endpoints: readonly string[], format: MatrixFormat, caveats: readonly string[] = []): string {
  switch (format) {
    case 'text':
      return entries.map((e) => `${textLine(e)}\n`).join('');
    case 'json':
      return `${JSON.stringify(
        { endpoints, connections: entries.map((e) => ({ src: e.src.id, dst: e.dst.id, conn: e.conn.toString() })), caveats },
        null,
        2,
      )}\n`;
    case 'csv':
      return ['src,dst,conn', ...entries.map((e) => [e.src.id, e.dst.id, e.conn.toString()].map(csvCell).join(','))].join('\n') + '\n';
    case 'md':
      return (
        [
          ...caveatsMd(caveats),
          '| src | dst | conn |',
          '|-----|-----|------|',
          ...entries.map((e) => `| ${mdCode(e.src.id)} | ${mdCode(e.dst.id)} | ${e.conn.toString()} |`),
        ].join('\n') + '\n'
      );
    case 'dot': {
      const lines = [
        'digraph reachability {',
        ...caveats.map((c) => `  // caveat: ${txt(c)}`),
        '  rankdir=LR;',
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
      ];
      const used = new Set<string>();
      for (const e of entries) {
        used.add(e.src.id);
        used.add(e.dst.id);
      }
      for (const id of endpoints) {
        if (!used.has(id) && id.endsWith('[External]')) continue;
        const ext = id.endsWith('[External]');
        lines.push(`  ${dotString(id)}${ext ? ' [shape=ellipse, style=dashed]' : ''};`);
      }
      for (const e of entries) lines.push(`  ${dotString(e.src.id)} -> ${dotString(e.dst.id)} [label=${dotString(e.conn.toString())}];`);
      lines.push('}');
      return `${lines.join('\n')}\n`;
    }
    default: {
      const never: never = format;
      return String(never);
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
