/**
 * `kubereach audit`: the network audit (proved from the index) plus the configuration audit, one
 * report. Exit 1 when a finding at or above --fail-on (default high) exists, else 0; 2 on bad input.
 */
import { auditNetwork, resolveTargets, severityRank, sortFindings, targetCidrs, type Cluster, type Finding, type Severity } from '@kubereach/core';
import { targetOptionsFrom } from './target.js';
import { EXIT, type CliIO } from '../io.js';
import { loadClusterFrom, type InputFlags } from '../input/load.js';
import { compileLoaded } from '../input/profile.js';
import { renderFindings, type AuditFormat, type AuditSummary } from '../format/findings.js';
import { configFindings } from './audit-config.js';
import { Progress } from '../progress.js';

export interface AuditFlags extends InputFlags {
  readonly output?: AuditFormat;
  readonly failOn?: Severity;
  readonly metadataIp?: string[];
  readonly controlPlaneIp?: string[];
}

export function summarize(cluster: Cluster, findings: readonly Finding[], failOn: Severity): AuditSummary {
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  const byId: Record<string, number> = {};
  for (const f of findings) {
    bySeverity[f.severity]++;
    byId[f.id] = (byId[f.id] ?? 0) + 1;
  }
  return {
    total: findings.length,
    bySeverity,
    byId,
    failOn,
    failed: findings.some((f) => severityRank(f.severity) >= severityRank(failOn)),
    workloads: cluster.endpoints.length,
    namespaces: new Set(cluster.endpoints.map((e) => e.namespace)).size,
  };
}

export async function auditCommand(flags: AuditFlags, io: CliIO): Promise<number> {
  const targetOpts = targetOptionsFrom(flags);
  const progress = new Progress(io, ['parsing and modelling', 'compiling', 'auditing']);
  const loaded = await loadClusterFrom(flags, io, progress);
  const { cluster, kubeconfigFiles } = loaded;
  // KUBECONFIG_PERMISSIONS: with --live the files the read used (--kubeconfig, else KUBECONFIG or
  // ~/.kube/config); without, the --kubeconfig files named for the check
  const checked = flags.live ? (kubeconfigFiles ?? []) : (flags.kubeconfig ?? []);
  const targets = resolveTargets(cluster, targetOpts);
  progress.stage(1);
  const { index, caveats } = await compileLoaded(loaded, flags, progress.io, { extraCidrs: targetCidrs(targets) });
  progress.stage(2);
  const findings = sortFindings([...auditNetwork(index, targetOpts), ...(await configFindings(cluster, index, checked))]);
  progress.end();
  const failOn = flags.failOn ?? 'high';
  const summary = summarize(cluster, findings, failOn);
  const colour = io.stdoutIsTTY && io.env['NO_COLOR'] === undefined;
  const fmt = flags.output ?? 'text';
  io.stdout(renderFindings(fmt, findings, summary, caveats, colour));
  return summary.failed ? EXIT.negative : EXIT.ok;
}
