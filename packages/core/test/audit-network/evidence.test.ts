/**
 * Evidence is data: the sample connection and each side's decision steps with their rules, and the
 * text is rendered from them. The LATERAL_PATH fixture's chain, edge/web -> jobs/worker -> metadata,
 * read field by field (lines and columns counted by hand in the fixture).
 */
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { compile, findPath, loadCluster, resolveTargets, targetCidrs } from '../../src/index.js';
import { REPO, sourcesUnder } from '../../../../test/support/fixtures.js';

const DIR = join(REPO, 'fixtures/audit-network/LATERAL_PATH/raise');

test('each hop of a chain carries its connection, its sides and the allowing rules as fields', () => {
  const { cluster } = loadCluster(sourcesUnder(DIR));
  const targets = resolveTargets(cluster);
  const index = compile(cluster, { extraCidrs: targetCidrs(targets) });
  const metadata = targets.find((t) => t.word === 'metadata')!;
  const web = index.resolve('edge/web');
  if (web.kind !== 'endpoint') throw new Error('edge/web is a workload of the fixture');
  const hops = findPath(index, web, { kind: 'target', target: metadata })!;
  expect(hops.map((h) => [h.from, h.to])).toEqual([
    ['edge/web[Deployment]', 'jobs/worker[Deployment]'],
    ['jobs/worker[Deployment]', expect.stringContaining('169.254.169.254')],
  ]);

  const first = hops[0]!.evidence;
  expect(first.connection).toMatchObject({ from: 'edge/web[Deployment]', to: 'jobs/worker[Deployment]', protocol: 'TCP', port: 9000 });
  expect(first.connection!.allowed.toString()).toBe('TCP 9000');
  expect(first.sides.map((s) => [s.direction, s.subject, s.steps.map((x) => x.kind)])).toEqual([
    ['egress', 'edge/web[Deployment]', ['np-allow']],
    ['ingress', 'jobs/worker[Deployment]', ['np-allow']],
  ]);
  const [egress, ingress] = first.sides.map((s) => s.steps[0]!);
  expect(egress?.kind === 'np-allow' && egress.rules.map((r) => [r.policy, r.ruleIndex, r.location.line, r.location.col])).toEqual([
    ['edge/web-egress', 0, 32, 5],
  ]);
  expect(ingress?.kind === 'np-allow' && ingress.rules.map((r) => [r.policy, r.ruleIndex, r.location.line, r.location.col])).toEqual([
    ['jobs/worker-ingress', 0, 42, 5],
  ]);
  expect(first.location).toMatchObject({ line: 32, col: 5 });
  // the text is the connection, then each side, rendered from the fields above
  expect(first.why).toBe(first.sides.map((s) => s.text).join('; '));
  expect(first.text).toBe(`edge/web[Deployment] -> jobs/worker[Deployment] TCP 9000 allowed (TCP 9000); ${first.why}`);
  expect(first.sides[0]!.text).toBe(
    'egress of edge/web[Deployment]: [NetworkPolicy edge/web-egress rule 0] Allow at fixtures/audit-network/LATERAL_PATH/raise/cluster.yaml:32:5',
  );

  // the worker's egress is isolated by no policy; the metadata address is outside, so it has no ingress side
  const second = hops[1]!.evidence;
  expect(second.sides.map((s) => [s.direction, s.steps.map((x) => x.kind), s.location])).toEqual([['egress', ['default-allow'], null]]);
  expect(second.why).toBe('egress of jobs/worker[Deployment]: not isolated by any policy, so allowed by default');
});
