/** `kubereach who-can-reach TARGET [--port P]`: every source that may connect to TARGET. */
import { txt } from '../format/escape.js';
import { podEntities, whoCanReach, type ConnProtocol, type ReachabilityIndex } from '@kubereach/core';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { loadIndex, type InputFlags } from '../input/load.js';
import { parsePortArg, portCode } from '../input/port.js';
import { parseTarget, targetLabel, targetOptionsFrom } from './target.js';
import { jsonReplacer } from '../format/json.js';
import { parseServiceRef } from './service-ref.js';
import { whoCanReachService } from './who-service.js';

export interface WhoFlags extends InputFlags {
  readonly port?: string;
  readonly output?: 'text' | 'json';
  readonly metadataIp?: string[];
  readonly controlPlaneIp?: string[];
  /** `pods`: one line per source pod (ns/pod[Pod]), as `matrix --endpoints pods`; `workloads` (default). */
  readonly endpoints?: 'workloads' | 'pods';
}

export async function whoCanReachCommand(targetText: string, flags: WhoFlags, io: CliIO): Promise<number> {
  const { index, cluster, caveats } = await loadIndex(flags, io);
  const service = parseServiceRef(cluster.services, targetText, flags.namespace ?? 'default', 'target');
  if (service !== null) return whoCanReachService(index, service, flags, caveats, io);
  const notes: string[] = [];
  const target = parseTarget(index, targetText, targetOptionsFrom(flags), { namespace: flags.namespace, notes });
  for (const n of notes) io.stderr(`note: ${n}\n`);
  let filter: { protocol: ConnProtocol; port: number; code?: number } | undefined;
  if (flags.port !== undefined) {
    const p = parsePortArg(flags.port);
    if (typeof p.port !== 'number') {
      const dst = target.kind === 'entity' && target.entity.kind === 'endpoint' ? target.entity.endpoint : null;
      const cp = dst?.ports.find((x) => x.name === p.port && x.protocol === p.protocol);
      if (cp === undefined) throw new UsageError(`--port '${flags.port}': the target has no container port of that name and protocol`);
      filter = { protocol: p.protocol, port: cp.port };
    } else {
      const code = portCode(p);
      filter = { protocol: p.protocol, port: p.port, ...(code === undefined ? {} : { code }) };
    }
  }
  const found = whoCanReach(index, target, filter);
  // --endpoints pods: a source workload stands for each of its pods (a pod reaching itself is loopback, never an answer)
  const podIds = flags.endpoints === 'pods' ? podsByEntity(index) : null;
  const entries =
    podIds === null ? found.map((e) => ({ ...e, id: e.src.id })) : found.flatMap((e) => (podIds.get(e.src.id) ?? [e.src.id]).map((id) => ({ ...e, id })));
  if (flags.output === 'json') {
    io.stdout(
      `${JSON.stringify({ target: targetLabel(target), port: filter ?? null, sources: entries.map((e) => ({ src: e.id, via: e.via, conn: e.conn.toString(), ...(e.hostNetwork ? { hostNetwork: true } : {}) })), caveats }, jsonReplacer, 2)}\n`,
    );
  } else {
    io.stdout(
      `${entries.length} source${entries.length === 1 ? '' : 's'} can reach ${txt(targetLabel(target))}${filter ? ` on ${filter.protocol} ${filter.port}${filter.code === undefined ? '' : `:${filter.code}`}` : ''}\n`,
    );
    for (const e of entries)
      io.stdout(
        `${txt(e.id)} => ${txt(e.via)} : ${e.conn.toString()}${e.hostNetwork ? " (hostNetwork: no NetworkPolicy applies; from the node's network)" : ''}\n`,
      );
  }
  return entries.length > 0 ? EXIT.ok : EXIT.negative;
}

/** Entity id -> the ids of the pods it stands for, in matrix order (matrix --endpoints pods). */
function podsByEntity(index: ReachabilityIndex): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of podEntities(index)) (out.get(p.entity.id) ?? out.set(p.entity.id, []).get(p.entity.id)!).push(p.id);
  return out;
}
