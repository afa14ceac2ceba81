/**
 * Address ranges as people write them: CIDRs, and `0.0.0.0/0 except 10.0.0.0/8` when what is left
 * out is the shorter list. Ranges are positions of the unified space (net/ip.ts: IPv4 below
 * V6_OFFSET, IPv6 above), inclusive. Used in messages and evidence; the matrix keeps np-guard's
 * FIRST-LAST notation.
 */
import { V4_MAX, V6_MAX, V6_OFFSET, formatIP } from './ip.js';

export type Range = readonly [bigint, bigint];

/** The fewest CIDRs covering exactly [lo, hi] of one family. */
export function rangeToCidrs(lo: bigint, hi: bigint): string[] {
  const v6 = lo >= V6_OFFSET;
  const base = v6 ? V6_OFFSET : 0n;
  const bits = v6 ? 128 : 32;
  const out: string[] = [];
  let a = lo - base;
  const b = hi - base;
  while (a <= b) {
    // the largest aligned block starting at a that stays within b
    let size = 0;
    while (size < bits && (a & ((1n << BigInt(size + 1)) - 1n)) === 0n && a + (1n << BigInt(size + 1)) - 1n <= b) size++;
    out.push(`${formatIP(a + base)}/${bits - size}`);
    a += 1n << BigInt(size);
  }
  return out;
}

/** Sorted, merged ranges. */
function merge(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1n && familyEnd(lo) === familyEnd(last[0])) last[1] = hi > last[1] ? hi : last[1];
    else out.push([lo, hi]);
  }
  return out;
}

function familyEnd(v: bigint): bigint {
  return v < V6_OFFSET ? V4_MAX : V6_MAX;
}

/** One family's ranges as text: the CIDRs, or `ALL except CIDRs` when that is shorter. */
function describeFamily(ranges: readonly Range[], v6: boolean): string {
  const lo = v6 ? V6_OFFSET : 0n;
  const hi = v6 ? V6_MAX : V4_MAX;
  const all = v6 ? '::/0' : '0.0.0.0/0';
  const direct = ranges.flatMap(([a, b]) => rangeToCidrs(a, b));
  const holes: Range[] = [];
  let next = lo;
  for (const [a, b] of ranges) {
    if (a > next) holes.push([next, a - 1n]);
    next = b + 1n;
  }
  if (next <= hi) holes.push([next, hi]);
  const except = holes.flatMap(([a, b]) => rangeToCidrs(a, b));
  if (except.length === 0) return all;
  return except.length < direct.length ? `${all} except ${except.join(', ')}` : direct.join(', ');
}

/** Ranges of both families as text, IPv4 first: `0.0.0.0/0 except 10.0.0.0/8; fd00::/8`. */
export function describeRanges(ranges: readonly Range[]): string {
  const m = merge(ranges);
  const v4 = m.filter(([a]) => a < V6_OFFSET);
  const v6 = m.filter(([a]) => a >= V6_OFFSET);
  return [v4.length > 0 ? describeFamily(v4, false) : null, v6.length > 0 ? describeFamily(v6, true) : null].filter((x) => x !== null).join('; ');
}
