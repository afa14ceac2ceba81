/**
 * network-config-analyzer's Calico listings (the shared conformance data, nca-calico/README.md, "Expected
 * file format") and kubereach's per-pod matrix, in one comparable form.
 *
 * - kubereach's external ids `FIRST-LAST[External]` lose the `[External]` suffix (their notation).
 * - External ranges are merged, per endpoint and direction, where adjacent ranges carry the same
 *   CONNS: their listing is canonical in that way, ours is cut at every policy boundary.
 * - IPv6 ranges are dropped unless the case names an IPv6 CIDR (their tool prints the IPv6 space
 *   only then).
 * Nothing else is changed: CONNS are compared as text, both sides canonical.
 *
 * `readConns` reads their CONNS (every IP protocol; ICMP by type and code) in kubereach's universe
 * (TCP/UDP/SCTP ports, ICMP/ICMPv6 messages by type and code), naming what it cannot carry over:
 * other protocols, source ports.
 */
import { ConnectionSet, parseIP, formatIP, type PortRange } from '@kubereach/core';

/** An ICMP message's number in a connection set: type * 256 + code (see ConnectionSet). */
const icmpKey = (type: number, code: number): number => type * 256 + code;

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
      const adjacent = last !== undefined && last.hi + 1n === r.lo && last.hi < 1n << 32n === r.lo < 1n << 32n;
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
const ICMP_PROTOS = ['ICMP', 'ICMPv6'] as const;
type IcmpProto = (typeof ICMP_PROTOS)[number];

/** Their CONNS read in kubereach's connection universe; null when an item restricts source ports. */
export interface ConnsReading {
  /** TCP/UDP/SCTP ports and ICMP messages (type and code). */
  readonly set: ConnectionSet;
  /** Protocols outside kubereach's universe the CONNS name (VRRP, UDPLite, proto-N...). */
  readonly others: readonly string[];
}

/**
 * Reads their CONNS (README "Expected file format"): `All Connections [except ITEM,...]`, or items
 * `TCP 80,443`, `ICMP` (every type and code), `ICMP type 0-203,205-254`, `ICMP type 204 code 0-53,55-255`,
 * `VRRP`. A piece starting with a digit continues the previous item's last list (ports, types or
 * codes). ICMP types are 0-254 in their domain (type 255 cannot be named by a Calico rule either).
 */
export function readConns(conns: string): ConnsReading | null {
  const all = conns === 'All Connections';
  const except = conns.startsWith('All Connections except ');
  const body = all ? '' : except ? conns.slice('All Connections except '.length) : conns;
  interface Item {
    proto: string;
    ports: PortRange[];
    types: PortRange[] | null;
    codes: PortRange[] | null;
    last: 'ports' | 'types' | 'codes' | null;
  }
  const items: Item[] = [];
  for (const tok of body === '' ? [] : body.split(',')) {
    const t = tok.trim();
    if (t.includes('src')) return null;
    if (/^[0-9]/.test(t)) {
      const last = items[items.length - 1];
      if (last === undefined || last.last === null) throw new Error(`bad CONNS ${conns}`);
      const list = last.last === 'ports' ? last.ports : last.last === 'types' ? last.types! : last.codes!;
      list.push(range(t));
      continue;
    }
    const m = /^(\S+)(?: (.*))?$/.exec(t)!;
    const proto = m[1]!;
    const rest = m[2] ?? '';
    const item: Item = { proto, ports: [], types: null, codes: null, last: null };
    if (PORT_PROTOS.includes(proto as PortProto)) {
      item.ports.push(rest === '' ? [1, 65535] : range(rest));
      item.last = 'ports';
    } else if (ICMP_PROTOS.includes(proto as IcmpProto) && rest !== '') {
      const im = /^type (\S+)(?: code (\S+))?$/.exec(rest);
      if (im === null) throw new Error(`bad ICMP item ${t} in ${conns}`);
      item.types = [range(im[1]!)];
      item.last = 'types';
      if (im[2] !== undefined) {
        item.codes = [range(im[2])];
        item.last = 'codes';
      }
    } else if (rest !== '') throw new Error(`bad CONNS item ${t} in ${conns}`);
    items.push(item);
  }
  let named = ConnectionSet.NONE;
  const others: string[] = [];
  for (const it of items) {
    if (PORT_PROTOS.includes(it.proto as PortProto)) named = named.union(ConnectionSet.ranges(it.proto as PortProto, it.ports));
    else if (ICMP_PROTOS.includes(it.proto as IcmpProto)) {
      // every code of each type, or the listed codes of each: message numbers type * 256 + code
      const messages: PortRange[] = [];
      for (const [a, b] of it.types ?? [[0, 254]])
        for (let t = a; t <= b; t++) for (const [c0, c1] of it.codes ?? [[0, 255]]) messages.push([icmpKey(t, c0), icmpKey(t, c1)]);
      named = named.union(ConnectionSet.ranges(it.proto as IcmpProto, messages));
    } else others.push(it.proto);
  }
  const set = all ? ConnectionSet.ALL : except ? ConnectionSet.ALL.subtract(named) : named;
  return { set: set.subtract(OUTSIDE_THEIR_DOMAIN), others };
}

/** ICMP type 255 of both families: outside their domain (and unnameable in a Calico rule). */
export const OUTSIDE_THEIR_DOMAIN = ConnectionSet.port('ICMP', 255).union(ConnectionSet.port('ICMPv6', 255));

function range(t: string): PortRange {
  const m = /^(\d+)(?:-(\d+))?$/.exec(t.trim());
  if (m === null) throw new Error(`bad port range ${t}`);
  return [Number(m[1]), m[2] === undefined ? Number(m[1]) : Number(m[2])];
}
