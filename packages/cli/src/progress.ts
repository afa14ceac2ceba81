/**
 * The progress bar of long commands (stats, audit, matrix, diff) on stderr: one line redrawn in
 * place, stage by stage, cleared when the command ends. Stages are synchronous, so the bar moves
 * between them. It appears only on a terminal (never in a pipe, a file or CI, where the redraws
 * would be noise in a log), and only for work over a second: once a second has passed, or from the
 * start when the input is big enough to take that long (about 8 MB of text).
 */
import { performance } from 'node:perf_hooks';
import type { CliIO } from './io.js';

/** Input size (characters) that shows the bar from the start. */
export const BIG_INPUT = 8 * 1024 * 1024;

/** `[#####-----] 2/4`: `done` of `total` stages finished, in a bar 20 characters wide. */
export function progressBar(done: number, total: number): string {
  const width = 20;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

/** Whether a bar may be drawn: stderr is a terminal and this is not a CI run (`CI` set, as CI services do). */
export function progressAllowed(io: CliIO): boolean {
  const ci = io.env['CI'];
  return io.stderrIsTTY && (ci === undefined || ci === '' || ci === 'false' || ci === '0');
}

export class Progress {
  private readonly t0: number;
  private readonly allowed: boolean;
  private big = false;
  private shown = false;

  /** `stages`: the name of each stage, in order; the bar counts them. `now`: the clock (tests give their own). */
  constructor(
    private readonly out: CliIO,
    private readonly stages: readonly string[],
    private readonly now: () => number = () => performance.now(),
  ) {
    this.t0 = now();
    this.allowed = progressAllowed(out);
    const io = out;
    this.io = {
      ...io,
      stdout: (t) => {
        this.end();
        return io.stdout(t);
      },
      stderr: (t) => {
        this.end();
        io.stderr(t);
      },
    };
  }

  /**
   * The io to give the stages: whatever they write (a diagnostic, a warning, the output) clears the
   * bar first, so no message is drawn over it; the next stage draws it again.
   */
  readonly io: CliIO;

  /** The input's size once read: a big input shows the bar from the start. */
  input(chars: number): void {
    if (chars > BIG_INPUT) this.big = true;
  }

  /** Stage `i` starts (the ones before it are done). */
  stage(i: number): void {
    if (!this.allowed || (!this.big && this.now() - this.t0 <= 1000)) return;
    this.shown = true;
    this.out.stderr(`\r\u001b[2K${progressBar(i, this.stages.length)} ${this.stages[i]}…`);
  }

  /** Clears the bar (before the command's own output and messages). */
  end(): void {
    if (this.shown) this.out.stderr('\r\u001b[2K');
    this.shown = false;
  }
}
