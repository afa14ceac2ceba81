/**
 * `--port PORT[/PROTO]`: a number or a port name, protocol TCP unless given; or an ICMP message:
 * `ICMP` (an IPv4 echo request, type 8), `ICMPv6` (an IPv6 echo request, type 128), `icmp:TYPE`,
 * `icmpv6:TYPE` (TYPE 0-255). Case does not matter for the protocol words.
 */
import type { ConnProtocol, Protocol } from '@kubereach/core';
import { UsageError } from '../io.js';

export type PortArg = { readonly port: number | string; readonly protocol: Protocol } | { readonly port: number; readonly protocol: 'ICMP' | 'ICMPv6' };

/** The echo request types: what `ping` sends. */
const ECHO: Readonly<Record<'ICMP' | 'ICMPv6', number>> = { ICMP: 8, ICMPv6: 128 };

function icmpArg(text: string): PortArg | null {
  const m = /^(icmp|icmpv6)(?::(.*))?$/i.exec(text.trim());
  if (m === null) return null;
  const protocol = m[1]!.toLowerCase() === 'icmp' ? 'ICMP' : 'ICMPv6';
  if (m[2] === undefined) return { port: ECHO[protocol], protocol };
  if (!/^[0-9]{1,3}$/.test(m[2]) || Number(m[2]) > 255) {
    throw new UsageError(`--port '${text}': the ICMP type must be a number from 0 to 255 (e.g. icmp:8, icmpv6:128)`);
  }
  return { port: Number(m[2]), protocol };
}

export function parsePortArg(text: string): PortArg {
  const icmp = icmpArg(text);
  if (icmp !== null) return icmp;
  const m = /^([^/]+)(?:\/(.+))?$/.exec(text.trim());
  const proto = (m?.[2] ?? 'TCP').toUpperCase();
  if (m === null || (proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP')) {
    throw new UsageError(
      `--port '${text}': expected PORT or PORT/PROTOCOL with PROTOCOL one of TCP, UDP, SCTP (e.g. 443, 53/UDP, http), or ICMP, ICMPv6, icmp:TYPE, icmpv6:TYPE`,
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

/** How a parsed port reads in output: `443/TCP`, `ICMP type 8`. */
export function portLabel(p: { readonly port: number | string; readonly protocol: ConnProtocol }): string {
  return p.protocol === 'ICMP' || p.protocol === 'ICMPv6' ? `${p.protocol} type ${p.port}` : `${p.port}/${p.protocol}`;
}
