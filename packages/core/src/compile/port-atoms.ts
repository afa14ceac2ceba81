/**
 * Port atoms: per protocol, the port space 1..65535 (ICMP and ICMPv6: the type space 0..255) cut at
 * every port and endPort+1 a rule names (named ports count once resolved). Atoms of all protocols
 * share one dense index: TCP atoms first, then UDP, SCTP, ICMP, ICMPv6, so a rule's ports are one
 * small bitset.
 */
import { CONN_PROTOCOLS, ConnectionSet, maxOf, minOf, type ConnProtocol, type PortRange } from '../net/connection-set.js';
import * as B from './bitset.js';

export class PortAtoms {
  /** Per protocol: sorted atom starts (first is 1). */
  private readonly starts: Record<ConnProtocol, number[]>;
  private readonly offset: Record<ConnProtocol, number>;
  readonly count: number;

  /** Cuts per protocol; a protocol left out has none (one atom). */
  constructor(cuts: Partial<Record<ConnProtocol, Iterable<number>>>) {
    const starts = {} as Record<ConnProtocol, number[]>;
    const offset = {} as Record<ConnProtocol, number>;
    let total = 0;
    for (const p of CONN_PROTOCOLS) {
      const s = new Set<number>([minOf(p)]);
      for (const c of cuts[p] ?? []) if (c > minOf(p) && c <= maxOf(p)) s.add(c);
      starts[p] = [...s].sort((a, b) => a - b);
      offset[p] = total;
      total += starts[p].length;
    }
    this.starts = starts;
    this.offset = offset;
    this.count = total;
  }

  /** Global atom index of a port. */
  find(p: ConnProtocol, port: number): number {
    const s = this.starts[p];
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (s[mid]! <= port) lo = mid;
      else hi = mid - 1;
    }
    return this.offset[p] + lo;
  }

  /** Whether [lo, hi] of protocol p is a union of whole atoms. */
  aligned(p: ConnProtocol, lo: number, hi: number): boolean {
    const s = this.starts[p];
    const i = this.find(p, lo) - this.offset[p];
    const j = this.find(p, hi) - this.offset[p];
    return s[i] === lo && (j + 1 < s.length ? s[j + 1]! - 1 : maxOf(p)) === hi;
  }

  /** Bitset of the atoms covering [lo, hi] of protocol p (boundaries must be cuts). */
  rangeBits(p: ConnProtocol, lo: number, hi: number, into?: B.Bits): B.Bits {
    const b = into ?? B.empty(this.count);
    for (let i = this.find(p, lo); i <= this.find(p, hi); i++) B.set(b, i);
    return b;
  }

  protocolBits(p: ConnProtocol, into?: B.Bits): B.Bits {
    return this.rangeBits(p, minOf(p), maxOf(p), into);
  }

  all(): B.Bits {
    return B.full(this.count);
  }

  /**
   * The connection set made of runs of atoms [first, last] (global atom indexes, inclusive): cost in
   * runs, not in atoms (a cluster can cut the port space into tens of thousands of atoms).
   */
  fromAtomRuns(runs: readonly (readonly [number, number])[]): ConnectionSet {
    const byProto: Record<ConnProtocol, PortRange[]> = { TCP: [], UDP: [], SCTP: [], ICMP: [], ICMPv6: [] };
    for (const [first, last] of runs) {
      for (const p of CONN_PROTOCOLS) {
        const off = this.offset[p];
        const s = this.starts[p];
        const lo = Math.max(first, off);
        const hi = Math.min(last, off + s.length - 1);
        if (lo > hi) continue;
        const i = lo - off;
        const j = hi - off;
        byProto[p].push([s[i]!, j + 1 < s.length ? s[j + 1]! - 1 : maxOf(p)]);
      }
    }
    let out = ConnectionSet.NONE;
    for (const p of CONN_PROTOCOLS) if (byProto[p].length > 0) out = out.union(ConnectionSet.ranges(p, byProto[p]));
    return out;
  }

  /** The connection set made of a set of atoms. */
  toConnectionSet(atoms: B.Bits): ConnectionSet {
    let out = ConnectionSet.NONE;
    for (const p of CONN_PROTOCOLS) {
      const s = this.starts[p];
      const ranges: PortRange[] = [];
      for (let i = 0; i < s.length; i++) {
        if (!B.has(atoms, this.offset[p] + i)) continue;
        const lo = s[i]!;
        const hi = i + 1 < s.length ? s[i + 1]! - 1 : maxOf(p);
        ranges.push([lo, hi]);
      }
      if (ranges.length > 0) out = out.union(ConnectionSet.ranges(p, ranges));
    }
    return out;
  }
}
