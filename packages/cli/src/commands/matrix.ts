/** `kubereach matrix`: every ordered pair with something allowed, `SRC => DST : CONNS`. */
import { matrix, orderedEntities } from '@kubereach/core';
import { EXIT, type CliIO } from '../io.js';
import { loadIndex, type InputFlags } from '../input/load.js';
import { renderMatrix, type MatrixFormat } from '../format/matrix.js';

export interface MatrixFlags extends InputFlags {
  readonly output?: MatrixFormat;
  readonly external?: boolean;
}

export async function matrixCommand(flags: MatrixFlags, io: CliIO): Promise<number> {
  const { index, caveats } = await loadIndex(flags, io);
  const opts = { external: flags.external !== false };
  const entries = matrix(index, opts);
  const endpoints = orderedEntities(index)
    .filter((e) => opts.external || e.kind === 'endpoint')
    .map((e) => e.id);
  io.stdout(renderMatrix(entries, endpoints, flags.output ?? 'text', caveats));
  return EXIT.ok;
}
