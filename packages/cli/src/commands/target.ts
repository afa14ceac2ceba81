/** TARGET arguments of who-can-reach and paths: an endpoint, an address, or a target word. */
import { TARGET_WORDS, resolveTargets, type IndexEntity, type ReachabilityIndex, type Target, type TargetOptions } from '@kubereach/core';
import { resolveRef, type ResolveOptions } from './resolve.js';

export type ParsedTarget = { readonly kind: 'entity'; readonly entity: IndexEntity } | { readonly kind: 'target'; readonly target: Target };

export function parseTarget(index: ReachabilityIndex, text: string, opts: TargetOptions, ref: ResolveOptions = {}): ParsedTarget {
  if ((TARGET_WORDS as readonly string[]).includes(text)) {
    const t = resolveTargets(index.compiled.cluster, opts).find((x) => x.word === text)!;
    return { kind: 'target', target: t };
  }
  return { kind: 'entity', entity: resolveRef(index, text, 'target', ref) };
}

export function targetLabel(t: ParsedTarget): string {
  if (t.kind === 'entity') return t.entity.id;
  const addrs = t.target.known ? t.target.addresses.map((a) => a.address).join(', ') : 'address unknown: every external range evaluated';
  const ports = t.target.ports === null ? 'any port' : t.target.ports.map((p) => `${p.label} TCP ${p.lo === p.hi ? p.lo : `${p.lo}-${p.hi}`}`).join(', ');
  return `${t.target.label} (${addrs}; ${ports})`;
}
