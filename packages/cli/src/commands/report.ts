/**
 * `kubereach report -o html > report.html`: the whole picture in one self-contained page (graph,
 * findings of the audit and the linter, matrix, stats), or `-o json` for the same data. The page is a view over the index: every
 * edge, explanation and finding in it is computed here by the core, the page only draws them.
 */
import {
  auditNetwork,
  buildReport,
  InvalidArgumentError,
  lint,
  LINT_IDS,
  resolveTargets,
  sortFindings,
  targetCidrs,
  type Finding,
  type ReportData,
} from '@kubereach/core';
import { reportHtml } from '@kubereach/web';
import { targetOptionsFrom } from './target.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { compileLoaded } from '../input/profile.js';
import { loadClusterFrom, type InputFlags } from '../input/load.js';
import { configFindings } from './audit-config.js';
import { caveats as caveats_ } from './caveats.js';
import { VERSION } from '../version.js';

export const REPORT_FORMATS = ['html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportFlags extends InputFlags {
  readonly output?: ReportFormat;
  readonly title?: string;
  readonly metadataIp?: string[];
  readonly controlPlaneIp?: string[];
  readonly maxEdges?: string;
}

/** The default --max-edges: about 50 MB of page; a graph larger than that is unreadable anyway. */
export const DEFAULT_MAX_EDGES = 500_000;

/** --max-edges N: a positive integer. */
export function parseMaxEdges(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_EDGES;
  if (!/^[1-9][0-9]*$/.test(text)) throw new UsageError(`--max-edges '${text}': expected a positive integer`);
  return Number(text);
}

/** Builds report data, turning the core's refusal of an oversized report into a usage error (exit 2). */
export function guarded<T>(build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new UsageError(`${e.message} (--max-edges)`);
    throw e;
  }
}

const LINT = new Set<string>(LINT_IDS);

/** Which command a finding also comes from: `kubereach lint` or `kubereach audit`. */
export function findingSource(f: Finding): string {
  return LINT.has(f.id) ? 'linter (kubereach lint)' : 'audit (kubereach audit)';
}

/** Writes a report in the asked format. */
export function writeReport(data: ReportData, format: ReportFormat, io: CliIO): void {
  switch (format) {
    case 'html':
      io.stdout(reportHtml(data));
      break;
    case 'json':
      io.stdout(`${JSON.stringify(data)}\n`);
      break;
    default: {
      const never: never = format;
      throw new UsageError(`unknown format ${String(never)}`);
    }
  }
}

export async function reportCommand(flags: ReportFlags, io: CliIO): Promise<number> {
  const targetOpts = targetOptionsFrom(flags);
  const loaded = await loadClusterFrom(flags, io);
  const cluster = loaded.cluster;
  const targets = resolveTargets(cluster, targetOpts);
  const { index, caveats } = await compileLoaded(loaded, flags, io, { extraCidrs: targetCidrs(targets) });
  const findings = sortFindings([...auditNetwork(index, targetOpts), ...(await configFindings(cluster, index, [])), ...lint(index)]);
  const maxEdges = parseMaxEdges(flags.maxEdges);
  const data = guarded(() =>
    buildReport(index, {
      title: flags.title ?? 'kubereach report',
      generator: `kubereach ${VERSION}`,
      targets,
      findings,
      findingSource,
      caveats,
      maxEdges,
      notes: caveats_,
    }),
  );
  writeReport(data, flags.output ?? 'html', io);
  return EXIT.ok;
}
