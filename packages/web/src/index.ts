/**
 * @kubereach/web for Node: the HTML report page. The page (scripts and styles inlined, built by
 * build.mjs) is a template with one placeholder for the report's data, so a report is the template
 * plus JSON and opens from file:// with no network.
 */
import { readFileSync } from 'node:fs';
import type { ReportData } from '@kubereach/core';

/** The placeholder build.mjs leaves in dist/report.html where the data goes. */
export const DATA_PLACEHOLDER = '"__KUBEREACH_REPORT_DATA__"';

let template: string | null = null;

/**
 * JSON that is safe inside a `<script>` element: `<` (so no `</script>` or `<!--` can close it) and
 * the two line separators JavaScript once rejected are escaped; JSON.parse reads them back unchanged.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The report page with `data` in it: one self-contained HTML document. */
export function reportHtml(data: ReportData): string {
  template ??= readFileSync(new URL('./report.html', import.meta.url), 'utf8');
  const at = template.indexOf(DATA_PLACEHOLDER);
  if (at < 0) throw new Error('the report template has no data placeholder: rebuild @kubereach/web (npm run build)');
  return template.slice(0, at) + scriptSafeJson(data) + template.slice(at + DATA_PLACEHOLDER.length);
}
