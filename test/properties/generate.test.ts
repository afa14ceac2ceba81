/**
 * `generate --from current` against the reference evaluator (no engine code on the checking side):
 * on generated clusters, the policies are rendered to YAML, loaded back with the ordinary loader and
 * applied to the input; the reference evaluator then allows exactly what it allowed before, for
 * every pair of endpoints and outside addresses, protocol and port worth asking (DNS aside: the
 * generated clusters have no kube-dns pods, so nothing is set aside). The generated set replaces
 * the input's NetworkPolicies, as `generate` means it.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { applyText, compile, generatePolicies, renderObjects, type Cluster } from '../../packages/core/src/index.js';
import { allRefs, clusterArb, interestingPorts } from '../reference/arbitraries.js';
import { refText } from '../reference/describe.js';
import { referenceAllowed } from '../reference/evaluator.js';
import { check, PROTOCOLS } from './support.js';

function firstDifference(a: Cluster, b: Cluster, mode: 'match' | 'ignore'): string | null {
  const refs = allRefs(b);
  const ports = [1, 65535, ...interestingPorts(b)];
  for (const s of refs) {
    for (const d of refs) {
      if (s.kind === 'ip' && d.kind === 'ip') continue;
      for (const proto of PROTOCOLS) {
        for (const port of ports) {
          const x = referenceAllowed(a, s, d, proto, port, { ipblockPods: mode });
          const y = referenceAllowed(b, s, d, proto, port, { ipblockPods: mode });
          if (x !== y) return `${refText(s)} -> ${refText(d)} ${proto} ${port}: ${x} before, ${y} with the generated policies`;
        }
      }
    }
  }
  return null;
}

for (const [name, arb, runs] of [['clusters of a few endpoints', clusterArb, 40]] as const) {
  test(`generate --from current: the matrix with the generated policies applied equals today's (${name})`, () => {
    check(
      fc.property(arb, fc.constantFrom('match' as const, 'ignore' as const), (cluster, mode) => {
        const text = renderObjects(generatePolicies(compile(cluster, { ipblockPods: mode }), null));
        // in place of the input's NetworkPolicies, as generate verifies and means it
        const { cluster: after, diagnostics } = applyText(cluster, 'generated.yaml', text, true);
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(after.policies.every((p) => p.name.startsWith('kubereach-'))).toBe(true);
        const diff = firstDifference(cluster, after, mode);
        if (diff !== null) throw new Error(`${diff}\n--- generated:\n${text}`);
        return true;
      }),
      runs,
    );
  });
}
