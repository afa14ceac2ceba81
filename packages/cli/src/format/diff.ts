/**
 * Renderers of `kubereach diff`, one per `-o` format (a contract: other tools read them):
 *   text  one line per changed pair: `KIND SRC => DST : BEFORE -> AFTER` (matrix notation, including
 *         `No Connections`), added first, then removed, then changed, each in matrix order;
 *   json  {"added":[{"src","dst","conn"}],"removed":[{"src","dst","conn"}],"changed":[{"src","dst","before","after"}]}
 *         (with --explain each entry also has "causes": [text, ...]);
 *   md    a table to paste as a pull-request comment, rows touching sensitive targets (metadata,
 *         kube-system, control-plane ports) first.
 * Nothing here computes anything: rows, reasons and causes come from the core.
 */
import {
  ConnectionSet,
  diffRows,
  isSensitive,
  sensitiveReason,
  changedConnections,
  type DiffRow,
  type Edit,
  type ReachabilityDiff,
  type SensitiveReason,
  type SourceLocation,
} from '@kubereach/core';
import { mdCode, mdText, txt } from './escape.js';

export type DiffFormat = 'text' | 'json' | 'md';

/** Causes per row (by `kind src dst`), present with --explain. */
export type Causes = ReadonlyMap<string, readonly Edit[]>;

export function rowKey(r: DiffRow): string {
  return `${r.kind} ${r.src} ${r.dst}`;
}

function before(r: DiffRow): ConnectionSet {
  return r.kind === 'changed' ? r.before : r.kind === 'removed' ? r.conn : ConnectionSet.NONE;
}

function after(r: DiffRow): ConnectionSet {
  return r.kind === 'changed' ? r.after : r.kind === 'added' ? r.conn : ConnectionSet.NONE;
}

/** One edit as a short sentence with its file:line; `name` formats the names and paths in it (escaping per format). */
export function editText(e: Edit, name: (s: string) => string = (s) => s): string {
  const at = (loc: SourceLocation | null): string => (loc === null ? 'not in the input' : name(`${loc.file}:${loc.line}`));
  switch (e.kind) {
    case 'policy-added':
      return `policy ${name(e.policy)} added (${at(e.location)})`;
    case 'policy-removed':
      return `policy ${name(e.policy)} removed (was ${at(e.location)})`;
    case 'policy-selector-changed':
      return `policy ${name(e.policy)}: ${e.what.join(' and ')} changed (${at(e.location)}, was ${at(e.before)})`;
    case 'rule-added':
      return `policy ${name(e.policy)}: ${e.direction} rule ${e.index} added (${at(e.location)})`;
    case 'rule-removed':
      return `policy ${name(e.policy)}: ${e.direction} rule ${e.index} removed (was ${at(e.location)})`;
    case 'endpoint-added':
      return `workload ${name(e.endpoint)} added (${at(e.location)})`;
    case 'endpoint-removed':
      return `workload ${name(e.endpoint)} removed (was ${at(e.location)})`;
    case 'endpoint-changed':
      return `workload ${name(e.endpoint)}: labels, ports or IPs changed (${at(e.location)})`;
    case 'endpoint-scaled':
      return `workload ${name(e.endpoint)} scaled ${e.several ? 'from one pod to several: its replicas talk to each other as the policies allow' : 'to one pod: no traffic between replicas'} (${at(e.location)})`;
    case 'namespace-changed':
      return `namespace ${name(e.namespace)}: labels changed (${at(e.location)})`;
    default: {
      const _x: never = e;
      return _x;
    }
  }
}

export function reasonText(r: SensitiveReason): string {
  switch (r.kind) {
    case 'metadata':
      return `metadata service ${r.address}`;
    case 'kube-system':
      return 'kube-system';
    case 'control-plane-port':
      return `control plane: ${r.label} (TCP ${r.port})`;
    default: {
      const _x: never = r;
      return _x;
    }
  }
}

function causesOf(causes: Causes | null, r: DiffRow): readonly Edit[] {
  return causes?.get(rowKey(r)) ?? [];
}

/** The text lines of rows, as `diff` prints them (watch prints the same lines per change). */
export function renderDiffText(rows: readonly DiffRow[], causes: Causes | null): string {
  let out = '';
  for (const r of rows) {
    out += `${r.kind} ${txt(r.src)} => ${txt(r.dst)} : ${before(r).toString()} -> ${after(r).toString()}\n`;
    if (causes !== null) {
      const list = causesOf(causes, r);
      if (list.length === 0) out += '    caused by: no policy or workload edit touches this pair directly\n';
      for (const e of list) out += `    caused by: ${editText(e, txt)}\n`;
    }
  }
  return out;
}

function renderJson(d: ReachabilityDiff, causes: Causes | null, caveats: readonly string[]): string {
  const extra = (r: DiffRow) => (causes === null ? {} : { causes: causesOf(causes, r).map((e) => editText(e)) });
  const obj = {
    added: d.added.map((e) => ({ src: e.src, dst: e.dst, conn: e.conn.toString(), ...extra({ kind: 'added', ...e }) })),
    removed: d.removed.map((e) => ({ src: e.src, dst: e.dst, conn: e.conn.toString(), ...extra({ kind: 'removed', ...e }) })),
    changed: d.changed.map((e) => ({ src: e.src, dst: e.dst, before: e.before.toString(), after: e.after.toString(), ...extra({ kind: 'changed', ...e }) })),
    caveats,
  };
  return `${JSON.stringify(obj, null, 2)}\n`;
}

/** Caveats as a Markdown quote block, one bullet each (nothing when there are none). */
export function caveatsMd(caveats: readonly string[]): string[] {
  if (caveats.length === 0) return [];
  return ['> **Caveats**', '>', ...caveats.map((c) => `> - ${mdText(c)}`), ''];
}

function renderMd(d: ReachabilityDiff, rows: readonly DiffRow[], causes: Causes | null, caveats: readonly string[]): string {
  const lines = [`### kubereach diff: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`, '', ...caveatsMd(caveats)];
  if (rows.length === 0) return `${[...lines, 'No reachability changes.'].join('\n')}\n`;
  // sensitive rows first; otherwise the row order of the core (kind, then matrix order) is kept
  const sensitive = rows.filter((r) => isSensitive(r));
  const rest = rows.filter((r) => !isSensitive(r));
  const n = sensitive.length;
  if (n > 0)
    lines.push(`**${n} change${n === 1 ? '' : 's'} touch${n === 1 ? 'es' : ''} sensitive targets** (metadata service, kube-system, control-plane ports).`, '');
  const head = ['Change', 'Source', 'Destination', 'Before', 'After', 'Sensitive'];
  if (causes !== null) head.push('Caused by');
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const r of [...sensitive, ...rest]) {
    const reason = sensitiveReason(r.dst, changedConnections(r));
    // names are code spans, prose is escaped Markdown: nothing from the input renders as HTML or markup
    const cells = [r.kind, mdCode(r.src), mdCode(r.dst), before(r).toString(), after(r).toString(), reason === null ? '' : `:warning: ${reasonText(reason)}`];
    if (causes !== null)
      cells.push(
        causesOf(causes, r)
          .map((e) => editText(e, mdCode))
          .join('<br>'),
      );
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderDiff(d: ReachabilityDiff, format: DiffFormat, causes: Causes | null = null, caveats: readonly string[] = []): string {
  const rows = diffRows(d);
  switch (format) {
    case 'text':
      return renderDiffText(rows, causes);
    case 'json':
      return renderJson(d, causes, caveats);
    case 'md':
      return renderMd(d, rows, causes, caveats);
    default: {
      const _x: never = format;
      return String(_x);
    }
  }
}
