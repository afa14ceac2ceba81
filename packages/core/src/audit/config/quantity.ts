/**
 * Kubernetes resource quantities (`100m`, `0.5`, `1Gi`, `1G`, `1e3`), parsed exactly as
 * k8s.io/apimachinery/pkg/api/resource.ParseQuantity does, into an exact integer count of nano-units.
 *
 * Why nano-units: after parsing, every Kubernetes quantity is a multiple of 10^-9 (finer non-zero
 * values are rounded away from zero to the next nano), so a bigint of nanos holds every value
 * exactly, sums and products never round, and comparisons are plain bigint comparisons.
 *
 * Grammar (the Kubernetes API's resource.Quantity serialization format):
 *   <quantity>        ::= <signedNumber><suffix>
 *   <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 *   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei                 (2^10 .. 2^60)
 *   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E     (10^-9 .. 10^18)
 *   <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>   (integer exponent)
 *
 * Quirks kept on purpose because the API server has them: the scanner accepts "1." and ".5"; a bare
 * sign, a "." or a suffix without digits ("e3", "Ki") parses as 0; leading zeros are dropped; and a
 * binarySI value is capped at 2^63-1 while a
 * decimal one is not. One deliberate difference: exponents beyond ±1000 are refused (the API server
 * would accept `1e999999999`, but building that number is a memory bomb, and no request means it).
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

/** A parsed quantity: the exact value in units of 10^-9 and the suffix family it was written with. */
export interface Quantity {
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

export type QuantityParse = { readonly ok: true; readonly quantity: Quantity } | { readonly ok: false; readonly reason: string };

const NANO_PER_UNIT = 1_000_000_000n;
const MAX_INT64 = (1n << 63n) - 1n;
const MAX_EXPONENT = 1000;

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Readonly<Record<string, number>> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};
const SUFFIX_CHARS = 'eEinumkKMGTP';

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Parses a quantity string; never throws. */
export function parseQuantity(text: string): QuantityParse {
  const bad = (reason: string): QuantityParse => ({ ok: false, reason: `"${text}": ${reason}` });
  if (text.length === 0) return bad('empty quantity');

  // The scanner, step by step as parseQuantityString does it.
  let pos = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    pos = 1;
  }
  while (text[pos] === '0') pos++;
  let num = '';
  while (isDigit(text[pos])) num += text[pos++];
  let denom = '';
  if (text[pos] === '.') {
    pos++;
    while (isDigit(text[pos])) denom += text[pos++];
  }
  const suffixStart = pos;
  while (pos < text.length && SUFFIX_CHARS.includes(text[pos] as string)) pos++;
  if (text[pos] === '-' || text[pos] === '+') pos++;
  while (isDigit(text[pos])) pos++;
  if (pos < text.length) return bad('not a quantity (expected digits, an optional fraction and a suffix)');
  const suffix = text.slice(suffixStart);

  // Interpret the suffix: decimal SI, then binary SI, then e<exponent>.
  let base: 2 | 10;
  let exponent: number;
  let format: QuantityFormat;
  const dec = DECIMAL_SUFFIXES[suffix];
  const bin = BINARY_SUFFIXES[suffix];
  if (dec !== undefined) {
    [base, exponent, format] = [10, dec, 'DecimalSI'];
  } else if (bin !== undefined) {
    [base, exponent, format] = [2, bin, 'BinarySI'];
  } else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1))) {
    const e = Number(suffix.slice(1));
    if (Math.abs(e) > MAX_EXPONENT) return bad(`exponent beyond ±${MAX_EXPONENT} is not supported`);
    [base, exponent, format] = [10, e, 'DecimalExponent'];
  } else {
    return bad(`unknown suffix "${suffix}"`);
  }

  // value = (num.denom) * base^exponent, as an exact fraction numerator / 10^denom.length.
  let numerator = BigInt((num === '' ? '0' : num) + denom);
  let denominator = 10n ** BigInt(denom.length);
  if (base === 2) numerator <<= BigInt(exponent);
  else if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator *= 10n ** BigInt(-exponent);

  // Round the magnitude up to whole nanos ("0.9n" is 1n): non-zero requests never vanish.
  const scaled = numerator * NANO_PER_UNIT;
  let nanos = scaled / denominator + (scaled % denominator === 0n ? 0n : 1n);
  if (format === 'BinarySI' && nanos > MAX_INT64 * NANO_PER_UNIT) nanos = MAX_INT64 * NANO_PER_UNIT;
  // A binary value strictly between 0 and 1 ("0.0001Ki") is kept as decimal, as the API server does.
  if (format === 'BinarySI' && nanos > 0n && nanos < NANO_PER_UNIT) format = 'DecimalSI';
  return { ok: true, quantity: { nanos: negative ? -nanos : nanos, format } };
}

/** Exact comparison: negative, zero or positive like `a - b`. */
export function compareQuantity(a: Quantity, b: Quantity): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** Exact sum; the format is the first non-zero operand's (as Quantity.Add keeps it). */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

/** Exact product with an integer (replica counts). */
export function scaleQuantity(q: Quantity, factor: number): Quantity {
  return { nanos: q.nanos * BigInt(factor), format: q.format };
}

export const ZERO_QUANTITY: Quantity = { nanos: 0n, format: 'DecimalSI' };

/** Ceiling division of a magnitude, sign kept: Quantity.ScaledValue rounds away from zero. */
function scaledUp(nanos: bigint, unit: bigint): bigint {
  const mag = nanos < 0n ? -nanos : nanos;
  const up = mag / unit + (mag % unit === 0n ? 0n : 1n);
  return nanos < 0n ? -up : up;
}

/** Quantity.Value(): whole units, rounded up. */
export function quantityValue(q: Quantity): bigint {
  return scaledUp(q.nanos, NANO_PER_UNIT);
}

/** Quantity.MilliValue(): thousandths, rounded up. */
export function quantityMilliValue(q: Quantity): bigint {
  return scaledUp(q.nanos, 1_000_000n);
}

const DECIMAL_BY_EXPONENT: ReadonlyMap<number, string> = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_NAMES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/**
 * Canonical text as the API server would serialise the quantity: no fractional digits, the largest
 * suffix that loses nothing (`1.5` -> `1500m`, `1.5Gi` -> `1536Mi`, `2000` -> `2k`).
 */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  const sign = q.nanos < 0n ? '-' : '';
  const mag = q.nanos < 0n ? -q.nanos : q.nanos;
  if (q.format === 'BinarySI' && mag >= 1024n * NANO_PER_UNIT && mag % NANO_PER_UNIT === 0n) {
    let units = mag / NANO_PER_UNIT;
    let power = 0;
    while (power < 6 && units % 1024n === 0n) {
      units /= 1024n;
      power++;
    }
    return `${sign}${units}${BINARY_NAMES[power] ?? ''}`;
  }
  // Decimal: mantissa * 10^exponent with exponent a multiple of 3, as large as exact allows.
  let mantissa = mag;
  let exponent = -9;
  while (mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exponent += 3;
  }
  if (q.format === 'DecimalExponent') return `${sign}${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
  const suffix = DECIMAL_BY_EXPONENT.get(exponent);
  return suffix === undefined ? `${sign}${mantissa}e${exponent}` : `${sign}${mantissa}${suffix}`;
}
