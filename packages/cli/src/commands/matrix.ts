/** `kubereach matrix`: every ordered pair with something allowed, `SRC => DST : CONNS`. */
import {
  exposure,
  exposureJson,
  exposureText,
  matrix,
  matrixEntries,
  orderedEntities,
  podEntities,
  podMatrixEntries,
  serviceMatrix,
  serviceMatrixNotes,
  type IndexEntity,
  type ReachabilityIndex,
  type ServiceMatrixEntry,
} from '@kubereach/core';
import { EXIT, UsageError, writeChunks, type CliIO } from '../io.js';
import { loadIndex, type InputFlags } from '../input/load.js';
import { matrixChunks, renderMatrix, serviceRowsJson, serviceRowsMd, serviceRowText, type MatrixFormat, type MatrixRow } from '../format/matrix.js';
import { txt } from '../format/escape.js';
import { Progress } from '../progress.js';

export interface MatrixFlags extends InputFlags {
  readonly output?: MatrixFormat;
  readonly external?: boolean;
  readonly exposure?: boolean;
  /** `pods`: one line per pod (a workload's Pod objects each), `workloads` (default): per endpoint. */
  readonly endpoints?: 'workloads' | 'pods';
  /** Add Service rows: `SRC => ns/name[Service] : SERVICE PORTS` (services/matrix.ts). */
  readonly services?: boolean;
}

/** The matrix, plus the Service rows after it when asked, in one of text / json / md. */
function renderWithServices(
  index: ReachabilityIndex,
  rows: readonly MatrixRow[],
  endpoints: readonly string[],
  sources: readonly { id: string; entity: IndexEntity }[],
  format: MatrixFormat,
  caveats: readonly string[],
  io: CliIO,
): { text: string; json: Record<string, unknown> | null } {
  if (format === 'csv' || format === 'dot') throw new UsageError(`--services supports -o text, json and md (csv and dot list endpoint pairs only)`);
  const svc: ServiceMatrixEntry[] = serviceMatrix(index, sources);
  const notes = serviceMatrixNotes(index);
  for (const n of notes) io.stderr(`note: ${txt(n)}\n`);
  const all = [...caveats, ...notes];
  switch (format) {
    case 'text':
      return { text: `${renderMatrix(rows, endpoints, 'text', all)}${svc.map((e) => `${serviceRowText(e)}\n`).join('')}`, json: null };
    case 'json': {
      const base = JSON.parse(renderMatrix(rows, endpoints, 'json', all)) as Record<string, unknown>;
      const json = { ...base, services: serviceRowsJson(svc) };
      return { text: `${JSON.stringify(json, null, 2)}\n`, json };
    }
    case 'md':
      return { text: `${renderMatrix(rows, endpoints, 'md', all)}\n${serviceRowsMd(svc)}`, json: null };
    default:
      throw new UsageError(`--services supports -o text, json and md (csv and dot list endpoint pairs only)`);
  }
}

export async function matrixCommand(flags: MatrixFlags, io: CliIO): Promise<number> {
  const progress = new Progress(io, ['parsing and modelling', 'compiling', 'computing the matrix']);
  const { index, caveats } = await loadIndex(flags, io, progress);
  progress.stage(2);
  const opts = { external: flags.external !== false };
  if (flags.endpoints === 'pods') {
    if (flags.exposure === true) throw new UsageError('--exposure lists workloads; it does not combine with --endpoints pods');
    const pairs = podMatrixEntries(index, opts);
    // re-iterable like pairs: the pairs are made (and written) one at a time, never held all at once
    const rows: Iterable<MatrixRow> = {
      *[Symbol.iterator]() {
        for (const r of pairs) yield { src: { id: r.src }, dst: { id: r.dst }, conn: r.conn };
      },
    };
    const pods = podEntities(index, opts);
    progress.end();
    if (flags.services === true)
      io.stdout(
        renderWithServices(
          index,
          [...rows],
          pods.map((p) => p.id),
          pods,
          flags.output ?? 'text',
          caveats,
          io,
        ).text,
      );
    else
      await writeChunks(
        io,
        matrixChunks(
          rows,
          pods.map((p) => p.id),
          flags.output ?? 'text',
          caveats,
        ),
      );
    return EXIT.ok;
  }
  const ordered = orderedEntities(index).filter((e) => opts.external || e.kind === 'endpoint');
  const endpoints = ordered.map((e) => e.id);
  const sources = ordered.map((e) => ({ id: e.id, entity: e }));
  if (flags.exposure !== true && flags.services !== true) {
    // made and written one pair at a time, never held all at once
    const pairs = matrixEntries(index, opts);
    progress.end();
    await writeChunks(io, matrixChunks(pairs, endpoints, flags.output ?? 'text', caveats));
    return EXIT.ok;
  }
  const entries = matrix(index, opts);
  progress.end();
  if (flags.exposure !== true) {
    io.stdout(renderWithServices(index, entries, endpoints, sources, flags.output ?? 'text', caveats, io).text);
    return EXIT.ok;
  }
  const all = exposure(index);
  const noExt = (l: (typeof all.egress)[number]) => opts.external || l.peer.kind !== 'external';
  const ex = { ...all, egress: all.egress.filter(noExt), ingress: all.ingress.filter(noExt) };
  const notes = [...caveats];
  // the exposure section reads NetworkPolicies and the admin tiers; other policy languages the
  // matrix honours are not in it, and it says so
  for (const [n, kind] of [
    [index.cluster.calico?.policies.length ?? 0, 'Calico policies'],
    [index.cluster.ciliumPolicies?.length ?? 0, 'Cilium policies'],
  ] as const) {
    if (n === 0) continue;
    const note = `the exposure section reads NetworkPolicies and admin-tier policies only: ${kind} can deny or allow more for pods that do not exist yet`;
    io.stderr(`warning: ${note}\n`);
    notes.push(note);
  }
  const format = flags.output ?? 'text';
  if (format === 'text') {
    const m =
      flags.services === true
        ? renderWithServices(index, entries, endpoints, sources, 'text', caveats, io).text
        : renderMatrix(entries, endpoints, 'text', caveats);
    io.stdout(`${m}${m === '' ? '' : '\n'}${exposureText(ex)}`);
  } else if (format === 'json') {
    const base =
      flags.services === true
        ? renderWithServices(index, entries, endpoints, sources, 'json', notes, io).json!
        : (JSON.parse(renderMatrix(entries, endpoints, 'json', notes)) as Record<string, unknown>);
    io.stdout(`${JSON.stringify({ ...base, exposure: exposureJson(ex) }, null, 2)}\n`);
  } else {
    throw new UsageError(`--exposure supports -o text and -o json`);
  }
  return EXIT.ok;
}
