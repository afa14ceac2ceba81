/** Shared by the property tests that compare the engine with a reference evaluator. */
import fc from 'fast-check';
import type { ConnectionSet, ReachabilityIndex } from '@kubereach/core';
import type { Protocol } from '../../packages/core/src/model/types.js';
import { refText } from '../reference/describe.js';
import type { Ref } from '../reference/evaluator.js';

export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export function conns(index: ReachabilityIndex, src: Ref, dst: Ref): ConnectionSet {
  return index.connections(refText(src), refText(dst));
}

/**
 * fc.assert with a reporter that prints our message (cluster listing and grid) instead of the
 * counterexample's raw JSON, plus the seed and path to replay it.
 */
export function check<T>(property: fc.IProperty<T>, numRuns: number): void {
  fc.assert(property, {
    numRuns,
    reporter: (out) => {
      if (!out.failed) return;
      const cause = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
      throw new Error(
        `property failed after ${out.numRuns} run(s), shrunk ${out.numShrinks} time(s)` +
          ` (replay: { seed: ${out.seed}, path: "${out.counterexamplePath ?? ''}" })\n${cause}`,
      );
    },
  });
}

/**
 * The ports at which to compare one pair on one protocol so that agreement there means the two
 * connection sets are equal: 1, 65535, and every port next to a place where either side can change
 * its answer — the cluster's port numbers (n-1, n, n+1 for every policy port, endPort and container
 * port) and the engine's own range ends. Between two consecutive such ports neither answer changes,
 * so the port before the gap stands for the whole gap.
 */
export function checkPoints(known: readonly number[], engine: ConnectionSet, protocol: Protocol, extra: number): number[] {
  const points = new Set<number>([1, 65535, extra, ...known]);
  for (const [lo, hi] of engine.rangesOf(protocol)) {
    for (const v of [lo - 1, lo, hi, hi + 1]) if (v >= 1 && v <= 65535) points.add(v);
  }
  return [...points].sort((a, b) => a - b);
}
