/**
 * `kubereach diff`: the golden scenarios under fixtures/diff/ (expected.txt written by hand
 * from the semantics), the json and md shapes, exit codes including --fail-on-new, --explain, and
 * the git modes (--base, --head) on a throwaway repository in the OS temp folder.
 *
 * KUBEREACH_UPDATE_GOLDEN=1 rewrites expected.txt files for an intended change; review the result.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { memoryIO, run } from '../src/index.js';

const FIX = 'fixtures/diff';

async function kr(argv: string[], cwd?: string) {
  const io = memoryIO('', cwd === undefined ? {} : { cwd });
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('golden scenarios (fixtures/diff/*/expected.txt)', () => {
  const scenarios = readdirSync(FIX, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .map((d) => d.name);
  test('there are scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(4);
  });
  for (const s of scenarios) {
    test(s, async () => {
      const r = await kr(['diff', `${FIX}/${s}/before`, `${FIX}/${s}/after`]);
      const file = `${FIX}/${s}/expected.txt`;
      if (process.env['KUBEREACH_UPDATE_GOLDEN'] === '1') writeFileSync(file, r.out);
      const expected = readFileSync(file, 'utf8');
      expect(r.err).toBe('');
      expect(r.out).toBe(expected);
      expect(r.code).toBe(expected === '' ? 0 : 1);
    });
  }
});

describe('inputs', () => {
  test('one side may be standard input (-)', async () => {
    const dir = `${FIX}/allow-port/before`;
    const stdin = `${readFileSync(`${dir}/cluster.yaml`, 'utf8')}\n---\n${readFileSync(`${dir}/policies.yaml`, 'utf8')}`;
    const io = memoryIO(stdin);
    const code = await run(['diff', '-', `${FIX}/allow-port/after`], io);
    expect(io.err()).toBe('');
    expect(io.out()).toBe(readFileSync(`${FIX}/allow-port/expected.txt`, 'utf8'));
    expect(code).toBe(1);
    expect((await kr(['diff', '-', '-'])).code).toBe(2);
  });

  test('diff --help documents both modes and the exit codes', async () => {
    const r = await kr(['diff', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: kubereach diff [options] [before] [after]');
    for (const flag of ['--base <gitref>', '--head <gitref>', '--explain', '--fail-on-new <kind>', '-o, --output <format>']) expect(r.out).toContain(flag);
    expect(r.out.replace(/\s+/g, ' ')).toContain('exit 0 no change, 1 changes, 2 bad input');
  });
});

describe('output formats', () => {
  test('json has exactly the contract shape', async () => {
    const r = await kr(['diff', `${FIX}/allow-port/before`, `${FIX}/allow-port/after`, '-o', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual({
      added: [{ src: 'monitoring/exporter[Deployment]', dst: 'shop/db[Deployment]', conn: 'TCP 9187' }],
      removed: [],
      changed: [{ src: 'shop/web[Deployment]', dst: 'shop/db[Deployment]', before: 'TCP 5432', after: 'TCP 5432,8080' }],
      caveats: [],
    });
  });

  test('json of no change is three empty lists (and no caveats), exit 0', async () => {
    const r = await kr(['diff', `${FIX}/reordered/before`, `${FIX}/reordered/after`, '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ added: [], removed: [], changed: [], caveats: [] });
  });

  test('md: a table with sensitive rows first and the reason', async () => {
    const r = await kr(['diff', `${FIX}/metadata-egress/before`, `${FIX}/metadata-egress/after`, '-o', 'md']);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        '### kubereach diff: 2 added, 0 removed, 0 changed',
        '',
        '**1 change touches sensitive targets** (metadata service, kube-system, control-plane ports).',
        '',
        '| Change | Source | Destination | Before | After | Sensitive |',
        '|---|---|---|---|---|---|',
        '| added | `shop/web[Deployment]` | `11.0.0.0-255.255.255.255[External]` | No Connections | TCP 443 | :warning: metadata service 169.254.169.254 |',
        '| added | `shop/web[Deployment]` | `0.0.0.0-9.255.255.255[External]` | No Connections | TCP 443 |  |',
        '',
      ].join('\n'),
    );
  });

  test('md of no change says so', async () => {
    const r = await kr(['diff', `${FIX}/reordered/before`, `${FIX}/reordered/after`, '-o', 'md']);
    expect(r.out).toBe('### kubereach diff: 0 added, 0 removed, 0 changed\n\nNo reachability changes.\n');
  });
});

describe('--explain', () => {
  test('text: each pair lists the edits that can cause it, with file:line', async () => {
    const r = await kr(['diff', `${FIX}/allow-port/before`, `${FIX}/allow-port/after`, '--explain']);
    expect(r.code).toBe(1);
    // db-in's only rule (line 14 of before/policies.yaml) became two rules (lines 14 and 19 of after)
    const pol = `${FIX}/allow-port`;
    expect(r.out).toBe(
      [
        'added monitoring/exporter[Deployment] => shop/db[Deployment] : No Connections -> TCP 9187',
        `    caused by: policy shop/db-in: ingress rule 1 added (${pol}/after/policies.yaml:19)`,
        'changed shop/web[Deployment] => shop/db[Deployment] : TCP 5432 -> TCP 5432,8080',
        `    caused by: policy shop/db-in: ingress rule 0 removed (was ${pol}/before/policies.yaml:14)`,
        `    caused by: policy shop/db-in: ingress rule 0 added (${pol}/after/policies.yaml:14)`,
        '',
      ].join('\n'),
    );
  });

  test('md: a Caused by column, edits separated by <br>', async () => {
    const r = await kr(['diff', `${FIX}/allow-port/before`, `${FIX}/allow-port/after`, '-o', 'md', '--explain']);
    const pol = `${FIX}/allow-port`;
    expect(r.out.split('\n').slice(2, 6)).toEqual([
      '| Change | Source | Destination | Before | After | Sensitive | Caused by |',
      '|---|---|---|---|---|---|---|',
      `| added | \`monitoring/exporter[Deployment]\` | \`shop/db[Deployment]\` | No Connections | TCP 9187 |  | policy \`shop/db-in\`: ingress rule 1 added (\`${pol}/after/policies.yaml:19\`) |`,
      `| changed | \`shop/web[Deployment]\` | \`shop/db[Deployment]\` | TCP 5432 | TCP 5432,8080 |  | policy \`shop/db-in\`: ingress rule 0 removed (was \`${pol}/before/policies.yaml:14\`)<br>policy \`shop/db-in\`: ingress rule 0 added (\`${pol}/after/policies.yaml:14\`) |`,
    ]);
  });

  test('json: causes as a list of texts on each entry', async () => {
    const r = await kr(['diff', `${FIX}/workload-added/before`, `${FIX}/workload-added/after`, '-o', 'json', '--explain']);
    const j = JSON.parse(r.out) as { removed: { causes: string[] }[] };
    expect(j.removed[0]!.causes).toEqual([`policy shop/db-in removed (was ${FIX}/workload-added/before/policies.yaml:8)`]);
  });
});

describe('exit codes and --fail-on-new', () => {
  test('--fail-on-new any: widening fails (1), tightening passes (0)', async () => {
    const widen = await kr(['diff', `${FIX}/allow-port/before`, `${FIX}/allow-port/after`, '--fail-on-new', 'any']);
    expect(widen.code).toBe(1);
    const tighten = await kr(['diff', `${FIX}/allow-port/after`, `${FIX}/allow-port/before`, '--fail-on-new', 'any']);
    expect(tighten.code).toBe(0);
    expect(tighten.out).toContain('removed monitoring/exporter[Deployment] => shop/db[Deployment] : TCP 9187 -> No Connections');
  });

  test('--fail-on-new sensitive: only widening to sensitive targets fails', async () => {
    expect((await kr(['diff', `${FIX}/allow-port/before`, `${FIX}/allow-port/after`, '--fail-on-new', 'sensitive'])).code).toBe(0);
    expect((await kr(['diff', `${FIX}/metadata-egress/before`, `${FIX}/metadata-egress/after`, '--fail-on-new', 'sensitive'])).code).toBe(1);
    expect((await kr(['diff', `${FIX}/metadata-egress/after`, `${FIX}/metadata-egress/before`, '--fail-on-new', 'sensitive'])).code).toBe(0);
  });

  test('bad input and bad usage exit 2', async () => {
    const missing = await kr(['diff', `${FIX}/nope`, `${FIX}/allow-port/after`]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`${FIX}/nope: no such file or directory`);
    expect((await kr(['diff', `${FIX}/allow-port/after`])).code).toBe(2);
    expect((await kr(['diff', '--head', 'HEAD'])).code).toBe(2);
    expect((await kr(['diff', 'a', 'b', '-f', 'c'])).code).toBe(2);
    expect((await kr(['diff', `${FIX}/allow-port/before`, `${FIX}/allow-port/after`, '--fail-on-new', 'some'])).code).toBe(2);
  });

  test('an invalid policy on either side stops with exit 2 and its location', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubereach-diff-bad-'));
    try {
      writeFileSync(
        join(dir, 'bad.yaml'),
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {}\n  ingress:\n  - ports: [{port: 70000}]\n',
      );
      const r = await kr(['diff', `${FIX}/allow-port/before`, join(dir, 'bad.yaml')]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`${join(dir, 'bad.yaml')}:7:`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('git modes', () => {
  let repo = '';
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'kubereach-diff-git-'));
    git('init', '-q');
    cpSync(`${FIX}/allow-port/before`, join(repo, 'k8s'), { recursive: true });
    writeFileSync(join(repo, 'README.txt'), 'not a manifest\n');
    git('add', '.');
    git('commit', '-q', '-m', 'before');
    git('tag', 'v1');
    cpSync(`${FIX}/allow-port/after`, join(repo, 'k8s'), { recursive: true });
  });
  afterAll(() => {
    if (repo !== '') rmSync(repo, { recursive: true, force: true });
  });

  test('--base REF compares the working tree against the ref, without touching the checkout', async () => {
    const statusBefore = git('status', '--porcelain');
    const r = await kr(['diff', '--base', 'v1', '-f', 'k8s'], repo);
    expect(r.err).toBe('');
    expect(r.out).toBe(readFileSync(`${FIX}/allow-port/expected.txt`, 'utf8'));
    expect(r.code).toBe(1);
    expect(git('status', '--porcelain')).toBe(statusBefore);
    expect(statusBefore).toBe(' M k8s/policies.yaml\n');
  });

  test('--base without -f compares the whole repository; --explain names the ref side', async () => {
    const r = await kr(['diff', '--base', 'v1', '--explain'], repo);
    expect(r.code).toBe(1);
    expect(r.out).toContain('    caused by: policy shop/db-in: ingress rule 0 removed (was v1:k8s/policies.yaml:14)');
    expect(r.out).toContain('    caused by: policy shop/db-in: ingress rule 1 added (k8s/policies.yaml:19)');
  });

  test('--head compares two refs; the same ref twice is no change', async () => {
    git('commit', '-q', '-am', 'after');
    const r = await kr(['diff', '--base', 'v1', '--head', 'HEAD', '-f', 'k8s', '-o', 'json'], repo);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.out) as { added: unknown[] }).added).toEqual([
      { src: 'monitoring/exporter[Deployment]', dst: 'shop/db[Deployment]', conn: 'TCP 9187' },
    ]);
    const same = await kr(['diff', '--base', 'HEAD', '--head', 'HEAD', '-f', 'k8s'], repo);
    expect(same.code).toBe(0);
    expect(same.out).toBe('');
  });

  test('an unknown ref, or no repository, is bad input (exit 2)', async () => {
    const r = await kr(['diff', '--base', 'no-such-ref', '-f', 'k8s'], repo);
    expect(r.code).toBe(2);
    expect(r.err).toContain("'no-such-ref' is not a commit of this repository");
    const outside = mkdtempSync(join(tmpdir(), 'kubereach-diff-norepo-'));
    try {
      const o = await kr(['diff', '--base', 'HEAD'], outside);
      expect(o.code).toBe(2);
      expect(o.err).toContain('is not inside one');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('the README example that passed a CI gate: diff --base of a policies-only folder', () => {
  test('a commit that opens a workload to everyone, in a folder of policies only, is exit 2 with what to add, not "No reachability changes."', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'kubereach-diff-policies-only-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
    try {
      git('init', '-q');
      const policy = (ingress: string) =>
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress: ${ingress}\n`;
      mkdirSync(join(repo, 'deploy', 'policies'), { recursive: true });
      writeFileSync(join(repo, 'deploy', 'policies', 'web.yaml'), policy('[]'));
      git('add', '.');
      git('commit', '-q', '-m', 'deny');
      writeFileSync(join(repo, 'deploy', 'policies', 'web.yaml'), policy('[{}]'));
      git('commit', '-q', '-am', 'open web to everyone');
      const r = await kr(['diff', '--base', 'HEAD~1', '-f', 'deploy/policies/'], repo);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain('HEAD~1: the input has 1 policy but no pods or workloads, so every reachability answer would be vacuous');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
