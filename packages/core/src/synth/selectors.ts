/**
 * Selectors and peers for generated policies, built so that each picks exactly the endpoints meant:
 *
 * | what                          | written as                                                              |
 * |-------------------------------|-------------------------------------------------------------------------|
 * | a workload (label group) in ns| podSelector matchLabels = its labels, plus `DoesNotExist` on a key of    |
 * |                               | every other workload of ns whose labels include them                    |
 * | every pod of a namespace      | namespaceSelector kubernetes.io/metadata.name = ns                      |
 * | every pod                     | namespaceSelector {}                                                    |
 * | external ranges               | ipBlocks: the ranges merged and cut into CIDRs; known pod IPs inside    |
 * |                               | them that are not peers of the rule are excepted (ipBlocks match pods)  |
 *
 * Workloads with the same namespace and labels cannot be told apart by any selector: they form one
 * group, and one policy speaks for all of them (the verification then shows any difference).
 */
import { rangeToCidrs } from '../net/describe-ranges.js';
import type { Endpoint, Labels } from '../model/types.js';
import { formatIP, parseIP, V6_OFFSET } from '../net/ip.js';

export const NAME_LABEL = 'kubernetes.io/metadata.name';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** A JSON object. */
export type JsonObject = { [k: string]: Json };

export function labelsKey(l: Labels): string {
  return JSON.stringify(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function includes(big: Labels, small: Labels): boolean {
  return Object.entries(small).every(([k, v]) => big[k] === v);
}

/** The podSelector that picks exactly the endpoints of `ns` with labels `labels`. */
export function exactSelector(endpoints: readonly Endpoint[], ns: string, labels: Labels): JsonObject {
  const key = labelsKey(labels);
  const excl = new Set<string>();
  for (const o of endpoints) {
    if (o.namespace !== ns || labelsKey(o.labels) === key || !includes(o.labels, labels)) continue;
    const extra = Object.keys(o.labels)
      .filter((k) => !(k in labels))
      .sort();
    if (extra.length > 0 && !extra.some((k) => excl.has(k))) excl.add(extra[0]!);
  }
  const sel: JsonObject = {};
  if (Object.keys(labels).length > 0) sel['matchLabels'] = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (excl.size > 0) sel['matchExpressions'] = [...excl].sort().map((k) => ({ key: k, operator: 'DoesNotExist' }));
  return sel;
}

/** CIDRs covering exactly [start, end] (one family of the unified space): net/describe-ranges.ts. */
export { rangeToCidrs };

/** ipBlock peers for ranges (sorted, merged here), excepting the given pod addresses inside them. */
export function ipBlockPeers(ranges: readonly (readonly [bigint, bigint])[], exceptIPs: readonly string[]): JsonObject[] {
  const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const merged: [bigint, bigint][] = [];
  for (const [lo, hi] of sorted) {
    const last = merged[merged.length - 1];
    // never merge across the IPv4/IPv6 boundary of the unified space
    if (last !== undefined && last[1] + 1n === lo && lo !== V6_OFFSET) last[1] = hi;
    else merged.push([lo, hi]);
  }
  const excepts = exceptIPs.map((ip) => parseIP(ip)).filter((a): a is NonNullable<typeof a> => a !== null);
  const exceptText = (v: bigint) => `${formatIP(v)}/${v >= V6_OFFSET ? 128 : 32}`;
  const out: JsonObject[] = [];
  for (const fam of [merged.filter(([lo]) => lo < V6_OFFSET), merged.filter(([lo]) => lo >= V6_OFFSET)]) {
    if (fam.length === 0) continue;
    // the range list as written per CIDR, or as one covering CIDR minus its gaps: whichever is shorter
    const pieces = fam.flatMap(([lo, hi]) => rangeToCidrs(lo, hi));
    const cover = coveringCidr(fam[0]![0], fam[fam.length - 1]![1]);
    const gaps: string[] = [];
    let at = cover.first;
    for (const [lo, hi] of fam) {
      if (lo > at) gaps.push(...rangeToCidrs(at, lo - 1n));
      at = hi + 1n;
    }
    if (at <= cover.last) gaps.push(...rangeToCidrs(at, cover.last));
    const inGap = (v: bigint) => fam.every(([lo, hi]) => v < lo || v > hi);
    if (gaps.length + 1 < pieces.length) {
      const podEx = excepts.filter((a) => a.value >= cover.first && a.value <= cover.last && !inGap(a.value)).map((a) => exceptText(a.value));
      const ex = [...gaps, ...new Set(podEx)];
      out.push({ ipBlock: ex.length > 0 ? { cidr: cover.text, except: ex } : { cidr: cover.text } });
      continue;
    }
    for (const cidr of pieces) {
      const [addr, len] = cidr.split('/');
      const first = parseIP(addr!)!.value;
      const size = 1n << BigInt((first >= V6_OFFSET ? 128 : 32) - Number(len));
      const inside = excepts.filter((a) => a.value >= first && a.value < first + size);
      if (inside.some((a) => size === 1n && a.value === first)) continue; // the block is that one pod address
      const ex = inside.map((a) => exceptText(a.value));
      out.push({ ipBlock: ex.length > 0 ? { cidr, except: [...new Set(ex)].sort() } : { cidr } });
    }
  }
  return out;
}

/** The smallest CIDR holding [lo, hi] (one family). */
function coveringCidr(lo: bigint, hi: bigint): { text: string; first: bigint; last: bigint } {
  const v6 = lo >= V6_OFFSET;
  const base = v6 ? V6_OFFSET : 0n;
  const bits = v6 ? 128 : 32;
  let prefix = bits;
  let first = lo - base;
  let size = 1n;
  while (prefix > 0 && first + size - 1n < hi - base) {
    prefix--;
    size *= 2n;
    first = ((lo - base) / size) * size;
  }
  return { text: `${formatIP(base + first)}/${prefix}`, first: base + first, last: base + first + size - 1n };
}
