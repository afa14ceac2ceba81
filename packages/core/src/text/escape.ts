/**
 * Names, label values and file paths come from other people's manifests, and they reach terminals,
 * log files, Markdown pull-request comments and spreadsheets. Every renderer makes them inert with
 * these helpers: a value can never add a line, move the cursor, retitle a terminal, reorder text
 * (bidirectional overrides) or run as a formula.
 *
 * | character                               | why it is dangerous                      | written as   |
 * |-----------------------------------------|------------------------------------------|--------------|
 * | C0 controls U+0000-U+001F, DEL U+007F   | ESC sequences, BEL, CR overwrites a line | `\n` `\t` `\r` `\x1b` ... |
 * | C1 controls U+0080-U+009F               | CSI (U+009B) is ESC [ on many terminals  | `\x9b`       |
 * | U+2028, U+2029                          | line breaks to many editors and viewers  | `\u2028`     |
 * | bidi U+061C U+200E U+200F U+202A-U+202E U+2066-U+2069 | reorder what is displayed ("Trojan Source") | `\u202e` |
 */

/** True for a character escapeControl rewrites. */
function isDangerous(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

const NAMED: Readonly<Record<number, string>> = { 9: '\\t', 10: '\\n', 13: '\\r' };

/** One dangerous character as visible text. */
function escapeChar(c: number): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/**
 * `s` with every control, line-separator and bidirectional-override character written as a visible
 * escape (`\n`, `\x1b`, `\u202e`), so the text occupies exactly the lines the caller gives it.
 * With `keepNewlines`, `\n` stays (for a message that is meant to span lines, whose parts were
 * escaped when they were made). Returns `s` itself when nothing needs escaping.
 */
export function escapeControl(s: string, keepNewlines = false): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDangerous(c) && !(keepNewlines && c === 10)) break;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += isDangerous(c) && !(keepNewlines && c === 10) ? escapeChar(c) : s[i];
  }
  return out;
}

/** True when `s` holds a character escapeControl would rewrite. */
export function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isDangerous(s.charCodeAt(i))) return true;
  return false;
}

/** Longest value echoed whole in a message. */
export const ECHO_LIMIT = 80;

/**
 * A value as it may be echoed in a message: whole when it has at most 80 characters, else the first
 * 80 and `…(N bytes)`, N being its UTF-8 size, so a 60 MB selector value costs one line of stderr.
 * The cut never splits a surrogate pair.
 */
export function capValue(s: string, limit = ECHO_LIMIT): string {
  if (s.length <= limit) return s;
  let end = limit;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate whose pair is past the cut
  return `${s.slice(0, end)}…(${utf8Length(s)} bytes)`;
}

/** UTF-8 size of a string without encoding it (the core runs in browsers too: no Buffer). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** A value quoted for a message: capped, in double quotes (control characters are escaped at render). */
export function quoteValue(s: string): string {
  return `"${capValue(s)}"`;
}
