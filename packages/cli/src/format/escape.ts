/**
 * Escaping for each output format. Every value that comes from the input (names, namespaces, label
 * values, file paths, messages quoting them) passes through the function of its format before it is
 * written, so it keeps the structure the format gives it: one line in text, one cell in a Markdown
 * table or a CSV row, inert text (no HTML, no links, no emphasis) in a pull-request comment, data
 * (never a formula) in a spreadsheet.
 *
 * | format | helper      | what is neutralised                                                          |
 * |--------|-------------|-------------------------------------------------------------------------------|
 * | text   | `txt`       | control, line-separator and bidi characters (as `\n`, `\x1b`, `\u202e`)       |
 * | md     | `mdCode`    | a code span long enough for any backtick run, `\|` for the table              |
 * | md     | `mdText`    | inline Markdown punctuation backslash-escaped, and the `@`, `://`, `www.` of autolinks; `< > & "` as entities |
 * | csv    | `csvCell`   | `= + - @ TAB CR` first characters prefixed with `'`; controls escaped; RFC 4180 quoting |
 * | dot    | `dotString` | quotes and backslashes                                                       |
 * JSON and SARIF need none of these: JSON.stringify escapes control characters itself. The HTML
 * report never builds markup from strings (values reach the DOM as text nodes and attributes).
 */
import { escapeControl } from '@kubereach/core';

/** A value in plain-text output: one line, nothing a terminal acts on. */
export function txt(s: string): string {
  return escapeControl(s);
}

/** A value as an inline code span in Markdown (also inside a table cell). */
export function mdCode(s: string): string {
  const body = escapeControl(s).replace(/\|/g, '\\|');
  let longest = 0;
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  if (body === '') return '';
  // CommonMark strips one space from each end of a span that has a space at both ends (and is not
  // all spaces); a span starting or ending with a backtick needs a space to part it from the fence.
  // Padding with one space in both cases makes the stripping remove exactly the padding.
  const allSpaces = body.trim() === '' && !/[^ ]/.test(body);
  const pad = body.startsWith('`') || body.endsWith('`') || (!allSpaces && body.startsWith(' ') && body.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A value as Markdown text (prose, table cell): every character that could start markup is escaped. */
export function mdText(s: string): string {
  // values sit inside a table cell or a list item, never at a line start, so the block markers
  // (`#`, `-`, `1.`) are harmless; these are the inline ones
  // (`#`, `-`, `1.`) are harmless; these are the inline ones. Autolinks (GitHub's: `www.`,
  // `scheme://`, `user@host`) are broken by escaping the character that makes them one.
  return escapeControl(s)
    .replace(/[\\`*_[\]|~@]/g, (c) => `\\${c}`)
    .replace(/:\/\//g, '\\://')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/[&<>"]/g, (c) => ENTITY[c]!);
}

const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A field that a
 * spreadsheet would read as a formula (first character `=`, `+`, `-`, `@`, tab or carriage return,
 * OWASP's list) gets a leading `'`, which spreadsheets show as text.
 */
export function csvCell(s: string): string {
  const v = escapeControl(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A Graphviz quoted string: one line, quotes and backslashes escaped. */
export function dotString(s: string): string {
  return `"${escapeControl(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
