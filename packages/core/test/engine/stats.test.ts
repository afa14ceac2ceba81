/**
 * indexStats counts pairs per class with multiplicities, summing whole 32-class words at once when
 * every bit is set. These clusters have enough classes (70 and 100) that full words, partial words
 * and the last, partly used word all occur; the expected counts are worked out by hand.
 */
import { describe, expect, test } from 'vitest';
import { compile, indexStats } from '../../src/index.js';
import { cluster, endpoint, namespace, policy, rule, selector, podsPeer } from '../../../../test/reference/build.js';

/** n pods in `ns`, each its own class (a policy below observes the `id` label). */
function pods(ns: string, n: number, extra: Record<string, string> = {}) {
  return Array.from({ length: n }, (_, i) => endpoint(ns, `p${i}`, { id: `x${i}`, ...extra }));
}

/** A policy that isolates nothing but makes the `id` label observable (so every pod is a class). */
const observer = (ns: string) =>
  policy({ namespace: ns, name: 'observe', podSelector: selector({ id: 'none' }), isolatesIngress: false, isolatesEgress: false });

describe('indexStats allowed pairs', () => {
  test('no isolation: every ordered pair of distinct endpoints (70 classes: two full words and a partial one)', () => {
    const c = cluster({ namespaces: [namespace('a')], endpoints: pods('a', 70), policies: [observer('a')] });
    const ix = compile(c);
    expect(ix.compiled.classes.count).toBe(70);
    const st = indexStats(ix);
    expect(st.totalPairs).toBe(70 * 69);
    expect(st.allowedPairs).toBe(70 * 69);
  });

  test('ingress isolation of one namespace: only its own pods reach it', () => {
    // a: 40 pods, b: 60 pods; a default-denies ingress except from pods in a
    const deny = policy({
      namespace: 'a',
      name: 'same-ns',
      podSelector: selector(),
      isolatesIngress: true,
      isolatesEgress: false,
      ingress: [rule([podsPeer(selector())])],
    });
    const c = cluster({ namespaces: [namespace('a'), namespace('b')], endpoints: [...pods('a', 40), ...pods('b', 60)], policies: [deny, observer('b')] });
    const ix = compile(c);
    expect(ix.compiled.classes.count).toBe(100);
    // into a: 40*39 from a; into b: everyone else (100 sources, minus itself) -> 60 * 99
    expect(indexStats(ix).allowedPairs).toBe(40 * 39 + 60 * 99);
  });

  test('a class of several endpoints counts each of them', () => {
    // 3 endpoints share labels (one class); 33 others are their own classes; no policy isolates
    const same = [0, 1, 2].map((i) => endpoint('a', `s${i}`, { app: 'same' }));
    const c = cluster({ namespaces: [namespace('a')], endpoints: [...same, ...pods('a', 33)], policies: [observer('a')] });
    const ix = compile(c);
    expect(ix.compiled.classes.count).toBe(34);
    expect(indexStats(ix).allowedPairs).toBe(36 * 35);
  });
});
