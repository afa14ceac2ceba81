/**
 * The admin-tier post-pass over the loader's `others`: recognises the policy.networking.k8s.io kinds,
 * validates them into AdminPolicy, and returns everything else untouched.
 *
 * | apiVersion                        | kind                                             | result            |
 * |-----------------------------------|--------------------------------------------------|-------------------|
 * | policy.networking.k8s.io/v1alpha1 | AdminNetworkPolicy, BaselineAdminNetworkPolicy   | AdminPolicy       |
 * | policy.networking.k8s.io/v1alpha2 | ClusterNetworkPolicy                             | AdminPolicy       |
 * | policy.networking.k8s.io/other    | one of those kinds                               | rest + warning    |
 * | anything else                     |                                                  | rest              |
 *
 * Invalid policies are left out with error diagnostics (the NetworkPolicy convention); with
 * `ignoreInvalid` the errors become warnings plus one POLICY_IGNORED per policy. Two objects of the
 * same kind and name: the first is kept, the later ones are DUPLICATE_OBJECT errors.
 *
 * Output order is evaluation order: Admin before Baseline, ascending priority, then by name. Equal
 * priorities within a tier have no defined order upstream; when the two subjects could select a
 * common pod and both policies have rules in a common direction, ADMIN_PRIORITY_CONFLICT (a warning)
 * names both, and the name order is our documented tie-break.
 */
import { nameError } from '../label-syntax.js';
import { harmlessName } from '../validate-meta.js';
import { capValue, quoteValue } from '../../text/escape.js';
import { makeDiagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatLocation } from '../../diagnostics/diagnostic.js';
import type { OtherObject } from '../types.js';
import { KINDS, readAdminPolicy } from './policy.js';
import { isObject, Reader } from './reader.js';
import { selectorsMayOverlap, EMPTY_SELECTOR } from './selector.js';
import type { AdminPolicy, AdminSourceKind, AdminSubject } from './types.js';
import { adminPolicyRef } from './types.js';

export const ADMIN_GROUP = 'policy.networking.k8s.io';

const VERSION_OF: Readonly<Record<AdminSourceKind, string>> = {
  AdminNetworkPolicy: 'v1alpha1',
  BaselineAdminNetworkPolicy: 'v1alpha1',
  ClusterNetworkPolicy: 'v1alpha2',
};

export interface AdminExtractOptions {
  /** Report errors as warnings and drop the invalid policies with a POLICY_IGNORED each. */
  readonly ignoreInvalid?: boolean;
}

export interface AdminExtractResult {
  /** Valid policies in evaluation order (see module comment). */
  readonly policies: AdminPolicy[];
  readonly diagnostics: Diagnostic[];
  /** The objects that are not admin policies, in input order. */
  readonly rest: OtherObject[];
}

function isAdminKind(kind: string): kind is AdminSourceKind {
  return Object.hasOwn(KINDS, kind);
}

function subjectParts(s: AdminSubject): { ns: AdminSubject['namespaceSelector']; pod: AdminSubject['namespaceSelector'] } {
  switch (s.kind) {
    case 'namespaces':
      return { ns: s.namespaceSelector, pod: EMPTY_SELECTOR };
    case 'pods':
      return { ns: s.namespaceSelector, pod: s.podSelector };
    default: {
      const never: never = s;
      throw new Error(`unreachable subject ${JSON.stringify(never)}`);
    }
  }
}

/** Whether some pod could be selected by both subjects (selectors are compared, not the cluster). */
export function subjectsMayOverlap(a: AdminSubject, b: AdminSubject): boolean {
  const pa = subjectParts(a);
  const pb = subjectParts(b);
  return selectorsMayOverlap(pa.ns, pb.ns) && selectorsMayOverlap(pa.pod, pb.pod);
}

function sharesDirection(a: AdminPolicy, b: AdminPolicy): boolean {
  return (a.ingress.length > 0 && b.ingress.length > 0) || (a.egress.length > 0 && b.egress.length > 0);
}

export function compareEvaluationOrder(a: AdminPolicy, b: AdminPolicy): number {
  if (a.tier !== b.tier) return a.tier === 'Admin' ? -1 : 1;
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.sourceKind < b.sourceKind ? -1 : a.sourceKind > b.sourceKind ? 1 : 0;
}

function priorityConflicts(sorted: readonly AdminPolicy[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      if (b.tier !== a.tier || b.priority !== a.priority) break;
      if (!sharesDirection(a, b) || !subjectsMayOverlap(a.subject, b.subject)) continue;
      out.push(
        makeDiagnostic(
          'ADMIN_PRIORITY_CONFLICT',
          'warning',
          `${adminPolicyRef(b)} has the same ${b.tier} priority ${b.priority} as ${adminPolicyRef(a)} ` +
            `(${formatLocation(a.location)}) and their subjects can overlap; the order between them is undefined ` +
            `upstream (kubereach evaluates ${a.name} first, by name)`,
          b.location,
          adminPolicyRef(b),
        ),
      );
    }
  }
  return out;
}

/** Splits the admin policies out of `others`, validated, with located diagnostics. Never throws on bad input. */
export function extractAdminPolicies(others: readonly OtherObject[], options: AdminExtractOptions = {}): AdminExtractResult {
  const ignoreInvalid = options.ignoreInvalid ?? false;
  const policies: AdminPolicy[] = [];
  const diagnostics: Diagnostic[] = [];
  const rest: OtherObject[] = [];
  const seen = new Map<string, OtherObject>();

  for (const obj of others) {
    const [group, version] = obj.apiVersion.split('/');
    if (group !== ADMIN_GROUP || !isAdminKind(obj.kind)) {
      rest.push(obj);
      continue;
    }
    const kind = obj.kind;
    const ref = `${kind} ${capValue(obj.name ?? '<unnamed>')}`;
    if (version !== VERSION_OF[kind]) {
      diagnostics.push(
        makeDiagnostic(
          'INVALID_FIELD',
          'warning',
          `${kind} is read as ${ADMIN_GROUP}/${VERSION_OF[kind]} only; ${obj.apiVersion} is not supported, the object is not analysed`,
          obj.locate(['apiVersion']),
          ref,
        ),
      );
      rest.push(obj);
      continue;
    }
    const r = new Reader(obj, ref, ignoreInvalid);
    if (!isObject(obj.value)) {
      r.error('NOT_AN_OBJECT', `${kind} is not a mapping`, []);
    } else {
      const key = `${kind}/${obj.name ?? ''}`;
      const first = obj.name === null ? undefined : seen.get(key);
      if (first !== undefined) {
        r.error('DUPLICATE_OBJECT', `${ref} is defined twice; the one at ${formatLocation(first.location)} is used`, ['metadata', 'name']);
      } else {
        if (obj.name !== null) seen.set(key, obj);
        // a custom resource's name is a DNS subdomain, as for every object the API server stores
        const nameWhy = obj.name === null ? null : nameError(obj.name, 'dns1123-subdomain');
        if (nameWhy !== null) {
          const message = `metadata.name ${quoteValue(obj.name!)} is not a valid ${kind} name: ${nameWhy}`;
          // as for the modelled kinds (model/validate-meta.ts): a name of name-like characters is a warning
          if (harmlessName(obj.name!)) r.warn('INVALID_NAME', `${message} (the API server would refuse it)`, ['metadata', 'name']);
          else r.error('INVALID_NAME', message, ['metadata', 'name']);
        }
        const p = readAdminPolicy(r, obj, kind);
        if (p !== null) policies.push(p);
      }
    }
    diagnostics.push(...r.diagnostics);
    if (r.errors > 0 && ignoreInvalid) {
      diagnostics.push(makeDiagnostic('POLICY_IGNORED', 'warning', `${ref} is left out because it is invalid`, obj.location, ref));
    }
  }
  policies.sort(compareEvaluationOrder);
  diagnostics.push(...priorityConflicts(policies));
  return { policies, diagnostics, rest };
}
