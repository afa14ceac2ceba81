/** The complete example in packages/core/README.md is examples/quickstart.ts verbatim, and it runs. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

test('the README example is the tested example file', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('../../examples/quickstart.ts', import.meta.url), 'utf8');
  expect(readme).toContain(example.trim());
});

test('the example runs and gives the answers its comments state', async () => {
  const ex = await import('../../examples/quickstart.js');
  expect(ex.webToDb).toBe(true);
  expect(ex.dbToWeb).toBe('All Connections');
  expect(ex.webToMetadata).toBe(true);
  expect(ex.why).toEqual(['[NetworkPolicy shop/db-from-web rule 0] Allow']);
  expect(ex.lines).toEqual(['shop/db[Pod] => shop/web[Pod] : All Connections', 'shop/web[Pod] => shop/db[Pod] : TCP 5432']);
  expect(ex.graph.order).toBe(2);
  expect(ex.graph.getEdgeAttribute('shop/web[Pod]', 'shop/db[Pod]', 'label')).toBe('TCP 5432');
});
