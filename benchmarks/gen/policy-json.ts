/**
 * Small builders for NetworkPolicy JSON shared by the realistic and adversarial generators, and the
 * random CIDR draws with an `except` strictly inside (as the API requires).
 */
import type { Context } from './context.js';
import type { Rng } from './prng.js';
import type { IPBlockJson, Labels, LabelSelectorJson, NetworkPolicyJson, NetworkPolicySpecJson, PolicyPortJson, ProtocolName } from './types.js';
import { formatV4, formatV6, maskV4, PUBLIC_FIRST_OCTETS } from './addressing.js';

export function policy(ctx: Context, namespace: string, name: string, spec: NetworkPolicySpecJson): NetworkPolicyJson {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: ctx.meta(name, namespace, null, { generation: 1 }),
    spec,
  };
}

export function matchLabels(labels: Labels): LabelSelectorJson {
  return { matchLabels: labels };
}

export function tcp(port: number | string, endPort?: number): PolicyPortJson {
  return portOf('TCP', port, endPort);
}

export function portOf(protocol: ProtocolName, port: number | string, endPort?: number): PolicyPortJson {
  return endPort === undefined ? { port, protocol } : { endPort, port, protocol };
}

/** A random IPv4 network address of `prefix` bits (`first`: allowed first octets, null for any). */
function randomV4(rng: Rng, prefix: number, first: readonly number[] | null): number {
  const addr = first === null ? rng.int(0, 0xffffffff) : rng.pick(first) * 16777216 + rng.int(0, 0xffffff);
  return maskV4(addr, prefix);
}

/**
 * An IPv4 ipBlock with `excepts` except blocks, each strictly inside the cidr (a longer prefix) and
 * pairwise distinct. `public` draws from routed space, otherwise anywhere (adversarial boundaries).
 */
export function randomV4Block(rng: Rng, minPrefix: number, maxPrefix: number, excepts: number, publicOnly: boolean): IPBlockJson {
  const prefix = rng.int(minPrefix, maxPrefix);
  const base = randomV4(rng, prefix, publicOnly ? PUBLIC_FIRST_OCTETS : null);
  const block: IPBlockJson = { cidr: `${formatV4(base)}/${prefix}` };
  if (prefix >= 32 || excepts === 0) return block;
  const out = new Set<string>();
  for (let i = 0; i < excepts; i++) {
    const p = rng.int(prefix + 1, Math.min(32, prefix + 8));
    const offset = rng.int(0, 2 ** (32 - prefix) - 1);
    out.add(`${formatV4(maskV4(base + offset, p))}/${p}`);
  }
  block.except = [...out];
  return block;
}

/** Keeps the first `prefix` bits of eight 16-bit groups. */
function maskV6(groups: number[], prefix: number): number[] {
  return groups.map((g, i) => {
    const keep = Math.max(0, Math.min(16, prefix - 16 * i));
    return keep === 0 ? 0 : g & ((0xffff << (16 - keep)) & 0xffff);
  });
}

/** An IPv6 ipBlock (global unicast 2000::/3) with excepts strictly inside, prefixes in [minPrefix, maxPrefix]. */
export function randomV6Block(rng: Rng, minPrefix: number, maxPrefix: number, excepts: number): IPBlockJson {
  const prefix = rng.int(minPrefix, maxPrefix);
  const raw = [0x2000 + rng.int(0, 0x1fff), rng.int(0, 0xffff), rng.int(0, 0xffff), rng.int(0, 0xffff), rng.int(0, 0xffff), 0, 0, 0];
  const base = maskV6(raw, prefix);
  const block: IPBlockJson = { cidr: `${formatV6(base)}/${prefix}` };
  if (excepts === 0) return block;
  const out = new Set<string>();
  for (let i = 0; i < excepts; i++) {
    const p = rng.int(prefix + 1, Math.min(80, prefix + 16));
    // Random bits below the cidr's prefix, kept above p: inside the cidr by construction.
    const inner = base.map((g, j) => {
      const fixed = Math.max(0, Math.min(16, prefix - 16 * j));
      const freeMask = fixed === 16 ? 0 : 0xffff >> fixed;
      return g | (rng.int(0, 0xffff) & freeMask);
    });
    out.add(`${formatV6(maskV6(inner, p))}/${p}`);
  }
  block.except = [...out];
  return block;
}
