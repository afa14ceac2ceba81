/**
 * `kubereach can SRC SERVICE [--port SERVICE_PORT]`: the Service resolved to its backends, the
 * engine asked once per backend on that backend's target port. First line `yes` (every backend),
 * `no` (none, or no backend at all, with the reason) or `partly` (exit 1), then one line per backend.
 */
import { txt } from '../format/escape.js';
import {
  canReachService,
  renderVerdict,
  resolveService,
  serviceAddressCaveats,
  type IndexEntity,
  type ReachabilityIndex,
  type Service,
  type ServicePort,
  type ServicePortQuery,
  type ServiceVerdict,
} from '@kubereach/core';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { parsePortArg } from '../input/port.js';
import { caveats } from './caveats.js';
import { jsonReplacer } from '../format/json.js';

export function servicePortQuery(text: string | undefined): ServicePortQuery | undefined {
  if (text === undefined) return undefined;
  const p = parsePortArg(text);
  // a Service has ports, not ICMP types: an ICMP question goes to a pod or an address
  if (p.protocol === 'ICMP' || p.protocol === 'ICMPv6')
    throw new UsageError(`--port '${text}': a Service forwards ports, not ICMP; ask a backend pod or an address`);
  return { port: p.port, protocol: text.includes('/') ? p.protocol : null };
}

export function servicePortLabel(p: ServicePort): string {
  return `${p.name === '' ? '' : `${p.name} `}${p.port}/${p.protocol}`;
}

/** Every caveat of a Service answer: the endpoints' own, the resolution's, Service addresses in ipBlocks. */
export function serviceCaveats(index: ReachabilityIndex, src: IndexEntity | null, v: { resolution: ServiceVerdict['resolution'] }): string[] {
  const out = new Set<string>();
  for (const b of v.resolution.backends)
    for (const c of src === null ? caveats(index, b.entity, b.entity).filter((x) => x.includes('destination')) : caveats(index, src, b.entity)) out.add(c);
  if (src !== null && v.resolution.backends.length === 0) for (const c of caveats(index, src, src).filter((x) => x.includes('source'))) out.add(c);
  for (const n of v.resolution.notes) out.add(n);
  for (const c of serviceAddressCaveats(index.cluster)) if (c.service === v.resolution.id) out.add(c.message);
  return [...out];
}

export function canServiceCommand(
  index: ReachabilityIndex,
  src: IndexEntity,
  service: Service,
  flags: { port?: string; output?: 'text' | 'json'; explain?: boolean },
  inputNotes: readonly string[],
  io: CliIO,
): number {
  const query = servicePortQuery(flags.port);
  const resolution = resolveService(index, service, query);
  const v = canReachService(index, src, resolution, flags.explain === true);
  const notes = serviceCaveats(index, src, v);
  const several = new Set(v.backends.map((b) => b.backend.servicePort)).size > 1;
  if (flags.output === 'json') {
    const out: Record<string, unknown> = {
      answer: v.answer,
      allowed: v.answer === 'yes',
      src: src.id,
      dst: resolution.id,
      service: { namespace: service.namespace, name: service.name, type: service.type, backendsFrom: resolution.via },
      port:
        flags.port === undefined
          ? null
          : { asked: flags.port, servicePorts: resolution.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })) },
      backends: v.backends.map((b) => {
        const o: Record<string, unknown> = {
          backend: b.backend.label,
          servicePort: { name: b.backend.servicePort.name, port: b.backend.servicePort.port, protocol: b.backend.servicePort.protocol },
          targetPort: b.backend.target,
          allowed: b.allowed,
          note: b.backend.note,
        };
        if (flags.explain) o['explanation'] = b.verdict;
        return o;
      }),
      reason: resolution.reason,
      caveats: [...inputNotes, ...notes],
    };
    io.stdout(`${JSON.stringify(out, jsonReplacer, 2)}\n`);
  } else {
    const lines: string[] = [v.answer];
    if (resolution.reason !== null) lines.push(txt(resolution.reason));
    for (const b of v.backends) {
      const sp = b.backend.servicePort;
      const t = b.backend.target;
      const where = t === null ? `:${String(sp.targetPort)}/${sp.protocol}` : `:${t.port}/${t.protocol}`;
      lines.push(`${txt(b.backend.label)} ${where} ${b.allowed ? 'yes' : 'no'}${several ? ` (service port ${txt(servicePortLabel(sp))})` : ''}`);
      if (b.backend.note !== null) lines.push(`  ${txt(b.backend.note)}`);
      if (b.verdict !== null)
        lines.push(
          ...renderVerdict(b.verdict)
            .split('\n')
            .map((l) => `  ${l}`),
        );
    }
    for (const n of notes) lines.push(`note: ${txt(n)}`);
    io.stdout(`${lines.join('\n')}\n`);
  }
  return v.answer === 'yes' ? EXIT.ok : EXIT.negative;
}
