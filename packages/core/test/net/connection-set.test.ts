/** ConnectionSet: canonical interval sets per protocol and the matrix notation. */
import { describe, expect, test } from 'vitest';
import { ConnectionSet, icmpKey } from '../../src/net/connection-set.js';

const tcp = (lo: number, hi = lo) => ConnectionSet.port('TCP', lo, hi);

describe('ConnectionSet', () => {
  test('notation: All, No, protocols in name order, maximal merged ranges', () => {
    expect(ConnectionSet.ALL.toString()).toBe('All Connections');
    expect(ConnectionSet.NONE.toString()).toBe('No Connections');
    const s = tcp(443).union(tcp(80)).union(tcp(8000, 9000)).union(ConnectionSet.port('UDP', 53)).union(ConnectionSet.port('SCTP', 9));
    expect(s.toString()).toBe('SCTP 9,TCP 80,443,8000-9000,UDP 53');
    expect(tcp(80, 81).union(tcp(82)).toString()).toBe('TCP 80-82');
  });
  test('union, intersect, subtract, equals', () => {
    const a = tcp(1, 100);
    const b = tcp(50, 200);
    expect(a.intersect(b).toString()).toBe('TCP 50-100');
    expect(a.subtract(b).toString()).toBe('TCP 1-49');
    // everything but TCP 80 still holds every ICMP message (a NetworkPolicy rule without ports allows them)
    expect(ConnectionSet.ALL.subtract(tcp(80)).toString()).toBe('ICMP 0-255,ICMPv6 0-255,SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
    expect(a.union(b).equals(tcp(1, 200))).toBe(true);
    expect(a.equals(b)).toBe(false);
  });
  test('ICMP: message types 0-255 per family, rendered first in name order', () => {
    const echo = ConnectionSet.port('ICMP', 8);
    expect(echo.toString()).toBe('ICMP 8');
    expect(echo.contains('ICMP', 8)).toBe(true);
    expect(echo.contains('ICMPv6', 8)).toBe(false);
    expect(ConnectionSet.protocol('ICMPv6').toString()).toBe('ICMPv6 0-255');
    expect(ConnectionSet.port('ICMP', 0).union(tcp(80)).toString()).toBe('ICMP 0,TCP 80');
    // type 0 (echo reply) is a member: the ICMP space starts at 0, ports at 1
    expect(ConnectionSet.ALL.subtract(ConnectionSet.port('ICMP', 0)).contains('ICMP', 0)).toBe(false);
    expect(ConnectionSet.ALL.subtract(ConnectionSet.protocol('ICMP')).subtract(ConnectionSet.protocol('ICMPv6')).toString()).toBe(
      'SCTP 1-65535,TCP 1-65535,UDP 1-65535',
    );
    expect(
      ConnectionSet.protocol('ICMP')
        .union(ConnectionSet.protocol('ICMPv6'))
        .union(ConnectionSet.protocol('TCP'))
        .union(ConnectionSet.protocol('UDP'))
        .union(ConnectionSet.protocol('SCTP'))
        .isAll(),
    ).toBe(true);
  });
  test('ICMP codes: a type is 256 codes; a set holding part of a type prints TYPE:CODES, whole types as before', () => {
    const c34 = ConnectionSet.icmp('ICMP', 3, 4);
    expect(c34.toString()).toBe('ICMP 3:4');
    expect(c34.contains('ICMP', 3)).toBe(false); // contains(type): every code of it
    expect(c34.containsRange('ICMP', icmpKey(3, 4), icmpKey(3, 4))).toBe(true);
    expect(ConnectionSet.protocol('ICMP').subtract(c34).toString()).toBe('ICMP 0-2,3:0-3,3:5-255,4-255');
    expect(
      ConnectionSet.icmp('ICMPv6', 1)
        .subtract(ConnectionSet.icmp('ICMPv6', 1, 0))
        .toString(),
    ).toBe('ICMPv6 1:1-255');
    // codes that complete a type merge back into the type
    expect(
      ConnectionSet.ranges('ICMP', [
        [icmpKey(5, 0), icmpKey(5, 9)],
        [icmpKey(5, 10), icmpKey(5, 255)],
      ]).equals(ConnectionSet.port('ICMP', 5)),
    ).toBe(true);
    expect(ConnectionSet.ranges('ICMP', [[icmpKey(2, 200), icmpKey(4, 3)]]).toString()).toBe('ICMP 2:200-255,3,4:0-3');
    expect(ConnectionSet.port('ICMP', 0, 255).isAll()).toBe(false);
    expect(ConnectionSet.port('ICMP', 0, 255).equals(ConnectionSet.protocol('ICMP'))).toBe(true);
  });
  test('contains', () => {
    const s = tcp(80).union(tcp(8000, 9000));
    expect([s.contains('TCP', 80), s.contains('TCP', 81), s.contains('TCP', 9000), s.contains('UDP', 80)]).toEqual([true, false, true, false]);
  });
});
