/**
 * Audit findings: one shape for the network audit and the configuration audit. `id` values are a
 * stable contract (CI gates and SARIF rules key on them); add new ids, never rename one.
 */
import type { SourceLocation } from '../diagnostics/diagnostic.js';

import type { Severity } from '../base/types.js';
import type { FindingId } from './finding-ids.js';

export type { Severity, FindingId };

/** Ascending order of severities, for `--fail-on` comparisons. */
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high'];

/** The position of a severity in {@link SEVERITIES} (info 0 ... high 3), for `--fail-on` comparisons. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** One audit or lint finding: what is wrong, about what, the proof, how to fix it and where the cause is. The network audit, the configuration audit and the linter share this shape. */
export interface Finding {
  /** Stable id, e.g. `METADATA_REACHABLE`, `APISERVER_INSECURE_PORT`. */
  readonly id: FindingId;
  readonly severity: Severity;
  /** `ns/name[Kind]`, a namespace name, or another object name the finding is about. */
  readonly subject: string;
  /** One or two sentences saying what is wrong. */
  readonly message: string;
  /** Concrete proof: an allowed connection and the rule that allows it, a flag and its value, ... */
  readonly evidence: string;
  /** How to fix it. */
  readonly fix: string;
  /** Where in the input the cause is (the allowing rule, the flag, the object); null when nowhere. */
  readonly location: SourceLocation | null;
  /**
   * LATERAL_PATH only: the chain, from the exposed workload's id through each hop's destination (an
   * entity id, or for the last hop a target label ending in its address), as the message lists it.
   */
  readonly path?: readonly string[];
}
