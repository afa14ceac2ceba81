/**
 * Default bounds for hostile input. 512 MiB lets a 100 MB `kubectl get -o yaml` dump load; aliases
 * may add 400,000 nodes (or as many as are written), which stops a billion-laughs document at once
 * yet lets a document refer to a small anchor thousands of times; 256 levels
 * is far beyond any real Kubernetes object (a pod spec nests about 12 deep) yet far below the depth at
 * which a recursive conversion would exhaust the stack.
 */
import type { LoadLimits } from './types.js';

/** The input limits {@link loadCluster} applies unless told otherwise. */
export const DEFAULT_LIMITS: LoadLimits = {
  maxSourceBytes: 512 * 1024 * 1024,
  maxAliasExpansion: 400_000,
  maxDepth: 256,
};

export function resolveLimits(partial: Partial<LoadLimits> | undefined): LoadLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}

/** Human size for messages: 536870912 -> "512 MiB". */
export function formatSize(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}
