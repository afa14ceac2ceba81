/**
 * The conformance runner's normalisers, on hand-written inputs: a normaliser that merged too much
 * would make every case agree, so each one is shown both merging what it must and keeping apart
 * what it must not.
 */
import { describe, expect, it } from 'vitest';
import { canonicalConn, coalesceExternal, isIPv6External, lineText, parseListing } from './connlist-lines.js';
import { replicaSetRenames, rawObjects } from './workload-names.js';
import { readConns } from './nca-calico-lines.js';

describe('canonicalConn', () => {
  it('sorts protocols, sorts and merges ranges', () => {
    expect(canonicalConn('UDP 53,TCP 443,80-81,82', 'x')).toBe('TCP 80-82,443,UDP 53');
  });
  it('calls every port of every protocol All Connections, and nothing less', () => {
    expect(canonicalConn('SCTP 1-65535,TCP 1-65535,UDP 1-65535', 'x')).toBe('All Connections');
    expect(canonicalConn('SCTP 1-65535,TCP 1-65535,UDP 2-65535', 'x')).toBe('SCTP 1-65535,TCP 1-65535,UDP 2-65535');
    // kubereach's every-ICMP part has no counterpart in netpol-analyzer's vocabulary; a partial one is kept
    expect(canonicalConn('ICMP 0-255,ICMPv6 0-255,SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535', 'x')).toBe('SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
    expect(canonicalConn('ICMP 8,SCTP 1-65535,TCP 1-65535,UDP 1-65535', 'x')).toBe('ICMP 8,SCTP 1-65535,TCP 1-65535,UDP 1-65535');
  });
  it('rejects what is not a connection set', () => {
    expect(() => canonicalConn('GRE 8', 'f:3')).toThrow('f:3: unknown protocol GRE');
    expect(() => canonicalConn('TCP http', 'f:3')).toThrow('bad connection set');
  });
});

describe('parseListing', () => {
  it('parses lines and refuses anything else (no guessing at headers)', () => {
    expect(parseListing('a/b[Pod] => c/d[Pod] : TCP 80\n\n', 'f')).toEqual([{ src: 'a/b[Pod]', dst: 'c/d[Pod]', conn: 'TCP 80' }]);
    expect(() => parseListing('src, dst, conn\n', 'f')).toThrow('f:1: not a connectivity line');
  });
});

describe('coalesceExternal', () => {
  const p = (text: string) => parseListing(text, 't');
  const texts = (text: string) => coalesceExternal(p(text), 't').map(lineText).sort();

  it('merges adjacent ranges with the same connections, per endpoint and direction', () => {
    expect(
      texts(
        '0.0.0.0-9.255.255.255[External] => ns/a[Pod] : UDP 53\n' +
          '10.0.0.0-255.255.255.255[External] => ns/a[Pod] : UDP 53\n' +
          'ns/a[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
      ),
    ).toEqual(['0.0.0.0-255.255.255.255[External] => ns/a[Pod] : UDP 53', 'ns/a[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections']);
  });
  it('keeps ranges apart when the connections differ, across a gap, or for another endpoint', () => {
    const input =
      '0.0.0.0-9.255.255.255[External] => ns/a[Pod] : UDP 53\n' +
      '10.0.0.0-10.255.255.255[External] => ns/a[Pod] : TCP 53\n' +
      '12.0.0.0-255.255.255.255[External] => ns/a[Pod] : TCP 53\n' +
      '11.0.0.0-11.255.255.255[External] => ns/b[Pod] : TCP 53';
    expect(texts(input)).toEqual(p(input).map(lineText).sort());
  });
  it('refuses overlapping ranges', () => {
    expect(() => coalesceExternal(p('0.0.0.0-10.0.0.0[External] => ns/a[Pod] : UDP 53\n10.0.0.0-11.0.0.0[External] => ns/a[Pod] : UDP 53'), 't')).toThrow(
      'overlapping external ranges for ns/a[Pod]',
    );
  });
  it('tells IPv6 ranges apart', () => {
    expect(isIPv6External('::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External]')).toBe(true);
    expect(isIPv6External('0.0.0.0-255.255.255.255[External]')).toBe(false);
    expect(isIPv6External('ns/a:b[Pod]')).toBe(false);
  });
});

describe('replicaSetRenames', () => {
  const pod = (name: string, owner: string, hash: string | null) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: shop\n` +
    (hash === null ? '' : `  labels:\n    pod-template-hash: "${hash}"\n`) +
    `  ownerReferences:\n  - {apiVersion: apps/v1, kind: ReplicaSet, name: ${owner}, uid: u, controller: true}\n`;
  const renames = (...docs: string[]) => replicaSetRenames(rawObjects([{ name: 'in.yaml', text: docs.join('---\n') }]));

  it('maps an absent ReplicaSet D-<hash> whose pods carry that hash to D[Deployment]', () => {
    expect([...renames(pod('web-5d4-a', 'web-5d4', '5d4'), pod('web-5d4-b', 'web-5d4', '5d4'))]).toEqual([
      ['shop/web-5d4[ReplicaSet]', 'shop/web[Deployment]'],
    ]);
  });
  it('does not map when the input does not prove it', () => {
    expect(renames(pod('a', 'web-5d4', null)).size).toBe(0); // no hash label
    expect(renames(pod('a', 'web-5d4', '999')).size).toBe(0); // hash is not the suffix
    expect(renames(pod('a', 'web-5d4', '5d4'), pod('b', 'web-5d4', 'xyz')).size).toBe(0); // two hashes
    const rs = 'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web-5d4, namespace: shop}\n';
    expect(renames(pod('a', 'web-5d4', '5d4'), rs).size).toBe(0); // the ReplicaSet is in the input
    const dep = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n';
    expect(renames(pod('a', 'web-5d4', '5d4'), dep).size).toBe(0); // a Deployment of that name exists
  });
  it('reads typed lists whose items omit kind', () => {
    const list =
      'kind: PodList\napiVersion: v1\nitems:\n- metadata:\n    name: a\n    namespace: shop\n    labels: {pod-template-hash: "5d4"}\n' +
      '    ownerReferences: [{kind: ReplicaSet, name: web-5d4, controller: true}]\n';
    expect([...renames(list)]).toEqual([['shop/web-5d4[ReplicaSet]', 'shop/web[Deployment]']]);
  });
});

describe("readConns (network-config-analyzer Calico CONNS in kubereach's universe)", () => {
  const read = (c: string) => {
    const r = readConns(c);
    return r === null ? null : { set: r.set.toString(), others: r.others };
  };
  it('reads every protocol kubereach holds exactly, ICMP types 0-254 (their domain)', () => {
    expect(read('All Connections')).toEqual({ set: 'ICMP 0-254,ICMPv6 0-254,SCTP 1-65535,TCP 1-65535,UDP 1-65535', others: [] });
    expect(read('ICMP,TCP 1-65535')).toEqual({ set: 'ICMP 0-254,TCP 1-65535', others: [] });
    expect(read('ICMP type 0-203,205-254,UDP 53')).toEqual({ set: 'ICMP 0-203,205-254,UDP 53', others: [] });
    expect(read('All Connections except TCP 1-65535')).toEqual({ set: 'ICMP 0-254,ICMPv6 0-254,SCTP 1-65535,UDP 1-65535', others: [] });
  });
  it('reads ICMP codes exactly (kubereach holds messages by type and code)', () => {
    expect(read('ICMP type 0-204,206-254,ICMP type 205 code 0-53,55-255')).toEqual({ set: 'ICMP 0-204,205:0-53,205:55-255,206-254', others: [] });
    // every code of a type is the whole type
    expect(read('ICMPv6 type 3 code 0-255')).toEqual({ set: 'ICMPv6 3', others: [] });
    expect(read('All Connections except ICMP type 3 code 4')).toEqual({
      set: 'ICMP 0-2,3:0-3,3:5-255,4-254,ICMPv6 0-254,SCTP 1-65535,TCP 1-65535,UDP 1-65535',
      others: [],
    });
  });
  it('names what it cannot carry over: other protocols; source ports give null', () => {
    expect(read('ICMP,TCP 52311,UDP 52311,VRRP')).toEqual({ set: 'ICMP 0-254,TCP 52311,UDP 52311', others: ['VRRP'] });
    expect(read('All Connections except ICMP,UDPLite')).toEqual({
      set: 'ICMPv6 0-254,SCTP 1-65535,TCP 1-65535,UDP 1-65535',
      others: ['UDPLite'],
    });
    expect(read('TCP 101-104,301-65535 src 151')).toBeNull();
  });
});
