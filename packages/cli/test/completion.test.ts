import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { memoryIO, run } from '../src/index.js';

async function script(shell: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO('');
  const code = await run(['completion', shell], io);
  return { code, out: io.out(), err: io.err() };
}

/** Runs the bash script's function on a command line (words, cursor on the last) in a real bash. */
function complete(bashScript: string, words: string[]): string[] {
  const line = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${bashScript}\nCOMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _kubereach; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    encoding: 'utf8',
    cwd: '/',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter((x) => x !== '');
}

describe('kubereach completion', () => {
  test("bash: commands, a command's options and an option's choices complete in a real bash", async () => {
    const { code, out } = await script('bash');
    expect(code).toBe(0);
    expect(spawnSync('bash', ['-n'], { input: out }).status).toBe(0);
    expect(complete(out, ['kubereach', 'wh'])).toEqual(['who-can-reach']);
    expect(complete(out, ['kubereach', 'can', '--exp'])).toEqual(['--explain']);
    expect(complete(out, ['kubereach', 'audit', '--fail-on', ''])).toEqual(['info', 'low', 'medium', 'high']);
    expect(complete(out, ['kubereach', 'matrix', '-o', 'c'])).toEqual(['csv']);
    expect(out).toContain('complete -o filenames -F _kubereach kubectl-reach');
  });

  test('zsh loads the bash function through bashcompinit', async () => {
    const { code, out } = await script('zsh');
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe('#compdef kubereach kubectl-reach');
    expect(out).toContain('autoload -U +X bashcompinit && bashcompinit');
    expect(out).toContain('_kubereach() {');
  });

  test('fish: one complete line per command and per option, choices as arguments', async () => {
    const { code, out } = await script('fish');
    expect(code).toBe(0);
    expect(out).toContain("complete -c kubereach -n __fish_use_subcommand -a 'can' -d ");
    expect(out).toContain("complete -c kubereach -n '__fish_seen_subcommand_from audit' -l fail-on -x -a 'info low medium high' -d ");
    expect(out).toContain("complete -c kubectl-reach -n '__fish_seen_subcommand_from can' -l explain -d ");
  });

  test('an unknown shell is a usage error (exit 2)', async () => {
    const { code, err } = await script('tcsh');
    expect(code).toBe(2);
    expect(err).toContain("error: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.");
  });
});
