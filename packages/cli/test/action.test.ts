/**
 * The pull-request action (action.yml -> packages/cli/src/action/pr-action.ts), run as GitHub would
 * run it but never against GitHub: a git repository made here with two commits (the base: shop/web
 * may reach DNS only; the head: adds "HTTPS to 0.0.0.0/0 except 10/8", which also opens the metadata
 * service), GITHUB_STEP_SUMMARY / GITHUB_OUTPUT / GITHUB_EVENT_PATH as temp files, and a local HTTP
 * server standing in for the REST API's issue-comment endpoints. Expected values were checked by hand
 * against the fixture: 2 added pairs (the two external ranges around 10/8, on TCP 443; the upper one
 * holds 169.254.169.254), the deny-metadata expectation fails at expectations.yaml:7:5 by rule 1 of
 * shop/web-egress (deploy/policies.yaml:13:5), the DNS allow holds.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { commentMarker, runAction } from '../src/action/pr-action.js';

const FIX = 'fixtures/diff/metadata-egress';
const EXPECTATIONS = `allow:
  - from: shop/web
    to: kube-system/coredns
    port: 53/UDP
    reason: name resolution
deny:
  - from: shop/web
    to: metadata
    reason: no node credentials
`;

interface Recorded {
  method: string;
  path: string;
  auth: string | undefined;
  apiVersion: string | undefined;
  body: unknown;
}

/** The comment endpoints of the REST API, over an in-memory list, recording every request. */
class FakeGitHub {
  readonly requests: Recorded[] = [];
  comments: { id: number; body: string; user: { login: string } }[] = [];
  failWith: number | null = null;
  private nextId = 1000;
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(([status, body, headers]) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body === undefined ? '' : JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }
  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown, Record<string, string>?]> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const u = new URL(req.url ?? '/', this.url);
    this.requests.push({
      method: req.method ?? '',
      path: `${u.pathname}${u.search}`,
      auth: req.headers.authorization,
      apiVersion: req.headers['x-github-api-version'] as string | undefined,
      body: text === '' ? undefined : JSON.parse(text),
    });
    if (this.failWith !== null && req.method !== 'GET') return [this.failWith, { message: 'Resource not accessible by integration' }];
    const list = /^\/repos\/acme\/shop\/issues\/7\/comments$/.exec(u.pathname);
    if (list !== null && req.method === 'GET') {
      const per = Number(u.searchParams.get('per_page') ?? 30);
      const page = Number(u.searchParams.get('page') ?? 1);
      const items = this.comments.slice((page - 1) * per, page * per);
      const last = Math.max(1, Math.ceil(this.comments.length / per));
      const link =
        page < last
          ? {
              link: `<${this.url}/repos/acme/shop/issues/7/comments?per_page=${per}&page=${page + 1}>; rel="next", <${this.url}/repos/acme/shop/issues/7/comments?per_page=${per}&page=${last}>; rel="last"`,
            }
          : undefined;
      return [200, items, link];
    }
    if (list !== null && req.method === 'POST') {
      const id = this.nextId++;
      this.comments.push({ id, body: (JSON.parse(text) as { body: string }).body, user: { login: 'github-actions[bot]' } });
      return [201, { id, html_url: `https://github.example/acme/shop/pull/7#issuecomment-${id}` }];
    }
    const one = /^\/repos\/acme\/shop\/issues\/comments\/(\d+)$/.exec(u.pathname);
    if (one !== null && req.method === 'PATCH') {
      const c = this.comments.find((x) => x.id === Number(one[1]));
      if (c === undefined) return [404, { message: 'Not Found' }];
      c.body = (JSON.parse(text) as { body: string }).body;
      return [200, { id: c.id, html_url: `https://github.example/acme/shop/pull/7#issuecomment-${c.id}` }];
    }
    return [404, { message: 'Not Found' }];
  }
}

let root = '';
let repo = '';
const gh = new FakeGitHub();
const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kubereach-action-'));
  repo = join(root, 'repo');
  mkdirSync(join(repo, 'deploy'), { recursive: true });
  git('init', '-q');
  cpSync(`${FIX}/before`, join(repo, 'deploy'), { recursive: true });
  writeFileSync(join(repo, 'expectations.yaml'), EXPECTATIONS);
  git('add', '.');
  git('commit', '-q', '-m', 'base: web reaches DNS only');
  cpSync(`${FIX}/after`, join(repo, 'deploy'), { recursive: true });
  git('commit', '-q', '-am', 'head: HTTPS to the internet');
  writeFileSync(join(root, 'pr.json'), JSON.stringify({ action: 'synchronize', pull_request: { number: 7 } }));
  writeFileSync(join(root, 'push.json'), JSON.stringify({ ref: 'refs/heads/main' }));
  await gh.start();
});
afterAll(async () => {
  await gh.stop();
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

/** One run of the action with fresh summary/output files; returns them and the log. */
async function act(inputs: Record<string, string>, extra: Record<string, string> = {}) {
  const n = Math.random().toString(36).slice(2);
  const summary = join(root, `summary-${n}.md`);
  const output = join(root, `output-${n}.txt`);
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const env: Record<string, string> = {
    GITHUB_WORKSPACE: repo,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    GITHUB_EVENT_PATH: join(root, 'pr.json'),
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_API_URL: gh.url,
    GITHUB_BASE_REF: 'main',
    INPUT_SARIF: 'kubereach.sarif',
    INPUT_GITHUB_TOKEN: 't0ken',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase().replace(/-/g, '_')}`, v])),
    ...extra,
  };
  const log: string[] = [];
  const code = await runAction({ env, log: (l) => log.push(l) });
  return { code, summary: readFileSync(summary, 'utf8'), output: readFileSync(output, 'utf8'), log: log.join('\n') };
}

// Checked by hand against the fixture (see the file comment).
const DIFF_MD = [
  '### kubereach diff: 2 added, 0 removed, 0 changed',
  '',
  '**1 change touches sensitive targets** (metadata service, kube-system, control-plane ports).',
  '',
  '| Change | Source | Destination | Before | After | Sensitive | Caused by |',
  '|---|---|---|---|---|---|---|',
  '| added | `shop/web[Deployment]` | `11.0.0.0-255.255.255.255[External]` | No Connections | TCP 443 | :warning: metadata service 169.254.169.254 | policy `shop/web-egress`: egress rule 1 added (`deploy/policies.yaml:13`) |',
  '| added | `shop/web[Deployment]` | `0.0.0.0-9.255.255.255[External]` | No Connections | TCP 443 |  | policy `shop/web-egress`: egress rule 1 added (`deploy/policies.yaml:13`) |',
];
const ASSERT_MD = [
  '### kubereach assert: 2 expectations, 1 hold, 1 fail',
  '',
  '| Result | Expectation | Reason | Where | First failing pair |',
  '|---|---|---|---|---|',
  '| PASS | `allow shop/web -> kube-system/coredns port 53/UDP` | name resolution | `expectations.yaml:2:5` |  |',
  '| **FAIL** | `deny shop/web -> metadata` | no node credentials | `expectations.yaml:7:5` | `shop/web[Deployment] -> 169.254.169.254-169.254.169.254[External]`: allowed TCP 443; TCP 443: egress of shop/web\\[Deployment\\]: \\[NetworkPolicy shop/web-egress rule 1\\] Allow (deploy/policies.yaml:13:5) (and 1 more) |',
];

describe('the pull-request action on a fixture repository', () => {
  test('first run on a pull request: diff, assert and SARIF in the summary and outputs; ONE comment created (exact request)', async () => {
    gh.requests.length = 0;
    // someone else's 120 comments first: the action must page past them (and a quoted marker is not ours)
    gh.comments = Array.from({ length: 120 }, (_, i) => ({
      id: i + 1,
      body: i === 50 ? `> ${commentMarker('')}\n> quoted` : `comment ${i + 1}`,
      user: { login: 'alice' },
    }));
    const r = await act({ paths: 'deploy', base: 'HEAD~1', expectations: 'expectations.yaml' });
    expect(r.code).toBe(1);
    const summary = [
      '## kubereach',
      '',
      'Reachability of `deploy` against `HEAD~1`.',
      '',
      ...DIFF_MD,
      '',
      ':x: The change adds reachability (to sensitive targets), which `fail-on-new: sensitive` forbids.',
      '',
      ...ASSERT_MD,
      '',
      "Audit of the change's result: 10 findings (2 high, 4 medium, 4 low) in `kubereach.sarif`, SARIF for code scanning.",
      '',
      '**kubereach: failed.**',
      '',
    ].join('\n');
    expect(r.summary).toBe(summary);
    const sarif = join(repo, 'kubereach.sarif');
    expect(r.output).toBe(
      [
        'diff-exit-code=1',
        'changed=true',
        'assert-exit-code=1',
        'audit-exit-code=1',
        `sarif-file=${sarif}`,
        'comment-url=https://github.example/acme/shop/pull/7#issuecomment-1000',
        '',
      ].join('\n'),
    );
    const s = JSON.parse(readFileSync(sarif, 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(s.version).toBe('2.1.0');
    // the after side's audit, by hand: both workloads reach metadata (coredns: not isolated; web: the new rule)
    expect(s.runs[0]!.results.map((x) => x.ruleId)).toEqual([
      'METADATA_REACHABLE',
      'METADATA_REACHABLE',
      'NAMESPACE_NO_DEFAULT_DENY_EGRESS',
      'NAMESPACE_NO_DEFAULT_DENY_INGRESS',
      'NAMESPACE_NO_DEFAULT_DENY_INGRESS',
      'WORKLOAD_IN_SYSTEM_NAMESPACE',
      'NAMESPACE_NO_LIMITRANGE',
      'NAMESPACE_NO_LIMITRANGE',
      'NAMESPACE_NO_RESOURCEQUOTA',
      'NAMESPACE_NO_RESOURCEQUOTA',
    ]);
    expect(r.log).toContain(
      '::error file=expectations.yaml,line=7,col=5,title=kubereach assert::deny shop/web -> metadata (no node credentials) does not hold: shop/web[Deployment] -> 169.254.169.254-169.254.169.254[External]: allowed TCP 443;',
    );
    expect(gh.requests).toEqual([
      { method: 'GET', path: '/repos/acme/shop/issues/7/comments?per_page=100', auth: 'Bearer t0ken', apiVersion: '2022-11-28', body: undefined },
      { method: 'GET', path: '/repos/acme/shop/issues/7/comments?per_page=100&page=2', auth: 'Bearer t0ken', apiVersion: '2022-11-28', body: undefined },
      {
        method: 'POST',
        path: '/repos/acme/shop/issues/7/comments',
        auth: 'Bearer t0ken',
        apiVersion: '2022-11-28',
        body: { body: `<!-- kubereach-pr-action -->\n${summary}` },
      },
    ]);
  });

  test('second run on the same pull request updates that comment in place (PATCH), never a duplicate', async () => {
    gh.requests.length = 0;
    const r = await act({ paths: 'deploy', base: 'HEAD~1', 'fail-on-new': 'none' });
    expect(r.code).toBe(0);
    expect(r.summary).toBe(
      [
        '## kubereach',
        '',
        'Reachability of `deploy` against `HEAD~1`.',
        '',
        ...DIFF_MD,
        '',
        "Audit of the change's result: 10 findings (2 high, 4 medium, 4 low) in `kubereach.sarif`, SARIF for code scanning.",
        '',
        '**kubereach: passed.**',
        '',
      ].join('\n'),
    );
    expect(gh.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      'GET /repos/acme/shop/issues/7/comments?per_page=100',
      'GET /repos/acme/shop/issues/7/comments?per_page=100&page=2',
      'PATCH /repos/acme/shop/issues/comments/1000',
    ]);
    expect(gh.requests[2]!.body).toEqual({ body: `<!-- kubereach-pr-action -->\n${r.summary}` });
    const ours = gh.comments.filter((c) => c.body.startsWith('<!-- kubereach-pr-action'));
    expect(ours.map((c) => c.id)).toEqual([1000]);
    expect(gh.comments.length).toBe(121);
    expect(r.output).toContain('comment-url=https://github.example/acme/shop/pull/7#issuecomment-1000\n');
  });

  test('a comment-tag keeps a second use of the action in its own comment', async () => {
    gh.requests.length = 0;
    const r = await act({ paths: 'deploy', base: 'HEAD~1', 'fail-on-new': 'none', 'comment-tag': 'staging', sarif: '' });
    expect(r.code).toBe(0);
    expect(gh.requests.map((q) => q.method)).toEqual(['GET', 'GET', 'POST']);
    expect((gh.requests[2]!.body as { body: string }).body.startsWith('<!-- kubereach-pr-action:staging -->\n')).toBe(true);
    expect(r.output).not.toContain('sarif-file');
  });

  test('no change against the base: exit 0, changed=false, the diff says so', async () => {
    const r = await act({ paths: 'deploy', base: 'HEAD', comment: 'false' });
    expect(r.code).toBe(0);
    expect(r.summary).toContain('### kubereach diff: 0 added, 0 removed, 0 changed\n\nNo reachability changes.\n');
    expect(r.output).toContain('diff-exit-code=0\nchanged=false\n');
  });

  test('fail-on-new any fails on any widening; sensitive would too here (the metadata range)', async () => {
    const r = await act({ paths: 'deploy', base: 'HEAD~1', 'fail-on-new': 'any', comment: 'false', sarif: '' });
    expect(r.code).toBe(1);
    expect(r.summary).toContain(':x: The change adds reachability (any new connection), which `fail-on-new: any` forbids.');
  });

  test('a push event (no pull request): no request to the API, the report only in the summary', async () => {
    gh.requests.length = 0;
    const r = await act({ paths: 'deploy', base: 'HEAD~1', 'fail-on-new': 'none', sarif: '' }, { GITHUB_EVENT_PATH: join(root, 'push.json') });
    expect(r.code).toBe(0);
    expect(gh.requests).toEqual([]);
    expect(r.log).toContain('not a pull request event: no comment posted');
  });

  test('a read-only token (fork): the comment fails with a warning annotation; the verdict stands', async () => {
    gh.failWith = 403;
    try {
      const r = await act({ paths: 'deploy', base: 'HEAD~1', 'fail-on-new': 'none', sarif: '', 'comment-tag': 'fork' });
      expect(r.code).toBe(0);
      expect(r.log).toContain('::warning title=kubereach::the pull-request comment was not posted: creating the comment: HTTP 403');
      expect(r.output).not.toContain('comment-url');
    } finally {
      gh.failWith = null;
    }
  });

  test('bad input: an unknown base ref, a bad fail-on-new, no base outside a pull request: exit 2, said in the summary', async () => {
    const a = await act({ paths: 'deploy', base: 'no-such-ref', comment: 'false', sarif: '' });
    expect(a.code).toBe(2);
    expect(a.summary).toContain("### kubereach diff: bad input\n\n```text\nkubereach: 'no-such-ref' is not a commit of this repository\n```");
    expect(a.summary).toContain('**kubereach: bad input.**');
    expect(a.output).toBe('diff-exit-code=2\nchanged=unknown\n');
    const b = await act({ paths: 'deploy', base: 'HEAD', 'fail-on-new': 'sometimes', comment: 'false' });
    expect(b.code).toBe(2);
    expect(b.log).toContain("::error title=kubereach::input fail-on-new is 'sometimes': use sensitive, any or none");
    const c = await act({ paths: 'deploy', comment: 'false' }, { GITHUB_BASE_REF: '' });
    expect(c.code).toBe(2);
    expect(c.summary).toContain('input base is empty and this is not a pull\\_request run');
  });

  test('base defaults to origin/<the pull request base branch>', async () => {
    git('update-ref', 'refs/remotes/origin/main', 'HEAD~1');
    const r = await act({ paths: 'deploy', 'fail-on-new': 'none', comment: 'false', sarif: '' });
    expect(r.code).toBe(0);
    expect(r.summary).toContain('against `origin/main`.');
    expect(r.summary).toContain('### kubereach diff: 2 added, 0 removed, 0 changed');
  });

  test('the built entry point runs as action.yml runs it (a real process, real fetch to the local API)', async () => {
    gh.requests.length = 0;
    const summary = join(root, 'proc-summary.md');
    const output = join(root, 'proc-output.txt');
    writeFileSync(summary, '');
    writeFileSync(output, '');
    // asynchronously: the fake API answers from this process's event loop, which a sync spawn would block
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((done) => {
      execFile(
        process.execPath,
        [join(process.cwd(), 'packages/cli/dist/action/main.js')],
        {
          cwd: repo,
          encoding: 'utf8',
          env: {
            PATH: process.env['PATH'],
            GITHUB_WORKSPACE: repo,
            GITHUB_STEP_SUMMARY: summary,
            GITHUB_OUTPUT: output,
            GITHUB_EVENT_PATH: join(root, 'pr.json'),
            GITHUB_REPOSITORY: 'acme/shop',
            GITHUB_API_URL: gh.url,
            INPUT_PATHS: 'deploy',
            INPUT_BASE: 'HEAD~1',
            INPUT_FAIL_ON_NEW: 'sensitive',
            INPUT_EXPECTATIONS: '',
            INPUT_COMMENT: 'true',
            INPUT_COMMENT_TAG: '',
            INPUT_SARIF: '',
            INPUT_GITHUB_TOKEN: 't0ken',
          },
        },
        (err, out) => done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout: out }),
      );
    });
    expect(stdout).toContain('kubereach: updated the pull-request comment https://github.example/acme/shop/pull/7#issuecomment-1000');
    expect(code).toBe(1);
    expect(stdout).toContain('kubereach diff --base HEAD~1 -f deploy -o md --explain --fail-on-new sensitive');
    expect(readFileSync(output, 'utf8')).toBe('diff-exit-code=1\nchanged=true\ncomment-url=https://github.example/acme/shop/pull/7#issuecomment-1000\n');
    expect(gh.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      'GET /repos/acme/shop/issues/7/comments?per_page=100',
      'GET /repos/acme/shop/issues/7/comments?per_page=100&page=2',
      'PATCH /repos/acme/shop/issues/comments/1000',
    ]);
    expect((gh.requests[2]!.body as { body: string }).body).toBe(`<!-- kubereach-pr-action -->\n${readFileSync(summary, 'utf8')}`);
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync('action.yml', 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; steps: { id?: string; env?: Record<string, string>; run?: string }[] };
    outputs: Record<string, { value: string }>;
  };
  test('the inputs the issue names exist, and each input reaches the script under the name it reads', () => {
    for (const name of ['paths', 'base', 'fail-on-new', 'expectations']) expect(Object.keys(action.inputs)).toContain(name);
    expect(action.runs.using).toBe('composite');
    const step = action.runs.steps.find((s) => s.id === 'run')!;
    expect(step.run).toBe('node "$GITHUB_ACTION_PATH/packages/cli/dist/action/main.js"');
    expect(step.env).toEqual(Object.fromEntries(Object.keys(action.inputs).map((k) => [`INPUT_${k.toUpperCase().replace(/-/g, '_')}`, `\${{ inputs.${k} }}`])));
    expect(action.inputs['fail-on-new']!.default).toBe('sensitive');
    expect(action.inputs['sarif']!.default).toBe('kubereach.sarif');
  });
  test('every output is one the script writes', () => {
    for (const [k, o] of Object.entries(action.outputs)) expect(o.value).toBe(`\${{ steps.run.outputs.${k} }}`);
    const src = readFileSync('packages/cli/src/action/pr-action.ts', 'utf8');
    for (const k of Object.keys(action.outputs)) expect(src).toContain(`['${k}',`);
  });
});
