/**
 * Everything the CLI touches outside itself goes through CliIO, so `run(argv, io)` is callable from
 * tests with captured output.
 */
export interface CliIO {
  /** Writes to standard output; `false` when the stream buffers beyond its limit (then await `drain`). */
  readonly stdout: (text: string) => boolean | void;
  /** Resolves when standard output has flushed its buffer (after `stdout` returned false). */
  readonly drain?: () => Promise<void>;
  readonly stderr: (text: string) => void;
  /** Standard input as chunks; the reader counts them and stops at the byte limit. */
  readonly readStdin: () => AsyncIterable<Uint8Array>;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Ends long-running commands (watch) cleanly: Ctrl-C in a terminal, the test's end in tests. */
  readonly signal?: AbortSignal;
}

/** Batches of about this many UTF-16 units are written at once. */
const WRITE_BATCH = 1 << 16;

/**
 * Writes an output made chunk by chunk, batched, waiting for stdout to drain whenever it says its
 * buffer is full: an output larger than the longest string the runtime can build (a matrix of
 * many pods) is never joined, and never held whole in the stream's buffer either.
 */
export async function writeChunks(io: CliIO, chunks: Iterable<string>): Promise<void> {
  let batch = '';
  const flush = async (): Promise<void> => {
    const more = io.stdout(batch);
    batch = '';
    if (more === false && io.drain !== undefined) await io.drain();
  };
  for (const chunk of chunks) {
    batch += chunk;
    if (batch.length >= WRITE_BATCH) await flush();
  }
  if (batch !== '') await flush();
}

/** Exit codes across the CLI. */
export const EXIT = { ok: 0, negative: 1, badInput: 2 } as const;

/** A usage or input problem: printed as one message, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
  }
}

/** Collects output, for tests. */
export function memoryIO(stdin: string | Uint8Array = '', overrides: Partial<CliIO> = {}): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    readStdin: () => chunksOf(stdin),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    cwd: process.cwd(),
    env: {},
    out: () => out,
    err: () => err,
    ...overrides,
  };
}

/** A string or bytes as one chunk, as process.stdin would deliver it. */
export async function* chunksOf(data: string | Uint8Array): AsyncIterable<Uint8Array> {
  yield typeof data === 'string' ? new TextEncoder().encode(data) : data;
}
