/** ConnectionSet: canonical interval sets per protocol and the matrix notation. */
import { describe, expect, test } from 'vitest';
import { ConnectionSet } from '../../src/net/connection-set.js';

const tcp = (lo: number, hi = lo) => ConnectionSet.port('TCP', lo, hi);

describe('ConnectionSet', () => {
  test('notation: All, No, protocols in name order, maximal merged ranges', () => {
    expect(ConnectionSet.ALL.toString()).toBe('All Connections');
    expect(ConnectionSet.NONE.toString()).toBe('No Connections');
    const s = tcp(443).union(tcp(80)).union(tcp(8000, 9000)).union(ConnectionSet.port('UDP', 53)).union(ConnectionSet.port('SCTP', 9))
    expect(s.toString()).toBe('SCTP 9,TCP 80,443,8000-9000,UDP 53');
    expect(tcp(80, 81).union(tcp(82)).toString()).toBe('TCP 80-82');
  });
  test('union, intersect, subtract, equals', () => {
    const a = tcp(1, 100);
    const b = tcp(50, 200);
    expect(a.intersect(b).toString()).toBe('TCP 50-100');
    expect(a.subtract(b).toString()).toBe('TCP 1-49');
    expect(ConnectionSet.ALL.subtract(tcp(80)).toString()).toBe('SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
    expect(a.union(b).equals(tcp(1, 200))).toBe(true);
    expect(a.equals(b)).toBe(false);
  });
  test('contains', () => {
    const s = tcp(80).union(tcp(8000, 9000));
    expect([s.contains('TCP', 80), s.contains('TCP', 81), s.contains('TCP', 9000), s.contains('UDP', 80)]).toEqual([true, false, true, false]);
  });
});
