import { describe, expect, it } from 'vitest';
import { containerArgv, parseFlags, parseGoBool } from '../../src/audit/config/flags.js';
import { loc } from './build.js';

const L = loc('etcd.yaml', 14, 5);

function values(argv: string[]): Record<string, string> {
  return Object.fromEntries([...parseFlags(argv, L)].map(([k, v]) => [k, v.value]));
}

describe('parseFlags', () => {
  it('reads --flag=value and --flag value', () => {
    expect(values(['etcd', '--cert-file=/a.crt', '--key-file', '/a.key'])).toEqual({ 'cert-file': '/a.crt', 'key-file': '/a.key' });
  });
  it('a lone boolean is true and never consumes the next token', () => {
    expect(values(['etcd', '--client-cert-auth', 'positional', '--peer-client-cert-auth'])).toEqual({
      'client-cert-auth': 'true',
      'peer-client-cert-auth': 'true',
    });
  });
  it('an unknown flag followed by another flag is true', () => {
    expect(values(['x', '--some-switch', '--other=1'])).toEqual({ 'some-switch': 'true', other: '1' });
  });
  it('the last occurrence wins', () => {
    expect(values(['kube-apiserver', '--insecure-port=8080', '--insecure-port', '0'])).toEqual({ 'insecure-port': '0' });
  });
  it('single-dash Go flags and negative values', () => {
    expect(values(['etcd', '-name=a', '--insecure-port', '-1'])).toEqual({ name: 'a', 'insecure-port': '-1' });
  });
  it('keeps "=" inside values and records origin and location', () => {
    const f = parseFlags(['kube-apiserver', '--initial-cluster=a=https://1.2.3.4:2380'], L).get('initial-cluster');
    expect(f).toEqual({ value: 'a=https://1.2.3.4:2380', location: L, origin: '--initial-cluster=a=https://1.2.3.4:2380' });
  });
});

describe('containerArgv', () => {
  it('joins command and args', () => {
    expect(containerArgv(['etcd'], ['--a=1'])).toEqual(['etcd', '--a=1']);
  });
  it('splits a sh -c script', () => {
    expect(containerArgv(['/bin/sh', '-c', 'exec etcd  --a=1 --b 2'], [])).toEqual(['exec', 'etcd', '--a=1', '--b', '2']);
  });
});

describe('parseGoBool', () => {
  it.each<[string, boolean | null]>([
    ['true', true],
    ['1', true],
    ['T', true],
    ['True', true],
    ['false', false],
    ['0', false],
    ['F', false],
    ['yes', null],
    ['', null],
  ])('%j -> %j', (s, b) => {
    expect(parseGoBool(s)).toBe(b);
  });
});
