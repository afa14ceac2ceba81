/**
 * Loads every example cluster of np-guard/netpol-analyzer (the shared conformance data, netpol-analyzer/tests)
 * and checks the foundation's promise: no folder crashes the loader, and every diagnostic has a
 * location. Some folders are bad input on purpose (bad_yamls, malformed-pod-example-*, *_bad_path_*);
 * the counts are printed. The floor on clean folders catches a parsing regression without pinning
 * diagnostics that later stages (admin tiers) still add.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCluster } from '@kubereach/core';
import { BASE } from './shared-data.js';

const root = join(BASE, 'tests');

function manifests(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) manifests(path, out);
    else if (/\.(ya?ml|json)$/i.test(name)) out.push(path);
  }
  return out;
}

describe('netpol-analyzer example clusters', () => {
  it('all load without exceptions, every diagnostic located', () => {
    const folders = readdirSync(root)
      .filter((f) => statSync(join(root, f)).isDirectory())
      .sort();
    const withDiagnostics: string[] = [];
    for (const folder of folders) {
      const sources = manifests(join(root, folder)).map((p) => ({ name: p, text: readFileSync(p, 'utf8') }));
      const r = loadCluster(sources);
      for (const d of r.diagnostics) {
        expect(d.location, `${folder}: ${d.code} ${d.message}`).not.toBeNull();
        expect(d.location!.line).toBeGreaterThanOrEqual(1);
        expect(d.location!.col).toBeGreaterThanOrEqual(1);
      }
      if (r.diagnostics.length > 0) withDiagnostics.push(folder);
    }
    console.log(
      `netpol-analyzer: ${folders.length - withDiagnostics.length} of ${folders.length} folders load cleanly; with diagnostics: ${withDiagnostics.join(', ')}`,
    );
    expect(folders.length).toBe(305);
    // 282 folders loaded cleanly with NetworkPolicy v1 alone; admin-tier validation adds its own findings
    expect(folders.length - withDiagnostics.length).toBeGreaterThanOrEqual(200);
  });
});
