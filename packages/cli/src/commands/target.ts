/** TARGET arguments of who-can-reach and paths: an endpoint, an address, or a target word. */
import {
  TARGET_WORDS,
  parseCidr,
  resolveTargets,
  type Cloud,
  type IndexEntity,
  type ReachabilityIndex,
  type Target,
  type TargetOptions,
} from '@kubereach/core';
import { UsageError } from '../io.js';
import { resolveRef, type ResolveOptions } from './resolve.js';

export type ParsedTarget = { readonly kind: 'entity'; readonly entity: IndexEntity } | { readonly kind: 'target'; readonly target: Target };

export function parseTarget(index: ReachabilityIndex, text: string, opts: TargetOptions, ref: ResolveOptions = {}): ParsedTarget {
  if ((TARGET_WORDS as readonly string[]).includes(text)) {
    const t = resolveTargets(index.cluster, opts).find((x) => x.word === text)!;
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

/** The flags that say where the sensitive targets are (audit, who-can-reach, paths, assert, report). */
export interface TargetFlags {
  readonly metadataIp?: string[];
  readonly controlPlaneIp?: string[];
  readonly cloud?: Cloud;
}

/** Each value must be one IPv4 or IPv6 address; a usage error (exit 2) names the flag otherwise. */
export function checkIPs(list: readonly string[] | undefined, flag: string): string[] {
  for (const ip of list ?? []) {
    if (typeof parseCidr(`${ip}/${ip.includes(':') ? 128 : 32}`) === 'string') throw new UsageError(`${flag} '${ip}' is not an IPv4 or IPv6 address`);
  }
  return [...(list ?? [])];
}

/** Target options from the flags, checked. */
export function targetOptionsFrom(flags: TargetFlags): TargetOptions {
  return {
    extraMetadataIPs: checkIPs(flags.metadataIp, '--metadata-ip'),
    controlPlaneIPs: checkIPs(flags.controlPlaneIp, '--control-plane-ip'),
    ...(flags.cloud === undefined ? {} : { cloud: flags.cloud }),
  };
}
