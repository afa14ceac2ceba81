/** `kubereach paths SRC TARGET [--max-hops N] [--port P]`: shortest chains of allowed hops. */
import { txt } from '../format/escape.js';
import { findPath, type ConnProtocol, type PathGoal } from '@kubereach/core';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { loadIndex, type InputFlags } from '../input/load.js';
import { parsePortArg, portCode } from '../input/port.js';
import { resolveRef } from './resolve.js';
import { parseTarget, targetLabel, targetOptionsFrom } from './target.js';

export interface PathsFlags extends InputFlags {
  readonly maxHops?: string;
  readonly port?: string;
  readonly output?: 'text' | 'json';
  readonly metadataIp?: string[];
  readonly controlPlaneIp?: string[];
}

export async function pathsCommand(srcText: string, targetText: string, flags: PathsFlags, io: CliIO): Promise<number> {
  const maxHops = flags.maxHops === undefined ? 6 : Number(flags.maxHops);
  if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > 64) throw new UsageError(`--max-hops '${flags.maxHops}': expected a whole number from 1 to 64`);
  let filter: { protocol: ConnProtocol; port: number; code?: number } | undefined;
  if (flags.port !== undefined) {
    const p = parsePortArg(flags.port);
    if (typeof p.port !== 'number') throw new UsageError('--port for paths must be a number (each hop has its own named ports)');
    const code = portCode(p);
    filter = { protocol: p.protocol, port: p.port, ...(code === undefined ? {} : { code }) };
  }
  const { index, caveats } = await loadIndex(flags, io);
  const notes: string[] = [];
  const src = resolveRef(index, srcText, 'source', { namespace: flags.namespace, notes });
  if (src.kind !== 'endpoint') throw new UsageError('paths start at a pod or workload (NAMESPACE/NAME), not at an address');
  const target = parseTarget(index, targetText, targetOptionsFrom(flags), { namespace: flags.namespace, notes });
  for (const n of notes) io.stderr(`note: ${n}\n`);
  const goal: PathGoal = target.kind === 'entity' ? { kind: 'entity', entity: target.entity } : { kind: 'target', target: target.target };
  const hops = findPath(index, src, goal, { maxHops, ...(filter ? { filter } : {}) });
  if (flags.output === 'json') {
    io.stdout(
      `${JSON.stringify(
        {
          src: src.id,
          target: targetLabel(target),
          found: hops !== null,
          hops: (hops ?? []).map((h) => ({ from: h.from, to: h.to, conn: h.conn.toString(), evidence: h.evidence.text, location: h.evidence.location })),
          caveats,
        },
        null,
        2,
      )}\n`,
    );
  } else if (hops === null) {
    io.stdout(`no path from ${txt(src.id)} to ${txt(targetLabel(target))} within ${maxHops} hops\n`);
  } else if (hops.length === 0) {
    io.stdout(`0 hops: ${txt(src.id)} is the target, a single pod; a pod reaching itself is loopback, which no policy restricts\n`);
  } else {
    io.stdout(`${hops.length} hop${hops.length === 1 ? '' : 's'} from ${txt(src.id)} to ${txt(targetLabel(target))}:\n`);
    hops.forEach((h, i) => {
      const replicas = h.from === h.to ? ' (from one replica to another)' : '';
      io.stdout(`  ${i + 1}. ${txt(h.from)} -> ${txt(h.to)} : ${h.conn.toString()}${replicas}\n`);
      const why = h.evidence.why;
      io.stdout(`     ${txt(why)}\n`);
    });
  }
  return hops === null ? EXIT.negative : EXIT.ok;
}
