/**
 * `kubereach lint`: policy-authoring mistakes proved from the index (core/lint), rendered like the
 * audit (text, json, sarif, md) with the audit's `--fail-on` convention: exit 1 when a finding at or
 * above it exists (default high), else 0; 2 on bad input.
 */
import { lint, type Severity } from '@kubereach/core';
import { EXIT, type CliIO } from '../io.js';
import { loadIndex, type InputFlags } from '../input/load.js';
import { renderFindings, type AuditFormat } from '../format/findings.js';
import { summarize } from './audit.js';

export interface LintFlags extends InputFlags {
  readonly output?: AuditFormat;
  readonly failOn?: Severity;
}

export async function lintCommand(flags: LintFlags, io: CliIO): Promise<number> {
  const { cluster, index, caveats } = await loadIndex(flags, io);
  const findings = lint(index);
  const summary = summarize(cluster, findings, flags.failOn ?? 'high');
  const fmt = flags.output ?? 'text';
  io.stdout(renderFindings(fmt, findings, summary, caveats, io.stdoutIsTTY && io.env['NO_COLOR'] === undefined, 'lint'));
  return summary.failed ? EXIT.negative : EXIT.ok;
}
