/**
 * `kubereach generate [--from current|FLOWS] [-o yaml]`: least-privilege NetworkPolicies, verified
 * by applying them to the input and re-running the engine before printing (the proof is the YAML's
 * header comment, and on stderr). Exit 0 when verified, 1 when the re-evaluated cluster differs from
 * what was meant (the differences are listed), 2 on bad input.
 */
import { generateVerified, type Flow, type ReachabilityIndex } from '@kubereach/core';
import { EXIT, type CliIO } from '../io.js';
import { compileLoaded } from '../input/profile.js';
import { loadClusterFrom, type InputFlags } from '../input/load.js';
import { flowCidrs, readFlowFile, resolveFlows } from '../input/flow-file.js';

export interface GenerateFlags extends InputFlags {
  readonly from?: string;
  readonly output?: 'yaml';
}

export async function generateCommand(flags: GenerateFlags, io: CliIO): Promise<number> {
  const from = flags.from ?? 'current';
  const loaded = await loadClusterFrom(flags, io);
  let flows: Flow[] | null = null;
  let index: ReachabilityIndex;
  let caveats: readonly string[];
  if (from === 'current') ({ index, caveats } = await compileLoaded(loaded, flags, io));
  else {
    const raw = await readFlowFile(from, '--from', io);
    ({ index, caveats } = await compileLoaded(loaded, flags, io, { extraCidrs: flowCidrs(raw) }));
    flows = resolveFlows(index, raw, from);
  }
  const { text, verification } = generateVerified(index, flows);
  const caveatLines = caveats.map((c) => `# caveat: ${c}\n`).join('');
  io.stdout(`${caveatLines}${text}`);
  const v = verification;
  io.stderr(
    v.differences.length === 0
      ? `kubereach: verified: applied to the input and re-evaluated, the matrix is ${flows === null ? "today's" : 'exactly the flows'}${v.dnsAdded > 0 ? ` plus DNS for ${v.dnsAdded} pairs` : ''}\n`
      : `kubereach: NOT verified: ${v.differences.length} pairs differ from what was meant (see the header of the output)\n`,
  );
  return v.differences.length === 0 ? EXIT.ok : EXIT.negative;
}
