/**
 * The CNI profile is stated in every output of every command: the input's caveats carry it (first),
 * so text outputs print it as a warning on stderr and every other format holds it where that format
 * keeps caveats (JSON `caveats`, SARIF notifications, Markdown quote, DOT comment, YAML comment,
 * JUnit property, the HTML report's data). The star-wars demo holds one CiliumNetworkPolicy, so the
 * profile is cilium, detected; the statement's wording is checked once here by hand against
 * compile/profile.ts's table (CIDRs match no pod or node address; host-network pods are the node;
 * Services are translated before policy).
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { memoryIO, run } from '../src/index.js';

const STARWARS = 'fixtures/scenarios/cilium-star-wars';
const HEAD = 'cni profile: cilium (detected: 1 Cilium policy in the input)';
const STATEMENT =
  `${HEAD}: CIDR rules and ipBlocks match neither pod IPs nor node addresses (Cilium selects those by identity); ` +
  'host-network pods are their node (the host / remote-node entities), not policy subjects or pod peers; Services are translated to their backends before policy';

async function kr(...argv: string[]) {
  const io = memoryIO();
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const dir = mkdtempSync(join(tmpdir(), 'kr-cni-outputs-'));
const expectations = join(dir, 'expect.yaml');
writeFileSync(
  expectations,
  'allow:\n  - {from: default/tiefighter, to: default/deathstar, port: 80}\ndeny:\n  - {from: default/xwing, to: default/deathstar, port: 80}\n',
);
// diff: the same cluster before, and after with xwing relabelled into the empire
cpSync(STARWARS, join(dir, 'before'), { recursive: true });
cpSync(STARWARS, join(dir, 'after'), { recursive: true });
{
  const p = join(dir, 'after', 'cluster.yaml');
  const text = (await import('node:fs')).readFileSync(p, 'utf8');
  writeFileSync(
    p,
    text.replace(/name: xwing\n(\s+)namespace: default\n(\s+)labels:\n(\s+)org: alliance/, 'name: xwing\n$1namespace: default\n$2labels:\n$3org: empire'),
  );
}

const json = (out: string) => JSON.parse(out) as { caveats: string[] };

describe('text outputs: the statement is a warning on stderr, first of the caveats', () => {
  const cases: [string, string[]][] = [
    ['can', ['can', 'default/tiefighter', 'default/deathstar', '--port', '80']],
    ['can --explain', ['can', 'default/tiefighter', 'default/deathstar', '--explain']],
    ['who-can-reach', ['who-can-reach', 'default/deathstar']],
    ['matrix', ['matrix']],
    ['matrix -o csv (no place in CSV)', ['matrix', '-o', 'csv']],
    ['paths', ['paths', 'default/tiefighter', 'default/deathstar']],
    ['audit', ['audit']],
    ['lint', ['lint']],
    ['exposure', ['exposure']],
    ['matrix --exposure', ['matrix', '--exposure']],
    ['stats', ['stats']],
  ];
  for (const [name, argv] of cases) {
    test(name, async () => {
      const r = await kr(...argv, '-f', STARWARS);
      expect(r.code, r.err).toBeLessThan(2);
      expect(r.err).toContain(`warning: ${STATEMENT}\n`);
      expect(r.err.split('\n').filter((l) => l.includes('cni profile'))).toHaveLength(1);
    });
  }
  test('fix: the YAML on stdout starts with it as a comment; the summary on stderr repeats it', async () => {
    const r = await kr('fix', '-f', STARWARS);
    expect(r.code, r.err).toBeLessThan(2);
    expect(r.err.split('\n')[0]).toBe(`warning: ${STATEMENT}`);
    expect(r.err).toContain(`kubereach: caveat: ${STATEMENT}\n`);
    expect(r.out.split('\n')[0]).toBe(`# caveat: ${STATEMENT}`);
  });
  test('assert -o text also lists it on stdout with the other caveats', async () => {
    const r = await kr('assert', expectations, '-f', STARWARS);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toBe(`caveat: ${STATEMENT}`);
  });
  test('diff states one profile for both sides, once', async () => {
    const r = await kr('diff', join(dir, 'before'), join(dir, 'after'));
    expect(r.code).toBe(1);
    expect(r.err.split('\n').filter((l) => l.includes('cni profile'))).toEqual([`warning: ${STATEMENT}`]);
  });
});

describe('JSON outputs: caveats[0] is the statement', () => {
  const cases: [string, string[]][] = [
    ['can', ['can', 'default/tiefighter', 'default/deathstar', '--port', '80', '-o', 'json']],
    ['can without a port', ['can', 'default/xwing', 'default/deathstar', '-o', 'json']],
    ['who-can-reach', ['who-can-reach', 'default/deathstar', '-o', 'json']],
    ['matrix', ['matrix', '-o', 'json']],
    ['paths', ['paths', 'default/tiefighter', 'default/deathstar', '-o', 'json']],
    ['audit', ['audit', '-o', 'json']],
    ['lint', ['lint', '-o', 'json']],
    ['exposure', ['exposure', '-o', 'json']],
    ['matrix --exposure -o json', ['matrix', '--exposure', '-o', 'json']],
    ['stats', ['stats', '-o', 'json']],
    ['fix', ['fix', '-o', 'json']],
    ['assert', ['assert', expectations, '-o', 'json']],
  ];
  for (const [name, argv] of cases) {
    test(name, async () => {
      const r = await kr(...argv, '-f', STARWARS);
      expect(r.code, r.err).toBeLessThan(2);
      expect(json(r.out).caveats[0]).toBe(STATEMENT);
    });
  }
  test('diff', async () => {
    const r = await kr('diff', join(dir, 'before'), join(dir, 'after'), '-o', 'json');
    expect(json(r.out).caveats[0]).toBe(STATEMENT);
  });
  test('report -o json', async () => {
    const r = await kr('report', '-f', STARWARS, '-o', 'json');
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { caveats: string[] }).caveats[0]).toBe(STATEMENT);
  });
});

describe('the other formats, each where it keeps caveats', () => {
  test('SARIF (audit, lint): a tool execution notification', async () => {
    for (const cmd of ['audit', 'lint']) {
      const r = await kr(cmd, '-f', STARWARS, '-o', 'sarif');
      const sarif = JSON.parse(r.out) as { runs: { invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }[] };
      expect(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.message.text).toBe(STATEMENT);
    }
  });
  test('Markdown (matrix, audit, lint, diff, exposure): the caveats quote', async () => {
    for (const argv of [
      ['matrix', '-f', STARWARS],
      ['audit', '-f', STARWARS],
      ['lint', '-f', STARWARS],
      ['diff', join(dir, 'before'), join(dir, 'after')],
    ]) {
      const r = await kr(...argv, '-o', 'md');
      expect(r.out, argv.join(' ')).toContain(`> - ${HEAD}: CIDR rules and ipBlocks`);
    }
    const e = await kr('exposure', '-f', STARWARS, '-o', 'md');
    expect(e.out).toContain(`> **caveat:** ${HEAD}: CIDR rules and ipBlocks`);
  });
  test('DOT (matrix): a comment', async () => {
    const r = await kr('matrix', '-f', STARWARS, '-o', 'dot');
    expect(r.out.split('\n')[1]).toBe(`  // caveat: ${STATEMENT}`);
  });
  test('YAML (generate): a comment line', async () => {
    const r = await kr('generate', '-f', STARWARS);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toBe(`# caveat: ${STATEMENT}`);
  });
  test('JUnit (assert): a property', async () => {
    const r = await kr('assert', expectations, '-f', STARWARS, '-o', 'junit');
    expect(r.out).toContain(`<property name="caveat" value="${HEAD}: CIDR rules and ipBlocks`);
  });
  test('HTML (report, diff -o html): in the page data', async () => {
    for (const argv of [
      ['report', '-f', STARWARS],
      ['diff', join(dir, 'before'), join(dir, 'after'), '-o', 'html'],
    ]) {
      const r = await kr(...argv);
      expect(r.code, r.err).toBeLessThan(2);
      expect(r.out, argv[0]).toContain(JSON.stringify(STATEMENT).slice(1, -1));
    }
  });
});

describe('when it is stated', () => {
  test('given: --cni cilium on an input with no Cilium kind says so', async () => {
    const r = await kr('matrix', '-f', 'fixtures/demo', '--cni', 'cilium', '-o', 'json');
    expect(json(r.out).caveats[0]).toMatch(/^cni profile: cilium \(given\): CIDR rules and ipBlocks match neither/);
  });
  test('--ipblock-pods match changes the statement with the choice', async () => {
    const r = await kr('matrix', '-f', STARWARS, '--ipblock-pods', 'match', '-o', 'json');
    expect(json(r.out).caveats[0]).toBe(
      `${HEAD}: ipBlocks and CIDR rules match pod IPs (--ipblock-pods match) but not node addresses; host-network pods are their node (the host / remote-node entities), not policy subjects or pod peers; Services are translated to their backends before policy`,
    );
  });
  test('the generic profile, detected, is upstream semantics: not stated', async () => {
    const r = await kr('matrix', '-f', 'fixtures/demo', '-o', 'json');
    expect(json(r.out).caveats.some((c) => c.includes('cni profile'))).toBe(false);
  });
  test('the generic profile, given, is stated', async () => {
    const r = await kr('matrix', '-f', STARWARS, '--cni', 'generic', '-o', 'json');
    expect(json(r.out).caveats[0]).toBe('cni profile: generic (given)');
  });
});

describe('compile-time warnings reach every output too', () => {
  const wdir = mkdtempSync(join(tmpdir(), 'kr-cni-warn-'));
  writeFileSync(
    join(wdir, 'c.yaml'),
    [
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}',
      'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: to-health, namespace: shop}\nspec:\n  endpointSelector: {}\n  egress:\n  - toEntities: [health]',
    ].join('\n---\n'),
  );
  const line = `${join(wdir, 'c.yaml')}:12:18: CILIUM_UNPLACED: entity health: Cilium's own health endpoints are not in the input, so it matches nothing here (CiliumNetworkPolicy shop/to-health)`;
  test('JSON caveats of a query and of audit carry the CILIUM_UNPLACED warning with its location', async () => {
    for (const argv of [
      ['matrix', '-o', 'json'],
      ['audit', '-o', 'json'],
    ]) {
      const r = await kr(...argv, '-f', wdir);
      expect(json(r.out).caveats, argv[0]).toContain(line);
    }
  });
  test('diff names the side', async () => {
    const r = await kr('diff', wdir, wdir, '-o', 'json');
    expect(json(r.out).caveats).toEqual([
      expect.stringMatching(/^cni profile: cilium \(detected: 1 Cilium policy in the input\): /),
      `before: ${line}`,
      `after: ${line}`,
    ]);
  });
});
