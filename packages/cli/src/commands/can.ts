/**
 * `kubereach can SRC DST [--port PORT[/PROTO]] [--explain]` — first line `yes` or `no` (as
 * `kubectl auth can-i`); exit 0 yes, 1 no, 2 bad input.
 */
import { txt } from '../format/escape.js';
import {
  ConnectionSet,
  explainConnection,
  explainPair,
  findService,
  renderPairSide,
  renderVerdict,
  servicePorts,
  type ConnProtocol,
  type IndexEntity,
  type ReachabilityIndex,
} from '@kubereach/core';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { parseServiceRef } from './service-ref.js';
import { canServiceCommand, servicePortQuery } from './can-service.js';
import { loadIndex, type InputFlags } from '../input/load.js';
import { parsePortArg, portCode, portLabel } from '../input/port.js';
import { resolveRef } from './resolve.js';
import { caveats, l7Caveats } from './caveats.js';
import { jsonReplacer } from '../format/json.js';

export interface CanFlags extends InputFlags {
  readonly port?: string;
  readonly output?: 'text' | 'json';
  readonly explain?: boolean;
}

interface ResolvedPort {
  readonly protocol: ConnProtocol;
  readonly port: number | null;
  /** ICMP: the code asked about (undefined: every code of the type). */
  readonly code?: number;
  readonly asked: string;
}

function resolvePort(text: string, dst: IndexEntity): ResolvedPort {
  const p = parsePortArg(text);
  if (typeof p.port === 'number') {
    const code = portCode(p);
    return { protocol: p.protocol, port: p.port, ...(code === undefined ? {} : { code }), asked: portLabel(p) };
  }
  const cp = dst.kind === 'endpoint' ? dst.endpoint.ports.find((x) => x.name === p.port && x.protocol === p.protocol) : undefined;
  return { protocol: p.protocol, port: cp?.port ?? null, asked: `${p.port}/${p.protocol}` };
}

export async function canCommand(srcRef: string, dstRef: string, flags: CanFlags, io: CliIO): Promise<number> {
  const { index, cluster, caveats: inputNotes } = await loadIndex(flags, io);
  const ns = flags.namespace ?? 'default';
  if (parseServiceRef(cluster.services, srcRef, ns, 'source') !== null) {
    throw new UsageError(`source '${srcRef}' is a Service: a Service receives connections but opens none; name one of its pods or workloads`);
  }
  const refNotes: string[] = [];
  const src = resolveRef(index, srcRef, 'source', { namespace: flags.namespace, notes: refNotes });
  const service = parseServiceRef(cluster.services, dstRef, ns, 'destination');
  if (service !== null) return canServiceCommand(index, src, service, flags, [...inputNotes, ...refNotes], io);
  const dst = resolveRef(index, dstRef, 'destination', { namespace: flags.namespace, notes: refNotes });
  // one folded pod named twice (`db/cass-0` to itself): that pod's loopback, not two replicas
  const samePod = srcRef.trim() === dstRef.trim() && src.kind === 'endpoint' && refNotes.some((n) => n.includes(' is a pod of '));
  if (samePod) {
    const note = `${srcRef.trim()} to itself is loopback, always allowed`;
    if (flags.output === 'json')
      io.stdout(`${JSON.stringify({ allowed: true, src: src.id, dst: dst.id, loopback: true, caveats: [...inputNotes, ...refNotes, note] }, null, 2)}\n`);
    else io.stdout(`yes\nnote: ${txt(note)}\n`);
    return EXIT.ok;
  }
  const notes = [...refNotes, ...caveats(index, src, dst)];
  const twin = dst.kind === 'endpoint' ? findService(cluster.services, dst.endpoint.namespace, dst.endpoint.name) : null;
  if (twin !== null && flags.port !== undefined && !/^icmp/i.test(flags.port)) {
    const q = servicePortQuery(flags.port)!;
    const sp = servicePorts(twin, q)[0];
    if (sp !== undefined && String(sp.targetPort) !== String(sp.port)) {
      notes.push(
        `${twin.namespace}/${twin.name} is also a Service, whose port ${sp.port}/${sp.protocol} leads to ${String(sp.targetPort)} on its backends; this answer is for ${dst.id} on its own port ${flags.port}: ask for svc/${twin.name} -n ${twin.namespace} (or ${twin.namespace}/${twin.name}[Service]) to go through the Service`,
      );
    }
  }
  const allNotes = [...inputNotes, ...notes];
  if (flags.port !== undefined) return answerPort(index, src, dst, resolvePort(flags.port, dst), flags, notes, allNotes, io);

  const pair = explainPair(index, src, dst);
  const allowed = !pair.conn.isEmpty();
  if (flags.output === 'json') {
    const out: Record<string, unknown> = { allowed, src: src.id, dst: dst.id, port: null, connections: pair.conn.toString(), caveats: allNotes };
    if (flags.explain) out['explanation'] = { egress: pair.egress, ingress: pair.ingress };
    io.stdout(`${JSON.stringify(out, jsonReplacer, 2)}\n`);
  } else {
    io.stdout(`${allowed ? 'yes' : 'no'}\n`);
    if (allowed) io.stdout(`${txt(src.id)} => ${txt(dst.id)} : ${pair.conn.toString()}\n`);
    for (const n of notes) io.stdout(`note: ${txt(n)}\n`);
    if (flags.explain) io.stdout(`${renderPairSide(pair.egress)}\n${renderPairSide(pair.ingress)}\n`);
  }
  return allowed ? EXIT.ok : EXIT.negative;
}

function answerPort(
  index: ReachabilityIndex,
  src: IndexEntity,
  dst: IndexEntity,
  port: ResolvedPort,
  flags: CanFlags,
  notes: string[],
  allNotes: string[],
  io: CliIO,
): number {
  if (port.port === null) {
    const why = `${dst.id} has no container port named ${port.asked}`;
    if (flags.output === 'json') {
      io.stdout(
        `${JSON.stringify({ allowed: false, src: src.id, dst: dst.id, port: { asked: port.asked, protocol: port.protocol, port: null }, reason: why, caveats: allNotes }, null, 2)}\n`,
      );
    } else io.stdout(`no\n${txt(why)}\n${notes.map((n) => `note: ${txt(n)}\n`).join('')}`);
    return EXIT.negative;
  }
  const verdict = explainConnection(index, src, dst, port.protocol, port.port, port.code);
  const allowed = index.allows(src, dst, port.protocol, port.port, port.code);
  notes.push(...l7Caveats(verdict));
  const partial = allowed ? null : partlyAllowed(index, src, dst, port);
  if (partial !== null) notes.push(partial);
  if (flags.output === 'json') {
    const out: Record<string, unknown> = {
      allowed,
      src: src.id,
      dst: dst.id,
      port: { asked: port.asked, protocol: port.protocol, port: port.port, ...(port.code === undefined ? {} : { code: port.code }) },
      caveats: allNotes,
    };
    if (flags.explain) out['explanation'] = verdict;
    io.stdout(`${JSON.stringify(out, jsonReplacer, 2)}\n`);
  } else {
    io.stdout(`${allowed ? 'yes' : 'no'}\n`);
    for (const n of notes) io.stdout(`note: ${txt(n)}\n`);
    if (flags.explain) io.stdout(`${renderVerdict(verdict)}\n`);
  }
  return allowed ? EXIT.ok : EXIT.negative;
}

/**
 * For an ICMP type asked without a code and not allowed with every code: the codes that are allowed,
 * when some are (null otherwise), so a `no` never hides a partly open type.
 */
function partlyAllowed(index: ReachabilityIndex, src: IndexEntity, dst: IndexEntity, port: ResolvedPort): string | null {
  if ((port.protocol !== 'ICMP' && port.protocol !== 'ICMPv6') || port.code !== undefined || port.port === null) return null;
  const open = index.connectionsBetween(src, dst).intersect(ConnectionSet.icmp(port.protocol, port.port));
  if (open.isEmpty()) return null;
  return `not every code of ${port.asked} is allowed: only ${open.toString()} (TYPE:CODES); ask for one code with --port ${port.protocol.toLowerCase()}:${port.port}:CODE`;
}
