/**
 * The admin-tier model on netpol-analyzer's bad-path inputs (the shared conformance data, netpol-analyzer/
 * tests/*_bad_path_test_*): each folder's invalid policy is rejected with the error that names what
 * the folder's comment says is wrong, and the one same-priority pair is a located warning. Read from
 * the shared conformance data at test time, so it runs with the conformance suite, not in the fresh-clone `npm test`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAdmin } from '../../packages/core/test/admin/objects.js';
import { BASE } from './shared-data.js';

const TESTS = join(BASE, 'tests');

describe('ADMIN_PRIORITY_CONFLICT on netpol-analyzer input', () => {
  it('flags the conformance bad path with two ANPs at priority 50 (netpol-analyzer: error; here: warning)', () => {
    const dir = join(TESTS, 'anp_bad_path_test_1');
    const r = readAdmin(readFileSync(`${dir}/anps.yaml`, 'utf8'), { file: 'anps.yaml' });
    expect(r.policies).toHaveLength(2);
    expect(r.diagnostics.map((d) => [d.code, d.location?.line, d.object])).toEqual([['ADMIN_PRIORITY_CONFLICT', 38, 'AdminNetworkPolicy same-priority']]);
  });
});

describe('netpol-analyzer bad-path inputs are rejected', () => {
  // folder -> the error code that rejects its policy (what the folder's comment says is wrong)
  const expected: Record<string, string> = {
    anp_bad_path_test_2: 'INVALID_FIELD', // priority 1001
    anp_bad_path_test_3: 'DUPLICATE_OBJECT', // two ANPs named same-name
    anp_bad_path_test_4: 'MISSING_FIELD', // empty subject
    anp_bad_path_test_5: 'INVALID_FIELD', // subject with two members
    anp_bad_path_test_6: 'MISSING_FIELD', // empty to
    anp_bad_path_test_7: 'INVALID_PEER', // peer with two members
    anp_bad_path_test_8: 'INVALID_FIELD', // port entry with two members
    anp_bad_path_test_9: 'INVALID_FIELD', // action Accept in v1alpha1
    anp_bad_path_test_10: 'MISSING_FIELD', // no to
    anp_bad_path_test_12: 'MISSING_FIELD', // no action
    anp_bad_path_test_14: 'MISSING_FIELD', // no from
    anp_bad_path_test_15: 'MISSING_FIELD', // from: (null)
    anp_bad_path_test_16: 'INVALID_PEER',
    anp_bad_path_test_17: 'INVALID_FIELD',
    anp_bad_path_test_18: 'INVALID_FIELD', // action Ok
    anp_bad_path_test_19: 'INVALID_CIDR', // zc00::/8
    anp_bad_path_test_20: 'INVALID_FIELD', // priority 1001 next to a valid ANP
    banp_bad_path_test_1: 'DUPLICATE_OBJECT', // two BANPs
    banp_bad_path_test_2: 'INVALID_FIELD', // not named default
    banp_bad_path_test_3: 'MISSING_FIELD',
    banp_bad_path_test_4: 'INVALID_FIELD',
    banp_bad_path_test_5: 'MISSING_FIELD',
    banp_bad_path_test_6: 'MISSING_FIELD',
    banp_bad_path_test_7: 'INVALID_PEER',
    banp_bad_path_test_8: 'INVALID_FIELD', // Pass in a BANP
    banp_bad_path_test_9: 'INVALID_FIELD',
    banp_bad_path_test_10: 'MISSING_FIELD',
    banp_bad_path_test_11: 'MISSING_FIELD',
    banp_bad_path_test_12: 'INVALID_PEER',
    banp_bad_path_test_13: 'INVALID_FIELD',
    banp_bad_path_test_14: 'INVALID_FIELD', // Pass in a BANP
    banp_bad_path_test_15: 'INVALID_CIDR',
  };
  const base = TESTS;
  it('covers every bad-path folder but anp_bad_path_test_1 (a warning, tested above)', () => {
    const all = readdirSync(base).filter((d) => /^b?anp_bad_path_test_/.test(d) && d !== 'anp_bad_path_test_1');
    expect(all.sort()).toEqual(Object.keys(expected).sort());
  });
  it.each(Object.entries(expected))('%s -> %s', (folder, code) => {
    const r = readAdmin(
      readdirSync(`${base}/${folder}`)
        .filter((f) => f !== 'manifests.yaml')
        .map((f) => [f, readFileSync(`${base}/${folder}/${f}`, 'utf8')] as const),
    );
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toContain(code);
    // exactly the invalid objects are dropped: the folders with a second, valid policy keep one
    expect(r.policies.length).toBe(['anp_bad_path_test_3', 'anp_bad_path_test_20', 'banp_bad_path_test_1'].includes(folder) ? 1 : 0);
  });
});
