/**
 * Bad-input fixtures: every folder under fixtures/_error_/ holds an input (input.yaml or input.json),
 * optionally options.json (LoadOptions), and expected.json: the exact diagnostics, as
 * [{code, severity, line, col}], written by hand from the input.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCluster, type LoadOptions } from '@kubereach/core';

interface Expected {
  code: string;
  severity: string;
  line: number;
  col: number;
}

const root = fileURLToPath(new URL('../fixtures/_error_', import.meta.url));
const cases = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('bad-input fixtures', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of cases) {
    it(name, () => {
      const dir = join(root, name);
      const input = ['input.yaml', 'input.json'].find((f) => existsSync(join(dir, f)));
      expect(input, `${name} has no input.yaml or input.json`).toBeDefined();
      const optionsPath = join(dir, 'options.json');
      const options = existsSync(optionsPath) ? (JSON.parse(readFileSync(optionsPath, 'utf8')) as LoadOptions) : {};
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected[];
      const result = loadCluster([{ name: input!, text: readFileSync(join(dir, input!), 'utf8') }], options);
      const actual = result.diagnostics.map((d) => ({
        code: d.code,
        severity: d.severity,
        line: d.location?.line ?? 0,
        col: d.location?.col ?? 0,
      }));
      expect(actual).toEqual(expected);
      for (const d of result.diagnostics) expect(d.location?.file).toBe(input);
    });
  }
});
