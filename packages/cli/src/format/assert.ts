/** `assert` reports: text, json, and JUnit XML (one test case per expectation, for CI test views). */
import { formatLocation, type ExpectationResult } from '@kubereach/core';
import { txt } from './escape.js';

export type AssertFormat = 'text' | 'json' | 'junit';
export const ASSERT_FORMATS: readonly AssertFormat[] = ['text', 'json', 'junit'];

function failureLines(r: ExpectationResult): string[] {
  const lines = r.failures.map(
    (f) =>
      `${txt(f.src)} -> ${txt(f.dst)}: ${r.expectation.verdict === 'deny' ? `allowed ${f.conn.toString()}` : f.conn.isEmpty() ? 'denied' : `only ${f.conn.toString()}`}; ${txt(f.decidedBy)}`,
  );
  if (r.failedPairs > r.failures.length) lines.push(`... and ${r.failedPairs - r.failures.length} more failing pairs`);
  return [...lines, ...r.notes.map((n) => `note: ${txt(n)}`)];
}

export function renderAssertText(results: readonly ExpectationResult[], caveats: readonly string[] = []): string {
  const out: string[] = caveats.map((c) => `caveat: ${txt(c)}`);
  for (const r of results) {
    const ex = r.expectation;
    out.push(`${r.holds ? 'PASS' : 'FAIL'}  ${txt(ex.name)}${ex.reason === null ? '' : `  (${txt(ex.reason)})`}  [${txt(formatLocation(ex.location))}]`);
    if (!r.holds) for (const l of failureLines(r)) out.push(`      ${l}`);
    else for (const n of r.notes) out.push(`      note: ${txt(n)}`);
  }
  const failed = results.filter((r) => !r.holds).length;
  out.push('', `${results.length} expectation${results.length === 1 ? '' : 's'}: ${results.length - failed} hold, ${failed} fail.`);
  return `${out.join('\n')}\n`;
}

export function renderAssertJson(results: readonly ExpectationResult[], caveats: readonly string[] = []): string {
  const failed = results.filter((r) => !r.holds).length;
  return `${JSON.stringify(
    {
      expectations: results.map((r) => ({
        name: r.expectation.name,
        verdict: r.expectation.verdict,
        reason: r.expectation.reason,
        location: r.expectation.location,
        holds: r.holds,
        pairs: r.pairs,
        failedPairs: r.failedPairs,
        failures: r.failures.map((f) => ({ src: f.src, dst: f.dst, conn: f.conn.toString(), decidedBy: f.decidedBy, location: f.location })),
        notes: r.notes,
      })),
      summary: { total: results.length, passed: results.length - failed, failed },
      caveats,
    },
    null,
    2,
  )}\n`;
}

function xml(s: string): string {
  // XML 1.0 forbids most control characters even escaped: drop them
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function renderAssertJunit(results: readonly ExpectationResult[], suite: string, caveats: readonly string[] = []): string {
  const failed = results.filter((r) => !r.holds).length;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="kubereach assert" tests="${results.length}" failures="${failed}" errors="0">`];
  lines.push(`  <testsuite name="${xml(suite)}" tests="${results.length}" failures="${failed}" errors="0" skipped="0">`);
  if (caveats.length > 0) {
    lines.push('    <properties>');
    for (const c of caveats) lines.push(`      <property name="caveat" value="${xml(c)}"/>`);
    lines.push('    </properties>');
  }
  for (const r of results) {
    const ex = r.expectation;
    const name = `${ex.name}${ex.reason === null ? '' : ` (${ex.reason})`}`;
    const attrs = `classname="${xml(`kubereach.${ex.verdict}`)}" name="${xml(name)}" file="${xml(ex.location.file)}" line="${ex.location.line}"`;
    if (r.holds) {
      lines.push(`    <testcase ${attrs}/>`);
      continue;
    }
    const body = failureLines(r);
    lines.push(`    <testcase ${attrs}>`);
    lines.push(
      `      <failure message="${xml(`${r.failedPairs} failing pair${r.failedPairs === 1 ? '' : 's'} at ${formatLocation(ex.location)}`)}" type="${xml(ex.verdict)}">${xml(body.join('\n'))}</failure>`,
    );
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}
