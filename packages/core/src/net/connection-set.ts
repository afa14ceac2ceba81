/**
 * Immutable sets of connections: per protocol (TCP, UDP, SCTP) a canonical list of disjoint, sorted,
 * non-adjacent inclusive port intervals within 1..65535. Equal sets have equal canonical forms, so
 * `equals` and `toString` are exact. Rendering follows the matrix notation shared with np-guard's
 * netpol-analyzer: `All Connections`, `No Connections`, or `TCP 80,443,8000-9000,UDP 53`.
 */
import { PROTOCOLS, type Protocol } from '../model/types.js';

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Inclusive interval [lo, hi]. */
export type PortRange = readonly [number, number];

type Ranges = readonly PortRange[];

function normalize(ranges: PortRange[]): PortRange[] {
  const sorted = ranges
    .map(([a, b]) => [Math.max(MIN_PORT, a), Math.min(MAX_PORT, b)] as PortRange)
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

function complement(a: Ranges): PortRange[] {
  const out: PortRange[] = [];
  let next = MIN_PORT;
  for (const [lo, hi] of a) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_PORT) out.push([next, MAX_PORT]);
  return out;
}

const FULL: Ranges = [[MIN_PORT, MAX_PORT]];

export class ConnectionSet {
  private constructor(private readonly byProto: Readonly<Record<Protocol, Ranges>>) {}

  static readonly NONE = new ConnectionSet({ TCP: [], UDP: [], SCTP: [] });
  static readonly ALL = new ConnectionSet({ TCP: FULL, UDP: FULL, SCTP: FULL });

  /** Every port of one protocol. */
  static protocol(p: Protocol): ConnectionSet {
    return ConnectionSet.ranges(p, FULL);
  }

  /** A set of port ranges of one protocol (ranges may overlap and be unsorted). */
  static ranges(p: Protocol, ranges: readonly PortRange[]): ConnectionSet {
    const rec: Record<Protocol, Ranges> = { TCP: [], UDP: [], SCTP: [] };
    rec[p] = normalize([...ranges]);
    return new ConnectionSet(rec);
  }

  /** One port (or range) of one protocol. */
  static port(p: Protocol, port: number, endPort: number = port): ConnectionSet {
    return ConnectionSet.ranges(p, [[port, endPort]]);
  }

  rangesOf(p: Protocol): readonly PortRange[] {
    return this.byProto[p];
  }

  contains(p: Protocol, port: number): boolean {
    for (const [lo, hi] of this.byProto[p]) {
      if (port < lo) return false;
      if (port <= hi) return true;
    }
    return false;
  }

  isEmpty(): boolean {
    return PROTOCOLS.every((p) => this.byProto[p].length === 0);
  }

  isAll(): boolean {
    return PROTOCOLS.every((p) => {
      const r = this.byProto[p];
      return r.length === 1 && r[0]![0] === MIN_PORT && r[0]![1] === MAX_PORT;
    });
  }

  union(o: ConnectionSet): ConnectionSet {
    return this.map((p) => normalize([...this.byProto[p], ...o.byProto[p]]));
  }

  intersect(o: ConnectionSet): ConnectionSet {
    return this.map((p) => intersect(this.byProto[p], o.byProto[p]));
  }

  subtract(o: ConnectionSet): ConnectionSet {
    return this.map((p) => intersect(this.byProto[p], complement(o.byProto[p])));
  }

  equals(o: ConnectionSet): boolean {
    return PROTOCOLS.every((p) => {
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
    for (const p of ['SCTP', 'TCP', 'UDP'] as const) {
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

  private map(f: (p: Protocol) => PortRange[]): ConnectionSet {
    return new ConnectionSet({ TCP: f('TCP'), UDP: f('UDP'), SCTP: f('SCTP') });
  }
}
