/**
 * `kubereach generate [--from current|FLOWS] [-o yaml]`: least-privilege NetworkPolicies, verified
 * by applying them to the input and re-running the engine before printing (the proof is the YAML's
 * header comment, and on stderr). Exit 0 when verified, 1 when the re-evaluated cluster differs from
 * what was meant (the differences are listed), 2 on bad input.
 */
import { AmbiguousError, compile, escapeControl, generateVerified, NotFoundError, type Flow, type IndexEntity, type ReachabilityIndex } from '@kubereach/core';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { loadClusterFrom, type InputFlags } from '../input/load.js';
import { readInputs } from '../input/read.js';
import { endCidrs, endRange, parseFlows } from '../input/flows.js';

export interface GenerateFlags extends InputFlags {
  readonly from?: string;
  readonly output?: 'yaml';
}

function resolveEnd(index: ReachabilityIndex, text: string, where: string): IndexEntity[] {
  const r = endRange(text);
  if (r !== null) {
    const { ipAtoms } = index.compiled;
    return index.entities.filter((e) => e.kind === 'external' && ipAtoms.start(e.atom) >= r[0] && ipAtoms.end(e.atom) <= r[1]);
  }
  try {
    return [index.resolve(text)];
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof AmbiguousError) throw new UsageError(`${where}: ${e.message}`);
    throw e;
  }
}

export async function generateCommand(flags: GenerateFlags, io: CliIO): Promise<number> {
  const from = flags.from ?? 'current';
  const { cluster, caveats } = await loadClusterFrom(flags, io);
  let flows: Flow[] | null = null;
  let index: ReachabilityIndex;
  if (from === 'current') index = compile(cluster, { ipblockPods: flags.ipblockPods ?? 'match' });
  else {
    // read through the byte-counting reader, as manifests are: stdin or a FIFO is bounded too
    const read = await readInputs([from], { stdin: io.readStdin, cwd: io.cwd });
    if (read.errors.length > 0 || read.sources.length !== 1) {
      throw new UsageError(`--from ${from}: cannot read the flows file (${escapeControl(read.errors.length > 0 ? read.errors.join('; ') : 'not one file')})`);
    }
    const text = read.sources[0]!.text;
    const parsed = parseFlows(from, text);
    if (parsed.errors.length > 0) throw new UsageError(parsed.errors.join('\n'));
    index = compile(cluster, { ipblockPods: flags.ipblockPods ?? 'match', extraCidrs: parsed.flows.flatMap((f) => [...endCidrs(f.src), ...endCidrs(f.dst)]) });
    flows = [];
    for (const f of parsed.flows) {
      for (const s of resolveEnd(index, f.src, `${from}:${f.line}: src`)) {
        for (const d of resolveEnd(index, f.dst, `${from}:${f.line}: dst`)) {
          if (s.kind === 'external' && d.kind === 'external') throw new UsageError(`${from}:${f.line}: a flow between two addresses outside the cluster is not a policy question`);
          flows.push({ src: s, dst: d, conn: f.conn });
        }
      }
    }
  }
  const { text, verification } = generateVerified(index, flows);
  const caveatLines = caveats.map((c) => `# caveat: ${c}\n`).join('');
  io.stdout(`${caveatLines}${text}`);
  const v = verification;
  io.stderr(
    v.differences.length === 0
      ? `kubereach: verified: applied to the input and re-evaluated, the matrix is ${flows === null ? 'today\'s' : 'exactly the flows'}${v.dnsAdded > 0 ? ` plus DNS for ${v.dnsAdded} pairs` : ''}\n`
      : `kubereach: NOT verified: ${v.differences.length} pairs differ from what was meant (see the header of the output)\n`,
  );
  return v.differences.length === 0 ? EXIT.ok : EXIT.negative;
}
