// Calico selector language: policy reference, "Selectors" section (operators, has/all/global, sets,
// contains/starts with/ends with, precedence of ! over && over ||).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calicoMatches, parseCalicoSelector, printCalicoSelector, type CalicoSelector } from '../../src/model/calico/selector.js';

function sel(text: string): CalicoSelector {
  const r = parseCalicoSelector(text);
  if (!r.ok) throw new Error(`${text}: ${r.message} at ${r.offset}`);
  return r.selector;
}

function m(text: string, labels: Record<string, string>): boolean {
  return calicoMatches(sel(text), labels);
}

describe('Calico selector operators (reference: Selectors)', () => {
  it('== needs the label with that value', () => {
    expect(m("app == 'web'", { app: 'web' })).toBe(true);
    expect(m("app == 'web'", { app: 'db' })).toBe(false);
    expect(m("app == 'web'", {})).toBe(false);
  });
  it('!= matches a missing label', () => {
    expect(m('app != "web"', {})).toBe(true);
    expect(m('app != "web"', { app: 'web' })).toBe(false);
    expect(m('app != "web"', { app: 'db' })).toBe(true);
  });
  it('in {} and not in {}', () => {
    expect(m("role in {'a', 'b'}", { role: 'b' })).toBe(true);
    expect(m("role in {'a', 'b'}", {})).toBe(false);
    expect(m('role in {}', { role: 'a' })).toBe(false);
    expect(m("role not in {'a'}", {})).toBe(true);
    expect(m("role not in {'a'}", { role: 'a' })).toBe(false);
    expect(m("role not in {'a'}", { role: 'c' })).toBe(true);
  });
  it('has() and !has()', () => {
    expect(m('has(app)', { app: '' })).toBe(true);
    expect(m('!has(app)', { app: '' })).toBe(false);
    expect(m('!has(app)', {})).toBe(true);
  });
  it('all() and global() match everything; the empty selector is all()', () => {
    expect(m('all()', {})).toBe(true);
    expect(m('global()', { a: 'b' })).toBe(true);
    expect(sel('')).toEqual({ kind: 'all' });
    expect(sel('  \t ')).toEqual({ kind: 'all' });
  });
  it('contains, starts with, ends with need the label', () => {
    expect(m("k8s-app ends with 'apster'", { 'k8s-app': 'heapster' })).toBe(true);
    expect(m("k8s-app starts with 'kube'", { 'k8s-app': 'kube-dns' })).toBe(true);
    expect(m("k8s-app contains 'e-d'", { 'k8s-app': 'kube-dns' })).toBe(true);
    expect(m("k8s-app contains ''", {})).toBe(false);
    expect(m("k8s-app starts   with 'x'", { 'k8s-app': 'xy' })).toBe(true);
  });
  it('precedence: ! binds tighter than &&, && tighter than ||', () => {
    expect(printCalicoSelector(sel('has(a) || has(b) && !has(c)'))).toBe('(has(a) || (has(b) && !has(c)))');
    expect(m('has(a) || has(b) && !has(c)', { a: '1', c: '1' })).toBe(true);
    expect(m('(has(a) || has(b)) && !has(c)', { a: '1', c: '1' })).toBe(false);
    expect(m('!all() || !((!has(app) || has(tier)) && !has(k8s-app))', { app: 'x' })).toBe(true);
    expect(m('!all() || !((!has(app) || has(tier)) && !has(k8s-app))', {})).toBe(false);
  });
  it('!! cancels', () => {
    expect(sel('!!has(a)')).toEqual({ kind: 'has', key: 'a' });
  });
  it('labels take letters, digits, _ . / -; strings take either quote, without escapes', () => {
    expect(sel('projectcalico.org/namespace == "kube-system"')).toEqual({ kind: 'eq', key: 'projectcalico.org/namespace', value: 'kube-system' });
    expect(sel(`a == 'say "hi"'`)).toEqual({ kind: 'eq', key: 'a', value: 'say "hi"' });
    expect(sel(`a in {"x", 'y',}`)).toEqual({ kind: 'in', key: 'a', values: ['x', 'y'] });
    // a label named like a keyword is still a label when an operator follows
    expect(sel("in == 'x'")).toEqual({ kind: 'eq', key: 'in', value: 'x' });
    expect(sel("all == 'x'")).toEqual({ kind: 'eq', key: 'all', value: 'x' });
    expect(sel("a == 'x'&&b == 'y'")).toEqual({ kind: 'and', left: { kind: 'eq', key: 'a', value: 'x' }, right: { kind: 'eq', key: 'b', value: 'y' } });
  });
});

describe('Calico selector errors point at the offending character', () => {
  const cases: [string, number][] = [
    ["app == 'x''", 10], // the stray quote: an unterminated string starts there
    ['app = "x"', 4],
    ['app == x', 7],
    ['has(app', 7],
    ['has (app)', 4],
    ["app === 'x'", 6],
    ['(has(a)', 7],
    ['has(a) has(b)', 7],
    ['has(a) &', 7],
    ['app in "x"', 7],
    ["app in {'x' 'y'}", 12],
    ['app', 3],
    ['has(a) ||', 9],
    ['!', 1],
    ["a == 'x'\n", 8],
    ['all(x)', 4],
    ['a contains', 10],
    ['a containsx "b"', 2],
    ['@', 0],
  ];
  for (const [text, offset] of cases) {
    it(JSON.stringify(text), () => {
      const r = parseCalicoSelector(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.offset).toBe(offset);
    });
  }
  it('a label over 512 characters is rejected at its start', () => {
    const r = parseCalicoSelector(`has(${'a'.repeat(513)})`);
    expect(r).toMatchObject({ ok: false, offset: 4 });
  });
  it('deep nesting is an error, not a stack overflow', () => {
    const r = parseCalicoSelector(`${'('.repeat(5000)}all()${')'.repeat(5000)}`);
    expect(r.ok).toBe(false);
  });
});

// ---- properties: random expressions, printed and parsed back, against a naive evaluator ----

const KEYS = ['a', 'b', 'app', 'x.y/z'];
const VALUES = ['', 'v', 'w', 'vw', 'say "hi"'];
const key = fc.constantFrom(...KEYS);
const value = fc.constantFrom(...VALUES);

const expr: fc.Arbitrary<CalicoSelector> = fc.letrec<{ e: CalicoSelector }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<CalicoSelector>({ kind: 'all' }),
    key.map((k): CalicoSelector => ({ kind: 'has', key: k })),
    fc
      .tuple(fc.constantFrom('eq', 'ne', 'contains', 'startsWith', 'endsWith') as fc.Arbitrary<'eq'>, key, value)
      .map(([kind, k, v]): CalicoSelector => ({ kind, key: k, value: v })),
    fc
      .tuple(fc.constantFrom('in', 'notIn') as fc.Arbitrary<'in'>, key, fc.uniqueArray(value, { maxLength: 3 }))
      .map(([kind, k, vs]): CalicoSelector => ({ kind, key: k, values: [...vs].sort() })),
    tie('e').map((e): CalicoSelector => ({ kind: 'not', expr: e })),
    fc.tuple(fc.constantFrom('and', 'or') as fc.Arbitrary<'and'>, tie('e'), tie('e')).map(([kind, left, right]): CalicoSelector => ({ kind, left, right })),
  ),
})).e;

const labels = fc.dictionary(key, value, { maxKeys: 4 });

/** The reference's reading of each operator, written out separately from the engine's matcher. */
function naive(s: CalicoSelector, l: Record<string, string>): boolean {
  const has = (k: string) => k in l;
  switch (s.kind) {
    case 'all':
    case 'global':
      return true;
    case 'has':
      return has(s.key);
    case 'eq':
      return has(s.key) && l[s.key] === s.value;
    case 'ne':
      return !(has(s.key) && l[s.key] === s.value);
    case 'in':
      return has(s.key) && s.values.indexOf(l[s.key]!) >= 0;
    case 'notIn':
      return !(has(s.key) && s.values.indexOf(l[s.key]!) >= 0);
    case 'contains':
      return has(s.key) && l[s.key]!.indexOf(s.value) >= 0;
    case 'startsWith':
      return has(s.key) && l[s.key]!.slice(0, s.value.length) === s.value;
    case 'endsWith':
      return has(s.key) && l[s.key]!.length >= s.value.length && l[s.key]!.slice(l[s.key]!.length - s.value.length) === s.value;
    case 'not':
      return !naive(s.expr, l);
    case 'and':
      return naive(s.left, l) && naive(s.right, l);
    case 'or':
      return naive(s.left, l) || naive(s.right, l);
  }
}

/** `!!x` parses as x: the tree a printed selector parses back to. */
function canonical(s: CalicoSelector): CalicoSelector {
  switch (s.kind) {
    case 'not':
      return { kind: 'not', expr: canonical(s.expr) };
    case 'and':
    case 'or':
      return { kind: s.kind, left: canonical(s.left), right: canonical(s.right) };
    default:
      return s;
  }
}

describe('Calico selector properties', () => {
  it('print then parse gives the same tree', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const r = parseCalicoSelector(printCalicoSelector(e));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.selector).toEqual(canonical(e));
      }),
      { numRuns: 500 },
    );
  });
  it('a printed expression, parsed, matches exactly what the naive evaluator matches', () => {
    fc.assert(
      fc.property(expr, labels, (e, l) => {
        const r = parseCalicoSelector(printCalicoSelector(e));
        if (!r.ok) throw new Error(r.message);
        expect(calicoMatches(r.selector, l)).toBe(naive(e, l));
      }),
      { numRuns: 1000 },
    );
  });
  it('printing is stable: print(parse(print(e))) = print(e)', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const p = printCalicoSelector(e);
        const r = parseCalicoSelector(p);
        if (!r.ok) throw new Error(r.message);
        expect(printCalicoSelector(r.selector)).toBe(p);
      }),
      { numRuns: 300 },
    );
  });
});
