/**
 * Misuse of the library API throws one of these named errors. Bad *input* never throws: it yields
 * diagnostics (see diagnostics/). Queries on a compiled index never throw for well-formed calls.
 */

/** Base class, so embedders can catch everything kubereach throws with one `instanceof`. */
export class KubereachError extends Error {
  override name = 'KubereachError';
}

/** An argument is malformed (e.g. a port outside 1-65535 passed to a query). */
export class InvalidArgumentError extends KubereachError {
  override name = 'InvalidArgumentError';
}

/** A named endpoint does not exist in the index. */
export class NotFoundError extends KubereachError {
  override name = 'NotFoundError';
}

/** A name matches several endpoints; `candidates` lists them. */
export class AmbiguousError extends KubereachError {
  override name = 'AmbiguousError';
  constructor(
    message: string,
    readonly candidates: readonly string[],
  ) {
    super(message);
  }
}
