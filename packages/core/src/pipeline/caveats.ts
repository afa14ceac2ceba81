/**
 * What an answer cannot account for, said once per command and carried by every output format: an
 * answer is right, or it is visibly qualified. These are facts of the input, computed from the
 * model; the CLI prints them as warnings and adds them to JSON, SARIF and Markdown as `caveats`.
 */
import { apiGroup, isUnmodelledPolicy } from '../model/unmodelled.js';
import type { Cluster } from '../model/types.js';
import { profileStatement, type CniProfile } from '../compile/profile.js';
import { formatLocation, type Diagnostic } from '../diagnostics/diagnostic.js';

/** The kinds of caveat an input can carry. */
export type CaveatCode =
  /** The CNI profile the answers assume (compile/profile.ts), when it is not the default generic one. */
  | 'CNI_PROFILE'
  /** A compile-time warning: a rule part that matches nothing here (CILIUM_UNPLACED...). */
  | 'COMPILE_WARNING'
  /** Policies of a CNI, mesh or cloud that kubereach does not simulate are in the input. */
  | 'UNMODELLED_POLICY_KIND'
  /** NetworkPolicies live in namespaces with no pod or workload in the input: they select nothing here. */
  | 'POLICY_NAMESPACE_EMPTY'
  /** An invalid object was left out (--ignore-invalid). */
  | 'OBJECT_DROPPED'
  /** A Calico field or kind whose effect is not modelled (source ports, ICMP, Profile rules, http, services). */
  | 'CALICO_UNMODELLED';

/** A fact of the input that every answer carries (unmodelled policy kinds, the CNI profile, ...), as a code and a message. */
export interface Caveat {
  readonly code: CaveatCode;
  /** One line, no trailing period, suitable after `warning: `. */
  readonly message: string;
}

/** Count of objects of one kind and group. */
export interface KindCount {
  readonly kind: string;
  readonly group: string;
  readonly count: number;
}

/** Objects of unmodelled policy kinds, by kind, in first-seen order. */
export function unmodelledPolicies(cluster: Cluster): KindCount[] {
  const counts = new Map<string, { kind: string; group: string; count: number }>();
  for (const o of cluster.others) {
    if (!isUnmodelledPolicy(o.kind, o.apiVersion)) continue;
    const group = apiGroup(o.apiVersion);
    const key = `${o.kind}.${group}`;
    const c = counts.get(key);
    if (c === undefined) counts.set(key, { kind: o.kind, group, count: 1 });
    else c.count++;
  }
  return [...counts.values()];
}

/** `2 CiliumNetworkPolicy objects and 1 AuthorizationPolicy object`. */
function listKinds(kinds: readonly KindCount[]): string {
  const names = kinds.map((k) => {
    // the group is named only when the kind alone is ambiguous (Calico's NetworkPolicy)
    const ambiguous = k.kind === 'NetworkPolicy' || kinds.some((o) => o !== k && o.kind === k.kind);
    return `${k.count} ${k.kind}${ambiguous ? ` (${k.group})` : ''} object${k.count === 1 ? '' : 's'}`;
  });
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * The caveats a cluster's input carries, in a fixed order. `profile`: the CNI profile the answers
 * will be computed under (cniProfile(cluster, flags...)); it is stated first when it is not the
 * default generic one, so every output of every command names it.
 */
export function inputCaveats(cluster: Cluster, profile?: CniProfile): Caveat[] {
  const out: Caveat[] = [];
  const statement = profile === undefined ? null : profileStatement(profile);
  if (statement !== null) out.push({ code: 'CNI_PROFILE', message: statement });
  const unmodelled = unmodelledPolicies(cluster);
  if (unmodelled.length > 0) {
    const total = unmodelled.reduce((s, k) => s + k.count, 0);
    out.push({
      code: 'UNMODELLED_POLICY_KIND',
      message: `${listKinds(unmodelled)} ${total === 1 ? 'is' : 'are'} not modelled; answers ignore ${total === 1 ? 'it' : 'them'}`,
    });
  }
  for (const message of cluster.calico?.caveats ?? []) out.push({ code: 'CALICO_UNMODELLED', message });
  if (cluster.endpoints.length > 0) {
    const populated = new Set(cluster.endpoints.map((e) => e.namespace));
    const lonely = cluster.policies.filter((p) => !populated.has(p.namespace));
    if (lonely.length > 0) {
      const namespaces = [...new Set(lonely.map((p) => p.namespace))].sort();
      out.push({
        code: 'POLICY_NAMESPACE_EMPTY',
        message: `${lonely.length} ${lonely.length === 1 ? 'NetworkPolicy' : 'NetworkPolicies'} in ${namespaces.length === 1 ? 'namespace' : 'namespaces'} ${namespaces.join(', ')}, which ${namespaces.length === 1 ? 'has' : 'have'} no pod or workload in the input: ${lonely.length === 1 ? 'it selects' : 'they select'} nothing here`,
      });
    }
  }
  return out;
}

/**
 * Compile-time warnings (Compiled.warnings: a rule part that matches nothing in this input) as
 * caveat lines, `file:line:col: CODE: message (object)`, so they reach every output format too.
 */
export function warningCaveats(warnings: readonly Diagnostic[]): string[] {
  return warnings.map((w) => `${formatLocation(w.location)}: ${w.code}: ${w.message}${w.object === null ? '' : ` (${w.object})`}`);
}
