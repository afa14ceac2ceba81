/**
 * IP atoms: the unified IPv4+IPv6 space (net/ip.ts) cut at every boundary a policy can observe
 * (ipBlock cidr and except starts/ends, admin-tier networks and node addresses). Within one atom
 * every address gets the same answer, so an address query looks up its atom and nothing else.
 * The family boundary is always a cut, so no atom spans both families.
 */
import { V6_OFFSET, V6_MAX, formatIP, type Cidr } from '../net/ip.js';

export class IPAtoms {
  /** Sorted atom starts; atom i is [starts[i], starts[i+1]-1] (the last one ends at V6_MAX). */
  readonly starts: readonly bigint[];

  constructor(cuts: Iterable<bigint>) {
    const set = new Set<bigint>([0n, V6_OFFSET]);
    for (const c of cuts) if (c > 0n && c <= V6_MAX) set.add(c);
    this.starts = [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  get count(): number {
    return this.starts.length;
  }

  start(i: number): bigint {
    return this.starts[i]!;
  }

  end(i: number): bigint {
    return i + 1 < this.starts.length ? this.starts[i + 1]! - 1n : V6_MAX;
  }

  /** The atom containing a unified-space address. */
  find(value: bigint): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= value) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Whether [start, end] is a union of whole atoms (its boundaries are cuts). */
  aligned(start: bigint, end: bigint): boolean {
    const i = this.find(start);
    if (this.starts[i] !== start) return false;
    const j = this.find(end);
    return this.end(j) === end;
  }

  /** `FIRST-LAST` text of an atom, as the matrix prints external ranges. */
  label(i: number): string {
    return `${formatIP(this.start(i))}-${formatIP(this.end(i))}`;
  }
}

/** The cut points a CIDR contributes. */
export function cidrCuts(c: Cidr, out: bigint[]): void {
  out.push(c.start, c.end + 1n);
}
