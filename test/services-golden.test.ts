/**
 * Golden command transcripts for Services and entry points: fixtures/services/<name>/cluster.yaml
 * plus expected.txt, a list of `$ kubereach ARGS` commands each followed by its exact output and
 * `[exit N]`. The runner adds `-f <the fixture folder>` (relative to the repository root) to every
 * command. The transcripts were written by hand from the manifests; KUBEREACH_UPDATE_GOLDEN=1
 * rewrites them after an intended change — then review the diff by hand.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { memoryIO, run } from '../packages/cli/src/index.js';
import { REPO, subdirs } from './support/fixtures.js';

const ROOT = join(REPO, 'fixtures/services');
const UPDATE = process.env['KUBEREACH_UPDATE_GOLDEN'] === '1';

interface Step {
  readonly command: string;
  readonly expected: string;
}

function parseTranscript(text: string): Step[] {
  const steps: Step[] = [];
  let cur: { command: string; lines: string[] } | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('$ kubereach ')) {
      if (cur !== null) steps.push({ command: cur.command, expected: cur.lines.join('\n').trimEnd() });
      cur = { command: line.slice('$ kubereach '.length), lines: [] };
    } else if (cur !== null) cur.lines.push(line);
  }
  if (cur !== null) steps.push({ command: cur.command, expected: cur.lines.join('\n').trimEnd() });
  return steps;
}

async function transcript(dir: string, command: string): Promise<string> {
  const io = memoryIO('', { cwd: REPO });
  const code = await run([...command.split(' ').filter((a) => a !== ''), '-f', relative(REPO, dir)], io);
  return `${io.out()}[exit ${code}]`.trimEnd();
}

describe.each(subdirs(ROOT))('service scenario %s', (name) => {
  const dir = join(ROOT, name);
  const file = join(dir, 'expected.txt');
  const steps = parseTranscript(readFileSync(file, 'utf8'));
  test('has commands', () => expect(steps.length).toBeGreaterThan(0));
  test.each(steps)('$ kubereach $command', async ({ command, expected }) => {
    expect(await transcript(dir, command)).toBe(expected);
  });
  if (UPDATE) {
    test('rewrite', async () => {
      const out: string[] = [];
      for (const s of steps) out.push(`$ kubereach ${s.command}`, await transcript(dir, s.command), '');
      writeFileSync(file, out.join('\n'));
    });
  }
});
