/**
 * Hostile names through every formatter: a name may hold control characters (ESC, BEL, CR, NUL),
 * newlines, backticks, pipes, `<img ...>`, Markdown markup and spreadsheet formula starters. Whatever
 * it holds, each output keeps its structure: text has one line per entry and no raw control
 * character; a Markdown table parsed by a real CommonMark/GFM parser (markdown-it, raw HTML and
 * linkify on, as GitHub comments allow) has one row per entry with the right cell count, each name
 * rendered as its text and no HTML element from the input; CSV parsed by a real parser (csv-parse)
 * has the right rows and fields, none starting a formula; DOT has one edge line per entry; JSON
 * round-trips the names unchanged.
 */
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ConnectionSet, escapeControl, type Finding, type MatrixEntry, type ReachabilityDiff } from '@kubereach/core';
import { renderMatrix } from '../../src/format/matrix.js';
import { renderDiff } from '../../src/format/diff.js';
import { renderJson as auditJson, renderMarkdown as auditMd, renderSarif, renderText as auditText, type AuditSummary } from '../../src/format/findings.js';
import { csvCell, mdCode, mdText } from '../../src/format/escape.js';

/** Any character a terminal acts on, or that breaks a line, or reorders text. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const HOSTILE_PIECES = [
  '\u001b]0;pwned\u0007', // retitle the terminal
  '\u001b[2K\r', // erase the line, back to its start
  '\n',
  '\r\n',
  '\r',
  '\t',
  '\u0000',
  '\u009b31m',
  '\u2028',
  '\u202e',
  '`',
  '``',
  '|',
  '\\|',
  '\\',
  '<img src=x onerror=alert(1)>',
  '</td>',
  '<br>',
  '&amp;',
  '&lt;',
  '*',
  '_',
  '**b**',
  '[x](http://evil)',
  '![i](http://evil/i.png)',
  'http://evil.example',
  '~~s~~',
  'www.evil.example',
  'a@b.io',
  '=1+2',
  '+1',
  '-1',
  '@SUM(A1)',
  '=HYPERLINK("http://evil")',
  '"',
  ',',
  "'",
  ' => ',
  ' : ',
  'ns1/b[Pod] => ns1/a[Pod] : FORGED',
];

const hostile = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ maxLength: 4 }), fc.constantFrom('a', 'ns/x', '[Pod]')), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(''));

function entity(id: string): MatrixEntry['src'] {
  return { id } as MatrixEntry['src'];
}

const CONN = [ConnectionSet.ALL, ConnectionSet.port('TCP', 80), ConnectionSet.port('UDP', 53, 60)];

const entries = fc
  .array(fc.tuple(hostile, hostile, fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 5 })
  .map((rows) => rows.map(([s, d, c]): MatrixEntry => ({ src: entity(s), dst: entity(d), conn: CONN[c]! })));

// links as GitHub makes them from bare text: `scheme://`, `www.` (fuzzy `example.com` it leaves alone),
// e-mail addresses
const gfm = new MarkdownIt({ html: true, linkify: true });
gfm.linkify.set({ fuzzyLink: false });

interface Cell {
  readonly text: string;
  readonly html: string;
}

/** The rows of the first table in `md`, each a list of cells with their text content and inner HTML. */
function tableRows(md: string): Cell[][] {
  const tokens = gfm.parse(md, {});
  const rows: Cell[][] = [];
  let row: Cell[] | null = null;
  let inBody = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'tbody_open') inBody = true;
    else if (t.type === 'tbody_close') inBody = false;
    else if (inBody && t.type === 'tr_open') row = [];
    else if (inBody && t.type === 'tr_close') {
      rows.push(row!);
      row = null;
    } else if (row !== null && t.type === 'inline') {
      const text = (t.children ?? []).map((c) => (c.type === 'code_inline' || c.type === 'text' ? c.content : c.type === 'softbreak' ? '\n' : '')).join('');
      row.push({ text, html: gfm.renderer.renderInline(t.children ?? [], gfm.options, {}) });
    }
  }
  return rows;
}

/** Inline HTML a name could have smuggled in: any element besides the ones the renderer itself makes. */
function smuggledHtml(html: string): boolean {
  const withoutOurs = html.replace(/<\/?code>/g, '').replace(/<br>/g, '');
  return /<[a-zA-Z/!]/.test(withoutOurs);
}

describe('every formatter keeps its structure whatever the names hold (property)', () => {
  it('matrix: text, csv, md, dot, json', () => {
    fc.assert(
      fc.property(entries, (es) => {
        const ids = [...new Set(es.flatMap((e) => [e.src.id, e.dst.id]))];
        // text: one line per entry, nothing raw a terminal acts on
        const text = renderMatrix(es, ids, 'text');
        expect(text.split('\n')).toHaveLength(es.length + 1);
        expect(CONTROL.test(text)).toBe(false);
        text
          .split('\n')
          .slice(0, -1)
          .forEach((line, i) => {
            expect(line).toBe(`${escapeControl(es[i]!.src.id)} => ${escapeControl(es[i]!.dst.id)} : ${es[i]!.conn.toString()}`);
          });
        // csv: a real parser sees a header and one 3-field record per entry; no field is a formula
        const csv = renderMatrix(es, ids, 'csv');
        expect(CONTROL.test(csv.replace(/\n/g, ''))).toBe(false);
        const records = parseCsv(csv, { relax_column_count: false }) as string[][];
        expect(records).toHaveLength(es.length + 1);
        records.slice(1).forEach((r, i) => {
          expect(r).toHaveLength(3);
          for (const f of r) expect(f).not.toMatch(/^[=+\-@\t\r]/);
          const unprefixed = (f: string, raw: string) => (/^[=+\-@\t\r]/.test(raw) ? f.slice(1) : f);
          expect(unprefixed(r[0]!, es[i]!.src.id)).toBe(escapeControl(es[i]!.src.id));
          expect(unprefixed(r[1]!, es[i]!.dst.id)).toBe(escapeControl(es[i]!.dst.id));
        });
        // md: a real GFM parser sees one 3-cell row per entry, each name as its own text, no HTML
        const md = renderMatrix(es, ids, 'md');
        expect(md.split('\n')).toHaveLength(es.length + 3);
        const rows = tableRows(md);
        expect(rows).toHaveLength(es.length);
        rows.forEach((r, i) => {
          expect(r).toHaveLength(3);
          expect(r[0]!.text).toBe(escapeControl(es[i]!.src.id));
          expect(r[1]!.text).toBe(escapeControl(es[i]!.dst.id));
          for (const c of r) expect(smuggledHtml(c.html), c.html).toBe(false);
        });
        // dot: header lines, one node line per endpoint, one edge line per entry, closing brace
        const dot = renderMatrix(es, ids, 'dot');
        expect(CONTROL.test(dot.replace(/\n/g, ''))).toBe(false);
        expect(dot.split('\n').filter((l) => l.includes(' -> '))).toHaveLength(es.length);
        // json: the names unchanged
        const json = JSON.parse(renderMatrix(es, ids, 'json')) as { connections: { src: string; dst: string }[] };
        expect(json.connections.map((c) => [c.src, c.dst])).toEqual(es.map((e) => [e.src.id, e.dst.id]));
      }),
      { numRuns: 150 },
    );
  });

  it('diff: text, md (with causes), json', () => {
    fc.assert(
      fc.property(entries, entries, (add, chg) => {
        const d: ReachabilityDiff = {
          added: add.map((e) => ({ src: e.src.id, dst: e.dst.id, conn: e.conn })),
          removed: [],
          changed: chg.map((e) => ({ src: e.src.id, dst: e.dst.id, before: ConnectionSet.NONE.union(ConnectionSet.port('TCP', 1)), after: e.conn })),
        };
        const n = add.length + chg.length;
        const text = renderDiff(d, 'text');
        expect(text.split('\n')).toHaveLength(n + 1);
        expect(CONTROL.test(text)).toBe(false);
        const causes = new Map(
          [...add.map((e) => `added ${e.src.id} ${e.dst.id}`), ...chg.map((e) => `changed ${e.src.id} ${e.dst.id}`)].map((k, i) => [
            k,
            [{ kind: 'policy-added' as const, policy: `${add[0]!.src.id}${i}`, location: { file: add[0]!.dst.id, line: 1, col: 1, doc: 0 } }],
          ]),
        );
        for (const withCauses of [false, true]) {
          const md = renderDiff(d, 'md', withCauses ? (causes as never) : null);
          const rows = tableRows(md);
          expect(rows).toHaveLength(n);
          for (const r of rows) {
            expect(r).toHaveLength(withCauses ? 7 : 6);
            for (const c of r) expect(smuggledHtml(c.html), c.html).toBe(false);
          }
          const srcs = rows.map((r) => r[1]!.text).sort();
          expect(srcs).toEqual([...add, ...chg].map((e) => escapeControl(e.src.id)).sort());
        }
        const json = JSON.parse(renderDiff(d, 'json')) as { added: { src: string }[] };
        expect(json.added.map((a) => a.src)).toEqual(add.map((e) => e.src.id));
      }),
      { numRuns: 100 },
    );
  });

  it('audit: text, md, json, sarif', () => {
    const finding = fc.tuple(hostile, hostile, hostile).map(([subject, message, file]): Finding => ({
      id: 'METADATA_REACHABLE',
      severity: 'high',
      subject,
      message: `${subject} can reach ${message}`,
      evidence: `allowed by ${message}`,
      fix: `deny ${subject}`,
      location: { file, line: 3, col: 5, doc: 0 },
    }));
    fc.assert(
      fc.property(fc.array(finding, { minLength: 1, maxLength: 4 }), (fs) => {
        const summary: AuditSummary = {
          total: fs.length,
          bySeverity: { high: fs.length, medium: 0, low: 0, info: 0 },
          byId: { METADATA_REACHABLE: fs.length },
          failOn: 'high',
          failed: true,
          workloads: 1,
          namespaces: 1,
        };
        const text = auditText(fs, summary, false);
        expect(CONTROL.test(text)).toBe(false);
        // a heading, 5 lines per finding, a blank line, the summary line, the final newline
        expect(text.split('\n')).toHaveLength(1 + 5 * fs.length + 1 + 1 + 1);
        const md = auditMd(fs, summary);
        const rows = tableRows(md);
        expect(rows).toHaveLength(fs.length);
        rows.forEach((r, i) => {
          expect(r).toHaveLength(5);
          expect(r[2]!.text).toBe(escapeControl(fs[i]!.subject));
          expect(r[3]!.text).toBe(escapeControl(fs[i]!.message).trim()); // a table cell is trimmed
          for (const c of r) expect(smuggledHtml(c.html), c.html).toBe(false);
        });
        // the list of fixes: one item per distinct fix, no HTML from the input anywhere in the page
        expect(smuggledHtml(gfm.render(md).replace(/<\/?(h1|h2|p|table|thead|tbody|tr|th|td|ul|li|strong)( [^>]*)?>/g, ''))).toBe(false);
        expect((JSON.parse(auditJson(fs, summary)) as { findings: Finding[] }).findings.map((f) => f.subject)).toEqual(fs.map((f) => f.subject));
        const sarif = JSON.parse(renderSarif(fs)) as { runs: { results: { properties: { subject: string } }[] }[] };
        expect(sarif.runs[0]!.results.map((r) => r.properties.subject)).toEqual(fs.map((f) => f.subject));
      }),
      { numRuns: 100 },
    );
  });
});

describe('escape helpers, case by case', () => {
  it('CSV: formula starters get a leading quote (OWASP CSV injection)', () => {
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\\tx");
    expect(csvCell('\rx')).toBe("'\\rx");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('=a,"b"')).toBe(`"'=a,""b"""`);
    expect(csvCell('ns/web[Deployment]')).toBe('ns/web[Deployment]');
  });

  it('Markdown: a code span longer than any backtick run, pipes escaped; prose escaped', () => {
    expect(mdCode('ns/a[Pod]')).toBe('`ns/a[Pod]`');
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x')).toBe('`` `x ``');
    expect(mdCode('a|b\nc')).toBe('`a\\|b\\nc`');
    expect(mdText('<img src=x> *b* [l](u) a|b http://x u@e.io see www.e.io 1.2')).toBe(
      '&lt;img src=x&gt; \\*b\\* \\[l\\](u) a\\|b http\\://x u\\@e.io see www\\.e.io 1.2',
    );
  });

  it('the reported reproduction: a backtick and <img> in a pod name stay inside the code span of diff -o md', () => {
    const name = 'ns/a`<img src=x onerror=alert(1)>`[Pod]';
    const md = renderDiff({ added: [{ src: name, dst: 'ns/b[Pod]', conn: ConnectionSet.ALL }], removed: [], changed: [] }, 'md');
    const html = gfm.render(md);
    expect(html).not.toContain('<img');
    expect(tableRows(md)[0]![1]!.text).toBe(name);
  });

  it('the reported reproduction: a newline in a name does not forge a matrix line', () => {
    const es: MatrixEntry[] = [{ src: entity('ns1/a\nns1/b[Pod] => ns1/a[Pod] : FORGED'), dst: entity('ns1/c[Pod]'), conn: ConnectionSet.ALL }];
    expect(renderMatrix(es, [], 'text')).toBe('ns1/a\\nns1/b[Pod] => ns1/a[Pod] : FORGED => ns1/c[Pod] : All Connections\n');
  });
});
