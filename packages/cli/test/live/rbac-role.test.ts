/** The read-only ClusterRole in deploy/ grants exactly list and watch on every resource a live read lists. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { expect, test } from 'vitest';
import { LIVE_RESOURCES } from '../../src/input/live/resources.js';

test('deploy/kubereach-reader.yaml covers LIVE_RESOURCES with list and watch, and nothing more', () => {
  const role = parse(readFileSync('deploy/kubereach-reader.yaml', 'utf8')) as {
    kind: string;
    rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
  };
  expect(role.kind).toBe('ClusterRole');
  const granted = new Set<string>();
  for (const r of role.rules) {
    expect(r.verbs).toEqual(['list', 'watch']);
    for (const g of r.apiGroups) for (const res of r.resources) granted.add(`${g}/${res}`);
  }
  const needed = new Set(LIVE_RESOURCES.map((r) => `${r.group}/${r.resource}`));
  expect([...granted].sort()).toEqual([...needed].sort());
});
