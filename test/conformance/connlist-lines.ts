/**
 * The `SRC => DST : CONNS` connectivity lines that np-guard's netpol-analyzer and kubereach both
 * print, parsed into a form where two listings can be compared as sets of facts rather than as text.
 *
 * Two notational freedoms are removed here, and only these two; everything else must match exactly
 * (ICMP is not a freedom: netpol-analyzer has no ICMP in its vocabulary, and a set of its that lists
 * protocols says nothing about ICMP, while kubereach lists `ICMP 0-255,ICMPv6 0-255` whenever every
 * ICMP message is allowed, which for NetworkPolicy and admin-tier rules is exactly when a rule
 * without ports allows it. So kubereach's ICMP part is dropped before comparison when it is every
 * message of both families, and any other ICMP part is kept and fails the comparison):
 * - CONNS is a set of (protocol, port) pairs; it is re-rendered canonically (protocols SCTP, TCP, UDP;
 *   ranges sorted and merged) so `TCP 80,81` and `TCP 80-81` compare equal.
 * - An external side `FIRST-LAST[External]` is a set of addresses. How a tool cuts the address space
 *   into ranges is presentation: in ipblockstest netpol-analyzer cuts the sources of ingress at the
 *   ingress ipBlock's boundaries but prints a pod's egress to all of IPv4 as one range, and does not
 *   merge neighbours with equal CONNS; kubereach cuts the whole space at every boundary. `coalesceExternal` merges, per endpoint and direction, adjacent ranges that carry the
 *   same CONNS, so both listings describe the same function address -> CONNS in the same words.
 */

export interface ConnLine {
  readonly src: string;
  readonly dst: string;
  readonly conn: string;
}

const LINE = /^(\S+) => (\S+) : (.+)$/;
const EXTERNAL = /^(.+)-(.+)\[External\]$/;
const PROTOS = ['SCTP', 'TCP', 'UDP'] as const;
const ICMPS = ['ICMP', 'ICMPv6'] as const;

export function lineText(l: ConnLine): string {
  return `${l.src} => ${l.dst} : ${l.conn}`;
}

/** Parses a listing; a line of any other shape is an error (the runner must not guess at headers). */
export function parseListing(text: string, what: string): ConnLine[] {
  const out: ConnLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line === '') return;
    const m = LINE.exec(line);
    if (m === null) throw new Error(`${what}:${i + 1}: not a connectivity line: ${JSON.stringify(line)}`);
    out.push({ src: m[1]!, dst: m[2]!, conn: canonicalConn(m[3]!, `${what}:${i + 1}`) });
  });
  return out;
}

/** `All Connections`, or `PROTO a,b-c,PROTO ...` re-rendered with merged, sorted ranges. */
export function canonicalConn(text: string, where: string): string {
  if (text === 'All Connections') return text;
  const byProto = new Map<string, [number, number][]>();
  let proto: string | null = null;
  for (const tok of text.split(',')) {
    let rest = tok.trim();
    const sp = rest.indexOf(' ');
    if (sp >= 0) {
      proto = rest.slice(0, sp);
      rest = rest.slice(sp + 1);
      if (!(PROTOS as readonly string[]).includes(proto) && !(ICMPS as readonly string[]).includes(proto))
        throw new Error(`${where}: unknown protocol ${proto}`);
    }
    const m = /^(\d+)(?:-(\d+))?$/.exec(rest);
    if (proto === null || m === null) throw new Error(`${where}: bad connection set ${JSON.stringify(text)}`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    (byProto.get(proto) ?? byProto.set(proto, []).get(proto)!).push([lo, hi]);
  }
  const parts: string[] = [];
  let full = 0;
  const icmpAll = ICMPS.every((p) => {
    const r = byProto.get(p);
    return r !== undefined && r.length === 1 && r[0]![0] === 0 && r[0]![1] === 255;
  });
  if (icmpAll) for (const p of ICMPS) byProto.delete(p);
  for (const p of ICMPS)
    if (byProto.has(p))
      parts.push(
        `${p} ${byProto
          .get(p)!
          .map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`))
          .join(',')}`,
      );
  for (const p of PROTOS) {
    const rs = (byProto.get(p) ?? []).sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [lo, hi] of rs) {
      const last = merged[merged.length - 1];
      if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else merged.push([lo, hi]);
    }
    if (merged.length === 1 && merged[0]![0] === 1 && merged[0]![1] === 65535) full++;
    if (merged.length > 0) parts.push(`${p} ${merged.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`);
  }
  // every port of every protocol is what both tools call All Connections
  return full === PROTOS.length && !ICMPS.some((p) => byProto.has(p)) ? 'All Connections' : parts.join(',');
}

export function isExternal(id: string): boolean {
  return id.endsWith('[External]');
}

/** An external id whose range is IPv6 (kubereach lists the IPv6 space; netpol-analyzer does not). */
export function isIPv6External(id: string): boolean {
  return isExternal(id) && id.includes(':');
}

function ipv4(text: string, where: string): number {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new Error(`${where}: not an IPv4 address: ${text}`);
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function ipv4Text(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/**
 * Merges adjacent IPv4 external ranges that carry the same CONNS to/from the same endpoint. Ranges
 * with nothing allowed have no line, so they stay gaps and are never bridged.
 */
export function coalesceExternal(lines: readonly ConnLine[], what: string): ConnLine[] {
  const out: ConnLine[] = [];
  const groups = new Map<string, { lo: number; hi: number; conn: string }[]>();
  for (const l of lines) {
    const srcExt = isExternal(l.src);
    const dstExt = isExternal(l.dst);
    if (srcExt === dstExt) {
      out.push(l);
      continue;
    }
    const ext = srcExt ? l.src : l.dst;
    const m = EXTERNAL.exec(ext);
    if (m === null) throw new Error(`${what}: bad external range ${ext}`);
    const key = srcExt ? `in\u0000${l.dst}` : `out\u0000${l.src}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push({ lo: ipv4(m[1]!, what), hi: ipv4(m[2]!, what), conn: l.conn });
  }
  for (const [key, ranges] of groups) {
    const [dir, endpoint] = key.split('\u0000') as [string, string];
    ranges.sort((a, b) => a.lo - b.lo);
    const merged: { lo: number; hi: number; conn: string }[] = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      if (last !== undefined && r.lo <= last.hi) throw new Error(`${what}: overlapping external ranges for ${endpoint}`);
      if (last !== undefined && last.hi + 1 === r.lo && last.conn === r.conn) last.hi = r.hi;
      else merged.push({ ...r });
    }
    for (const r of merged) {
      const ext = `${ipv4Text(r.lo)}-${ipv4Text(r.hi)}[External]`;
      out.push(dir === 'in' ? { src: ext, dst: endpoint, conn: r.conn } : { src: endpoint, dst: ext, conn: r.conn });
    }
  }
  return out;
}
