// Expected values are worked out by hand from the grammar and rules in apimachinery's quantity.go
// (its doc comment gives "1.5" -> "1500m", "1.5Gi" -> "1536Mi", "1.2345" -> "1234500u",
// "0.9n" -> "1n", "8Ei" -> 2^63-1, "18446744073709551616" kept).
import { describe, expect, it } from 'vitest';
import {
  addQuantity,
  compareQuantity,
  formatQuantity,
  parseQuantity,
  quantityMilliValue,
  quantityValue,
  scaleQuantity,
  type Quantity,
} from '../../src/audit/config/quantity.js';

const GIGA = 1_000_000_000n;

function q(s: string): Quantity {
  const r = parseQuantity(s);
  if (!r.ok) throw new Error(r.reason);
  return r.quantity;
}

describe('parseQuantity values (in nanos)', () => {
  it.each<[string, bigint]>([
    ['100m', 100_000_000n],
    ['0.5', 500_000_000n],
    ['.5', 500_000_000n],
    ['1.', GIGA],
    ['1.G', GIGA * GIGA],
    ['1', GIGA],
    ['+1', GIGA],
    ['-1', -GIGA],
    ['007', 7n * GIGA],
    ['0', 0n],
    ['0m', 0n],
    ['1Ki', 1024n * GIGA],
    ['1Mi', 1_048_576n * GIGA],
    ['1Gi', 1_073_741_824n * GIGA],
    ['1.5Gi', 1_610_612_736n * GIGA],
    ['1G', GIGA * GIGA],
    ['1k', 1000n * GIGA],
    ['1M', 1_000_000n * GIGA],
    ['1E', 10n ** 18n * GIGA],
    ['1E3', 1000n * GIGA],
    ['1e3', 1000n * GIGA],
    ['1e+3', 1000n * GIGA],
    ['1e-3', 1_000_000n],
    ['1.5e3', 1500n * GIGA],
    ['1n', 1n],
    ['1u', 1000n],
    ['1.2345', 1_234_500_000n],
    ['0.9n', 1n], // finer than a nano: rounded away from zero
    ['-0.9n', -1n],
    ['0.0001Ki', 102_400_000n],
    ['18446744073709551616', 18446744073709551616n * GIGA], // decimal: not capped
    ['8Ei', ((1n << 63n) - 1n) * GIGA], // binary: capped at 2^63-1
    ['-', 0n], // the scanner's quirk: a bare sign or dot is zero
    ['.', 0n],
    ['e3', 0n], // no digits before the suffix: the numerator is taken as 0
    ['Ki', 0n],
  ])('%s', (text, nanos) => {
    expect(q(text).nanos).toBe(nanos);
  });
});

describe('parseQuantity formats', () => {
  it.each<[string, string]>([
    ['1Gi', 'BinarySI'],
    ['0.0001Ki', 'DecimalSI'], // a binary value below 1 is kept as decimal
    ['1G', 'DecimalSI'],
    ['100m', 'DecimalSI'],
    ['1e3', 'DecimalExponent'],
  ])('%s is %s', (text, format) => {
    expect(q(text).format).toBe(format);
  });
});

describe('parseQuantity rejects', () => {
  it.each(['', '1K', '1ki', '1mi', '1 Gi', ' 1', '1e', 'abc', '1Gi3', '1e3.5', '1.5.5', '1e1001', '--1', '1,5'])('%j', (text) => {
    const r = parseQuantity(text);
    expect(r.ok).toBe(false);
  });
});

describe('formatQuantity (canonical form)', () => {
  it.each<[string, string]>([
    ['1.5', '1500m'],
    ['1.5Gi', '1536Mi'],
    ['1.2345', '1234500u'],
    ['0.9n', '1n'],
    ['2000', '2k'],
    ['1000m', '1'],
    ['100m', '100m'],
    ['1Gi', '1Gi'],
    ['0.5Ki', '512'],
    ['1e3', '1e3'],
    ['1e-3', '1e-3'],
    ['0.0001Ki', '102400u'],
    ['8Ei', '9223372036854775807'],
    ['0', '0'],
    ['-1500m', '-1500m'],
  ])('%s -> %s', (text, canonical) => {
    expect(formatQuantity(q(text))).toBe(canonical);
  });
});

describe('arithmetic and accessors', () => {
  it('compares exactly across suffix families', () => {
    expect(compareQuantity(q('1Gi'), q('1G'))).toBe(1);
    expect(compareQuantity(q('1000m'), q('1'))).toBe(0);
    expect(compareQuantity(q('999m'), q('1'))).toBe(-1);
    expect(compareQuantity(q('1e3'), q('1k'))).toBe(0);
  });
  it('adds and scales without rounding', () => {
    expect(formatQuantity(addQuantity(q('100m'), q('0.5')))).toBe('600m');
    expect(formatQuantity(scaleQuantity(q('256Mi'), 4))).toBe('1Gi');
    expect(scaleQuantity(q('333m'), 3).nanos).toBe(999_000_000n);
  });
  it('Value and MilliValue round up like Quantity.ScaledValue', () => {
    expect(quantityValue(q('100m'))).toBe(1n);
    expect(quantityValue(q('2'))).toBe(2n);
    expect(quantityMilliValue(q('0.0001'))).toBe(1n);
    expect(quantityMilliValue(q('1'))).toBe(1000n);
    expect(quantityMilliValue(q('-1.5m'))).toBe(-2n);
  });
});
