/** Endpoint references on the command line -> index entities, with errors a user can act on (query/references.ts in the core). */
import {
  AmbiguousError,
  nearestEndpoints,
  resolveReference,
  TYPE_ALIASES,
  type IndexEntity,
  type ReachabilityIndex,
  type ResolveOptions,
} from '@kubereach/core';
import { UsageError } from '../io.js';

export type { ResolveOptions };

export function resolveRef(index: ReachabilityIndex, ref: string, role: string, opts: ResolveOptions = {}): IndexEntity {
  try {
    const e = resolveReference(index, ref.trim(), opts);
    if (e !== null) return e;
  } catch (e) {
    if (e instanceof AmbiguousError) {
      throw new UsageError(`${role} '${ref}' is ambiguous; use one of:\n${e.candidates.map((c) => `  ${c}`).join('\n')}`);
    }
    throw e;
  }
  const parts = ref.trim().split('/');
  const ns = opts.namespace ?? 'default';
  const wanted =
    parts.length === 1
      ? `${ns}/${parts[0]}`
      : TYPE_ALIASES[parts[0]!.toLowerCase()] !== undefined
        ? `${ns}/${parts[1]}`
        : ref.trim().replace(/\[[^\]]*\]$/, '');
  const near = nearestEndpoints(index, wanted);
  const hint =
    near.length > 0
      ? `; did you mean:\n${near.map((x) => `  ${x}`).join('\n')}`
      : '; expected NAMESPACE/NAME, NAMESPACE/NAME[Kind], TYPE/NAME (deploy/web, sts/db, pod/x) with -n, or an IP address';
  throw new UsageError(
    `${role} '${ref}' not found${parts.length === 1 || TYPE_ALIASES[parts[0]!.toLowerCase()] !== undefined ? ` in namespace ${ns}` : ''}${hint}`,
  );
}
