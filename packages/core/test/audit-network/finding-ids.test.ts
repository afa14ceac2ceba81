/**
 * Finding ids are one closed union over the network audit, the configuration audit and the linter:
 * the three lists never share an id, and a misspelt id does not type-check (the ts-expect-error lines
 * below fail `tsc -p test/tsconfig.json` the day the union is widened back to string).
 */
import { expect, test } from 'vitest';
import { CONFIG_FINDING_IDS, LINT_IDS, NETWORK_FINDING_IDS, type Finding, type FindingId } from '../../src/index.js';

test('the network, configuration and lint ids are disjoint and each written once', () => {
  const all = [...NETWORK_FINDING_IDS, ...CONFIG_FINDING_IDS, ...LINT_IDS];
  expect(new Set(all).size).toBe(all.length);
  expect(all.length).toBe(8 + 15 + 11);
});

test('a misspelt finding id is a compile error', () => {
  // @ts-expect-error: not an id (the real one is METADATA_REACHABLE)
  const typo: FindingId = 'METADATA_REACHEABLE';
  const f: Pick<Finding, 'id'> = { id: 'LATERAL_PATH' };
  // @ts-expect-error: a Finding's id is a FindingId, not any string
  const g: Pick<Finding, 'id'> = { id: 'lateral_path' };
  expect([typo, f.id, g.id]).toEqual(['METADATA_REACHEABLE', 'LATERAL_PATH', 'lateral_path']);
});
