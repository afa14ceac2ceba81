/**
 * NetworkPolicy (networking.k8s.io/v1) -> the validated model, with every problem collected.
 *
 * policyTypes defaulting, as the API server does it (SetDefaults_NetworkPolicy):
 *
 * | policyTypes given (non-empty) | isolates Ingress        | isolates Egress                 |
 * |-------------------------------|-------------------------|---------------------------------|
 * | yes                           | iff it lists Ingress    | iff it lists Egress             |
 * | no (absent or [])             | always                  | iff `egress` has at least 1 rule |
 *
 * So `egress: []` (present but empty) does not isolate egress unless Egress is listed.
 * `from`/`to` absent or empty -> peers null (every peer); `ports` absent or empty -> null (every port).
 */
import { quoteValue } from '../text/escape.js';
import type { FieldPath } from '../base/types.js';
import type { NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from './types.js';
import type { ObjectContext } from './context.js';
import { readArray, readRecord, readString } from './fields.js';
import { readSelector } from './selector.js';
import { readPeer } from './validate-peer.js';
import { readPolicyPort } from './validate-port.js';

type Direction = 'ingress' | 'egress';

/** Builds the policy; the caller decides from ctx.errors whether it is usable. */
export function readNetworkPolicy(ctx: ObjectContext, namespace: string, name: string): NetworkPolicy {
  const value = ctx.raw.value as Record<string, unknown>;
  const spec = readRecord(ctx, value['spec'], ['spec']) ?? {};
  const podSelector = readSelector(ctx, spec['podSelector'], ['spec', 'podSelector']) ?? {
    matchLabels: {},
    matchExpressions: [],
  };

  const types = readArray(ctx, spec['policyTypes'], ['spec', 'policyTypes']);
  let listsIngress = false;
  let listsEgress = false;
  for (let i = 0; i < types.length; i++) {
    const path = ['spec', 'policyTypes', i];
    const t = readString(ctx, types[i], path);
    if (t === 'Ingress') listsIngress = true;
    else if (t === 'Egress') listsEgress = true;
    else if (t !== null) ctx.error('INVALID_POLICY_TYPE', `policyTypes entry ${quoteValue(t)} is not Ingress or Egress`, path);
  }

  const ingress = readRules(ctx, spec['ingress'], 'ingress');
  const egress = readRules(ctx, spec['egress'], 'egress');
  const typesGiven = types.length > 0;
  return {
    namespace,
    name,
    podSelector,
    isolatesIngress: typesGiven ? listsIngress : true,
    isolatesEgress: typesGiven ? listsEgress : egress.length > 0,
    ingress,
    egress,
    location: ctx.at([]),
  };
}

function readRules(ctx: ObjectContext, v: unknown, direction: Direction): PolicyRule[] {
  const path = ['spec', direction];
  const rules = readArray(ctx, v, path);
  const out: PolicyRule[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rulePath = [...path, i];
    // A null entry (`- `) decodes to an empty rule, which allows everything in its direction.
    const rule = rules[i] === null ? {} : readRecord(ctx, rules[i], rulePath);
    if (rule === null) continue;
    out.push({
      index: i,
      peers: readPeers(ctx, rule[direction === 'ingress' ? 'from' : 'to'], [...rulePath, direction === 'ingress' ? 'from' : 'to']),
      ports: readPorts(ctx, rule['ports'], [...rulePath, 'ports']),
      location: ctx.at(rulePath),
    });
  }
  return out;
}

function readPeers(ctx: ObjectContext, v: unknown, path: FieldPath): PolicyPeer[] | null {
  const entries = readArray(ctx, v, path);
  if (entries.length === 0) return null;
  const out: PolicyPeer[] = [];
  for (let i = 0; i < entries.length; i++) {
    const peer = readPeer(ctx, entries[i], [...path, i]);
    if (peer !== null) out.push(peer);
  }
  return out;
}

function readPorts(ctx: ObjectContext, v: unknown, path: FieldPath): PolicyPort[] | null {
  const entries = readArray(ctx, v, path);
  if (entries.length === 0) return null;
  const out: PolicyPort[] = [];
  for (let i = 0; i < entries.length; i++) {
    const port = readPolicyPort(ctx, entries[i], [...path, i]);
    if (port !== null) out.push(port);
  }
  return out;
}
