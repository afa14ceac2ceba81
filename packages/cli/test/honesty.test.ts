/**
 * Never silently wrong: every answer is right or visibly qualified. Replicas of one workload are
 * distinct pods (only a pod talking to itself is loopback); policy kinds kubereach does not model are
 * named in every output; input that cannot give an answer (nothing, or policies without endpoints) is
 * an error; --ignore-invalid lists what it dropped. The reproductions are the ones reported by users.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { memoryIO, run } from '../src/index.js';

const REPLICAS = 'fixtures/honesty/replicas';
const UNMODELLED = 'fixtures/honesty/unmodelled';
const POLICIES_ONLY = 'fixtures/honesty/policies-only';

async function kr(argv: string[], stdin = '') {
  const io = memoryIO(stdin);
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

function tmp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubereach-honesty-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('replica-to-replica traffic is pod-to-pod traffic, not loopback (DESIGN: replicas)', () => {
  test('the reported case: a 3-replica StatefulSet under a namespace default-deny-ingress cannot reach itself', async () => {
    const r = await kr(['can', 'db/cass', 'db/cass', '--port', '7000', '--explain', '-f', REPLICAS]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        'no',
        'note: db/cass[StatefulSet] has 3 replicas: the answer is for two distinct replicas (a pod to itself is loopback, always allowed)',
        'egress of db/cass[StatefulSet]:',
        '  selected by no policy',
        '  allowed: no policy isolates it: allowed by default',
        'ingress of db/cass[StatefulSet]:',
        '  selected by: NetworkPolicy db/deny (fixtures/honesty/replicas/cluster.yaml:40:1)',
        '  denied: [NetworkPolicy] Deny: isolated by db/deny and no rule allows it',
        '',
      ].join('\n'),
    );
  });

  test('one replica: loopback, and the explanation says so instead of contradicting the policy that selects it', async () => {
    const r = await kr(['can', 'db/solo', 'db/solo', '--port', '7000', '--explain', '-f', REPLICAS]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 2)).toEqual(['yes', 'note: db/solo[Deployment] has one pod: its traffic to itself is loopback, always allowed']);
    expect(r.out).toContain('loopback (a pod talking to itself): always allowed, whatever the policies say');
    expect(r.out).not.toContain('allowed by default');
  });

  test('replicas a policy lets talk: yes, and the matrix lists W => W (np-guard omits these lines)', async () => {
    expect((await kr(['can', 'db/gossip', 'db/gossip', '--port', '7000', '-f', REPLICAS])).code).toBe(0);
    expect((await kr(['can', 'db/gossip', 'db/gossip', '--port', '7001', '-f', REPLICAS])).code).toBe(1);
    const m = await kr(['matrix', '--no-external', '-f', REPLICAS]);
    const self = m.out.split('\n').filter((l) => /^(\S+) => \1 :/.test(l));
    // cass: denied between replicas; solo: one pod (loopback is never listed)
    expect(self).toEqual(['db/gossip[StatefulSet] => db/gossip[StatefulSet] : TCP 7000']);
  });

  test('who-can-reach a workload lists the workload itself when its replicas reach each other', async () => {
    const r = await kr(['who-can-reach', 'db/gossip', '--port', '7000', '-f', REPLICAS]);
    expect(r.out).toContain('db/gossip[StatefulSet] => db/gossip[StatefulSet] : TCP 7000\n');
    const c = await kr(['who-can-reach', 'db/cass', '-f', REPLICAS]);
    expect(c.out).not.toContain('db/cass[StatefulSet] =>');
  });

  test('a Job or CronJob with parallelism over 1 runs several pods at once: between them policies decide; without it, one pod (loopback)', async () => {
    const deny =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: b}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n';
    const job = (p: string) =>
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: b}\nspec:\n${p}  template: {metadata: {labels: {app: j}}, spec: {containers: [{name: c, image: i}]}}\n---\n`;
    const cron = (p: string) =>
      `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj, namespace: b}\nspec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n${p}      template: {metadata: {labels: {app: cj}}, spec: {containers: [{name: c, image: i}]}}\n---\n`;
    const three = tmp({ 'in.yaml': job('  parallelism: 3\n') + cron('      parallelism: 2\n') + deny });
    const j = await kr(['can', 'b/j', 'b/j', '--port', '80', '-f', three]);
    expect(j.code).toBe(1);
    expect(j.out).toBe('no\nnote: b/j[Job] has 3 replicas: the answer is for two distinct replicas (a pod to itself is loopback, always allowed)\n');
    expect((await kr(['can', 'b/cj', 'b/cj', '--port', '80', '-f', three])).out.split('\n')[0]).toBe('no');
    const one = tmp({ 'in.yaml': job('') + cron('') + deny });
    const l = await kr(['can', 'b/j', 'b/j', '--port', '80', '-f', one]);
    expect(l.code).toBe(0);
    expect(l.out.split('\n')[0]).toBe('yes');
    expect((await kr(['can', 'b/cj', 'b/cj', '--port', '80', '-f', one])).out.split('\n')[0]).toBe('yes');
  });

  test('paths from a workload to itself: one hop between replicas when a policy lets them talk, none when it does not, zero hops for one pod', async () => {
    const g = await kr(['paths', 'db/gossip', 'db/gossip', '-f', REPLICAS]);
    expect(g.code).toBe(0);
    expect(g.out.split('\n').slice(0, 2)).toEqual([
      '1 hop from db/gossip[StatefulSet] to db/gossip[StatefulSet]:',
      '  1. db/gossip[StatefulSet] -> db/gossip[StatefulSet] : TCP 7000 (from one replica to another)',
    ]);
    expect(g.out).toContain('ingress of db/gossip[StatefulSet]: [NetworkPolicy db/gossip-peers rule 0] Allow at fixtures/honesty/replicas/cluster.yaml:53:7');
    const c = await kr(['paths', 'db/cass', 'db/cass', '-f', REPLICAS]);
    expect(c.code).toBe(1);
    expect(c.out).toBe('no path from db/cass[StatefulSet] to db/cass[StatefulSet] within 6 hops\n');
    const s = await kr(['paths', 'db/solo', 'db/solo', '-f', REPLICAS]);
    expect(s.code).toBe(0);
    expect(s.out).toBe('0 hops: db/solo[Deployment] is the target, a single pod; a pod reaching itself is loopback, which no policy restricts\n');
  });

  test('a diff that scales a workload to one pod closes its replica traffic, and says which edit did', async () => {
    const before = tmp({
      'c.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, namespace: a}\nspec:\n  replicas: 3\n  template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c, image: i}]}}\n',
    });
    const after = tmp({
      'c.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, namespace: a}\nspec:\n  replicas: 1\n  template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c, image: i}]}}\n',
    });
    const r = await kr(['diff', before, after, '--explain']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('removed a/w[Deployment] => a/w[Deployment] : All Connections -> No Connections\n');
    expect(r.out).toContain(`    caused by: workload a/w[Deployment] scaled to one pod: no traffic between replicas (${after}/c.yaml:1)\n`);
  });
});

describe('policy kinds kubereach does not model are never silent', () => {
  const WARNING = 'warning: 1 NetworkPolicy (crd.antrea.io) object and 2 AuthorizationPolicy objects are not modelled; answers ignore them\n';
  const CAVEAT = '1 NetworkPolicy (crd.antrea.io) object and 2 AuthorizationPolicy objects are not modelled; answers ignore them';

  test('one warning on stderr without -v, for every analysing command', async () => {
    for (const argv of [
      ['can', 'shop/web', 'shop/api', '--port', '8080'],
      ['matrix'],
      ['audit'],
      ['who-can-reach', 'shop/api'],
      ['paths', 'shop/web', 'shop/api'],
      ['stats'],
    ]) {
      const r = await kr([...argv, '-f', UNMODELLED]);
      expect(r.err, argv[0]).toBe(WARNING);
    }
  });

  test('every machine-readable output carries it as a top-level caveats list', async () => {
    const json = async (argv: string[]) => JSON.parse((await kr([...argv, '-f', UNMODELLED])).out) as { caveats: string[] };
    expect((await json(['can', 'shop/web', 'shop/api', '--port', '8080', '-o', 'json'])).caveats).toEqual([CAVEAT]);
    expect((await json(['can', 'shop/web', 'shop/api', '-o', 'json'])).caveats).toEqual([CAVEAT]);
    expect((await json(['matrix', '-o', 'json'])).caveats).toEqual([CAVEAT]);
    expect((await json(['audit', '-o', 'json'])).caveats).toEqual([CAVEAT]);
    expect((await json(['who-can-reach', 'shop/api', '-o', 'json'])).caveats).toEqual([CAVEAT]);
    expect((await json(['paths', 'shop/web', 'shop/api', '-o', 'json'])).caveats).toEqual([CAVEAT]);
    expect((await json(['stats', '-o', 'json'])).caveats).toEqual([CAVEAT]);
    const sarif = JSON.parse((await kr(['audit', '-o', 'sarif', '-f', UNMODELLED])).out) as {
      runs: { invocations: { toolExecutionNotifications: { level: string; message: { text: string } }[] }[]; properties: { caveats: string[] } }[];
    };
    expect(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications).toEqual([{ level: 'warning', message: { text: CAVEAT }, descriptor: { id: 'caveat' } }]);
    expect(sarif.runs[0]!.properties.caveats).toEqual([CAVEAT]);
    const md = (await kr(['audit', '-o', 'md', '-f', UNMODELLED])).out;
    expect(md).toContain(`> **Caveats**\n>\n> - ${CAVEAT}\n`);
    const mmd = (await kr(['matrix', '-o', 'md', '-f', UNMODELLED])).out;
    expect(mmd.startsWith(`> **Caveats**\n>\n> - ${CAVEAT}\n`)).toBe(true);
  });

  test('the answer itself is the Kubernetes one (web -> api allowed), qualified, not silently wrong', async () => {
    const r = await kr(['can', 'shop/web', 'shop/api', '--port', '8080', '-f', UNMODELLED]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('yes\n');
    expect(r.err).toBe(WARNING);
  });

  test('--strict makes them an error (exit 2), naming kinds, groups and counts', async () => {
    const r = await kr(['matrix', '--strict', '-f', UNMODELLED]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(
      '--strict: the input holds policies kubereach does not model (1 NetworkPolicy (crd.antrea.io), 2 AuthorizationPolicy (security.istio.io))',
    );
  });

  test('a diff carries the caveats of each side, named by side', async () => {
    const r = await kr(['diff', UNMODELLED, UNMODELLED, '-o', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { caveats: string[] }).caveats).toEqual([`before: ${CAVEAT}`, `after: ${CAVEAT}`]);
  });
});

describe('inputs without workloads, and empty input, are errors (exit 2)', () => {
  test('policies but no pods or workloads: every analysing command stops with what to add', async () => {
    for (const argv of [['audit'], ['matrix'], ['stats'], ['who-can-reach', 'metadata']]) {
      const r = await kr([...argv, '-f', POLICIES_ONLY]);
      expect(r.code, argv[0]).toBe(2);
      expect(r.err).toContain('the input has 1 policy but no pods or workloads, so every reachability answer would be vacuous');
      expect(r.err).toContain('--allow-empty');
    }
  });

  test('the README example that passed a CI gate: diff of a policies-only folder exits 2 instead of "No reachability changes."', async () => {
    const r = await kr(['diff', POLICIES_ONLY, POLICIES_ONLY]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('before: the input has 1 policy but no pods or workloads');
  });

  test('--allow-empty keeps the old behaviour', async () => {
    const r = await kr(['audit', '--allow-empty', '-f', POLICIES_ONLY]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('No findings');
  });

  test('empty stdin, an empty folder and a file with no objects are errors, not "No findings"', async () => {
    const msg = 'the input holds no Kubernetes objects';
    const stdin = await kr(['audit', '-f', '-'], '');
    expect(stdin.code).toBe(2);
    expect(stdin.err).toContain(msg);
    const folder = await kr(['audit', '-f', 'fixtures/honesty/empty-folder']);
    expect(folder.code).toBe(2);
    expect(folder.err).toContain(msg);
    const comments = tmp({ 'only-comments.yaml': '# nothing here\n---\n' });
    const file = await kr(['audit', '-f', join(comments, 'only-comments.yaml')]);
    expect(file.code).toBe(2);
    expect(file.err).toContain(msg);
  });

  test('a policy in a namespace with no endpoint is a warning and a caveat', async () => {
    const dir = tmp({
      'a.yaml': [
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: [{name: c, image: i}]}',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: b}\nspec: {podSelector: {}}',
      ].join('\n---\n'),
    });
    const r = await kr(['matrix', '-o', 'json', '-f', dir]);
    expect(r.code).toBe(0);
    const caveat = '1 NetworkPolicy in namespace b, which has no pod or workload in the input: it selects nothing here';
    expect(r.err).toBe(`warning: ${caveat}\n`);
    expect((JSON.parse(r.out) as { caveats: string[] }).caveats).toEqual([caveat]);
  });
});

describe('--ignore-invalid: every dropped object is listed; the hint is offered only when it helps', () => {
  const BAD_POLICY =
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad, namespace: a}\nspec: {podSelector: {}, policyTypes: [Sideways]}\n';
  const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: [{name: c, image: i}]}\n';

  test('without it: exit 2, and the hint names --ignore-invalid because it would get past every error', async () => {
    const dir = tmp({ 'a.yaml': `${POD}---\n${BAD_POLICY}` });
    const r = await kr(['matrix', '-f', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('1 error in the input; fix them, or pass --ignore-invalid to leave the invalid objects out with a warning');
  });

  test('with it: the dropped policy is in the JSON caveats, not only on stderr', async () => {
    const dir = tmp({ 'a.yaml': `${POD}---\n${BAD_POLICY}` });
    const r = await kr(['matrix', '--ignore-invalid', '-o', 'json', '-f', dir]);
    expect(r.code).toBe(0);
    const caveats = (JSON.parse(r.out) as { caveats: string[] }).caveats;
    expect(caveats).toEqual(['NetworkPolicy a/bad was left out (--ignore-invalid): NetworkPolicy a/bad is invalid and was left out']);
  });

  test('a syntax error --ignore-invalid cannot get past: the hint does not offer it', async () => {
    const dir = tmp({ 'a.yaml': `${POD}---\nkind: [unclosed\n` });
    const r = await kr(['matrix', '-f', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('in the input; fix them\n');
    expect(r.err).not.toContain('--ignore-invalid');
  });

  test('an invalid workload is dropped too, and named', async () => {
    const badPod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: q, namespace: a}\nspec: {containers: [{name: c, image: i, ports: [{containerPort: 99999}]}]}\n';
    const dir = tmp({ 'a.yaml': `${POD}---\n${badPod}` });
    const r = await kr(['matrix', '--ignore-invalid', '--no-external', '-o', 'json', '-f', dir]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { endpoints: string[]; caveats: string[] };
    expect(j.endpoints).toEqual(['a/p[Pod]']);
    expect(j.caveats).toEqual(['Pod a/q was left out (--ignore-invalid): Pod a/q is invalid and was left out']);
  });
});

describe('diagnostics are capped per file', () => {
  test('the first 20 of a file, then how many more', async () => {
    const bad = Array.from(
      { length: 25 },
      (_, i) =>
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p${i}, namespace: a}\nspec: {podSelector: {}, policyTypes: [Sideways]}\n`,
    ).join('---\n');
    const dir = tmp({ 'many.yaml': bad });
    const r = await kr(['matrix', '-f', join(dir, 'many.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n').filter((l) => l.includes('error INVALID_POLICY_TYPE')).length).toBe(20);
    expect(r.err).toContain(`${join(dir, 'many.yaml')}: 5 more diagnostics not shown (25 in all)\n`);
  });
});

describe('kubectl habits for names', () => {
  const DEMO = 'fixtures/demo';
  const FOLDING = 'fixtures/scenarios/workload-folding';

  test('TYPE/NAME forms, full and short, with -n; bare names with -n; kinds in brackets in any case', async () => {
    for (const src of [
      ['deploy/web', '-n', 'shop'],
      ['deployment/web', '-n', 'shop'],
      ['Deployment/web', '-n', 'shop'],
      ['web', '-n', 'shop'],
      ['shop/web[deployment]'],
      ['shop/web[DEPLOYMENT]'],
    ]) {
      const r = await kr(['can', src[0]!, 'shop/api', '--port', '9000', ...src.slice(1), '-f', DEMO]);
      expect(r.code, src.join(' ')).toBe(0);
    }
    const sts = await kr(['can', 'deploy/api', 'sts/db', '--port', '5432', '-n', 'shop', '-f', DEMO]);
    expect(sts.code).toBe(0);
    expect(sts.out).toBe('yes\n');
  });

  test('-n applies to names given without a namespace, and a miss names the namespace searched', async () => {
    const r = await kr(['can', 'web', 'api', '-f', DEMO]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("source 'web' not found in namespace default; did you mean:\n  shop/web[Deployment]\n");
  });

  test('a typo gets a did-you-mean by edit distance (the reported shop/webb)', async () => {
    const r = await kr(['can', 'shop/webb', 'shop/api', '-f', DEMO]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("kubereach: source 'shop/webb' not found; did you mean:\n  shop/web[Deployment]\n");
  });

  test('names of folded pods resolve to their workload, saying so; a StatefulSet ordinal past its replicas does not', async () => {
    const r = await kr(['can', 'db/cass-0', 'db/cass-2', '--port', '7000', '-f', REPLICAS]);
    expect(r.code).toBe(1); // two distinct replicas under the default deny
    expect(r.out).toContain('note: db/cass-0 is a pod of db/cass[StatefulSet]; the answer is for that workload (no selector tells its pods apart)\n');
    expect((await kr(['can', 'db/cass-3', 'db/solo', '-f', REPLICAS])).code).toBe(2);
    const pod = await kr(['can', 'pod/web-5d4f8b7c9-abcde', 'shop/api', '--port', '8080', '-n', 'shop', '-f', FOLDING]);
    expect(pod.code).toBe(0);
    expect(pod.out).toContain('note: shop/web-5d4f8b7c9-abcde is a pod of shop/web[Deployment]');
    const self = await kr(['can', 'db/cass-0', 'db/cass-0', '--port', '7000', '-f', REPLICAS]);
    expect(self.code).toBe(0);
    expect(self.out).toBe('yes\nnote: db/cass-0 to itself is loopback, always allowed\n');
  });

  test('who-can-reach and paths read the same forms', async () => {
    expect((await kr(['who-can-reach', 'sts/db', '-n', 'shop', '-f', DEMO])).code).toBe(0);
    expect((await kr(['paths', 'web', 'db', '-n', 'shop', '-f', DEMO])).out).toContain('2 hops from shop/web[Deployment] to shop/db[StatefulSet]');
  });

  test('can with an address echoes it, and says which range or pod it is', async () => {
    const r = await kr(['can', 'shop/web', '169.254.169.254', '-f', DEMO]);
    expect(r.out).toContain(
      "note: 169.254.169.254 is outside the cluster's pods: the answer is for the external range 169.254.169.254-169.254.169.254[External]\n",
    );
  });
});

describe('a typo never drops or widens a policy', () => {
  const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: i}]}\n';
  const policy = (apiVersion: string, kind: string, spec = 'podSelector: {}\n  policyTypes: [Ingress]') =>
    `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: deny, namespace: shop}\nspec:\n  ${spec}\n`;
  async function canWith(doc: string, ...flags: string[]) {
    const dir = tmp({ 'in.yaml': `${POD}---\n${POD.replace('name: web', 'name: client').replace('app: web', 'app: client')}---\n${doc}` });
    return kr(['can', 'shop/client', 'shop/web', '--port', '80', ...flags, '-f', dir]);
  }

  test.each([
    ['networking/v1', 'NetworkPolicy', 'NetworkPolicy is served by networking.k8s.io/v1, not by networking/v1; did you mean apiVersion: networking.k8s.io/v1?'],
    ['v1', 'NetworkPolicy', 'NetworkPolicy is served by networking.k8s.io/v1, not by v1; did you mean apiVersion: networking.k8s.io/v1?'],
    ['apps/v1', 'NetworkPolicy', 'NetworkPolicy is served by networking.k8s.io/v1, not by apps/v1; did you mean apiVersion: networking.k8s.io/v1?'],
    ['networking.k8s.io/v1', 'Networkpolicy', 'unknown kind "Networkpolicy" in networking.k8s.io/v1; did you mean "NetworkPolicy"?'],
  ])('apiVersion %s kind %s is an error with a did-you-mean (it used to be kept aside and the answer was yes)', async (apiVersion, kind, message) => {
    const r = await canWith(policy(apiVersion, kind));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(`error UNKNOWN_KIND: ${message}`);
  });

  test.each(['networking.k8s.io/v2', 'networking.k8s.io/V1'])('%s is not a served version: an error, not applied as v1', async (apiVersion) => {
    const r = await canWith(policy(apiVersion, 'NetworkPolicy'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`error UNSERVED_VERSION: ${apiVersion} does not serve NetworkPolicy; did you mean apiVersion: networking.k8s.io/v1?`);
  });

  test('`matchlabels` in a peer selector is an error at its position (it would have matched every pod)', async () => {
    const r = await canWith(
      policy('networking.k8s.io/v1', 'NetworkPolicy', 'podSelector: {}\n  ingress:\n  - from:\n    - podSelector: {matchlabels: {app: nobody}}'),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /in\.yaml:18:34: error UNKNOWN_FIELD: unknown field "matchlabels" in spec\.ingress\[0\]\.from\[0\]\.podSelector; did you mean "matchLabels"\?/,
    );
  });

  test('`ingresss` is an error (it would have turned an allow policy into an isolating one)', async () => {
    const r = await canWith(policy('networking.k8s.io/v1', 'NetworkPolicy', 'podSelector: {}\n  ingresss: [{}]'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('error UNKNOWN_FIELD: unknown field "ingresss" in spec; did you mean "ingress"?');
  });

  test('--ignore-invalid leaves the misspelt object out, with a warning and a caveat', async () => {
    const r = await canWith(policy('networking.k8s.io/v1', 'NetworkPolicy', 'podSelector: {}\n  ingresss: [{}]'), '-o', 'json', '--ignore-invalid');
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning UNKNOWN_FIELD: unknown field "ingresss"');
    expect((JSON.parse(r.out) as { caveats: string[] }).caveats).toEqual([
      'NetworkPolicy shop/deny was left out (--ignore-invalid): NetworkPolicy shop/deny is invalid and was left out',
    ]);
  });

  test('a misspelt label field of a workload template is an error; an unknown field far from any known one is a warning', async () => {
    const lables =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    metadata: {lables: {app: api}}\n    spec: {containers: [{name: c, image: i}]}\n';
    const r = await canWith(lables);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error UNKNOWN_FIELD: unknown field "lables" in spec.template.metadata; did you mean "labels"?');
    const future = lables.replace('lables', 'labels').replace('containers:', 'futureSchedulingHint: true, containers:');
    const w = await canWith(future);
    expect(w.code).toBe(0);
    expect(w.err).toContain(
      'warning UNKNOWN_FIELD: unknown field "futureSchedulingHint" in spec.template.spec: not a field kubereach knows (a newer API?); it is ignored',
    );
  });

  test("another CNI's NetworkPolicy kind is not a typo: it is an unmodelled policy, warned about", async () => {
    const r = await canWith(policy('crd.antrea.io/v1beta1', 'NetworkPolicy', 'priority: 5'));
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: 1 NetworkPolicy (crd.antrea.io) object is not modelled; answers ignore it');
  });

  test('a field typo in an AdminNetworkPolicy is an error, never a dropped Deny rule (ingres: read as pruned would allow everything)', async () => {
    const anp =
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: deny-all}\nspec:\n  priority: 10\n  subject: {namespaces: {}}\n  ingres:\n  - name: deny\n    action: Deny\n    from: [{namespaces: {}}]\n';
    const r = await canWith(anp);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(
      'in.yaml:18:3: error UNKNOWN_FIELD: unknown field "ingres" (allowed: priority, subject, ingress, egress); did you mean "ingress"? (AdminNetworkPolicy deny-all)\n',
    );
    const fixed = await canWith(anp.replace('ingres:', 'ingress:'));
    expect(fixed.code).toBe(1);
    expect(fixed.out.split('\n')[0]).toBe('no');
  });
});

describe('folders as repositories hold them', () => {
  const REPO = 'fixtures/honesty/repo';
  const CHART = `warning: ${REPO}/charts/web is a Helm chart: its templates are not manifests until rendered, so it was not read; run \`helm template NAME ${REPO}/charts/web | kubereach ... -f -\`\n`;
  const KUSTOMIZE = `warning: ${REPO}/overlays/prod is a kustomization: its files are bases and patches, so it was not read; run \`kubectl kustomize ${REPO}/overlays/prod | kubereach ... -f -\`\n`;

  test('a GitOps folder loads: chart and kustomization folders are named and left out, non-objects skipped with one summary line', async () => {
    const r = await kr(['matrix', '--no-external', '-f', REPO]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('shop/web[Deployment] => shop/web[Deployment] : TCP 80\n');
    expect(r.err).toBe(
      `${CHART}${KUSTOMIZE}skipped 3 documents that are not Kubernetes objects (no apiVersion and kind) in 3 files found in folders; -v lists them\n`,
    );
  });

  test('-v lists each skipped document; the folders left out are caveats of the JSON', async () => {
    const r = await kr(['matrix', '-o', 'json', '-v', '-f', REPO]);
    expect(r.err).toContain(`  ${REPO}/.github/workflows/ci.yaml:1:1\n  ${REPO}/config/renovate.json:1:1\n  ${REPO}/config/settings.yaml:2:1\n`);
    expect((JSON.parse(r.out) as { caveats: string[] }).caveats).toEqual([CHART.slice('warning: '.length, -1), KUSTOMIZE.slice('warning: '.length, -1)]);
  });

  test('a chart folder named directly is left out too, and the input is then empty: exit 2, with the helm command', async () => {
    const r = await kr(['audit', '-f', `${REPO}/charts/web`]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`helm template NAME ${REPO}/charts/web | kubereach ... -f -`);
    expect(r.err).toContain('the input holds no Kubernetes objects');
  });

  test('a file named directly that holds no Kubernetes object is still an error', async () => {
    const r = await kr(['matrix', '-f', `${REPO}/deploy/app.yaml`, '-f', `${REPO}/config/settings.yaml`]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${REPO}/config/settings.yaml:2:1: error NOT_AN_OBJECT`);
  });

  test('a library warning never reaches the terminal (collection keys in YAML)', async () => {
    const dir = tmp({
      'cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: a}\ndata:\n  ? [a, b]\n  : c\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: [{name: c, image: i}]}\n',
    });
    const { spawnSync } = await import('node:child_process');
    const p = spawnSync(process.execPath, ['packages/cli/bin/kubereach.js', 'stats', '-f', dir], { encoding: 'utf8' });
    expect(p.status).toBe(0);
    expect(p.stderr).toBe('');
  });
});

describe('findings a person can act on', () => {
  const NO_ADDRESS = 'fixtures/audit-network/CONTROL_PLANE_REACHABLE/raise-no-address';

  test('no control-plane address known: one CONTROL_PLANE_REACHABLE per namespace, at medium, naming the addresses assumed as CIDRs and how to narrow them', async () => {
    const r = await kr(['audit', '-o', 'json', '-f', NO_ADDRESS]);
    const cp = (JSON.parse(r.out) as { findings: { id: string; severity: string; subject: string; message: string }[] }).findings.filter(
      (f) => f.id === 'CONTROL_PLANE_REACHABLE',
    );
    expect(cp.map((f) => [f.severity, f.subject])).toEqual([['medium', 'namespace shop']]);
    expect(cp[0]!.message).toContain('2 workloads of shop (shop/web[Deployment], shop/worker[Deployment]) can reach');
    expect(cp[0]!.message).toContain('on 0.0.0.0/0; ::/0. No control-plane address is known from the input');
    expect(cp[0]!.message).toContain('--control-plane-ip, Node objects with a control-plane role in the input, or --live');
    expect(cp[0]!.message).not.toContain('[External]');
    // with the address given, per workload as before
    const known = await kr(['audit', '-o', 'json', '--control-plane-ip', '10.0.0.10', '-f', NO_ADDRESS]);
    const perWorkload = (JSON.parse(known.out) as { findings: { id: string; severity: string; subject: string }[] }).findings.filter(
      (f) => f.id === 'CONTROL_PLANE_REACHABLE' && f.severity === 'high',
    );
    expect(perWorkload.map((f) => f.subject)).toEqual(['shop/web[Deployment]', 'shop/worker[Deployment]']);
  });

  test('--cloud narrows the metadata addresses to that provider', async () => {
    const r = await kr(['who-can-reach', 'metadata', '--cloud', 'alibaba', '-f', 'fixtures/demo']);
    expect(r.out.split('\n')[0]).toBe('6 sources can reach cloud metadata service (100.100.100.200; any port)');
    const gcp = await kr(['who-can-reach', 'metadata', '--cloud', 'gcp', '-f', 'fixtures/demo']);
    expect(gcp.out.split('\n')[0]).toContain('(169.254.169.254; any port)');
    expect((await kr(['audit', '--cloud', 'moon', '-f', 'fixtures/demo'])).code).toBe(2);
  });

  test('NodePort wording: "limited by a NetworkPolicy" only when some outside source is refused (the ahmetb recipe 08 case)', async () => {
    const svc =
      'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec: {type: NodePort, selector: {app: web}, ports: [{port: 80, nodePort: 30080}]}\n';
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default, labels: {app: web}}\nspec: {containers: [{name: c, image: nginx}]}\n';
    const np = (ingress: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: default}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress: ${ingress}\n`;
    const evidence = async (ingress: string) => {
      const dir = tmp({ 'a.yaml': [svc, pod, np(ingress)].join('---\n') });
      const f = (JSON.parse((await kr(['audit', '-o', 'json', '-f', dir])).out) as { findings: { id: string; evidence: string }[] }).findings.find(
        (x) => x.id === 'NODEPORT_SERVICE',
      )!;
      return f.evidence;
    };
    expect(await evidence('[{}]')).toContain(
      'default/web[Pod] (its ingress policies admit every outside address on every port: any source that reaches a node reaches it)',
    );
    expect(await evidence('[{from: [{ipBlock: {cidr: 10.0.0.0/8}}]}]')).toContain('default/web[Pod] (ingress limited by a NetworkPolicy)');
  });

  test('hostNetwork workloads are listed by who-can-reach metadata (no NetworkPolicy applies to them) and get their own finding', async () => {
    const dir = 'fixtures/audit-network/HOSTNETWORK_UNRESTRICTED/raise';
    const r = await kr(['who-can-reach', 'metadata', '-f', dir]);
    expect(r.out).toContain(
      "monitoring/node-agent[DaemonSet] => 169.254.169.254, fd00:ec2::254, 100.100.100.200 : All Connections (hostNetwork: no NetworkPolicy applies; from the node's network)\n",
    );
    const cp = await kr(['who-can-reach', 'control-plane', '-f', dir]);
    expect(cp.out).toContain(
      'monitoring/node-agent[DaemonSet] => every address outside the pod network : TCP 2379-2380,6443,8080,10250-10252,10257-10259 (hostNetwork',
    );
    const a = JSON.parse((await kr(['audit', '-o', 'json', '-f', dir])).out) as { findings: { id: string; subject: string }[] };
    expect(a.findings.filter((f) => f.id === 'HOSTNETWORK_UNRESTRICTED').map((f) => f.subject)).toEqual(['monitoring/node-agent[DaemonSet]']);
  });
});
