/**
 * Flows files for `generate --from FLOWS`: CSV with a `src,dst,conn` header (what `matrix -o csv`
 * writes) or JSON (`matrix -o json`'s `{connections: [{src, dst, conn}]}`, or a bare list of such
 * objects). Ends are `ns/name[Kind]`, `ns/name`, an address, a CIDR, or an external range
 * `FIRST-LAST[External]`; conn is `All Connections`, `TCP 80,443,8000-9000,UDP 53`, or `443/TCP`.
 * Errors name the file and line.
 */
import { ConnectionSet, parseCidr, parseIP, rangeToCidrs, type Cidr, type Protocol } from '@kubereach/core';

export interface RawFlow {
  readonly src: string;
  readonly dst: string;
  readonly conn: ConnectionSet;
  readonly line: number;
}

export function parseConn(text: string): ConnectionSet | string {
  const t = text.trim();
  if (t === '') return 'empty connections';
  if (/^all( connections)?$/i.test(t)) return ConnectionSet.ALL;
  let out = ConnectionSet.NONE;
  let proto: Protocol | null = null;
  for (const raw of t.split(',')) {
    let tok = raw.trim();
    const m = /^(TCP|UDP|SCTP)\s+(.*)$/i.exec(tok);
    if (m !== null) {
      proto = m[1]!.toUpperCase() as Protocol;
      tok = m[2]!.trim();
    } else if (/^(TCP|UDP|SCTP)$/i.test(tok)) {
      out = out.union(ConnectionSet.protocol(tok.toUpperCase() as Protocol));
      continue;
    }
    const slash = /^(\d+)(?:-(\d+))?\/(TCP|UDP|SCTP)$/i.exec(tok);
    const plain = /^(\d+)(?:-(\d+))?$/.exec(tok);
    const p = slash !== null ? (slash[3]!.toUpperCase() as Protocol) : proto;
    const mm = slash ?? plain;
    if (mm === null || p === null) return `'${raw.trim()}' is not PORT/PROTO, PROTO PORT[-PORT] or a protocol`;
    const lo = Number(mm[1]);
    const hi = mm[2] === undefined ? lo : Number(mm[2]);
    if (lo < 1 || hi > 65535 || lo > hi) return `'${raw.trim()}': ports are 1-65535`;
    out = out.union(ConnectionSet.port(p, lo, hi));
  }
  return out;
}

function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function parseFlows(file: string, text: string): { flows: RawFlow[]; errors: string[] } {
  const flows: RawFlow[] = [];
  const errors: string[] = [];
  const add = (src: unknown, dst: unknown, conn: unknown, line: number) => {
    if (typeof src !== 'string' || typeof dst !== 'string' || typeof conn !== 'string') {
      errors.push(`${file}:${line}: a flow needs src, dst and conn strings`);
      return;
    }
    const c = parseConn(conn);
    if (typeof c === 'string') errors.push(`${file}:${line}: ${c}`);
    else flows.push({ src: src.trim(), dst: dst.trim(), conn: c, line });
  };
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      return { flows, errors: [`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`] };
    }
    const list = Array.isArray(data) ? data : (data as { connections?: unknown }).connections;
    if (!Array.isArray(list)) return { flows, errors: [`${file}: expected a list of {src, dst, conn} or {connections: [...]}`] };
    list.forEach((x: { src?: unknown; dst?: unknown; conn?: unknown }, i) => add(x?.src, x?.dst, x?.conn, i + 1));
    return { flows, errors };
  }
  const rows = csvRows(text);
  const head = rows[0]?.map((h) => h.trim().toLowerCase()) ?? [];
  const [si, di, ci] = ['src', 'dst', 'conn'].map((h) => head.indexOf(h));
  if (si! < 0 || di! < 0 || ci! < 0) return { flows, errors: [`${file}:1: the CSV header must name src, dst and conn (as matrix -o csv writes)`] };
  rows.slice(1).forEach((r, i) => {
    if (r.length === 1 && r[0]!.trim() === '') return;
    add(r[si!], r[di!], r[ci!], i + 2);
  });
  return { flows, errors };
}

/** The [first, last] addresses an end names when it is a CIDR or an external range; null otherwise. */
export function endRange(end: string): [bigint, bigint] | null {
  const range = /^(.+)-(.+)\[External\]$/.exec(end);
  if (range !== null) {
    const a = parseIP(range[1]!);
    const b = parseIP(range[2]!);
    return a !== null && b !== null && a.family === b.family && a.value <= b.value ? [a.value, b.value] : null;
  }
  if (end.includes('/') && parseIP(end.split('/')[0]!) !== null) {
    const c = parseCidr(end);
    return typeof c === 'string' ? null : [c.start, c.end];
  }
  return null;
}

/** CIDRs an end names (a CIDR, an address or an external range), so the index cuts atoms there. */
export function endCidrs(end: string): Cidr[] {
  const r = endRange(end);
  const texts = r !== null ? rangeToCidrs(r[0], r[1]) : parseIP(end) !== null ? [`${end}/${parseIP(end)!.family === 4 ? 32 : 128}`] : [];
  return texts.map((x) => parseCidr(x)).filter((c): c is Cidr => typeof c !== 'string');
}
