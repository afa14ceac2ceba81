/** Endpoint references on the command line -> index entities, with errors a user can act on. */
import { AmbiguousError, NotFoundError, type IndexEntity, type ReachabilityIndex } from '@kubereach/core';
import { UsageError } from '../io.js';

export function resolveRef(index: ReachabilityIndex, ref: string, role: string): IndexEntity {
  try {
    return index.resolve(ref);
  } catch (e) {
    if (e instanceof AmbiguousError) {
      throw new UsageError(`${role} '${ref}' is ambiguous; use one of:\n${e.candidates.map((c) => `  ${c}`).join('\n')}`);
    }
    if (e instanceof NotFoundError) {
      const needle = ref.split('/').pop()?.toLowerCase() ?? ref;
      const near = index.entities
        .filter((x) => x.kind === 'endpoint' && x.id.toLowerCase().includes(needle))
        .slice(0, 5)
        .map((x) => `  ${x.id}`);
      const hint = near.length > 0 ? `; did you mean:\n${near.join('\n')}` : '; expected NAMESPACE/NAME, NAMESPACE/NAME[Kind] or an IP address';
      throw new UsageError(`${role} '${ref}' not found${hint}`);
    }
    throw e;
  }
}
