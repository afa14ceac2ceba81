/**
 * The Dockerfile cannot be built here (no Docker engine), so it is checked two ways: dockerfile-utils
 * (the validator behind the VS Code Docker extension) with every optional check raised to an error,
 * and the properties the image promises, read from its instructions: a pinned Node 20 build stage, a
 * distroless Node 20 final stage holding only the bundle, a non-root user, an exec-form entrypoint.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import { describe, expect, test } from 'vitest';

const text = readFileSync(fileURLToPath(new URL('../../Dockerfile', import.meta.url)), 'utf8');

/** Instructions with continuation lines joined and comments dropped: [KEYWORD, arguments]. */
function instructions(source: string): [string, string][] {
  const joined = source.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\S+)\s+(.*)$/.exec(l);
      if (m === null) throw new Error(`not an instruction: ${l}`);
      return [m[1]!.toUpperCase(), m[2]!];
    });
}

/** The stages: each FROM and the instructions up to the next. */
function stages(source: string): { from: string; body: [string, string][] }[] {
  const out: { from: string; body: [string, string][] }[] = [];
  for (const [k, v] of instructions(source)) {
    if (k === 'FROM') out.push({ from: v, body: [] });
    else out.at(-1)!.body.push([k, v]);
  }
  return out;
}

const E = ValidationSeverity.ERROR;
const STRICT = {
  deprecatedMaintainer: E,
  directiveCasing: E,
  emptyContinuationLine: E,
  instructionCasing: E,
  instructionCmdMultiple: E,
  instructionEntrypointMultiple: E,
  instructionHealthcheckMultiple: E,
  instructionJSONInSingleQuotes: E,
  instructionWorkdirRelative: E,
};

describe('Dockerfile', () => {
  test('dockerfile-utils finds nothing, with its optional checks as errors', () => {
    const problems = validate(text, STRICT);
    expect(problems.map((p) => `${p.range.start.line + 1}: ${p.message}`)).toEqual([]);
  });

  test('the validator is not vacuous: it reports a broken file', () => {
    const found = validate('FROM node:20-slim\nCMD a\nCMD b\nWORKDIR app\n', STRICT).map((p) => p.message);
    expect(found).toContain('WORKDIR paths should be absolute');
    expect(found).toContain('There can only be one CMD instruction in a Dockerfile or build stage. Only the last one will have an effect.');
  });

  test('two stages: a pinned Node 20 build, then distroless Node 20 with the bundle only, non-root, exec-form entrypoint', () => {
    const [build, final, ...rest] = stages(text);
    expect(rest).toEqual([]);
    expect(build!.from).toMatch(/^node:20\.\d+\.\d+-bookworm-slim AS build$/);
    expect(build!.body.some(([k, v]) => k === 'RUN' && v.includes('npm ci') && v.includes('npm run build'))).toBe(true);
    expect(final!.from).toBe('gcr.io/distroless/nodejs20-debian12:nonroot');
    expect(final!.body.filter(([k]) => k === 'COPY')).toEqual([['COPY', '--from=build /src/packages/cli/dist/bundle/kubereach.mjs /app/kubereach.mjs']]);
    expect(final!.body.filter(([k]) => k === 'RUN' || k === 'ADD')).toEqual([]);
    expect(final!.body.filter(([k]) => k === 'USER')).toEqual([['USER', 'nonroot']]);
    const entry = final!.body.filter(([k]) => k === 'ENTRYPOINT');
    expect(entry).toHaveLength(1);
    expect(JSON.parse(entry[0]![1])).toEqual(['/nodejs/bin/node', '/app/kubereach.mjs']);
  });
});
