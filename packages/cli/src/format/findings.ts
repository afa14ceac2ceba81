/**
 * Audit report renderers: text (grouped by severity, colour only on a TTY), json, md, sarif.
 */
import { formatLocation, type Finding, type Severity } from '@kubereach/core';
import { VERSION } from '../version.js';
import { mdCode, mdText, txt } from './escape.js';
import { caveatsMd } from './diff.js';

export type AuditFormat = 'text' | 'json' | 'md' | 'sarif';
export const AUDIT_FORMATS: readonly AuditFormat[] = ['text', 'json', 'md', 'sarif'];

export interface AuditSummary {
  readonly total: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly byId: Readonly<Record<string, number>>;
  readonly failOn: Severity;
  readonly failed: boolean;
  readonly workloads: number;
  readonly namespaces: number;
}

const ORDER: readonly Severity[] = ['high', 'medium', 'low', 'info'];
const COLOUR: Record<Severity, string> = { high: '\u001b[31m', medium: '\u001b[33m', low: '\u001b[36m', info: '\u001b[2m' };
const RESET = '\u001b[0m';
const BOLD = '\u001b[1m';

export function renderText(findings: readonly Finding[], summary: AuditSummary, colour: boolean): string {
  const c = (code: string, s: string) => (colour ? `${code}${s}${RESET}` : s);
  const lines: string[] = [];
  for (const sev of ORDER) {
    const group = findings.filter((f) => f.severity === sev);
    if (group.length === 0) continue;
    lines.push(c(COLOUR[sev] + BOLD, `${sev.toUpperCase()} (${group.length})`));
    for (const f of group) {
      lines.push(`  ${c(BOLD, f.id)}  ${txt(f.subject)}`);
      lines.push(`    ${txt(f.message)}`);
      lines.push(`    evidence: ${txt(f.evidence)}`);
      if (f.location !== null) lines.push(`    at ${txt(formatLocation(f.location))}`);
      lines.push(`    fix: ${txt(f.fix)}`);
    }
    lines.push('');
  }
  const counts = ORDER.map((s) => `${summary.bySeverity[s]} ${s}`).join(', ');
  lines.push(
    findings.length === 0
      ? `No findings (${summary.workloads} workloads in ${summary.namespaces} namespaces).`
      : `${summary.total} findings: ${counts} (${summary.workloads} workloads in ${summary.namespaces} namespaces); ${summary.failed ? `failing: some finding is at or above ${summary.failOn}` : `none at or above ${summary.failOn}`}.`,
  );
  return `${lines.join('\n')}\n`;
}

export function renderJson(findings: readonly Finding[], summary: AuditSummary, caveats: readonly string[] = []): string {
  return `${JSON.stringify({ findings: findings.map(({ id, severity, subject, message, evidence, fix, location }) => ({ id, severity, subject, message, evidence, fix, location })), summary, caveats }, null, 2)}\n`;
}

export function renderMarkdown(findings: readonly Finding[], summary: AuditSummary, caveats: readonly string[] = []): string {
  const lines = [
    '# kubereach audit',
    '',
    ...caveatsMd(caveats),
    `${summary.total} findings: ${ORDER.map((s) => `${summary.bySeverity[s]} ${s}`).join(', ')}.`,
    '',
  ];
  if (findings.length > 0) {
    lines.push('| severity | id | subject | message | location |', '|---|---|---|---|---|');
    for (const f of findings)
      lines.push(
        `| ${f.severity} | \`${f.id}\` | ${mdCode(f.subject)} | ${mdText(f.message)} | ${f.location === null ? '' : mdCode(formatLocation(f.location))} |`,
      );
    lines.push('', '## Fixes', '');
    const seen = new Set<string>();
    for (const f of findings) {
      const key = `${f.id}\u0000${f.fix}`;
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push(`- **${f.id}** (${mdCode(f.subject)}): ${mdText(f.fix)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { high: 'error', medium: 'warning', low: 'note', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { high: '8.0', medium: '5.0', low: '3.0', info: '1.0' };

function toUri(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '').split('/').map(encodeURIComponent).join('/');
}

/** SARIF 2.1.0: one run, one rule per finding id, results pointing at manifest locations. */
export function renderSarif(findings: readonly Finding[], caveats: readonly string[] = []): string {
  const ruleIds = [...new Set(findings.map((f) => f.id))].sort();
  const worst = new Map<string, Severity>();
  for (const f of findings) {
    const w = worst.get(f.id);
    if (w === undefined || ORDER.indexOf(f.severity) < ORDER.indexOf(w)) worst.set(f.id, f.severity);
  }
  const rules = ruleIds.map((id) => {
    const sample = findings.find((f) => f.id === id)!;
    const sev = worst.get(id)!;
    return {
      id,
      name: id
        .toLowerCase()
        .split('_')
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join(''),
      shortDescription: { text: id.replace(/_/g, ' ').toLowerCase() },
      help: { text: sample.fix },
      defaultConfiguration: { level: LEVEL[sev] },
      properties: { 'security-severity': SECURITY_SEVERITY[sev], tags: ['security', 'kubernetes'] },
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.id,
    ruleIndex: ruleIds.indexOf(f.id),
    level: LEVEL[f.severity],
    message: { text: `${f.message} Evidence: ${f.evidence}` },
    ...(f.location === null
      ? {}
      : {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(f.location.file) },
                region: { startLine: Math.max(1, f.location.line), startColumn: Math.max(1, f.location.col) },
              },
            },
          ],
        }),
    properties: { subject: f.subject, severity: f.severity },
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'kubereach', version: VERSION, informationUri: 'https://github.com/kubereach/kubereach', rules } },
        // what the results cannot account for: SARIF's place for it is the invocation's notifications
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: caveats.map((c) => ({ level: 'warning', message: { text: c }, descriptor: { id: 'caveat' } })),
          },
        ],
        results,
        properties: { caveats },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** One report of findings in a `-o` format (audit and lint share it); `title` heads the Markdown. */
export function renderFindings(
  format: AuditFormat,
  findings: readonly Finding[],
  summary: AuditSummary,
  caveats: readonly string[],
  colour: boolean,
  title = 'audit',
): string {
  switch (format) {
    case 'text':
      return renderText(findings, summary, colour);
    case 'json':
      return renderJson(findings, summary, caveats);
    case 'md':
      return renderMarkdown(findings, summary, caveats).replace(/^# kubereach audit/, `# kubereach ${title}`);
    case 'sarif':
      return renderSarif(findings, caveats);
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
