/**
 * A flows file given to a command (`generate --from FLOWS`, `fix --keep FLOWS`): read through the
 * byte-counting reader (stdin or a FIFO is bounded too), parsed (input/flows.ts), and its ends
 * resolved on the index. Every problem is a usage error naming the flag, the file and the line.
 */
import { AmbiguousError, escapeControl, NotFoundError, type Flow, type IndexEntity, type ReachabilityIndex } from '@kubereach/core';
import { UsageError, type CliIO } from '../io.js';
import { readInputs } from './read.js';
import { endCidrs, endRange, parseFlows, type RawFlow } from './flows.js';

export async function readFlowFile(file: string, flag: string, io: CliIO): Promise<RawFlow[]> {
  const read = await readInputs([file], { stdin: io.readStdin, cwd: io.cwd });
  if (read.errors.length > 0 || read.sources.length !== 1) {
    throw new UsageError(`${flag} ${file}: cannot read the flows file (${escapeControl(read.errors.length > 0 ? read.errors.join('; ') : 'not one file')})`);
  }
  const parsed = parseFlows(file, read.sources[0]!.text);
  if (parsed.errors.length > 0) throw new UsageError(parsed.errors.join('\n'));
  return parsed.flows;
}

/** The CIDRs the flows name, so the index cuts IP atoms at them. */
export function flowCidrs(flows: readonly RawFlow[]) {
  return flows.flatMap((f) => [...endCidrs(f.src), ...endCidrs(f.dst)]);
}

function resolveEnd(index: ReachabilityIndex, text: string, where: string): IndexEntity[] {
  const r = endRange(text);
  if (r !== null) {
    return index.entities.filter((e) => {
      const a = index.addressRange(e);
      return a !== null && a[0] >= r[0] && a[1] <= r[1];
    });
  }
  try {
    return [index.resolve(text)];
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof AmbiguousError) throw new UsageError(`${where}: ${e.message}`);
    throw e;
  }
}

/** The flows over the index's entities (an end that is a range stands for every external range in it). */
export function resolveFlows(index: ReachabilityIndex, raw: readonly RawFlow[], file: string): Flow[] {
  const flows: Flow[] = [];
  for (const f of raw) {
    for (const s of resolveEnd(index, f.src, `${file}:${f.line}: src`)) {
      for (const d of resolveEnd(index, f.dst, `${file}:${f.line}: dst`)) {
        if (s.kind === 'external' && d.kind === 'external')
          throw new UsageError(`${file}:${f.line}: a flow between two addresses outside the cluster is not a policy question`);
        flows.push({ src: s, dst: d, conn: f.conn });
      }
    }
  }
  return flows;
}
