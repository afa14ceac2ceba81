/**
 * `kubereach who-can-reach SERVICE [--port SERVICE_PORT]`: every source that reaches some backend of
 * the Service on that backend's target port, one line per (source, backend).
 */
import { type ConnectionSet, resolveService, whoCanReach, type ReachabilityIndex, type Service } from '@kubereach/core';
import { EXIT, type CliIO } from '../io.js';
import { jsonReplacer } from '../format/json.js';
import { serviceCaveats, servicePortLabel, servicePortQuery } from './can-service.js';

export function whoCanReachService(
  index: ReachabilityIndex,
  service: Service,
  flags: { port?: string; output?: 'text' | 'json' },
  inputNotes: readonly string[],
  io: CliIO,
): number {
  const resolution = resolveService(index, service, servicePortQuery(flags.port));
  const rows: { src: string; backend: string; servicePort: string; conn: ConnectionSet }[] = [];
  for (const b of resolution.backends) {
    if (b.target === null) continue;
    for (const e of whoCanReach(index, { kind: 'entity', entity: b.entity }, { protocol: b.target.protocol, port: b.target.port })) {
      rows.push({ src: e.src.id, backend: `${b.label} :${b.target.port}/${b.target.protocol}`, servicePort: servicePortLabel(b.servicePort), conn: e.conn });
    }
  }
  rows.sort((a, b) => (a.src < b.src ? -1 : a.src > b.src ? 1 : 0));
  const sources = new Set(rows.map((r) => r.src)).size;
  const notes = serviceCaveats(index, null, { resolution });
  const backends = resolution.backends.filter((b) => b.target !== null).length;
  if (flags.output === 'json') {
    io.stdout(
      `${JSON.stringify(
        {
          target: resolution.id,
          servicePorts: resolution.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
          backends: resolution.backends.map((b) => ({
            backend: b.label,
            servicePort: { name: b.servicePort.name, port: b.servicePort.port, protocol: b.servicePort.protocol },
            targetPort: b.target,
            note: b.note,
          })),
          sources: rows.map((r) => ({ src: r.src, via: r.backend, servicePort: r.servicePort, conn: r.conn.toString() })),
          reason: resolution.reason,
          caveats: [...inputNotes, ...notes],
        },
        jsonReplacer,
        2,
      )}\n`,
    );
  } else {
    const lines = [
      `${sources} source${sources === 1 ? '' : 's'} can reach ${resolution.id} (${resolution.ports.map(servicePortLabel).join(', ') || 'no ports'}; ${backends} backend${backends === 1 ? '' : 's'})`,
    ];
    if (resolution.reason !== null) lines.push(resolution.reason);
    const several = resolution.ports.length > 1;
    for (const r of rows) lines.push(`${r.src} => ${r.backend} : ${r.conn.toString()}${several ? ` (service port ${r.servicePort})` : ''}`);
    for (const b of resolution.backends) if (b.note !== null) lines.push(`note: ${b.note}`);
    for (const n of notes) lines.push(`note: ${n}`);
    io.stdout(`${lines.join('\n')}\n`);
  }
  return sources > 0 ? EXIT.ok : EXIT.negative;
}
