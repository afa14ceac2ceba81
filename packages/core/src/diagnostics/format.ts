/**
 * The text form of a diagnostic, as compilers print them, so editors and terminals can jump to it:
 *
 *   policies.yaml:12:15: error INVALID_CIDR: ipBlock.cidr "10.0.0.1/33" is not a CIDR (NetworkPolicy shop/deny)
 *     hint: write the block as ADDRESS/PREFIX, e.g. 10.0.0.0/8 or fd00::/64
 */
import { formatLocation, type Diagnostic } from './diagnostic.js';

/** Formats one diagnostic as two lines (no trailing newline): position, code and message; then the hint. */
export function formatDiagnostic(d: Diagnostic): string {
  const object = d.object === null ? '' : ` (${d.object})`;
  return `${formatLocation(d.location)}: ${d.severity} ${d.code}: ${d.message}${object}\n  hint: ${d.hint}`;
}
