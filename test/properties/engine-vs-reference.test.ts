/**
 * The engine against the naive reference evaluator (test/reference/evaluator.ts) on generated
 * clusters, plus two properties of the engine alone that every correct NetworkPolicy evaluator has:
 * adding an allow rule never removes a connection, and a namespace default-deny isolates every pod
 * of that namespace. A failure prints the (shrunk) cluster as a listing and a grid of the cells at
 * the failing protocol/port, so the wrong cell is seen at a glance.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { compile, type ReachabilityIndex } from '@kubereach/core';
import type { Cluster, NetworkPolicy, PolicyRule, Protocol } from '../../packages/core/src/model/types.js';
import { allRefs, clusterArb, clusterWithQueriesArb, interestingPorts, ruleArb, wideClusterWithQueriesArb } from '../reference/arbitraries.js';
import { policy, rule, selector } from '../reference/build.js';
import { describeCluster, grid, refText } from '../reference/describe.js';
import { podsOf, referenceAllowed, type Ref } from '../reference/evaluator.js';
import { check, checkPoints, conns, PROTOCOLS } from './support.js';

type Mode = 'match' | 'ignore';

const RUNS = 250;
const WIDE_RUNS = 60;

/** Y/. where engine and reference agree, !E where only the engine allows, !R where only the reference does. */
function verdictGrid(cluster: Cluster, index: ReachabilityIndex, protocol: Protocol, port: number, mode: Mode): string {
  return grid(allRefs(cluster), (src, dst) => {
    const engine = conns(index, src, dst).contains(protocol, port);
    const reference = referenceAllowed(cluster, src, dst, protocol, port, { ipblockPods: mode });
    if (engine === reference) return engine ? 'Y' : '.';
    return engine ? '!E' : '!R';
  });
}

function withPolicies(cluster: Cluster, policies: readonly NetworkPolicy[]): Cluster {
  return { ...cluster, policies };
}

describe('engine == reference evaluator', () => {
  const cases = [
    { what: '', arb: clusterWithQueriesArb, runs: RUNS },
    // past one word of sources: universal blocks and word-top bits are only exercised here
    { what: ' in clusters of 40-90 endpoints', arb: wideClusterWithQueriesArb, runs: WIDE_RUNS },
  ];
  const modes = ['match', 'ignore'] as const;
  for (const [{ what, arb, runs }, mode] of cases.flatMap((c) => modes.map((m) => [c, m] as const))) {
    it(`agrees on the whole connection set of sampled pairs${what}, ipblockPods=${mode}`, () => {
      check(
        fc.property(arb, ({ cluster, queries }) => {
          const index = compile(cluster, { ipblockPods: mode });
          const known = interestingPorts(cluster);
          for (const q of queries) {
            const set = conns(index, q.src, q.dst);
            const diffs: string[] = [];
            for (const protocol of PROTOCOLS) {
              for (const port of checkPoints(known, set, protocol, q.protocol === protocol ? q.port : 1)) {
                const engine = set.contains(protocol, port);
                const reference = referenceAllowed(cluster, q.src, q.dst, protocol, port, { ipblockPods: mode });
                if (engine !== reference) diffs.push(`${protocol}/${port} ${engine ? '!E' : '!R'}`);
              }
            }
            if (diffs.length > 0) {
              const [protocol, port] = diffs[0]!.split(' ')[0]!.split('/') as [Protocol, string];
              throw new Error(
                [
                  `engine and reference disagree on ${refText(q.src)} -> ${refText(q.dst)} (ipblockPods=${mode}):`,
                  `  engine allows ${set.toString()}`,
                  `  differing ports (!E engine only, !R reference only): ${diffs.slice(0, 12).join(', ')}${diffs.length > 12 ? ` ... ${diffs.length - 12} more` : ''}`,
                  describeCluster(cluster),
                  `cells at ${protocol}/${port} (Y/. agree, !E engine only, !R reference only):`,
                  verdictGrid(cluster, index, protocol, Number(port), mode),
                ].join('\n'),
              );
            }
          }
        }),
        runs,
      );
    });
  }
});

describe('monotonicity: adding an allow rule never removes a connection', () => {
  /** Throws with a grid of lost cells ('-') when some connection of `before` is missing in `after`. */
  function checkSuperset(before: Cluster, after: Cluster, what: string): void {
    const a = compile(before);
    const b = compile(after);
    const refs = allRefs(after);
    const lost: string[] = [];
    for (const src of refs) {
      for (const dst of refs) {
        if (src.kind === 'ip' && dst.kind === 'ip') continue;
        const gone = conns(a, src, dst).subtract(conns(b, src, dst));
        if (!gone.isEmpty()) lost.push(`  ${refText(src)} -> ${refText(dst)} lost ${gone.toString()}`);
      }
    }
    if (lost.length > 0) {
      throw new Error(
        [
          `${what} removed connections:`,
          ...lost,
          describeCluster(before),
          'cells (- lost, + gained, Y kept, . none):',
          grid(refs, (src, dst) => {
            const x = conns(a, src, dst);
            const y = conns(b, src, dst);
            if (!x.subtract(y).isEmpty()) return '-';
            if (!y.subtract(x).isEmpty()) return '+';
            return x.isEmpty() ? '.' : 'Y';
          }),
        ].join('\n'),
      );
    }
  }

  const withPolicy = clusterArb.filter((c) => c.policies.length > 0);

  it('an allow-all ingress rule added to any policy', () => {
    check(
      fc.property(withPolicy, fc.nat(), (cluster, pick) => {
        const i = pick % cluster.policies.length;
        const target = cluster.policies[i]!;
        const allowAll: PolicyRule = { ...rule(null, null), index: target.ingress.length };
        const changed = { ...target, ingress: [...target.ingress, allowAll] };
        const after = withPolicies(
          cluster,
          cluster.policies.map((p, j) => (j === i ? changed : p)),
        );
        checkSuperset(cluster, after, `allow-all ingress rule on ${target.namespace}/${target.name}`);
      }),
      150,
    );
  });

  it('any generated rule added to any policy, in either direction', () => {
    check(
      fc.property(withPolicy, fc.nat(), ruleArb, fc.boolean(), (cluster, pick, extra, ingress) => {
        const i = pick % cluster.policies.length;
        const target = cluster.policies[i]!;
        const list = ingress ? target.ingress : target.egress;
        const added: PolicyRule = { ...extra, index: list.length };
        const changed = ingress ? { ...target, ingress: [...list, added] } : { ...target, egress: [...list, added] };
        const after = withPolicies(
          cluster,
          cluster.policies.map((p, j) => (j === i ? changed : p)),
        );
        checkSuperset(cluster, after, `${ingress ? 'ingress' : 'egress'} rule on ${target.namespace}/${target.name}`);
      }),
      150,
    );
  });
});

describe('a namespace default-deny isolates every pod in it', () => {
  it('nothing in or out of the namespace except loopback, not even between two replicas of one workload (its other policies removed)', () => {
    check(
      fc.property(clusterArb, fc.nat(), (cluster, pick) => {
        const ns = cluster.namespaces[pick % cluster.namespaces.length]!.name;
        const deny = policy({
          namespace: ns,
          name: 'default-deny',
          podSelector: selector(),
          isolatesIngress: true,
          isolatesEgress: true,
        });
        // Other policies of the namespace could allow things back; policies elsewhere cannot.
        const denied = withPolicies(cluster, [...cluster.policies.filter((p) => p.namespace !== ns), deny]);
        const index = compile(denied);
        const refs = allRefs(denied);
        const leaks: string[] = [];
        for (const e of denied.endpoints.filter((x) => x.namespace === ns)) {
          const self: Ref = { kind: 'endpoint', id: e.id };
          // one pod to itself: loopback, always allowed; two replicas of a workload: denied
          const several = podsOf(denied, e) > 1;
          const toSelf = conns(index, self, self);
          if (several ? !toSelf.isEmpty() : !toSelf.isAll())
            leaks.push(`  ${e.id} -> itself (${several ? 'between replicas' : 'loopback'}) is ${toSelf.toString()}`);
          if (several && referenceAllowed(denied, self, self, 'TCP', 80, { ipblockPods: 'match' }))
            leaks.push(`  reference: ${e.id} -> itself (between replicas) : TCP 80`);
          for (const other of refs) {
            if (other.kind === 'endpoint' && other.id === e.id) continue;
            const out = conns(index, self, other);
            const inn = conns(index, other, self);
            if (!out.isEmpty()) leaks.push(`  ${e.id} -> ${refText(other)} : ${out.toString()}`);
            if (!inn.isEmpty()) leaks.push(`  ${refText(other)} -> ${e.id} : ${inn.toString()}`);
            // The oracle must say the same (a spot check on one port of each protocol).
            for (const protocol of PROTOCOLS) {
              if (referenceAllowed(denied, self, other, protocol, 80, { ipblockPods: 'match' })) {
                leaks.push(`  reference: ${e.id} -> ${refText(other)} : ${protocol} 80`);
              }
              if (referenceAllowed(denied, other, self, protocol, 80, { ipblockPods: 'match' })) {
                leaks.push(`  reference: ${refText(other)} -> ${e.id} : ${protocol} 80`);
              }
            }
          }
        }
        if (leaks.length > 0) {
          throw new Error([`default-deny in ${ns} leaks:`, ...leaks, describeCluster(denied)].join('\n'));
        }
      }),
      150,
    );
  });
});
