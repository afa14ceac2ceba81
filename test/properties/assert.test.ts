/**
 * `assert` against the reference evaluator: on generated clusters, `allow A -> B port P` holds
 * exactly when the reference evaluator allows A to B on P, and `deny` exactly when it does not.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { checkExpectations, compile, parseExpectations } from '../../packages/core/src/index.js';
import { clusterArb, interestingPorts } from '../reference/arbitraries.js';
import { referenceAllowed } from '../reference/evaluator.js';
import { check, PROTOCOLS } from './support.js';

test('allow/deny on one port agree with the reference evaluator', () => {
  let failing = 0;
  check(
    fc.property(clusterArb, fc.nat(), fc.nat(), fc.nat(), fc.constantFrom(...PROTOCOLS), (cluster, a, b, k, proto) => {
      const eps = cluster.endpoints;
      const src = eps[a % eps.length]!;
      const dst = eps[b % eps.length]!;
      if (src.id === dst.id) return true;
      const ports = [1, ...interestingPorts(cluster)];
      const port = ports[k % ports.length]!;
      const text = `allow:\n  - {from: "${src.id}", to: "${dst.id}", port: "${port}/${proto}"}\ndeny:\n  - {from: "${src.id}", to: "${dst.id}", port: "${port}/${proto}"}\n`;
      const { expectations, problems } = parseExpectations('gen.yaml', text);
      expect(problems).toEqual([]);
      const [allow, deny] = checkExpectations(compile(cluster), expectations);
      const ref = referenceAllowed(cluster, { kind: 'endpoint', id: src.id }, { kind: 'endpoint', id: dst.id }, proto, port, { ipblockPods: 'match' });
      if (!ref) failing++;
      expect(`${src.id} -> ${dst.id} ${proto} ${port}: allow ${allow!.holds}, deny ${deny!.holds}`).toBe(
        `${src.id} -> ${dst.id} ${proto} ${port}: allow ${ref}, deny ${!ref}`,
      );
      return true;
    }),
    300,
  );
  expect(failing).toBeGreaterThan(10); // both verdicts are exercised
});
