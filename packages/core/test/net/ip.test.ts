/** The unified IPv4+IPv6 space: strict parsing, canonical formatting, CIDR arithmetic. */
import { describe, expect, test } from 'vitest';
import { V6_OFFSET, formatIP, parseCidr, parseIP } from '../../src/net/ip.js';

describe('parseIP', () => {
  test.each(['1.2.3.4', '0.0.0.0', '255.255.255.255', '10.0.1.5'])('accepts IPv4 %s', (t) => {
    expect(formatIP(parseIP(t)!.value)).toBe(t);
  });
  test.each(['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1..2.3', '', 'a.b.c.d', '1.2.3.-4', '1234.1.1.1'])('rejects %j', (t) => {
    expect(parseIP(t)).toBeNull();
  });
  test('IPv6 forms and their canonical text (RFC 5952)', () => {
    expect(formatIP(parseIP('fd00:0:0:0:0:0:0:5')!.value)).toBe('fd00::5');
    expect(formatIP(parseIP('::')!.value)).toBe('::');
    expect(formatIP(parseIP('::ffff:1.2.3.4')!.value)).toBe('::ffff:102:304');
    expect(formatIP(parseIP('2001:db8:0:0:1:0:0:1')!.value)).toBe('2001:db8::1:0:0:1');
    expect(parseIP('1::2::3')).toBeNull();
    expect(parseIP('12345::')).toBeNull();
  });
  test('every IPv4 address sorts before every IPv6 address', () => {
    expect(parseIP('255.255.255.255')!.value).toBeLessThan(parseIP('::')!.value);
    expect(parseIP('::')!.value).toBe(V6_OFFSET);
  });
});

describe('parseCidr', () => {
  test('network, range and host bits', () => {
    const c = parseCidr('10.0.0.1/8');
    if (typeof c === 'string') throw new Error(c);
    expect([c.text, c.hostBitsSet, formatIP(c.start), formatIP(c.end)]).toEqual(['10.0.0.0/8', true, '10.0.0.0', '10.255.255.255']);
    const v6 = parseCidr('fd00::/16');
    if (typeof v6 === 'string') throw new Error(v6);
    expect([v6.hostBitsSet, formatIP(v6.end)]).toEqual([false, 'fd00:ffff:ffff:ffff:ffff:ffff:ffff:ffff']);
  });
  test('errors', () => {
    expect(parseCidr('10.0.0.1/33')).toBe('prefix');
    expect(parseCidr('::/129')).toBe('prefix');
    expect(parseCidr('10.0.0.1')).toBe('syntax');
    expect(parseCidr('10.0.0.0/08')).toBe('syntax');
  });
});
