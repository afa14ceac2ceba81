/** Process entry: real I/O around `run`. */
import { run } from './run.js';
import type { CliIO } from './io.js';

export function main(): void {
  // the first Ctrl-C ends `watch` cleanly (exit 0); a second one kills as usual
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const io: CliIO = {
    signal: stop.signal,
    stdout: (t) => process.stdout.write(t),
    // a closed stdout never drains: resolve then too (EPIPE ends the process below)
    drain: () =>
      new Promise((resolve) => {
        const done = (): void => {
          process.stdout.off('drain', done);
          process.stdout.off('close', done);
          resolve();
        };
        process.stdout.once('drain', done);
        process.stdout.once('close', done);
      }),
    stderr: (t) => process.stderr.write(t),
    // the reader counts bytes and stops at the limit (input/read.ts)
    readStdin: () => process.stdin,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
  };
  // a closed pipe (`kubereach matrix | head`) is not an error
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  run(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`kubereach: internal error: ${String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
