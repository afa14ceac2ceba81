/**
 * The text form of a diagnostic, as compilers print them, so editors and terminals can jump to it:
 *
 *   policies.yaml:12:15: error INVALID_CIDR: ipBlock.cidr "10.0.0.1/33" is not a CIDR (NetworkPolicy shop/deny)
 *     hint: write the block as ADDRESS/PREFIX, e.g. 10.0.0.0/8 or fd00::/64
 */
import { escapeControl } from '../text/escape.js';
import { formatLocation, type Diagnostic } from './diagnostic.js';

/**
 * Formats one diagnostic as two lines (no trailing newline): position, code and message; then the
 * hint. The file name, message and object come from the input, so their control characters are
 * escaped: a diagnostic is always exactly these two lines.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const object = d.object === null ? '' : ` (${d.object})`;
  return escapeControl(`${formatLocation(d.location)}: ${d.severity} ${d.code}: ${d.message}${object}`) + `\n  hint: ${d.hint}`;
}
