/**
 * network-config-analyzer's Calico listings (../shared/conformance/nca-calico/README.md, "Expected
 * file format") and kubereach's per-pod matrix, in one comparable form.
 *
 * - kubereach's external ids `FIRST-LAST[External]` lose the `[External]` suffix (their notation).
 * - External ranges are merged, per endpoint and direction, where adjacent ranges carry the same
 *   CONNS: their listing is canonical in that way, ours is cut at every policy boundary.
 * - IPv6 ranges are dropped unless the case names an IPv6 CIDR (their tool prints the IPv6 space
 *   only then).
 * Nothing else is changed: CONNS are compared as text, both sides canonical.
 *
 * `projectConns` reads their CONNS (every IP protocol) as the TCP/UDP/SCTP port sets kubereach
 * models, for the check of a difference that lies only in other protocols.
 */
import { ConnectionSet, parseIP, formatIP, type PortRange } from '@kubereach/core';

export interface Line {
  readonly src: string;
  readonly dst: string;
  readonly conn: string;
}

export const text = (l: Line): string => `${l.src} => ${l.dst} : ${l.conn}`;

const LINE = /^(\S+) => (\S+) : (.+)$/;

export function parseLines(body: string, what: string): Line[] {
  const out: Line[] = [];
  body.split('\n').forEach((raw, i) => {
    const t = raw.trimEnd();
    if (t === '') return;
    const m = LINE.exec(t);
    if (m === null) throw new Error(`${what}:${i + 1}: not a connectivity line: ${JSON.stringify(t)}`);
    out.push({ src: m[1]!, dst: m[2]!, conn: m[3]! });
  });
  return out;
}

const RANGE = /^([0-9a-f.:]+)-([0-9a-f.:]+)$/i;

export function isRange(id: string): boolean {
  return RANGE.test(id);
}

/** Merges adjacent external ranges with equal CONNS per (endpoint, direction); drops IPv6 unless kept. */
export function canonicalExternal(lines: readonly Line[], keepIPv6: boolean): Line[] {
  const out: Line[] = [];
  const groups = new Map<string, { lo: bigint; hi: bigint; conn: string }[]>();
  for (const l0 of lines) {
    const l = { src: l0.src.replace(/\[External\]$/, ''), dst: l0.dst.replace(/\[External\]$/, ''), conn: l0.conn };
    const srcExt = isRange(l.src);
    const dstExt = isRange(l.dst);
    if (srcExt === dstExt) {
      out.push(l);
      continue;
    }
    const ext = srcExt ? l.src : l.dst;
    const m = RANGE.exec(ext)!;
    const lo = parseIP(m[1]!)!.value;
    const hi = parseIP(m[2]!)!.value;
    if (!keepIPv6 && m[1]!.includes(':')) continue;
    const key = srcExt ? `in\u0000${l.dst}` : `out\u0000${l.src}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push({ lo, hi, conn: l.conn });
  }
  for (const [key, ranges] of groups) {
    const [dir, endpoint] = key.split('\u0000') as [string, string];
    ranges.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
    const merged: { lo: bigint; hi: bigint; conn: string }[] = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      // 255.255.255.255 and :: are not adjacent: the families stay apart
      const adjacent = last !== undefined && last.hi + 1n === r.lo && (last.hi < 1n << 32n) === (r.lo < 1n << 32n);
      if (last !== undefined && adjacent && last.conn === r.conn) last.hi = r.hi;
      else merged.push({ ...r });
    }
    for (const r of merged) {
      const ext = `${formatIP(r.lo)}-${formatIP(r.hi)}`;
      out.push(dir === 'in' ? { src: ext, dst: endpoint, conn: r.conn } : { src: endpoint, dst: ext, conn: r.conn });
    }
  }
  return out;
}

const PORT_PROTOS = ['TCP', 'UDP', 'SCTP'] as const;
type PortProto = (typeof PORT_PROTOS)[number];

/**
 * Their CONNS restricted to TCP, UDP and SCTP destination ports, rendered as kubereach renders a
 * connection set. Items of other protocols (ICMP, ICMPv6, UDPLite, VRRP, proto-N) drop out; an item
 * restricted to source ports (`src ...`) cannot be projected exactly and makes this null.
 */
export function projectConns(conns: string): string | null {
  if (conns === 'All Connections') return ConnectionSet.ALL.toString();
  let base = ConnectionSet.NONE;
  let body = conns;
  let except = false;
  if (conns.startsWith('All Connections except ')) {
    except = true;
    body = conns.slice('All Connections except '.length);
  }
  const items: { proto: string; ranges: PortRange[] }[] = [];
  for (const tok of body.split(',')) {
    const t = tok.trim();
    if (/^[0-9]/.test(t)) {
      const last = items[items.length - 1];
      if (last === undefined) throw new Error(`bad CONNS ${conns}`);
      if (t.includes('src')) return null;
      if (PORT_PROTOS.includes(last.proto as PortProto)) last.ranges.push(range(t));
      continue;
    }
    const sp = t.indexOf(' ');
    const proto = sp < 0 ? t : t.slice(0, sp);
    const rest = sp < 0 ? '' : t.slice(sp + 1);
    if (rest.includes('src')) return null;
    const item = { proto, ranges: [] as PortRange[] };
    if (PORT_PROTOS.includes(proto as PortProto)) {
      if (rest === '') item.ranges.push([1, 65535]);
      else item.ranges.push(range(rest));
    }
    items.push(item);
  }
  for (const it of items) if (PORT_PROTOS.includes(it.proto as PortProto)) base = base.union(ConnectionSet.ranges(it.proto as PortProto, it.ranges));
  return (except ? ConnectionSet.ALL.subtract(base) : base).toString();
}

function range(t: string): PortRange {
  const m = /^(\d+)(?:-(\d+))?$/.exec(t.trim());
  if (m === null) throw new Error(`bad port range ${t}`);
  return [Number(m[1]), m[2] === undefined ? Number(m[1]) : Number(m[2])];
}
