/** `kubereach matrix`: every ordered pair with something allowed, `SRC => DST : CONNS`. */
import { exposure, exposureJson, exposureText, matrix, orderedEntities, podEntities, podMatrix } from '@kubereach/core';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { loadIndex, type InputFlags } from '../input/load.js';
import { renderMatrix, type MatrixFormat } from '../format/matrix.js';

export interface MatrixFlags extends InputFlags {
  readonly output?: MatrixFormat;
  readonly external?: boolean;
  readonly exposure?: boolean;
  /** `pods`: one line per pod (a workload's Pod objects each), `workloads` (default): per endpoint. */
  readonly endpoints?: 'workloads' | 'pods';
}

export async function matrixCommand(flags: MatrixFlags, io: CliIO): Promise<number> {
  const { index, caveats } = await loadIndex(flags, io);
  const opts = { external: flags.external !== false };
  if (flags.endpoints === 'pods') {
    const rows = podMatrix(index, opts).map((r) => ({ src: { id: r.src }, dst: { id: r.dst }, conn: r.conn }));
    io.stdout(renderMatrix(rows, podEntities(index, opts).map((p) => p.id), flags.output ?? 'text', caveats));
    return EXIT.ok;
  }
  const entries = matrix(index, opts);
  const endpoints = orderedEntities(index)
    .filter((e) => opts.external || e.kind === 'endpoint')
    .map((e) => e.id);
  if (flags.exposure !== true) {
    io.stdout(renderMatrix(entries, endpoints, flags.output ?? 'text', caveats));
    return EXIT.ok;
  }
  const all = exposure(index);
  const noExt = (l: (typeof all.egress)[number]) => opts.external || l.peer.kind !== 'external';
  const ex = { ...all, egress: all.egress.filter(noExt), ingress: all.ingress.filter(noExt) };
  const notes = [...caveats];
  if ((index.compiled.cluster.calico?.policies.length ?? 0) > 0) {
    const note = 'the exposure section reads NetworkPolicies only: Calico policies can deny or allow more for pods that do not exist yet';
    io.stderr(`warning: ${note}\n`);
    notes.push(note);
  }
  if (ex.adminTiers) {
    const note = 'the exposure section reads NetworkPolicies only: admin-tier policies (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy) can deny or allow more for pods that do not exist yet';
    io.stderr(`warning: ${note}\n`);
    notes.push(note);
  }
  const format = flags.output ?? 'text';
  if (format === 'text') {
    const m = renderMatrix(entries, endpoints, 'text', caveats);
    io.stdout(`${m}${m === '' ? '' : '\n'}${exposureText(ex)}`);
  } else if (format === 'json') {
    const base = JSON.parse(renderMatrix(entries, endpoints, 'json', notes)) as Record<string, unknown>;
    io.stdout(`${JSON.stringify({ ...base, exposure: exposureJson(ex) }, null, 2)}\n`);
  } else {
    throw new UsageError(`--exposure supports -o text and -o json`);
  }
  return EXIT.ok;
}
