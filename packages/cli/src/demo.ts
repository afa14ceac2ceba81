/**
 * `npm run demo`: the main job on the bundled example cluster (fixtures/demo) — an audit and a few
 * reachability questions — printed as a user would see them, each command line first.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './run.js';
import { chunksOf, type CliIO } from './io.js';

const dir = relative(process.cwd(), fileURLToPath(new URL('../../../fixtures/demo', import.meta.url))) || '.';

const STEPS: readonly (readonly string[])[] = [
  ['audit', '-f', dir],
  ['can', 'shop/web', '169.254.169.254', '-f', dir],
  ['can', 'payments/gateway', '169.254.169.254', '--port', '80', '--explain', '-f', dir],
  ['can', 'shop/web', 'shop/db', '--port', '5432', '--explain', '-f', dir],
  ['who-can-reach', 'etcd', '-f', dir],
  ['paths', 'shop/web', 'shop/db', '-f', dir],
];

async function main(): Promise<void> {
  const io: CliIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: () => chunksOf(''),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
  };
  let failed = false;
  for (const argv of STEPS) {
    process.stdout.write(`\n$ kubereach ${argv.map((a) => (/[\s[\]]/.test(a) ? `'${a}'` : a)).join(' ')}\n`);
    const code = await run(argv, io);
    process.stdout.write(`(exit ${code})\n`);
    if (code >= 2) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}

void main();
