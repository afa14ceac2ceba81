/**
 * `--port PORT[/PROTO]`: a number or a port name, protocol TCP unless given; or an ICMP message:
 * `ICMP` (an IPv4 echo request, type 8 code 0), `ICMPv6` (an IPv6 echo request, type 128 code 0),
 * `icmp:TYPE`, `icmpv6:TYPE` (TYPE 0-255: every code of the type, so the answer is yes only when
 * every code is allowed), `icmp:TYPE:CODE`, `icmpv6:TYPE:CODE` (one code, 0-255). Case does not matter
 * for the protocol words.
 */
import type { ConnProtocol, Protocol } from '@kubereach/core';
import { UsageError } from '../io.js';

export type PortArg =
  { readonly port: number | string; readonly protocol: Protocol } | { readonly port: number; readonly protocol: 'ICMP' | 'ICMPv6'; readonly code?: number };

/** The echo request types: what `ping` sends (code 0). */
const ECHO: Readonly<Record<'ICMP' | 'ICMPv6', number>> = { ICMP: 8, ICMPv6: 128 };

function icmpArg(text: string): PortArg | null {
  const m = /^(icmp|icmpv6)(?::([^:]*)(?::(.*))?)?$/i.exec(text.trim());
  if (m === null) return null;
  const protocol = m[1]!.toLowerCase() === 'icmp' ? 'ICMP' : 'ICMPv6';
  if (m[2] === undefined) return { port: ECHO[protocol], protocol, code: 0 };
  const byte = (v: string) => /^[0-9]{1,3}$/.test(v) && Number(v) <= 255;
  if (!byte(m[2])) throw new UsageError(`--port '${text}': the ICMP type must be a number from 0 to 255 (e.g. icmp:8, icmpv6:128)`);
  if (m[3] === undefined) return { port: Number(m[2]), protocol };
  if (!byte(m[3])) throw new UsageError(`--port '${text}': the ICMP code must be a number from 0 to 255 (e.g. icmp:3:4)`);
  return { port: Number(m[2]), protocol, code: Number(m[3]) };
}

export function parsePortArg(text: string): PortArg {
  const icmp = icmpArg(text);
  if (icmp !== null) return icmp;
  const m = /^([^/]+)(?:\/(.+))?$/.exec(text.trim());
  const proto = (m?.[2] ?? 'TCP').toUpperCase();
  if (m === null || (proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP')) {
    throw new UsageError(
      `--port '${text}': expected PORT or PORT/PROTOCOL with PROTOCOL one of TCP, UDP, SCTP (e.g. 443, 53/UDP, http), or ICMP, ICMPv6, icmp:TYPE[:CODE], icmpv6:TYPE[:CODE]`,
    );
  }
  const p = m[1]!;
  if (/^[0-9]+$/.test(p)) {
    const n = Number(p);
    if (n < 1 || n > 65535) throw new UsageError(`--port '${text}': port must be within 1-65535`);
    return { port: n, protocol: proto };
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(p) || p.length > 15) {
    throw new UsageError(`--port '${text}': not a port number nor a valid port name`);
  }
  return { port: p, protocol: proto };
}

/** How a parsed port reads in output: `443/TCP`, `ICMP type 3` (every code), `ICMP type 8 code 0`. */
export function portLabel(p: { readonly port: number | string; readonly protocol: ConnProtocol; readonly code?: number }): string {
  if (p.protocol !== 'ICMP' && p.protocol !== 'ICMPv6') return `${p.port}/${p.protocol}`;
  return `${p.protocol} type ${p.port}${p.code === undefined ? '' : ` code ${p.code}`}`;
}

/** The code of a parsed ICMP port (undefined: every code, or not ICMP). */
export function portCode(p: PortArg): number | undefined {
  return 'code' in p ? p.code : undefined;
}
