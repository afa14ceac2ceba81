/**
 * `kubereach assert EXPECTATIONS.yaml -f ...`: allow/deny expectations checked against the index.
 * Exit 0 when all hold, 1 when some fail (each failure with the deciding rule), 2 on bad input
 * (the manifests, or the expectations file: syntax, unknown fields, an end that names nothing).
 */
import {
  checkExpectations,
  escapeControl,
  ExpectationInputError,
  formatLocation,
  parseExpectations,
  resolveTargets,
  targetCidrs,
  type Cidr,
  type EndSpec,
} from '@kubereach/core';
import { targetOptionsFrom } from './target.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { compileLoaded } from '../input/profile.js';
import { loadClusterFrom, type InputFlags } from '../input/load.js';
import { readInputs } from '../input/read.js';
import { renderAssertJson, renderAssertJunit, renderAssertText, type AssertFormat } from '../format/assert.js';

export interface AssertFlags extends InputFlags {
  readonly output?: AssertFormat;
  readonly metadataIp?: string[];
  readonly controlPlaneIp?: string[];
}

export async function assertCommand(file: string, flags: AssertFlags, io: CliIO): Promise<number> {
  const opts = targetOptionsFrom(flags);
  // read through the same byte-counting reader as manifests: stdin or a FIFO is bounded too
  const read = await readInputs([file], { stdin: io.readStdin, cwd: io.cwd });
  if (read.errors.length > 0 || read.sources.length !== 1) {
    const why = read.errors.length > 0 ? read.errors.join('; ') : `${file}: not one file`;
    throw new UsageError(`cannot read the expectations file: ${escapeControl(why)}`);
  }
  const text = read.sources[0]!.text;
  const { expectations, problems } = parseExpectations(file, text);
  if (problems.length > 0) {
    for (const p of problems) io.stderr(`${formatLocation(p.location)}: error: ${p.message}\n`);
    throw new UsageError(`${problems.length} error${problems.length === 1 ? '' : 's'} in ${file}`);
  }
  if (expectations.length === 0) throw new UsageError(`${file}: no expectations (give allow: and/or deny: lists)`);
  const loaded = await loadClusterFrom(flags, io);
  const cluster = loaded.cluster;
  // target addresses and the expectations' CIDRs become IP atoms of their own, so an answer about
  // 169.254.169.254 is about that address, not about the external range that happens to hold it
  const own = (e: EndSpec): Cidr[] => (e.kind === 'cidr' ? [e.cidr] : []);
  const extraCidrs = [...targetCidrs(resolveTargets(cluster, opts)), ...expectations.flatMap((x) => [...own(x.from), ...own(x.to)])];
  const { index, caveats } = await compileLoaded(loaded, flags, io, { extraCidrs });
  let results;
  try {
    results = checkExpectations(index, expectations, opts);
  } catch (e) {
    if (e instanceof ExpectationInputError) throw new UsageError(`${formatLocation(e.location)}: error: ${e.message}`);
    throw e;
  }
  const fmt = flags.output ?? 'text';
  switch (fmt) {
    case 'text':
      io.stdout(renderAssertText(results, caveats));
      break;
    case 'json':
      io.stdout(renderAssertJson(results, caveats));
      break;
    case 'junit':
      io.stdout(renderAssertJunit(results, file, caveats));
      break;
    default: {
      const never: never = fmt;
      throw new UsageError(`unknown format ${String(never)}`);
    }
  }
  return results.every((r) => r.holds) ? EXIT.ok : EXIT.negative;
}
