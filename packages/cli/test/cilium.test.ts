/**
 * Cilium through the command line: the star-wars demo of Cilium's getting-started guide
 * ("Identity-Aware and HTTP-Aware Policy Enforcement", fixtures/scenarios/cilium-star-wars, answers
 * reasoned by hand), the profile flag, ICMP ports and the DNS map.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { memoryIO, run } from '../src/index.js';
import { parseDnsFile } from '../src/input/profile.js';
import { parsePortArg } from '../src/input/port.js';

const STARWARS = 'fixtures/scenarios/cilium-star-wars';

async function kr(...argv: string[]) {
  const io = memoryIO();
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('star-wars demo', () => {
  test('xwing (org=alliance) cannot reach deathstar on 80: rule1 lets only org=empire in', async () => {
    const r = await kr('can', 'default/xwing', 'default/deathstar', '--port', '80', '-f', STARWARS);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toBe('no');
  });
  test('tiefighter reaches deathstar on 80, subject to the HTTP rule POST /v1/request-landing', async () => {
    const r = await kr('can', 'default/tiefighter', 'default/deathstar', '--port', '80', '-f', STARWARS, '--explain');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('yes');
    expect(r.out).toContain('note: allowed subject to L7 rules on ingress of default/deathstar[Deployment]: http POST /v1/request-landing');
    expect(r.err).toContain('warning: cni profile: cilium (detected: 1 Cilium policy in the input): ');
    expect(r.out).not.toContain('cni profile');
    expect(r.out).toContain(`[CiliumNetworkPolicy default/rule1 ingress rule 0] Allow (${STARWARS}/cluster.yaml:84:5)`);
  });
  test('tiefighter cannot reach deathstar on 443: only port 80 is allowed', async () => {
    expect((await kr('can', 'default/tiefighter', 'default/deathstar', '--port', '443', '-f', STARWARS)).code).toBe(1);
  });
});

describe('CiliumClusterwideNetworkPolicy egressDeny: the metadata service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kr-ccnp-'));
  writeFileSync(
    join(dir, 'c.yaml'),
    [
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}',
      'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: deny-metadata}\nspec:\n  endpointSelector: {}\n  egressDeny:\n  - toCIDR: [169.254.169.254/32, 100.100.100.200/32, fd00:ec2::254/128]\n  egress:\n  - toEntities: [all]',
    ].join('\n---\n'),
  );
  test('the deny beats the allow-all, and --explain names the CCNP egressDeny rule', async () => {
    const r = await kr('can', 'shop/web', '169.254.169.254', '--port', '80', '-f', dir, '--explain');
    expect(r.code).toBe(1);
    expect(r.out).toContain(`[CiliumClusterwideNetworkPolicy deny-metadata egressDeny rule 0] Deny (${join(dir, 'c.yaml')}:12:5)`);
    expect((await kr('can', 'shop/web', '169.254.169.253', '--port', '80', '-f', dir)).code).toBe(0);
  });
  test('audit no longer reports METADATA_REACHABLE once every metadata address is denied', async () => {
    const r = await kr('audit', '-f', dir, '-o', 'json');
    expect(r.out).not.toContain('METADATA_REACHABLE');
  });
});

describe('ports and profile flags', () => {
  test('--port ICMP is an echo request (type 8 code 0, as ping sends); icmp:TYPE names every code of a type, icmp:TYPE:CODE one', () => {
    expect(parsePortArg('ICMP')).toEqual({ protocol: 'ICMP', port: 8, code: 0 });
    expect(parsePortArg('icmpv6')).toEqual({ protocol: 'ICMPv6', port: 128, code: 0 });
    expect(parsePortArg('icmp:3:4')).toEqual({ protocol: 'ICMP', port: 3, code: 4 });
    expect(() => parsePortArg('icmp:3:256')).toThrow('the ICMP code must be a number from 0 to 255');
    expect(() => parsePortArg('icmp:3:')).toThrow('the ICMP code must be a number from 0 to 255');
    expect(parsePortArg('icmp:0')).toEqual({ protocol: 'ICMP', port: 0 });
    expect(parsePortArg('icmpv6:135')).toEqual({ protocol: 'ICMPv6', port: 135 });
    expect(() => parsePortArg('icmp:256')).toThrow('0 to 255');
    expect(parsePortArg('53/udp')).toEqual({ protocol: 'UDP', port: 53 });
  });
  test('a DNS map file: NAME IP [IP...], comments, trailing dots and case folded', () => {
    const m = parseDnsFile('# comment\none.one.one.one. 1.1.1.1 1.0.0.1\n\nK8s.io 34.107.204.206 # stand-in\n', 'dns.txt');
    expect([...m]).toEqual([
      ['one.one.one.one', ['1.1.1.1', '1.0.0.1']],
      ['k8s.io', ['34.107.204.206']],
    ]);
    expect(() => parseDnsFile('a.example\n', 'dns.txt')).toThrow('dns.txt:1:1: expected NAME IP');
    expect(() => parseDnsFile('a.example 1.2.3\n', 'dns.txt')).toThrow('not an IP address');
  });
  test('--cni generic turns the Cilium profile off: CIDRs match pod IPs again', async () => {
    const r = await kr('can', 'default/tiefighter', 'default/deathstar', '--port', '80', '-f', STARWARS, '--cni', 'generic');
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: cni profile: generic (given)\n');
  });
});
