/** Matrix renderers, one per `-o` format of `kubereach matrix`. */
import { matrixLine, type MatrixEntry } from '@kubereach/core';
import { caveatsMd } from './diff.js';

export type MatrixFormat = 'text' | 'json' | 'csv' | 'md' | 'dot';
export const MATRIX_FORMATS: readonly MatrixFormat[] = ['text', 'json', 'csv', 'md', 'dot'];

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function dotId(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function renderMatrix(entries: readonly MatrixEntry[], endpoints: readonly string[], format: MatrixFormat, caveats: readonly string[] = []): string {
  switch (format) {
    case 'text':
      return entries.map((e) => `${matrixLine(e)}\n`).join('');
    case 'json':
      return `${JSON.stringify(
        { endpoints, connections: entries.map((e) => ({ src: e.src.id, dst: e.dst.id, conn: e.conn.toString() })), caveats },
        null,
        2,
      )}\n`;
    case 'csv':
      return ['src,dst,conn', ...entries.map((e) => [e.src.id, e.dst.id, e.conn.toString()].map(csvField).join(','))].join('\n') + '\n';
    case 'md':
      return (
        [...caveatsMd(caveats), '| src | dst | conn |', '|-----|-----|------|', ...entries.map((e) => `| ${mdCell(e.src.id)} | ${mdCell(e.dst.id)} | ${mdCell(e.conn.toString())} |`)].join(
          '\n',
        ) + '\n'
      );
    case 'dot': {
      const lines = ['digraph reachability {', ...caveats.map((c) => `  // caveat: ${c.replace(/[\r\n]/g, ' ')}`), '  rankdir=LR;', '  node [shape=box, style=rounded, fontname="Helvetica"];'];
      const used = new Set<string>();
      for (const e of entries) {
        used.add(e.src.id);
        used.add(e.dst.id);
      }
      for (const id of endpoints) {
        if (!used.has(id) && id.endsWith('[External]')) continue;
        const ext = id.endsWith('[External]');
        lines.push(`  ${dotId(id)}${ext ? ' [shape=ellipse, style=dashed]' : ''};`);
      }
      for (const e of entries) lines.push(`  ${dotId(e.src.id)} -> ${dotId(e.dst.id)} [label=${dotId(e.conn.toString())}];`);
      lines.push('}');
      return `${lines.join('\n')}\n`;
    }
    default: {
      const never: never = format;
      return String(never);
    }
  }
}
