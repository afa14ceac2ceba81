/**
 * Variants for diff and incremental-update benchmarks: variant K of a cluster is the same cluster
 * with exactly one NetworkPolicy changed (same namespace and name, new spec, bumped generation and
 * resourceVersion). The policy and the change come from their own stream seeded by (seed, K), so
 * the base objects draw exactly the same numbers with or without --variant.
 *
 * | change    | what happens                                                                |
 * |-----------|-----------------------------------------------------------------------------|
 * | add-rule  | a new rule: ingress from env=staging namespaces on 8443, or egress to 198.51.100.0/24:443 |
 * | drop-rule | the last ingress (else egress) rule is removed; add-rule when there is none |
 * | add-port  | TCP 9443 is added to the first rule's ports (a rule on all ports becomes 9443 only) |
 */
import { mixSeed, Rng } from './prng.js';
import type { NetworkPolicyJson, NetworkPolicySpecJson, ResolvedOptions } from './types.js';
import { tcp } from './policy-json.js';

export type VariantChange = 'add-rule' | 'drop-rule' | 'add-port';

export interface VariantResult {
  readonly index: number;
  readonly change: VariantChange;
}

function addRule(spec: NetworkPolicySpecJson): void {
  if (spec.policyTypes.includes('Ingress')) {
    (spec.ingress ??= []).push({ from: [{ namespaceSelector: { matchLabels: { env: 'staging' } } }], ports: [tcp(8443)] });
  } else {
    (spec.egress ??= []).push({ ports: [tcp(443)], to: [{ ipBlock: { cidr: '198.51.100.0/24' } }] });
  }
}

/** Replaces one policy of `policies` (in place in the array, never mutating the original object). */
export function applyVariant(policies: NetworkPolicyJson[], opts: ResolvedOptions): VariantResult | null {
  if (opts.variant === 0 || policies.length === 0) return null;
  const rng = new Rng(mixSeed(opts.seed, opts.variant, 0x7a11));
  const index = rng.int(0, policies.length - 1);
  const change = rng.pick<VariantChange>(['add-rule', 'drop-rule', 'add-port']);
  const p = structuredClone(policies[index]!);
  const spec = p.spec;
  switch (change) {
    case 'add-rule':
      addRule(spec);
      break;
    case 'drop-rule':
      if (spec.ingress !== undefined && spec.ingress.length > 0) {
        spec.ingress.pop();
        if (spec.ingress.length === 0) delete spec.ingress;
      } else if (spec.egress !== undefined && spec.egress.length > 0) {
        spec.egress.pop();
        if (spec.egress.length === 0) delete spec.egress;
      } else {
        addRule(spec);
      }
      break;
    case 'add-port': {
      const rule = spec.ingress?.[0] ?? spec.egress?.[0];
      if (rule === undefined) addRule(spec);
      else if (rule.ports === undefined) rule.ports = [tcp(9443)];
      else rule.ports.push(tcp(9443));
      break;
    }
    default: {
      const _x: never = change;
      return _x;
    }
  }
  p.metadata.generation = 2;
  p.metadata.resourceVersion = String(1_000_000_000 + opts.variant);
  policies[index] = p;
  return { index, change };
}
