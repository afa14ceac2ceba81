/**
 * The pull-request action (`action.yml` at the repository root runs this): the reachability diff of
 * the change, the expectations file, and the audit as SARIF, reported where a reviewer looks.
 *
 *   1. `kubereach diff --base BASE -f PATH... -o md --explain [--fail-on-new KIND]`  the Markdown table
 *   2. `kubereach assert EXPECTATIONS -f PATH... -o json`                           when expectations are given
 *   3. `kubereach audit -f PATH... -o sarif` to a file                              for code scanning
 *   4. the job summary ($GITHUB_STEP_SUMMARY) gets the report; outputs go to $GITHUB_OUTPUT
 *   5. on a pull_request event, with comment on: ONE comment on the pull request, found again by
 *      its hidden marker and updated in place, so a PR pushed ten times has one comment, not ten
 *
 * The commands run in this process through `run(argv, io)` (the same code as the binary), in the
 * workspace (GITHUB_WORKSPACE). Everything GitHub-specific (environment names, the REST calls) is
 * here, with the API base URL and fetch injectable so tests run against a local server.
 *
 * The step fails (exit 1) when the diff opens what `fail-on-new` forbids, or an expectation fails;
 * exit 2 when an input is bad (the commands' own exit 2). Audit findings never fail the step: they
 * go to code scanning, which has its own gate. A comment that cannot be posted (a fork's read-only
 * token) is a warning annotation, not a failure: the verdict is in the summary and the exit code.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { run } from '../run.js';
import { memoryIO } from '../io.js';
import { mdCode, mdText } from '../format/escape.js';

/** The hidden line that identifies the action's comment; a tag tells several uses in one PR apart. */
export function commentMarker(tag: string): string {
  return `<!-- kubereach-pr-action${tag === '' ? '' : `:${tag.replace(/[^A-Za-z0-9._-]/g, '_')}`} -->`;
}

/** GitHub rejects comment bodies above 65536 characters. */
export const MAX_COMMENT = 65536;

export interface ActionContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The action's log (stdout of the step): progress and workflow commands (::warning::). */
  readonly log: (line: string) => void;
  /** For tests: a fetch that reaches the local stand-in for the GitHub API. */
  readonly fetch?: typeof fetch;
}

interface Inputs {
  readonly paths: string[];
  readonly base: string;
  readonly failOnNew: 'sensitive' | 'any' | null;
  readonly expectations: string | null;
  readonly comment: boolean;
  readonly commentTag: string;
  readonly sarif: string | null;
  readonly token: string;
}

class InputError extends Error {}

function input(env: ActionContext['env'], name: string): string {
  // action.yml passes each input as INPUT_<NAME>, upper case with '-' as '_' (a shell-safe name)
  return (env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] ?? '').trim();
}

function readInputs(env: ActionContext['env']): Inputs {
  const paths = input(env, 'paths')
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('#'));
  let base = input(env, 'base');
  if (base === '') {
    const target = (env['GITHUB_BASE_REF'] ?? '').trim();
    if (target === '')
      throw new InputError('input base is empty and this is not a pull_request run (GITHUB_BASE_REF is unset): give base, e.g. base: origin/main');
    base = `origin/${target}`;
  }
  const fail = input(env, 'fail-on-new') || 'sensitive';
  if (!['sensitive', 'any', 'none'].includes(fail)) throw new InputError(`input fail-on-new is '${fail}': use sensitive, any or none`);
  const comment = (input(env, 'comment') || 'true').toLowerCase();
  if (!['true', 'false'].includes(comment)) throw new InputError(`input comment is '${comment}': use true or false`);
  // unset (a direct run): the action's default; set and empty: no audit
  const sarif = env['INPUT_SARIF'] === undefined ? 'kubereach.sarif' : input(env, 'sarif');
  return {
    paths: paths.length === 0 ? ['.'] : paths,
    base,
    failOnNew: fail === 'none' ? null : (fail as 'sensitive' | 'any'),
    expectations: input(env, 'expectations') || null,
    comment: comment === 'true',
    commentTag: input(env, 'comment-tag'),
    sarif: sarif === '' || sarif === 'false' ? null : sarif,
    token: input(env, 'github-token'),
  };
}

/** One CLI command, in process, in the workspace. */
async function kubereach(argv: string[], cwd: string, env: ActionContext['env']): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO('', { cwd, env: { NO_COLOR: '1', HOME: env['HOME'], KUBECONFIG: env['KUBECONFIG'] } });
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** A fenced block that no backtick run inside can close. */
function fenced(text: string): string {
  let longest = 2;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text.replace(/\n+$/, '')}\n${fence}`;
}

/** A workflow command's message (`::error file=F::MESSAGE`): %, CR and LF escaped as the runner wants. */
function cmdData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function cmdProp(s: string): string {
  return cmdData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

interface AssertJson {
  expectations: {
    name: string;
    verdict: string;
    reason: string | null;
    location: { file: string; line: number; col: number };
    holds: boolean;
    failedPairs: number;
    failures: { src: string; dst: string; conn: string; decidedBy: string }[];
    notes: string[];
  }[];
  summary: { total: number; passed: number; failed: number };
  caveats: string[];
}

function assertMd(r: AssertJson): string[] {
  const lines = [`### kubereach assert: ${r.summary.total} expectations, ${r.summary.passed} hold, ${r.summary.failed} fail`, ''];
  if (r.caveats.length > 0) lines.push('> **Caveats**', '>', ...r.caveats.map((c) => `> - ${mdText(c)}`), '');
  lines.push('| Result | Expectation | Reason | Where | First failing pair |', '|---|---|---|---|---|');
  for (const e of r.expectations) {
    const f = e.failures[0];
    const first =
      f === undefined
        ? ''
        : `${mdCode(`${f.src} -> ${f.dst}`)}: ${e.verdict === 'deny' ? `allowed ${mdText(f.conn)}` : f.conn === 'No Connections' ? 'denied' : `only ${mdText(f.conn)}`}; ${mdText(f.decidedBy)}${e.failedPairs > 1 ? ` (and ${e.failedPairs - 1} more)` : ''}`;
    lines.push(
      `| ${e.holds ? 'PASS' : '**FAIL**'} | ${mdCode(e.name)} | ${e.reason === null ? '' : mdText(e.reason)} | ${mdCode(`${e.location.file}:${e.location.line}:${e.location.col}`)} | ${first} |`,
    );
  }
  return lines;
}

interface Page {
  status: number;
  json: unknown;
  link: string | null;
}

async function api(ctx: ActionContext, token: string, method: string, url: string, body?: unknown): Promise<Page> {
  const f = ctx.fetch ?? fetch;
  const res = await f(url, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'kubereach-pr-action',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, link: res.headers.get('link') };
}

function nextLink(link: string | null): string | null {
  if (link === null) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (m !== null) return m[1]!;
  }
  return null;
}

/** Posts the comment, or updates the one carrying the marker. Returns its URL, or throws with why. */
export async function upsertComment(
  ctx: ActionContext,
  opts: { apiUrl: string; repository: string; pr: number; token: string; marker: string; body: string },
): Promise<{ url: string; action: 'created' | 'updated' }> {
  const base = opts.apiUrl.replace(/\/+$/, '');
  const [owner, repo] = opts.repository.split('/');
  if (owner === undefined || repo === undefined || owner === '' || repo === '') throw new Error(`GITHUB_REPOSITORY '${opts.repository}' is not OWNER/REPO`);
  const repoPath = `${base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  let url: string | null = `${repoPath}/issues/${opts.pr}/comments?per_page=100`;
  let found: number | null = null;
  // every page is read: the comment may be old and far down a busy pull request
  for (let pages = 0; url !== null && pages < 100 && found === null; pages++) {
    const page = await api(ctx, opts.token, 'GET', url);
    if (page.status !== 200 || !Array.isArray(page.json)) throw new Error(`listing the pull request's comments: HTTP ${page.status}`);
    for (const c of page.json as { id?: unknown; body?: unknown }[]) {
      if (typeof c.id === 'number' && typeof c.body === 'string' && c.body.startsWith(opts.marker)) {
        found = c.id;
        break;
      }
    }
    url = nextLink(page.link);
  }
  const res =
    found === null
      ? await api(ctx, opts.token, 'POST', `${repoPath}/issues/${opts.pr}/comments`, { body: opts.body })
      : await api(ctx, opts.token, 'PATCH', `${repoPath}/issues/comments/${found}`, { body: opts.body });
  const ok = found === null ? res.status === 201 : res.status === 200;
  if (!ok) throw new Error(`${found === null ? 'creating' : 'updating'} the comment: HTTP ${res.status}`);
  const html = (res.json as { html_url?: unknown } | null)?.html_url;
  return { url: typeof html === 'string' ? html : '', action: found === null ? 'created' : 'updated' };
}

function prNumber(env: ActionContext['env']): number | null {
  const path = env['GITHUB_EVENT_PATH'];
  if (path === undefined || path === '') return null;
  try {
    const ev = JSON.parse(readFileSync(path, 'utf8')) as { pull_request?: { number?: unknown } };
    const n = ev.pull_request?.number;
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** Runs the action; returns the step's exit code. */
export async function runAction(ctx: ActionContext): Promise<number> {
  const env = ctx.env;
  const cwd = env['GITHUB_WORKSPACE'] || process.cwd();
  const outputs: [string, string][] = [];
  const summary: string[] = [];
  const finish = (code: number): number => {
    const out = env['GITHUB_OUTPUT'];
    if (out) appendFileSync(out, outputs.map(([k, v]) => `${k}=${v.replace(/[\r\n]+/g, ' ')}\n`).join(''));
    const sum = env['GITHUB_STEP_SUMMARY'];
    if (sum) appendFileSync(sum, `${summary.join('\n')}\n`);
    return code;
  };
  let inputs: Inputs;
  try {
    inputs = readInputs(env);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    ctx.log(`::error title=kubereach::${cmdData(e.message)}`);
    summary.push('## kubereach', '', `**Bad input:** ${mdText(e.message)}`);
    return finish(2);
  }
  const f = inputs.paths.flatMap((p) => ['-f', p]);
  summary.push('## kubereach', '', `Reachability of ${inputs.paths.map((p) => mdCode(p)).join(', ')} against ${mdCode(inputs.base)}.`, '');

  // 1. the diff
  const diffArgv = ['diff', '--base', inputs.base, ...f, '-o', 'md', '--explain', ...(inputs.failOnNew === null ? [] : ['--fail-on-new', inputs.failOnNew])];
  ctx.log(`kubereach ${diffArgv.join(' ')}`);
  const diff = await kubereach(diffArgv, cwd, env);
  if (diff.err !== '') ctx.log(diff.err.replace(/\n$/, ''));
  outputs.push(['diff-exit-code', String(diff.code)]);
  if (diff.code === 2) summary.push('### kubereach diff: bad input', '', fenced(diff.err), '');
  else summary.push(diff.out.replace(/\n$/, ''), '');
  // the diff's own exit: 1 means changes, or (with fail-on-new) forbidden widening
  const changed = diff.code === 1 || (diff.code === 0 && !/No reachability changes\./.test(diff.out));
  outputs.push(['changed', diff.code === 2 ? 'unknown' : String(changed)]);
  const diffFails = diff.code === 2 || (inputs.failOnNew !== null && diff.code === 1);
  if (inputs.failOnNew !== null && diff.code === 1)
    summary.push(
      `:x: The change adds reachability (${inputs.failOnNew === 'any' ? 'any new connection' : 'to sensitive targets'}), which \`fail-on-new: ${inputs.failOnNew}\` forbids.`,
      '',
    );

  // 2. the expectations
  let assertFails = false;
  if (inputs.expectations !== null) {
    const argv = ['assert', inputs.expectations, ...f, '-o', 'json'];
    ctx.log(`kubereach ${argv.join(' ')}`);
    const a = await kubereach(argv, cwd, env);
    outputs.push(['assert-exit-code', String(a.code)]);
    assertFails = a.code !== 0;
    if (a.code === 2) {
      ctx.log(a.err.replace(/\n$/, ''));
      summary.push('### kubereach assert: bad input', '', fenced(a.err), '');
    } else {
      const r = JSON.parse(a.out) as AssertJson;
      summary.push(...assertMd(r), '');
      for (const e of r.expectations.filter((x) => !x.holds)) {
        const fl = e.failures[0];
        const msg = `${e.name}${e.reason === null ? '' : ` (${e.reason})`} does not hold${fl === undefined ? '' : `: ${fl.src} -> ${fl.dst}: ${e.verdict === 'deny' ? `allowed ${fl.conn}` : fl.conn}; ${fl.decidedBy}`}`;
        ctx.log(`::error file=${cmdProp(e.location.file)},line=${e.location.line},col=${e.location.col},title=kubereach assert::${cmdData(msg)}`);
      }
    }
  }

  // 3. the audit, for code scanning
  if (inputs.sarif !== null) {
    const argv = ['audit', ...f, '-o', 'sarif', '--fail-on', 'high'];
    ctx.log(`kubereach ${argv.join(' ')}`);
    const a = await kubereach(argv, cwd, env);
    outputs.push(['audit-exit-code', String(a.code)]);
    if (a.code === 2) {
      ctx.log(`::warning title=kubereach audit::${cmdData(a.err)}`);
    } else {
      const file = isAbsolute(inputs.sarif) ? inputs.sarif : resolve(cwd, inputs.sarif);
      writeFileSync(file, a.out);
      outputs.push(['sarif-file', file]);
      const results = ((JSON.parse(a.out) as { runs?: { results?: { properties?: { severity?: string } }[] }[] }).runs ?? []).flatMap((r) => r.results ?? []);
      const by = ['high', 'medium', 'low', 'info']
        .map((sev) => [sev, results.filter((x) => x.properties?.severity === sev).length] as const)
        .filter(([, n]) => n > 0);
      const n = results.length;
      summary.push(
        `Audit of the change's result: ${n} finding${n === 1 ? '' : 's'}${by.length > 0 ? ` (${by.map(([sev, k]) => `${k} ${sev}`).join(', ')})` : ''} in ${mdCode(inputs.sarif)}, SARIF for code scanning.`,
        '',
      );
    }
  }

  const failed = diffFails || assertFails;
  const code = diff.code === 2 || (inputs.expectations !== null && outputs.some(([k, v]) => k === 'assert-exit-code' && v === '2')) ? 2 : failed ? 1 : 0;
  summary.push(code === 0 ? '**kubereach: passed.**' : code === 1 ? '**kubereach: failed.**' : '**kubereach: bad input.**');

  // 4. the comment
  if (inputs.comment) {
    const pr = prNumber(env);
    if (pr === null) ctx.log('kubereach: not a pull request event: no comment posted (the report is in the job summary)');
    else if (inputs.token === '') ctx.log('::warning title=kubereach::no github-token: the pull-request comment was not posted');
    else {
      const marker = commentMarker(inputs.commentTag);
      let body = `${marker}\n${summary.join('\n')}\n`;
      if (body.length > MAX_COMMENT) {
        const note = '\n\n_Truncated: the whole report is in the job summary._\n';
        body = `${body.slice(0, MAX_COMMENT - note.length)}${note}`;
      }
      try {
        const r = await upsertComment(ctx, {
          apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
          repository: env['GITHUB_REPOSITORY'] ?? '',
          pr,
          token: inputs.token,
          marker,
          body,
        });
        ctx.log(`kubereach: ${r.action} the pull-request comment ${r.url}`);
        outputs.push(['comment-url', r.url]);
      } catch (e) {
        ctx.log(
          `::warning title=kubereach::the pull-request comment was not posted: ${cmdData(e instanceof Error ? e.message : String(e))} (a pull request from a fork gets a read-only token; the report is in the job summary)`,
        );
      }
    }
  }
  return finish(code);
}
