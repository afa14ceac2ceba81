/**
 * Immutable sets of connections: per protocol a canonical list of disjoint, sorted, non-adjacent
 * inclusive intervals. TCP, UDP and SCTP carry ports 1..65535; ICMP (IPv4) and ICMPv6 carry message
 * types 0..255 (the type is the only thing a policy can select on: Cilium's `icmps`, Calico's
 * `icmp.type`), so an ICMP echo request is (`ICMP`, 8) and an ICMPv6 one (`ICMPv6`, 128). A
 * NetworkPolicy rule without ports matches every protocol, ICMP included; one with ports matches
 * only those. Equal sets have equal canonical forms, so `equals` and `toString` are exact.
 * Rendering follows the matrix notation shared with np-guard's netpol-analyzer: `All Connections`,
 * `No Connections`, or `TCP 80,443,8000-9000,UDP 53`, protocols in name order (ICMP, ICMPv6, SCTP,
 * TCP, UDP), e.g. `ICMP 0-255,ICMPv6 0-255,SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535`.
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

/** Smallest value of a protocol's port (or ICMP type) space. */
export function minOf(p: ConnProtocol): number {
  return isIcmp(p) ? 0 : MIN_PORT;
}

/** Largest value of a protocol's port (or ICMP type) space. */
export function maxOf(p: ConnProtocol): number {
  return isIcmp(p) ? 255 : MAX_PORT;
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
const FULL_ICMP: Ranges = [[0, 255]];
const EMPTY = (): Record<ConnProtocol, Ranges> => ({ TCP: [], UDP: [], SCTP: [], ICMP: [], ICMPv6: [] });

/**
 * An immutable set of connections: per protocol, disjoint sorted port ranges (ICMP: type ranges).
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

  /** Every port (or ICMP type) of one protocol. */
  static protocol(p: ConnProtocol): ConnectionSet {
    return ConnectionSet.ranges(p, isIcmp(p) ? FULL_ICMP : FULL);
  }

  /** A set of port ranges of one protocol (ranges may overlap and be unsorted). */
  static ranges(p: ConnProtocol, ranges: readonly PortRange[]): ConnectionSet {
    const rec = EMPTY();
    rec[p] = normalize(p, [...ranges]);
    return new ConnectionSet(rec);
  }

  /** One port (or range; or ICMP type) of one protocol. */
  static port(p: ConnProtocol, port: number, endPort: number = port): ConnectionSet {
    return ConnectionSet.ranges(p, [[port, endPort]]);
  }

  /** The port (or ICMP type) ranges of one protocol, sorted and disjoint. */
  rangesOf(p: ConnProtocol): readonly PortRange[] {
    return this.byProto[p];
  }

  /** Whether the set holds one port (or ICMP type) of a protocol. */
  contains(p: ConnProtocol, port: number): boolean {
    for (const [lo, hi] of this.byProto[p]) {
      if (port < lo) return false;
      if (port <= hi) return true;
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
      parts.push(`${p} ${r.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',')}`);
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
