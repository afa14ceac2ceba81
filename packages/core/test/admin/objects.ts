/**
 * Test support: YAML text -> the admin tiers as the model builder reads them (through loadCluster,
 * as every command does): the policies in evaluation order, the diagnostics in output order, and
 * the objects left among the others.
 */
import { loadCluster } from '../../src/pipeline/load-cluster.js';
import type { AdminPolicy } from '../../src/model/admin/types.js';
import type { OtherObject } from '../../src/model/types.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';

export interface AdminRead {
  readonly policies: readonly AdminPolicy[];
  readonly diagnostics: readonly Diagnostic[];
  readonly rest: readonly OtherObject[];
}

/** One file, or several as [name, text] pairs (read in the order given). */
export function readAdmin(input: string | readonly (readonly [string, string])[], options: { file?: string; ignoreInvalid?: boolean } = {}): AdminRead {
  const sources = typeof input === 'string' ? [{ name: options.file ?? 'policies.yaml', text: input }] : input.map(([name, text]) => ({ name, text }));
  const r = loadCluster(sources, { ignoreInvalid: options.ignoreInvalid ?? false });
  return { policies: r.cluster.adminPolicies ?? [], diagnostics: r.diagnostics, rest: r.cluster.others };
}
