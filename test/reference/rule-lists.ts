/**
 * The rules that list an entity as a source, per direction, as `policy#rule` strings: what an
 * explanation shows. Keyed by entity (endpoint id, or an address for external sources), never by
 * source bit: an index updated incrementally keeps its classes and atoms, so the same pod can be a
 * different bit than in a fresh compile of the edited cluster.
 */
import type { ReachabilityIndex } from '../../packages/core/src/index.js';

export function ruleLists(ix: ReachabilityIndex, addresses: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const describe = (bit: number) =>
    (['ingress', 'egress'] as const)
      .map(
        (dir) =>
          `${dir}: ${ix
            .blocksFor(dir, bit)
            .map((b) => `${b.rule.policy}#${b.rule.ruleIndex}`)
            .join(' ')}`,
      )
      .join('; ');
  for (const e of ix.entities) if (e.kind === 'endpoint') out.set(e.id, describe(e.bit));
  for (const a of addresses) out.set(a, describe(ix.addressEntity(a)!.bit));
  return out;
}

/** The first address of every external range of the given indexes (each names one atom of each index). */
export function atomAddresses(...indexes: readonly ReachabilityIndex[]): string[] {
  const out = new Set<string>();
  for (const ix of indexes) for (const e of ix.entities) if (e.kind === 'external') out.add(e.id.split('-')[0]!);
  return [...out];
}
