/**
 * Service rows of the matrix (`matrix --services`): for every source and every Service, the Service
 * ports through which the source reaches the Service's backends, each backend asked on its own target
 * port exactly as `can SRC SERVICE` asks it (resolveService + canReachService, so the two never differ).
 *
 * | per Service port                      | row                                              |
 * |---------------------------------------|--------------------------------------------------|
 * | every backend reached                 | the port is in the row's connections             |
 * | some backends reached                 | in the connections, and named as partly (k of n) |
 * | no backend reached (or none at all)   | not in the row; a row with no port is not listed |
 *
 * A source that is itself the only pod behind a Service reaches it by loopback, which the matrix
 * never lists: such a backend is left out of the count, as matrix leaves out `P => P`.
 */
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import type { Service, ServicePort } from '../model/types.js';
import { ConnectionSet } from '../net/connection-set.js';
import { answerWord, canReachService, type BackendVerdict, type ServiceAnswerWord } from './answer.js';
import { resolveService, serviceId, type ServiceResolution } from './backends.js';
import { serviceAddressCaveats } from './caveats.js';

/** One Service port of a Service row: how many of its backends the source reaches through it. */
export interface ServicePortReach {
  readonly servicePort: ServicePort;
  /** yes: every backend; partly: some (never no: such a port is not in the row). */
  readonly answer: ServiceAnswerWord;
  readonly reached: number;
  readonly total: number;
  readonly backends: readonly BackendVerdict[];
}

/** One Service row: SRC => ns/name[Service] : the Service ports with a reached backend. */
export interface ServiceMatrixEntry {
  readonly src: { readonly id: string; readonly entity: IndexEntity };
  readonly service: Service;
  /** `ns/name[Service]`. */
  readonly id: string;
  /** The Service ports (their port numbers, not the target ports) through which a backend is reached. */
  readonly conn: ConnectionSet;
  /** Per Service port in `conn`, in the Service's port order. */
  readonly ports: readonly ServicePortReach[];
}

/** Services in row order: by namespace, then name. */
function orderedServices(services: readonly Service[]): Service[] {
  return [...services].sort((a, b) => {
    const x = serviceId(a);
    const y = serviceId(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * Service rows for the given sources (matrix order is the caller's: sources in the order given,
 * Services by id). Sources are in-cluster endpoints: a ClusterIP is an in-cluster address, and what
 * reaches a Service from outside is `entryPoints`' question.
 */
export function serviceMatrix(index: ReachabilityIndex, sources: readonly { readonly id: string; readonly entity: IndexEntity }[]): ServiceMatrixEntry[] {
  const resolutions: ServiceResolution[] = orderedServices(index.compiled.cluster.services)
    .map((s) => resolveService(index, s))
    .filter((r) => r.backends.length > 0);
  const out: ServiceMatrixEntry[] = [];
  for (const src of sources) {
    if (src.entity.kind !== 'endpoint') continue;
    for (const r of resolutions) {
      const v = canReachService(index, src.entity, r);
      let conn = ConnectionSet.NONE;
      const ports: ServicePortReach[] = [];
      for (const sp of r.ports) {
        const bs = v.backends.filter((b) => b.backend.servicePort === sp && !index.isLoopback(src.entity, b.backend.entity));
        const reached = bs.filter((b) => b.allowed).length;
        if (reached === 0) continue;
        conn = conn.union(ConnectionSet.port(sp.protocol, sp.port));
        ports.push({ servicePort: sp, answer: answerWord(bs.map((b) => b.allowed)), reached, total: bs.length, backends: bs });
      }
      if (ports.length > 0) out.push({ src, service: r.service, id: r.id, conn, ports });
    }
  }
  return out;
}

/** The qualification of a row whose ports reach only some backends, e.g. `partly: TCP 80 to 1 of 3 backends`; '' when none. */
export function servicePartlyNote(e: ServiceMatrixEntry): string {
  const parts = e.ports
    .filter((p) => p.answer === 'partly')
    .map((p) => `${p.servicePort.protocol} ${p.servicePort.port} to ${p.reached} of ${p.total} backends`);
  return parts.length === 0 ? '' : `partly: ${parts.join(', ')}`;
}

/**
 * What qualifies the Service rows as a whole: each Service's resolution notes (not-ready addresses
 * left out, a workload only some of whose pods the selector picks) and Service addresses inside
 * ipBlocks (serviceAddressCaveats). Sorted, no duplicates.
 */
export function serviceMatrixNotes(index: ReachabilityIndex): string[] {
  const out = new Set<string>();
  for (const s of orderedServices(index.compiled.cluster.services)) for (const n of resolveService(index, s).notes) out.add(n);
  for (const c of serviceAddressCaveats(index.compiled.cluster)) out.add(c.message);
  return [...out];
}
