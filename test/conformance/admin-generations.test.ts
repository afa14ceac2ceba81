/**
 * Generation agreement: the v1alpha2 ClusterNetworkPolicy translations in
 * fixtures/admin-v1alpha2/<folder>/policies.yaml must answer exactly as the v1alpha1
 * AdminNetworkPolicy / BaselineAdminNetworkPolicy objects of
 * the shared conformance data, netpol-analyzer/tests/<folder>/ they translate.
 *
 * The original folder is loaded once (pods, namespaces, NetworkPolicies and its v1alpha1 policies);
 * the translation is loaded on its own and its admin policies replace the v1alpha1 ones. The two
 * clusters then differ in nothing but the admin policies, and their full matrices (every pair,
 * external ranges included, IPv4 and IPv6) must be equal line for line, in both ipBlock readings.
 *
 * Run: npx vitest run --config test/conformance.config.ts test/conformance/admin-generations.test.ts
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile, loadCluster, matrix, matrixLine, type Cluster, type InputSource } from '@kubereach/core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TRANSLATIONS = join(ROOT, 'fixtures', 'admin-v1alpha2');
const ORIGINALS = join(ROOT, '..', 'shared', 'conformance', 'netpol-analyzer', 'tests');

function sources(dir: string): InputSource[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return sources(p);
      return /\.(ya?ml|json)$/.test(f) ? [{ name: p, text: readFileSync(p, 'utf8') }] : [];
    });
}

/** Folders where dropping the admin policies changes the matrix. */
const decisive = new Set<string>();

const folders = readdirSync(TRANSLATIONS)
  .filter((f) => statSync(join(TRANSLATIONS, f)).isDirectory())
  .sort();

function lines(cluster: Cluster, mode: 'match' | 'ignore'): string[] {
  return matrix(compile(cluster, { ipblockPods: mode })).map(matrixLine);
}

/** The diagnostic codes of a load, for comparing what each generation reports. */
function codes(ds: readonly { code: string; severity: string }[]): string[] {
  return ds.map((d) => `${d.severity} ${d.code}`).sort();
}

describe('admin tiers: v1alpha1 and v1alpha2 give the same answers', () => {
  it('has a translation for every netpol-analyzer folder it names', () => {
    expect(folders.length).toBe(78);
    for (const f of folders) expect(existsSync(join(ORIGINALS, f)), f).toBe(true);
  });

  for (const folder of folders) {
    it(folder, () => {
      const original = loadCluster(sources(join(ORIGINALS, folder)));
      const translated = loadCluster([
        { name: join(TRANSLATIONS, folder, 'policies.yaml'), text: readFileSync(join(TRANSLATIONS, folder, 'policies.yaml'), 'utf8') },
      ]);
      const v1 = original.cluster.adminPolicies ?? [];
      const v2 = translated.cluster.adminPolicies ?? [];
      // the translation holds only admin policies, all v1alpha2, one per original object
      expect(translated.cluster.endpoints.length + translated.cluster.policies.length + translated.cluster.others.length).toBe(0);
      expect(v1.every((p) => p.generation === 'v1alpha1')).toBe(true);
      expect(v2.every((p) => p.generation === 'v1alpha2' && p.sourceKind === 'ClusterNetworkPolicy')).toBe(true);
      expect(v2.map((p) => `${p.tier} ${p.priority} ${p.name}`)).toEqual(v1.map((p) => `${p.tier} ${p.priority} ${p.name}`));
      // the same errors (only anp_test_with_empty_port_range has one: its range 10-1, invalid in both
      // generations); the v1alpha1 side also warns MISSING_FIELD where a selector was left out, which
      // the translations write out as {}
      const errors = (ds: typeof original.diagnostics) => codes(ds.filter((d) => d.severity === 'error'));
      expect(errors(translated.diagnostics)).toEqual(errors(original.diagnostics));
      const swapped: Cluster = { ...original.cluster, adminPolicies: v2 };
      for (const mode of ['match', 'ignore'] as const) {
        const a = lines(original.cluster, mode);
        const b = lines(swapped, mode);
        expect({ onlyV1: a.filter((l) => !b.includes(l)), onlyV2: b.filter((l) => !a.includes(l)) }, `ipblockPods=${mode}`).toEqual({ onlyV1: [], onlyV2: [] });
        expect(b).toEqual(a);
        if (mode === 'ignore' && lines({ ...original.cluster, adminPolicies: [] }, mode).join('\n') !== a.join('\n')) decisive.add(folder);
      }
    });
  }

  it('compares answers the admin policies decide (not clusters where they change nothing)', () => {
    // Folders whose matrix (ipblockPods=ignore) is the same without any admin policy: there the
    // comparison above proves less. In each the admin rules decide nothing the tiers below would not
    // decide the same way (Pass rules, peers that match no pod of the folder, or the same verdicts).
    expect(folders.filter((f) => !decisive.has(f))).toEqual([
      'anp_banp_explain_demo',
      'anp_np_banp_core_test',
      'anp_test_4_with_priority_chang_pass_to_banp',
      'example_w_err_pods_w_same_owner_and_labels_gap_anp',
      'exposure_test_with_anp_1',
      'exposure_test_with_anp_12',
      'exposure_test_with_anp_16',
      'exposure_test_with_anp_2_w_np',
      'exposure_test_with_anp_6_entire_cluster_example',
      'exposure_test_with_anp_8',
      'exposure_test_with_anp_9',
    ]);
  });
});
