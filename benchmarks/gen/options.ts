/**
 * Defaults and validation of GenerateOptions. The defaults scale with the pod count so that
 * `--pods 150000` alone gives the scale target: 2,000 namespaces, 10,000 NetworkPolicies and
 * 5,000 nodes (the largest cluster Kubernetes supports).
 */
import type { GenerateOptions, ResolvedOptions } from './types.js';
import { MAX_NODES } from './addressing.js';

/** default, kube-system, kube-public, kube-node-lease, monitoring, ingress-nginx. */
export const SYSTEM_NAMESPACES = 6;

function integer(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}

function fraction(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be a fraction in [0, 1], got ${value}`);
  return value;
}

export function resolveOptions(opts: GenerateOptions): ResolvedOptions {
  const pods = integer('pods', opts.pods, 1, 10_000_000);
  const shape = opts.shape ?? 'realistic';
  if (shape !== 'realistic' && shape !== 'adversarial') {
    throw new RangeError(`shape must be 'realistic' or 'adversarial', got ${String(shape)}`);
  }
  return {
    pods,
    seed: integer('seed', opts.seed ?? 1, 0, 0xffffffff),
    shape,
    namespaces: integer('namespaces', opts.namespaces ?? Math.max(SYSTEM_NAMESPACES + 1, Math.round(pods / 75)), SYSTEM_NAMESPACES + 1),
    policies: integer('policies', opts.policies ?? Math.round(pods / 15), 0),
    nodes: integer('nodes', opts.nodes ?? Math.min(MAX_NODES, Math.max(3, Math.round(pods / 30))), 1, MAX_NODES),
    dualStack: opts.dualStack ?? false,
    variant: integer('variant', opts.variant ?? 0, 0),
    calico: fraction('calico', opts.calico ?? 0),
  };
}
