/**
 * `kubereach can --explain` through the admin tiers on the golden scenario
 * fixtures/scenarios/admin-tiers (its header comment derives every verdict by hand). Each test states
 * the exact decision line of each side: the chain of `[Tier policy priority N rule I] Action` steps,
 * each with file:line:col of the rule (line numbers counted in cluster.yaml by hand:
 * deny-metadata rule 0 at 46, platform rule 0 at 58, web-egress rules at 69 and 71, Baseline default
 * rules at 82 and 86).
 */
import { describe, expect, test } from 'vitest';
import { memoryIO, run } from '../src/index.js';

const DIR = 'fixtures/scenarios/admin-tiers';
const F = `${DIR}/cluster.yaml`;

async function explain(src: string, dst: string, port: string) {
  const io = memoryIO();
  const code = await run(['can', src, dst, '--port', port, '--explain', '-f', DIR], io);
  return { code, lines: io.out().split('\n'), err: io.err() };
}

/** The decision line of each side ("  allowed: ..." / "  denied: ..."), egress first. */
function decisions(lines: readonly string[]): string[] {
  return lines.filter((l) => /^ {2}(allowed|denied): /.test(l));
}

describe('can --explain through the admin tiers', () => {
  test('Admin Pass -> NetworkPolicy rule 1 Allow on egress; Baseline rule 0 Accept on ingress', async () => {
    const r = await explain('shop/web', 'db/pg', '5432');
    expect(r.code).toBe(0);
    expect(r.lines[0]).toBe('yes');
    expect(decisions(r.lines)).toEqual([
      `  allowed: [Admin cnp/platform priority 20 rule 0] Pass (${F}:58:5) -> [NetworkPolicy shop/web-egress rule 1] Allow (${F}:71:5)`,
      `  allowed: [Baseline cnp/default priority 0 rule 0] Accept (${F}:82:5)`,
    ]);
  });

  test('Admin Pass -> NetworkPolicy denies (isolated, no rule) on another port; Baseline rule 1 Deny', async () => {
    const r = await explain('shop/web', 'db/pg', '80');
    expect(r.code).toBe(1);
    expect(r.lines[0]).toBe('no');
    expect(decisions(r.lines)).toEqual([
      `  denied: [Admin cnp/platform priority 20 rule 0] Pass (${F}:58:5) -> [NetworkPolicy] Deny: isolated by shop/web-egress and no rule allows it`,
      `  denied: [Baseline cnp/default priority 0 rule 1] Deny (${F}:86:5)`,
    ]);
  });

  test('Admin Pass with no NetworkPolicy falls through to the default on egress; Baseline Deny at the destination', async () => {
    const r = await explain('shop/api', 'db/pg', '5432');
    expect(r.code).toBe(1);
    expect(decisions(r.lines)).toEqual([
      `  allowed: [Admin cnp/platform priority 20 rule 0] Pass (${F}:58:5) -> no policy isolates it: allowed by default`,
      `  denied: [Baseline cnp/default priority 0 rule 1] Deny (${F}:86:5)`,
    ]);
  });

  test('Admin Deny of the metadata address is final, even for a NetworkPolicy-isolated pod', async () => {
    for (const src of ['shop/api', 'shop/web', 'db/pg']) {
      const r = await explain(src, '169.254.169.254', '80');
      expect(r.code, src).toBe(1);
      expect(decisions(r.lines), src).toEqual([`  denied: [Admin cnp/deny-metadata priority 10 rule 0] Deny (${F}:46:5)`]);
      expect(r.lines).toContain('ingress of 169.254.169.254-169.254.169.254[External]:');
      expect(r.lines).toContain('  an external address: no policy applies on this side');
    }
  });

  test('lists the policies that select each side, with their tiers and priorities', async () => {
    const r = await explain('shop/api', 'db/pg', '5432');
    expect(r.lines).toContain(
      `  selected by: Admin ClusterNetworkPolicy cnp/deny-metadata priority 10 (${F}:38:1), Admin ClusterNetworkPolicy cnp/platform priority 20 (${F}:50:1)`,
    );
    expect(r.lines).toContain(`  selected by: Baseline ClusterNetworkPolicy cnp/default priority 0 (${F}:74:1)`);
  });

  test('no admin rule matches: NetworkPolicy alone on egress, the default on ingress', async () => {
    const r = await explain('shop/web', 'shop/api', '8080');
    expect(r.code).toBe(0);
    expect(decisions(r.lines)).toEqual([
      `  allowed: [NetworkPolicy shop/web-egress rule 0] Allow (${F}:69:5)`,
      '  allowed: no policy isolates it: allowed by default',
    ]);
  });
});
