/** `--port PORT[/PROTO]`: a number or a port name, protocol TCP unless given. */
import type { Protocol } from '@kubereach/core';
import { UsageError } from '../io.js';

export interface PortArg {
  readonly port: number | string;
  readonly protocol: Protocol;
}

export function parsePortArg(text: string): PortArg {
  const m = /^([^/]+)(?:\/(.+))?$/.exec(text.trim());
  const proto = (m?.[2] ?? 'TCP').toUpperCase();
  if (m === null || (proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP')) {
    throw new UsageError(`--port '${text}': expected PORT or PORT/PROTOCOL with PROTOCOL one of TCP, UDP, SCTP (e.g. 443, 53/UDP, http)`);
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
