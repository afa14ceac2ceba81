/** Matrix renderers, one per `-o` format of `kubereach matrix`. */
import type { ConnectionSet } from '@kubereach/core';
import { csvCell, dotString, mdCode, txt } from './escape.js';

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
        [...caveatsMd(caveats), '| src | dst | conn |', '|-----|-----|------|', ...entries.map((e) => `| ${mdCode(e.src.id)} | ${mdCode(e.dst.id)} | ${e.conn.toString()} |`)].join(
          '\n',
        ) + '\n'
      );
    case 'dot': {
      const lines = ['digraph reachability {', ...caveats.map((c) => `  // caveat: ${txt(c)}`), '  rankdir=LR;', '  node [shape=box, style=rounded, fontname="Helvetica"];'];
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
