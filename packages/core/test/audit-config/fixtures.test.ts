/**
 * Glob-driven fixture runner for the configuration audit.
 *
 *   fixtures/audit-config/<ID>/raise/   must raise exactly the findings of <ID> listed in expected.json
 *   fixtures/audit-config/<ID>/clean/   must raise no finding of <ID> (expected.json is [])
 *   fixtures/audit-config/kubeadm-*     expected.json lists every finding of the folder, all ids
 * Each folder: *.yaml manifests, optional facts.json (`{kubeconfigs: KubeconfigFacts[]}`), and a
 * hand-written expected.json of `{id, subject, line}` (line null for findings without a location).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { auditConfiguration, type KubeconfigFacts } from '../../src/audit/config/audit.js';
import { CONFIG_FINDING_IDS } from '../../src/audit/config/catalogue.js';
import type { Finding } from '../../src/audit/finding.js';
import { loadCluster } from '../../src/pipeline/load-cluster.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const root = join(repo, 'fixtures', 'audit-config');

interface Expected {
  readonly id: string;
  readonly subject: string;
  readonly line: number | null;
}

function runFolder(dir: string): Finding[] {
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ name: relative(repo, join(dir, f)), text: readFileSync(join(dir, f), 'utf8') }));
  const { cluster, diagnostics } = loadCluster(sources);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const factsPath = join(dir, 'facts.json');
  const kubeconfigs = existsSync(factsPath) ? (JSON.parse(readFileSync(factsPath, 'utf8')) as { kubeconfigs: KubeconfigFacts[] }).kubeconfigs : [];
  return auditConfiguration(cluster, { kubeconfigs });
}

function summary(fs: readonly Finding[]): Expected[] {
  return fs.map((f) => ({ id: f.id, subject: f.subject, line: f.location?.line ?? null }));
}

function expected(dir: string): Expected[] {
  return JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected[];
}

const folders = readdirSync(root).sort();

describe('every finding id has a raise and a clean fixture', () => {
  it.each(CONFIG_FINDING_IDS.map((id) => [id]))('%s', (id) => {
    expect(existsSync(join(root, id, 'raise', 'expected.json'))).toBe(true);
    expect(existsSync(join(root, id, 'clean', 'expected.json'))).toBe(true);
    expect(expected(join(root, id, 'raise')).length).toBeGreaterThan(0);
    expect(expected(join(root, id, 'clean'))).toEqual([]);
  });
});

describe.each(folders.filter((f) => !f.startsWith('kubeadm-')).map((f) => [f]))('%s', (id) => {
  it.each([['raise'], ['clean']])('%s', (kind) => {
    const dir = join(root, id, kind);
    const sorted = (xs: Expected[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(sorted(summary(runFolder(dir).filter((f) => f.id === id)))).toEqual(sorted(expected(dir)));
  });
});

describe.each(folders.filter((f) => f.startsWith('kubeadm-')).map((f) => [f]))('%s', (name) => {
  it('raises exactly the expected findings, in order', () => {
    const dir = join(root, name);
    expect(summary(runFolder(dir))).toEqual(expected(dir));
  });
});

describe('kubeadm-hardened', () => {
  it('has no high or medium finding', () => {
    const fs = runFolder(join(root, 'kubeadm-hardened'));
    expect(fs.filter((f) => f.severity === 'high' || f.severity === 'medium')).toEqual([]);
  });
});
