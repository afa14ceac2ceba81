/**
 * The Cilium post-pass over the objects the model builder keeps aside (`others`): lifts
 * cilium.io/v2 CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy and CiliumCIDRGroup (v2 or
 * v2alpha1) out of the objects kept aside, validated, and returns everything else untouched.
 * Invalid policies are left out with errors (with ignoreInvalid: warnings plus POLICY_IGNORED); the
 * second object of a kind and name is a DUPLICATE_OBJECT error.
 */
import { makeDiagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatLocation } from '../../diagnostics/diagnostic.js';
import type { Cidr } from '../../net/ip.js';
import { parseCidr } from '../../net/ip.js';
import type { OtherObject } from '../types.js';
import { show } from '../fields.js';
import { isRecord } from '../../base/types.js';
import { otherContext, type ObjectContext } from '../context.js';
import { readCiliumPolicy } from './reader.js';
import type { CiliumCidrGroup, CiliumKind, CiliumPolicy } from './types.js';

export const CILIUM_GROUP = 'cilium.io';

export interface CiliumExtractResult {
  readonly policies: CiliumPolicy[];
  readonly cidrGroups: CiliumCidrGroup[];
  readonly diagnostics: Diagnostic[];
  readonly rest: OtherObject[];
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function extractCiliumPolicies(
  others: readonly OtherObject[],
  options: { ignoreInvalid?: boolean; defaultNamespace?: string } = {},
): CiliumExtractResult {
  const ignoreInvalid = options.ignoreInvalid ?? false;
  const policies: CiliumPolicy[] = [];
  const cidrGroups: CiliumCidrGroup[] = [];
  const diagnostics: Diagnostic[] = [];
  const rest: OtherObject[] = [];
  const seen = new Map<string, OtherObject>();
  for (const o of others) {
    const isPolicy = o.kind === 'CiliumNetworkPolicy' || o.kind === 'CiliumClusterwideNetworkPolicy';
    if (groupOf(o.apiVersion) !== CILIUM_GROUP || (!isPolicy && o.kind !== 'CiliumCIDRGroup')) {
      rest.push(o);
      continue;
    }
    const namespaced = o.kind === 'CiliumNetworkPolicy';
    const namespace = namespaced ? (o.namespace ?? options.defaultNamespace ?? 'default') : null;
    const ref = o.name === null ? o.kind : namespace === null ? `${o.kind} ${o.name}` : `${o.kind} ${namespace}/${o.name}`;
    const r = otherContext(o, ref, ignoreInvalid);
    if (o.name === null) {
      r.error('MISSING_FIELD', 'metadata.name is required', ['metadata']);
      diagnostics.push(...r.diagnostics);
      continue;
    }
    const key = `${o.kind}|${namespace ?? ''}|${o.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      r.error('DUPLICATE_OBJECT', `${ref} is defined twice; the first definition (${formatLocation(first.location)}) is used`, []);
      diagnostics.push(...r.diagnostics);
      continue;
    }
    seen.set(key, o);
    if (o.apiVersion !== 'cilium.io/v2' && !(o.kind === 'CiliumCIDRGroup' && o.apiVersion === 'cilium.io/v2alpha1')) {
      r.warn('INVALID_FIELD', `${o.apiVersion} is not a version kubereach reads for ${o.kind}; read as cilium.io/v2`, ['apiVersion']);
    }
    if (o.kind === 'CiliumCIDRGroup') {
      const g = readCidrGroup(r, o.name);
      diagnostics.push(...r.diagnostics);
      if (g !== null) cidrGroups.push(g);
      continue;
    }
    const pol = readCiliumPolicy(r, o.kind as CiliumKind, namespace, o.name);
    diagnostics.push(...r.diagnostics);
    if (pol !== null && r.errors === 0) policies.push(pol);
    else if (ignoreInvalid) diagnostics.push(makeDiagnostic('POLICY_IGNORED', 'warning', `${ref} is invalid and was left out`, o.location, ref));
  }
  return { policies, cidrGroups, diagnostics, rest };
}

function readCidrGroup(r: ObjectContext, name: string): CiliumCidrGroup | null {
  const v = r.raw.value as Record<string, unknown>;
  const spec = v['spec'];
  const meta = isRecord(v['metadata']) ? v['metadata'] : {};
  const labels: Record<string, string> = {};
  if (isRecord(meta['labels'])) for (const [k, val] of Object.entries(meta['labels'])) if (typeof val === 'string') labels[k] = val;
  if (!isRecord(spec)) {
    r.error('MISSING_FIELD', 'spec is required', []);
    return null;
  }
  const list = spec['externalCIDRs'];
  const cidrs: Cidr[] = [];
  if (list !== undefined && list !== null) {
    if (!Array.isArray(list)) r.error('INVALID_FIELD', `externalCIDRs must be a list, not ${show(list)}`, ['spec', 'externalCIDRs']);
    else
      list.forEach((c, i) => {
        const parsed = typeof c === 'string' ? parseCidr(c) : 'syntax';
        if (typeof parsed === 'string') r.error('INVALID_CIDR', `${show(c)} is not a CIDR`, ['spec', 'externalCIDRs', i]);
        else cidrs.push(parsed);
      });
  }
  return r.errors > 0 ? null : { name, labels, cidrs, location: r.at([]) };
}
