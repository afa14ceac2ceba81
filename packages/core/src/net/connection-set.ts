/**
 * Immutable sets of connections: per protocol a canonical list of disjoint, sorted, non-adjacent
 * inclusive intervals. TCP, UDP and SCTP carry ports 1..65535. ICMP (IPv4) and ICMPv6 carry messages,
 * a message being its type and its code (both 0..255, RFC 792 / RFC 4443), held as one number
 * `type * 256 + code` (0..65535): the messages of a type are one interval, so a set of types is a set
 * of intervals, and one code of a type (Calico's `icmp: {type, code}`) is one point. An ICMP echo
 * request is type 8 code 0 (`ICMP`, 8 * 256), an ICMPv6 one type 128 code 0. A NetworkPolicy rule
 * without ports matches every protocol, ICMP included; one with ports matches only those.
 * Equal sets have equal canonical forms, so `equals` and `toString` are exact.
 *
 * `ranges`, `rangesOf` and the port atoms work on those numbers (the raw value space); `port`,
 * `protocol` and `contains` read an ICMP number as a message type with every code, and `icmp` names
 * one type, or one code of it.
 * Rendering follows the matrix notation shared with np-guard's netpol-analyzer: `All Connections`,
 * `No Connections`, or `TCP 80,443,8000-9000,UDP 53`, protocols in name order (ICMP, ICMPv6, SCTP,
 * TCP, UDP), e.g. `ICMP 0-255,ICMPv6 0-255,SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535`. ICMP lists
 * whole types as `8` or `0-7`, and the codes of a type that is only partly in the set as `TYPE:CODES`:
 * `ICMP 0-2,3:0-3,3:5-255,4-255` is every message but type 3 code 4.
 */
import type { Protocol } from '../base/types.js';

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** A protocol of a connection: the policy port protocols and the two ICMP families. */
export type ConnProtocol = Protocol | 'ICMP' | 'ICMPv6';
/** Every protocol of a {@link ConnectionSet}, in the order sets are printed. */
export const CONN_PROTOCOLS: readonly ConnProtocol[] = ['TCP', 'UDP', 'SCTP', 'ICMP', 'ICMPv6'];
/** Protocols in rendering (name) order. */
const RENDER_ORDER: readonly ConnProtocol[] = ['ICMP', 'ICMPv6', 'SCTP', 'TCP', 'UDP'];

export function isIcmp(p: ConnProtocol): p is 'ICMP' | 'ICMPv6' {
  return p === 'ICMP' || p === 'ICMPv6';
}

/** ICMP codes per type: the numbers of one type are `type * ICMP_CODES + code`. */
export const ICMP_CODES = 256;
/** Largest ICMP type and code. */
export const MAX_ICMP_TYPE = 255;
export const MAX_ICMP_CODE = 255;

/** The number of one ICMP message (type and code) in a connection set's ICMP value space. */
export function icmpKey(type: number, code: number): number {
  return type * ICMP_CODES + code;
}

/** The numbers of every code of ICMP types lo..hi. */
export function icmpTypeRange(lo: number, hi: number = lo): PortRange {
  return [lo * ICMP_CODES, hi * ICMP_CODES + MAX_ICMP_CODE];
}

/** Smallest value of a protocol's value space (ports; for ICMP, message numbers). */
export function minOf(p: ConnProtocol): number {
  return isIcmp(p) ? 0 : MIN_PORT;
}

/** Largest value of a protocol's value space (ports; for ICMP, message numbers type * 256 + code). */
export function maxOf(p: ConnProtocol): number {
  return isIcmp(p) ? icmpKey(MAX_ICMP_TYPE, MAX_ICMP_CODE) : MAX_PORT;
}

/** One interval of a protocol's values as the matrix notation prints it (ICMP: whole types, or TYPE:CODES). */
function formatRange(p: ConnProtocol, lo: number, hi: number): string[] {
  const num = (a: number, b: number) => (a === b ? `${a}` : `${a}-${b}`);
  if (!isIcmp(p)) return [num(lo, hi)];
  const out: string[] = [];
  const t0 = Math.floor(lo / ICMP_CODES);
  const t1 = Math.floor(hi / ICMP_CODES);
  const c0 = lo % ICMP_CODES;
  const c1 = hi % ICMP_CODES;
  if (t0 === t1) return [c0 === 0 && c1 === MAX_ICMP_CODE ? `${t0}` : `${t0}:${num(c0, c1)}`];
  // a partial first type, the whole types between, a partial last type
  let first = t0;
  if (c0 !== 0) {
    out.push(`${t0}:${num(c0, MAX_ICMP_CODE)}`);
    first = t0 + 1;
  }
  const last = c1 === MAX_ICMP_CODE ? t1 : t1 - 1;
  if (first <= last) out.push(num(first, last));
  if (c1 !== MAX_ICMP_CODE) out.push(`${t1}:${num(0, c1)}`);
  return out;
}

/** A protocol's intervals as the matrix notation prints them after the protocol name: `80,443`, `0-7,9-255`, `3:4`. */
export function formatRanges(p: ConnProtocol, ranges: readonly PortRange[]): string {
  return ranges.flatMap(([lo, hi]) => formatRange(p, lo, hi)).join(',');
}

/** Inclusive interval [lo, hi]. */
export type PortRange = readonly [number, number];

type Ranges = readonly PortRange[];

function normalize(p: ConnProtocol, ranges: PortRange[]): PortRange[] {
  const lo = minOf(p);
  const hi = maxOf(p);
  const sorted = ranges
    .map(([a, b]) => [Math.max(lo, a), Math.min(hi, b)] as PortRange)
    .filter(([a, b]) => a <= b)
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function intersect(a: Ranges, b: Ranges): PortRange[] {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [a0, a1] = a[i]!;
    const [b0, b1] = b[j]!;
    const lo = Math.max(a0, b0);
    const hi = Math.min(a1, b1);
    if (lo <= hi) out.push([lo, hi]);
    if (a1 < b1) i++;
    else j++;
  }
  return out;
}

function complement(p: ConnProtocol, a: Ranges): PortRange[] {
  const out: PortRange[] = [];
  let next = minOf(p);
  for (const [lo, hi] of a) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= maxOf(p)) out.push([next, maxOf(p)]);
  return out;
}

const FULL: Ranges = [[MIN_PORT, MAX_PORT]];
const FULL_ICMP: Ranges = [[0, icmpKey(MAX_ICMP_TYPE, MAX_ICMP_CODE)]];
const EMPTY = (): Record<ConnProtocol, Ranges> => ({ TCP: [], UDP: [], SCTP: [], ICMP: [], ICMPv6: [] });

/**
 * An immutable set of connections: per protocol, disjoint sorted port ranges (ICMP: message numbers).
 * Sets are made from the static constructors and combined with union, intersect and subtract.
 *
 * @example
 * ```ts
 * const web = ConnectionSet.port('TCP', 80).union(ConnectionSet.port('TCP', 443));
 * web.toString(); // 'TCP 80,443'
 * web.contains('TCP', 443); // true
 * ```
 */
export class ConnectionSet {
  private constructor(private readonly byProto: Readonly<Record<ConnProtocol, Ranges>>) {}

  static readonly NONE = new ConnectionSet(EMPTY());
  static readonly ALL = new ConnectionSet({ TCP: FULL, UDP: FULL, SCTP: FULL, ICMP: FULL_ICMP, ICMPv6: FULL_ICMP });

  /** Every port (or ICMP message) of one protocol. */
  static protocol(p: ConnProtocol): ConnectionSet {
    return ConnectionSet.ranges(p, isIcmp(p) ? FULL_ICMP : FULL);
  }

  /**
   * A set of value ranges of one protocol (ranges may overlap and be unsorted): ports, or for ICMP
   * message numbers `type * 256 + code` (see {@link icmpKey}, {@link icmpTypeRange}).
   */
  static ranges(p: ConnProtocol, ranges: readonly PortRange[]): ConnectionSet {
    const rec = EMPTY();
    rec[p] = normalize(p, [...ranges]);
    return new ConnectionSet(rec);
  }

  /** One port (or range) of one protocol; for ICMP the message types port..endPort, every code. */
  static port(p: ConnProtocol, port: number, endPort: number = port): ConnectionSet {
    return ConnectionSet.ranges(p, [isIcmp(p) ? [icmpTypeRange(port, endPort)[0], icmpTypeRange(port, endPort)[1]] : [port, endPort]]);
  }

  /** ICMP messages: every code of one type, or one code of it. */
  static icmp(p: 'ICMP' | 'ICMPv6', type: number, code?: number): ConnectionSet {
    return ConnectionSet.ranges(p, [code === undefined ? icmpTypeRange(type) : [icmpKey(type, code), icmpKey(type, code)]]);
  }

  /** The value ranges of one protocol, sorted and disjoint (ICMP: message numbers `type * 256 + code`). */
  rangesOf(p: ConnProtocol): readonly PortRange[] {
    return this.byProto[p];
  }

  /** Whether the set holds one port of a protocol; for ICMP every code of the message type `port`. */
  contains(p: ConnProtocol, port: number): boolean {
    if (isIcmp(p)) return this.containsRange(p, ...icmpTypeRange(port));
    return this.containsRange(p, port, port);
  }

  /** Whether the set holds every value lo..hi of a protocol (raw values: ICMP message numbers). */
  containsRange(p: ConnProtocol, lo: number, hi: number): boolean {
    for (const [a, b] of this.byProto[p]) {
      if (lo < a) return false;
      if (lo <= b) return hi <= b;
    }
    return false;
  }

  /** Whether nothing is allowed. */
  isEmpty(): boolean {
    return CONN_PROTOCOLS.every((p) => this.byProto[p].length === 0);
  }

  /** Whether every port of every protocol is allowed. */
  isAll(): boolean {
    return CONN_PROTOCOLS.every((p) => {
      const r = this.byProto[p];
      return r.length === 1 && r[0]![0] === minOf(p) && r[0]![1] === maxOf(p);
    });
  }

  /** Connections in this set or the other. */
  union(o: ConnectionSet): ConnectionSet {
    return this.map((p) => normalize(p, [...this.byProto[p], ...o.byProto[p]]));
  }

  /** Connections in both sets. */
  intersect(o: ConnectionSet): ConnectionSet {
    return this.map((p) => intersect(this.byProto[p], o.byProto[p]));
  }

  /** Connections in this set and not the other. */
  subtract(o: ConnectionSet): ConnectionSet {
    return this.map((p) => intersect(this.byProto[p], complement(p, o.byProto[p])));
  }

  /** Whether both sets hold the same connections. */
  equals(o: ConnectionSet): boolean {
    return CONN_PROTOCOLS.every((p) => {
      const a = this.byProto[p];
      const b = o.byProto[p];
      return a.length === b.length && a.every((r, i) => r[0] === b[i]![0] && r[1] === b[i]![1]);
    });
  }

  /** `All Connections`, `No Connections`, or e.g. `TCP 80,443,8000-9000,UDP 53` (protocols in name order). */
  toString(): string {
    if (this.isAll()) return 'All Connections';
    if (this.isEmpty()) return 'No Connections';
    const parts: string[] = [];
    for (const p of RENDER_ORDER) {
      const r = this.byProto[p];
      if (r.length === 0) continue;
      parts.push(`${p} ${formatRanges(p, r)}`);
    }
    return parts.join(',');
  }

  /** JSON form: `{"TCP":[[80,80]],...}` with only non-empty protocols, or the strings of toString for all/none. */
  toJSON(): string {
    return this.toString();
  }

  private map(f: (p: ConnProtocol) => PortRange[]): ConnectionSet {
    return new ConnectionSet({ TCP: f('TCP'), UDP: f('UDP'), SCTP: f('SCTP'), ICMP: f('ICMP'), ICMPv6: f('ICMPv6') });
  }
}
