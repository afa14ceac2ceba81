/** @kubereach/cli — the `kubereach` command, callable in-process as `run(argv, io)`. */
export { run, buildProgram, VERSION } from './run.js';
export { memoryIO, UsageError, EXIT } from './io.js';
export type { CliIO } from './io.js';
