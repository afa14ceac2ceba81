/**
 * The Calico post-pass over the loader's `others`: recognises the projectcalico.org/v3 kinds (and the
 * same kinds as crd.projectcalico.org/v1, as `kubectl get` dumps them), validates them into the
 * CalicoModel, and returns everything else untouched.
 *
 * | kind                                             | result                                         |
 * |--------------------------------------------------|------------------------------------------------|
 * | NetworkPolicy, GlobalNetworkPolicy               | CalicoPolicy                                   |
 * | StagedNetworkPolicy, StagedGlobalNetworkPolicy   | CalicoPolicy, staged (not enforced)            |
 * | StagedKubernetesNetworkPolicy                    | a NetworkPolicy (model/network-policy.ts), staged |
 * | Tier                                             | CalicoTier                                     |
 * | NetworkSet, GlobalNetworkSet                     | CalicoNetworkSet (labelled address ranges)     |
 * | HostEndpoint                                     | rest (unmodelled: host protection is out of scope) |
 * | WorkloadEndpoint                                 | a pod endpoint (model/calico/endpoints.ts)     |
 * | Profile                                          | labelsToApply read; rules other than allow-all: CALICO_UNMODELLED |
 * | v1 ServiceAccount (any group `''`)               | its labels are read (pcsa.*), the object stays in rest |
 *
 * Invalid policies are left out with errors (with `ignoreInvalid`: warnings plus POLICY_IGNORED),
 * as NetworkPolicies are. A selector's syntax error is INVALID_SELECTOR at the offending character.
 */
import { makeDiagnostic } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatLocation } from '../../diagnostics/diagnostic.js';
import { parseCidr, parseIP, type Cidr } from '../../net/ip.js';
import { knownKeys, readObjectField, show, type JsonObject } from '../fields.js';
import { isRecord, type FieldPath } from '../../base/types.js';
import type { Endpoint, Labels, OtherObject } from '../types.js';
import { otherContext, type ObjectContext } from '../context.js';
import { readNetworkPolicy } from '../network-policy.js';
import { checkFields } from '../schema.js';
import { profileAllowsAll, profileLabels, workloadEndpoint } from './endpoints.js';
import { parseCalicoSelector, type CalicoSelector } from './selector.js';
import type {
  CalicoAction,
  CalicoServiceMatch,
  CalicoIcmp,
  CalicoModel,
  CalicoNetworkSet,
  CalicoPolicy,
  CalicoPolicyKind,
  CalicoPort,
  CalicoProtocol,
  CalicoRule,
  CalicoTier,
  EntityRule,
  ServiceAccountMatch,
  StagedAction,
  StagedKubernetesPolicy,
} from './types.js';

export const CALICO_GROUPS = ['projectcalico.org', 'crd.projectcalico.org'];

const POLICY_KINDS: readonly CalicoPolicyKind[] = ['NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy'];
const ACTIONS: readonly CalicoAction[] = ['Allow', 'Deny', 'Pass', 'Log'];

export interface CalicoExtractResult {
  readonly model: CalicoModel | null;
  /** Pods read from WorkloadEndpoints (model/calico/endpoints.ts), in input order. */
  readonly endpoints: Endpoint[];
  readonly diagnostics: Diagnostic[];
  readonly rest: OtherObject[];
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether an object is of a Calico API group. */
export function isCalicoObject(o: Pick<OtherObject, 'apiVersion'>): boolean {
  return CALICO_GROUPS.includes(groupOf(o.apiVersion));
}

export function extractCalico(others: readonly OtherObject[], opts: { readonly ignoreInvalid?: boolean } = {}): CalicoExtractResult {
  const ignoreInvalid = opts.ignoreInvalid ?? false;
  const diagnostics: Diagnostic[] = [];
  const rest: OtherObject[] = [];
  const policies: CalicoPolicy[] = [];
  const tiers = new Map<string, CalicoTier>();
  const networkSets: CalicoNetworkSet[] = [];
  const stagedKubernetes: StagedKubernetesPolicy[] = [];
  const serviceAccounts = new Map<string, Labels>();
  const seen = new Map<string, string>();
  let any = false;
  // Profiles first: a WorkloadEndpoint takes the labelsToApply of the profiles it lists
  const profiles = new Map<string, Labels>();
  for (const o of others) {
    if (o.kind !== 'Profile' || !isCalicoObject(o) || o.name === null) continue;
    any = true;
    profiles.set(o.name, profileLabels(o));
    if (!profileAllowsAll(o)) {
      const r = otherContext(o, `Profile ${o.name}`, ignoreInvalid);
      r.warn(
        'CALICO_UNMODELLED',
        `Profile ${o.name} has rules other than allow-all, which are not modelled: endpoints no policy decides are taken as allowed`,
        ['spec'],
      );
      diagnostics.push(...r.diagnostics);
    }
  }
  const endpoints: Endpoint[] = [];
  for (const o of others) {
    if (o.kind === 'Profile' && isCalicoObject(o)) {
      rest.push(o);
      continue;
    }
    if (o.kind === 'WorkloadEndpoint' && isCalicoObject(o)) {
      any = true;
      const e = workloadEndpoint(o, profiles, o.location);
      if (e !== null) endpoints.push(e);
      continue;
    }
    if (o.kind === 'ServiceAccount' && o.apiVersion === 'v1' && o.name !== null) {
      const meta = isRecord(o.value) && isRecord(o.value['metadata']) ? o.value['metadata'] : {};
      const labels = isRecord(meta['labels']) ? meta['labels'] : {};
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
      serviceAccounts.set(`${o.namespace ?? 'default'}/${o.name}`, out);
      rest.push(o);
      continue;
    }
    if (!isCalicoObject(o)) {
      rest.push(o);
      continue;
    }
    const global = o.kind.startsWith('Global') || o.kind.startsWith('StagedGlobal') || o.kind === 'Tier' || o.kind === 'HostEndpoint' || o.kind === 'Profile';
    const label = `${o.kind} ${global || o.namespace === null ? '' : `${o.namespace}/`}${o.name ?? '<unnamed>'}`;
    const r = otherContext(o, label, ignoreInvalid);
    // a HostEndpoint (host protection is not modelled) stays in `rest`: model/unmodelled.ts names it
    // in every command's caveats
    if (!isKnownKind(o.kind)) {
      rest.push(o);
      continue;
    }
    any = true;
    if (o.name === null) {
      r.error('MISSING_FIELD', 'metadata.name is required', ['metadata']);
      diagnostics.push(...r.diagnostics);
      continue;
    }
    const key = `${o.kind}|${global ? '' : (o.namespace ?? 'default')}|${o.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      r.error('DUPLICATE_OBJECT', `${label} is defined twice; the first definition (${first}) is used`, []);
      diagnostics.push(...r.diagnostics);
      continue;
    }
    seen.set(key, formatLocation(o.location));
    const spec = isRecord(o.value) ? (readObjectField(r, o.value as JsonObject, 'spec', [], false) ?? {}) : {};
    if (o.kind === 'StagedKubernetesNetworkPolicy') {
      const sk = readStagedKubernetes(o, o.namespace ?? 'default', o.name, spec, label);
      diagnostics.push(...sk.diagnostics);
      if (sk.policy !== null) stagedKubernetes.push(sk.policy);
      else if (ignoreInvalid) r.warn('POLICY_IGNORED', `${label} is invalid and was left out`, []);
    } else if (o.kind === 'Tier') {
      const t = readTier(r, o.name, spec);
      if (t !== null && r.errors === 0) tiers.set(t.name, t);
    } else if (o.kind === 'NetworkSet' || o.kind === 'GlobalNetworkSet') {
      const nets = readNets(r, spec, 'nets', ['spec']) ?? [];
      const meta = isRecord(o.value) && isRecord((o.value as JsonObject)['metadata']) ? ((o.value as JsonObject)['metadata'] as JsonObject) : {};
      const labels: Record<string, string> = {};
      if (isRecord(meta['labels'])) for (const [k, v] of Object.entries(meta['labels'])) if (typeof v === 'string') labels[k] = v;
      if (r.errors === 0)
        networkSets.push({ namespace: o.kind === 'NetworkSet' ? (o.namespace ?? 'default') : null, name: o.name, labels, nets, location: o.location });
    } else {
      const kind = o.kind as CalicoPolicyKind;
      const p = readPolicy(r, kind, global ? null : (o.namespace ?? 'default'), o.name, spec, o);
      if (p !== null && r.errors === 0) policies.push(p);
      else if (ignoreInvalid) r.warn('POLICY_IGNORED', `${label} is invalid and was left out`, []);
    }
    diagnostics.push(...r.diagnostics);
  }
  if (!any) return { model: null, diagnostics, rest, endpoints };
  const caveats = [...new Set(diagnostics.filter((d) => d.code === 'CALICO_UNMODELLED').map((d) => d.message))];
  for (const p of policies) {
    if (p.tier === 'default' || tiers.has(p.tier)) continue;
    diagnostics.push(
      makeDiagnostic(
        'CALICO_TIER_MISSING',
        'warning',
        `tier "${p.tier}" is not defined in the input: it is taken as ordered last, with defaultAction Deny`,
        p.location,
        `${p.kind} ${calicoRef(p)}`,
      ),
    );
  }
  return { model: { policies, stagedKubernetes, tiers: [...tiers.values()], networkSets, serviceAccounts, caveats, profiles }, diagnostics, rest, endpoints };
}

function calicoRef(p: CalicoPolicy): string {
  return p.namespace === null ? p.name : `${p.namespace}/${p.name}`;
}

function isKnownKind(kind: string): boolean {
  return (
    (POLICY_KINDS as readonly string[]).includes(kind) ||
    kind === 'Tier' ||
    kind === 'NetworkSet' ||
    kind === 'GlobalNetworkSet' ||
    kind === 'StagedKubernetesNetworkPolicy'
  );
}

/** `stagedAction`: Set (the default) or Delete; Learn is not modelled and read as Set, with a caveat. */
function readStagedAction(r: ObjectContext, spec: JsonObject): StagedAction {
  const v = spec['stagedAction'];
  if (v === undefined || v === null || v === 'Set') return 'Set';
  if (v === 'Delete') return 'Delete';
  if (v === 'Learn') {
    r.warn('CALICO_UNMODELLED', 'stagedAction Learn is not modelled: --staged evaluates this staged policy as if it were Set', ['spec', 'stagedAction']);
    return 'Set';
  }
  r.error('INVALID_FIELD', `stagedAction must be Set, Delete or Learn, not ${show(v)}`, ['spec', 'stagedAction']);
  return 'Set';
}

/**
 * A StagedKubernetesNetworkPolicy: its spec is a NetworkPolicy spec plus stagedAction, read (fields,
 * defaulting, every check) exactly as a networking.k8s.io NetworkPolicy is.
 */
function readStagedKubernetes(
  o: OtherObject,
  namespace: string,
  name: string,
  spec: JsonObject,
  label: string,
): { policy: StagedKubernetesPolicy | null; diagnostics: Diagnostic[] } {
  const ctx = otherContext(o, label);
  const { stagedAction: _a, ...k8sSpec } = spec;
  // the NetworkPolicy schema checks every field name; stagedAction is the one field it lacks
  checkFields(ctx, 'NetworkPolicy', { ...(o.value as JsonObject), apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', spec: k8sSpec });
  const policy = readNetworkPolicy(ctx, namespace, name);
  const stagedAction = readStagedAction(ctx, spec);
  const diagnostics = ctx.diagnostics;
  const ok = ctx.errors === 0;
  return { policy: ok ? { policy, stagedAction, location: ctx.at([]) } : null, diagnostics };
}

function readTier(r: ObjectContext, name: string, spec: JsonObject): CalicoTier | null {
  knownKeys(r, spec, ['order', 'defaultAction'], ['spec']);
  const order = readOrder(r, spec);
  const da = spec['defaultAction'];
  let defaultAction: 'Deny' | 'Pass' = 'Deny';
  if (da !== undefined && da !== null) {
    if (da === 'Deny' || da === 'Pass') defaultAction = da;
    else r.error('INVALID_FIELD', `defaultAction must be Deny or Pass, not ${show(da)}`, ['spec', 'defaultAction']);
  }
  return { name, order, defaultAction, location: r.at([]) };
}

function readOrder(r: ObjectContext, spec: JsonObject): number | null {
  const v = spec['order'];
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  r.error('INVALID_FIELD', `order must be a number, not ${show(v)}`, ['spec', 'order']);
  return null;
}

/** A selector field; null when absent (or after reporting its error). */
function readSelector(r: ObjectContext, parent: JsonObject, key: string, path: FieldPath): CalicoSelector | null {
  const v = parent[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') {
    r.error('INVALID_FIELD', `${key} must be a selector string, not ${show(v)}`, [...path, key]);
    return null;
  }
  const p = parseCalicoSelector(v);
  if (p.ok) return p.selector;
  const where = r.raw.locateChar([...path, key], p.offset);
  r.errorAt('INVALID_SELECTOR', `invalid selector ${show(v)}: ${p.message} (character ${p.offset + 1})`, where);
  return null;
}

const POLICY_KEYS = ['tier', 'order', 'selector', 'types', 'ingress', 'egress', 'serviceAccountSelector', 'performanceHints'];
const GLOBAL_KEYS = [...POLICY_KEYS, 'namespaceSelector', 'doNotTrack', 'preDNAT', 'applyOnForward'];

function readPolicy(r: ObjectContext, kind: CalicoPolicyKind, namespace: string | null, name: string, spec: JsonObject, o: OtherObject): CalicoPolicy | null {
  const staged = kind.startsWith('Staged');
  const allowed = namespace === null ? GLOBAL_KEYS : POLICY_KEYS;
  knownKeys(r, spec, staged ? [...allowed, 'stagedAction'] : allowed, ['spec']);
  let tier = 'default';
  const t = spec['tier'];
  if (t !== undefined && t !== null && t !== '') {
    if (typeof t === 'string') tier = t;
    else r.error('INVALID_FIELD', `tier must be a string, not ${show(t)}`, ['spec', 'tier']);
  }
  // crd.projectcalico.org/v1 stores tiered policies as `<tier>.<name>`
  const shown = o.apiVersion.startsWith('crd.') && name.startsWith(`${tier}.`) ? name.slice(tier.length + 1) : name;
  const order = readOrder(r, spec);
  const selector = readSelector(r, spec, 'selector', ['spec']) ?? { kind: 'all' as const };
  const namespaceSelector = namespace === null ? readSelector(r, spec, 'namespaceSelector', ['spec']) : null;
  const serviceAccountSelector = readSelector(r, spec, 'serviceAccountSelector', ['spec']);
  for (const f of ['doNotTrack', 'preDNAT', 'applyOnForward']) {
    if (spec[f] === true)
      r.warn(
        'CALICO_UNMODELLED',
        `${f} concerns host endpoints and forwarded traffic, which kubereach does not model; the policy is evaluated as an ordinary one`,
        ['spec', f],
      );
  }
  const stagedAction = staged ? readStagedAction(r, spec) : 'Set';
  const ingress = readRules(r, spec, 'ingress');
  const egress = readRules(r, spec, 'egress');
  let appliesIngress: boolean;
  let appliesEgress: boolean;
  const types = spec['types'];
  if (types === undefined || types === null || (Array.isArray(types) && types.length === 0)) {
    // Calico's defaulting: Egress alone when there are egress rules and no ingress rules; both when
    // there are both; Ingress otherwise (no rules at all included)
    appliesEgress = egress.length > 0;
    appliesIngress = !(egress.length > 0 && ingress.length === 0);
  } else if (!Array.isArray(types)) {
    r.error('INVALID_FIELD', `types must be a list, not ${show(types)}`, ['spec', 'types']);
    return null;
  } else {
    appliesIngress = false;
    appliesEgress = false;
    types.forEach((x, i) => {
      if (x === 'Ingress') appliesIngress = true;
      else if (x === 'Egress') appliesEgress = true;
      else r.error('INVALID_POLICY_TYPE', `types entries must be Ingress or Egress, not ${show(x)}`, ['spec', 'types', i]);
    });
    if (!appliesIngress && ingress.length > 0)
      r.warn('CALICO_UNMODELLED', 'ingress rules of a policy whose types omit Ingress have no effect', ['spec', 'ingress']);
    if (!appliesEgress && egress.length > 0) r.warn('CALICO_UNMODELLED', 'egress rules of a policy whose types omit Egress have no effect', ['spec', 'egress']);
  }
  return {
    kind,
    namespace,
    name: shown,
    tier,
    order,
    selector,
    namespaceSelector,
    serviceAccountSelector,
    appliesIngress,
    appliesEgress,
    ingress,
    egress,
    staged,
    stagedAction,
    location: r.at([]),
  };
}

function readRules(r: ObjectContext, spec: JsonObject, dir: 'ingress' | 'egress'): CalicoRule[] {
  const list = spec[dir];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    r.error('INVALID_FIELD', `${dir} must be a list, not ${show(list)}`, ['spec', dir]);
    return [];
  }
  const out: CalicoRule[] = [];
  list.forEach((raw, index) => {
    const path: FieldPath = ['spec', dir, index];
    if (!isRecord(raw)) {
      r.error('INVALID_FIELD', `a rule must be a mapping, not ${show(raw)}`, path);
      return;
    }
    const rule = readRule(r, raw, path, index);
    if (rule !== null) out.push(rule);
  });
  return out;
}

const PORT_PROTOCOLS: Readonly<Record<string, 'TCP' | 'UDP' | 'SCTP'>> = { TCP: 'TCP', UDP: 'UDP', SCTP: 'SCTP', '6': 'TCP', '17': 'UDP', '132': 'SCTP' };
const ICMP_PROTOCOLS: Readonly<Record<string, 'ICMP' | 'ICMPv6'>> = { ICMP: 'ICMP', ICMPv6: 'ICMPv6', '1': 'ICMP', '58': 'ICMPv6' };
const NAMED_PROTOCOLS = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite'];

function readProtocol(r: ObjectContext, parent: JsonObject, key: string, path: FieldPath): CalicoProtocol | null {
  const v = parent[key];
  if (v === undefined || v === null) return null;
  let text: string | null = null;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 255) text = String(v);
  else if (typeof v === 'string') {
    // names are case-insensitive in Calico (`tcp` is TCP); numbers 1-255 may be written as strings
    const named = NAMED_PROTOCOLS.find((n) => n.toLowerCase() === v.toLowerCase());
    if (named !== undefined) text = named;
    else if (/^[0-9]+$/.test(v) && Number(v) >= 1 && Number(v) <= 255) text = String(Number(v));
  }
  if (text === null) {
    r.error('UNKNOWN_PROTOCOL', `${key} must be TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number 1-255, not ${show(v)}`, [...path, key]);
    return null;
  }
  const port = PORT_PROTOCOLS[text];
  if (port !== undefined) return { kind: 'port', protocol: port };
  const icmp = ICMP_PROTOCOLS[text];
  if (icmp !== undefined) return { kind: 'icmp', protocol: icmp };
  return { kind: 'other', name: text };
}

/**
 * `icmp` / `notICMP` (Rule reference, "ICMP"): `type` 0-254 and `code` 0-255, a code only with a
 * type. Without a code the rule matches (notICMP: excludes) every code of the type; with one, that
 * code only (connection sets hold ICMP messages by type and code).
 */
function readIcmp(r: ObjectContext, raw: JsonObject, key: 'icmp' | 'notICMP', path: FieldPath): CalicoIcmp | null {
  const v = raw[key];
  if (v === undefined || v === null) return null;
  const at: FieldPath = [...path, key];
  if (!isRecord(v)) {
    r.error('INVALID_FIELD', `${key} must be a mapping with type and code, not ${show(v)}`, at);
    return null;
  }
  knownKeys(r, v, ['type', 'code'], at);
  const num = (f: 'type' | 'code', max: number): number | null => {
    const x = v[f];
    if (x === undefined || x === null) return null;
    if (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max) return x;
    r.error('INVALID_FIELD', `ICMP ${f} must be an integer 0-${max}, not ${show(x)}`, [...at, f]);
    return null;
  };
  const type = num('type', 254);
  const code = num('code', 255);
  if (code !== null && type === null && (v['type'] === undefined || v['type'] === null)) {
    r.error('INVALID_FIELD', `an ICMP code needs a type (${key}.type)`, [...at, 'code']);
  }
  return { type, code };
}

function readRule(r: ObjectContext, raw: JsonObject, path: FieldPath, index: number): CalicoRule | null {
  knownKeys(r, raw, ['action', 'ipVersion', 'protocol', 'notProtocol', 'icmp', 'notICMP', 'source', 'destination', 'http', 'metadata'], path);
  const a = raw['action'];
  if (a === undefined || a === null) {
    r.error('MISSING_FIELD', 'action is required (Allow, Deny, Pass or Log)', path);
    return null;
  }
  if (!(ACTIONS as readonly unknown[]).includes(a)) {
    r.error('INVALID_FIELD', `action must be Allow, Deny, Pass or Log, not ${show(a)}`, [...path, 'action']);
    return null;
  }
  const action = a as CalicoAction;
  let ipVersion: 4 | 6 | null = null;
  const iv = raw['ipVersion'];
  if (iv !== undefined && iv !== null) {
    if (iv === 4 || iv === 6) ipVersion = iv;
    else r.error('INVALID_FIELD', `ipVersion must be 4 or 6, not ${show(iv)}`, [...path, 'ipVersion']);
  }
  const protocol = readProtocol(r, raw, 'protocol', path);
  const notProtocol = readProtocol(r, raw, 'notProtocol', path);
  for (const [key, p] of [
    ['protocol', protocol],
    ['notProtocol', notProtocol],
  ] as const) {
    if (p !== null && p.kind === 'other') {
      r.warn(
        'CALICO_UNMODELLED',
        `protocol ${p.name} is outside the connection space kubereach models (TCP, UDP and SCTP ports, ICMP and ICMPv6 messages): answers say nothing about it`,
        [...path, key],
      );
    }
  }
  const icmp = readIcmp(r, raw, 'icmp', path);
  const notICMP = readIcmp(r, raw, 'notICMP', path);
  if ((icmp !== null || notICMP !== null) && (protocol === null || protocol.kind !== 'icmp')) {
    r.error('INVALID_FIELD', 'icmp and notICMP need protocol ICMP or ICMPv6', [...path, icmp !== null ? 'icmp' : 'notICMP']);
  }
  // Calico's validation: an ICMP family and an ipVersion of the other family cannot meet
  if (protocol !== null && protocol.kind === 'icmp' && ipVersion !== null && (protocol.protocol === 'ICMP') !== (ipVersion === 4)) {
    r.error('INVALID_FIELD', `protocol ${protocol.protocol} cannot be used with ipVersion ${ipVersion}`, [...path, 'ipVersion']);
  }
  if (raw['http'] !== undefined && raw['http'] !== null) {
    r.warn(
      'CALICO_UNMODELLED',
      'http matches need an application layer policy proxy; kubereach ignores them, so this rule is taken to match every HTTP request',
      [...path, 'http'],
    );
  }
  const source = readEntity(r, raw, 'source', path);
  const destination = readEntity(r, raw, 'destination', path);
  if (source === null || destination === null) return null;
  for (const [side, e] of [
    ['source', source],
    ['destination', destination],
  ] as const) {
    if (
      (e.ports !== null || e.notPorts.length > 0) &&
      !(protocol !== null && (protocol.kind === 'port' || (protocol.kind === 'other' && (protocol.name === 'UDPLite' || protocol.name === '136'))))
    ) {
      r.error('INVALID_FIELD', `${side} ports need protocol TCP, UDP, SCTP or UDPLite`, [...path, side]);
    }
  }
  // EntityRule reference: "Ports and NotPorts can only be specified with Services on ingress rules"
  // (an egress rule to a Service takes the ports of its endpoints)
  if (path[path.length - 2] === 'egress' && destination.services !== null && (destination.ports !== null || destination.notPorts.length > 0)) {
    r.error('INVALID_FIELD', 'an egress rule to services cannot also name destination ports: the Service gives each endpoint its port', [
      ...path,
      'destination',
      destination.ports !== null ? 'ports' : 'notPorts',
    ]);
  }
  if (source.ports !== null || source.notPorts.length > 0) {
    r.warn('CALICO_UNMODELLED', 'source ports are not modelled (connections are sets of destination ports): this rule is taken to match every source port', [
      ...path,
      'source',
    ]);
  }
  return { index, action, protocol, notProtocol, icmp, notICMP, ipVersion, source, destination, location: r.at(path) };
}

function readEntity(r: ObjectContext, rule: JsonObject, side: 'source' | 'destination', rulePath: FieldPath): EntityRule | null {
  const path: FieldPath = [...rulePath, side];
  const v = rule[side];
  const e: JsonObject = v === undefined || v === null ? {} : isRecord(v) ? v : {};
  if (v !== undefined && v !== null && !isRecord(v)) {
    r.error('INVALID_FIELD', `${side} must be a mapping, not ${show(v)}`, path);
    return null;
  }
  knownKeys(r, e, ['selector', 'notSelector', 'namespaceSelector', 'serviceAccounts', 'nets', 'notNets', 'ports', 'notPorts', 'services'], path);
  const services = readServices(r, e, path);
  let serviceAccounts: ServiceAccountMatch | null = null;
  const sa = e['serviceAccounts'];
  if (sa !== undefined && sa !== null) {
    if (!isRecord(sa)) r.error('INVALID_FIELD', `serviceAccounts must be a mapping, not ${show(sa)}`, [...path, 'serviceAccounts']);
    else {
      const names: string[] = [];
      const rawNames = sa['names'];
      if (Array.isArray(rawNames))
        rawNames.forEach((n, i) =>
          typeof n === 'string'
            ? names.push(n)
            : r.error('INVALID_FIELD', `service account names must be strings, not ${show(n)}`, [...path, 'serviceAccounts', 'names', i]),
        );
      else if (rawNames !== undefined && rawNames !== null)
        r.error('INVALID_FIELD', `names must be a list, not ${show(rawNames)}`, [...path, 'serviceAccounts', 'names']);
      serviceAccounts = { names, selector: readSelector(r, sa, 'selector', [...path, 'serviceAccounts']) };
    }
  }
  return {
    selector: readSelector(r, e, 'selector', path),
    notSelector: readSelector(r, e, 'notSelector', path),
    namespaceSelector: readSelector(r, e, 'namespaceSelector', path),
    serviceAccounts,
    nets: readNets(r, e, 'nets', path),
    notNets: readNets(r, e, 'notNets', path) ?? [],
    ports: readPorts(r, e, 'ports', path),
    notPorts: readPorts(r, e, 'notPorts', path) ?? [],
    services,
  };
}

/** Fields a `services` match excludes (EntityRule reference: "Services cannot be specified on the same rule as ..."). */
const NOT_WITH_SERVICES = ['selector', 'notSelector', 'namespaceSelector', 'nets', 'notNets', 'serviceAccounts'] as const;

/**
 * `services` (EntityRule reference, "ServiceMatch"): `name` of a Kubernetes Service and its
 * `namespace` ("If left empty, the rule will match within this policy's namespace"). It cannot be
 * combined with the selectors, nets or serviceAccounts of the same side.
 */
function readServices(r: ObjectContext, e: JsonObject, path: FieldPath): CalicoServiceMatch | null {
  const v = e['services'];
  if (v === undefined || v === null) return null;
  const at: FieldPath = [...path, 'services'];
  if (!isRecord(v)) {
    r.error('INVALID_FIELD', `services must be a mapping with name and namespace, not ${show(v)}`, at);
    return null;
  }
  knownKeys(r, v, ['name', 'namespace'], at);
  const name = v['name'];
  const ns = v['namespace'];
  let ok = true;
  if (name === undefined || name === null) {
    r.error('INVALID_FIELD', 'services needs the name of a Kubernetes Service (services.name)', at);
    ok = false;
  } else if (typeof name !== 'string' || name === '') {
    r.error('INVALID_FIELD', `services.name must be the name of a Service, not ${show(name)}`, [...at, 'name']);
    ok = false;
  }
  if (ns !== undefined && ns !== null && typeof ns !== 'string') {
    r.error('INVALID_FIELD', `services.namespace must be a string, not ${show(ns)}`, [...at, 'namespace']);
    ok = false;
  }
  for (const k of NOT_WITH_SERVICES) {
    if (e[k] !== undefined && e[k] !== null) {
      r.error('INVALID_FIELD', `services cannot be combined with ${k} on the same side of a rule`, [...path, k]);
      ok = false;
    }
  }
  if (!ok) return null;
  return { name: name as string, namespace: typeof ns === 'string' && ns !== '' ? ns : null, location: r.at(at) };
}

function readNets(r: ObjectContext, parent: JsonObject, key: string, path: FieldPath): Cidr[] | null {
  const v = parent[key];
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) {
    r.error('INVALID_FIELD', `${key} must be a list of CIDRs, not ${show(v)}`, [...path, key]);
    return null;
  }
  const out: Cidr[] = [];
  v.forEach((x, i) => {
    if (typeof x !== 'string') {
      r.error('INVALID_CIDR', `${show(x)} is not a CIDR`, [...path, key, i]);
      return;
    }
    // Calico takes a bare address as its /32 (/128) and masks host bits away
    const ip = x.includes('/') ? null : parseIP(x);
    const c = parseCidr(ip !== null ? `${x.trim()}/${ip.family === 4 ? 32 : 128}` : x.trim());
    if (typeof c === 'string')
      r.error('INVALID_CIDR', `${show(x)} is not a CIDR (${c === 'prefix' ? 'prefix out of range' : 'expected ADDRESS/PREFIX'})`, [...path, key, i]);
    else out.push(c);
  });
  return out;
}

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/i;

function readPorts(r: ObjectContext, parent: JsonObject, key: string, path: FieldPath): CalicoPort[] | null {
  const v = parent[key];
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) {
    r.error('INVALID_FIELD', `${key} must be a list, not ${show(v)}`, [...path, key]);
    return null;
  }
  const out: CalicoPort[] = [];
  v.forEach((x, i) => {
    const at: FieldPath = [...path, key, i];
    const bad = () => r.error('PORT_OUT_OF_RANGE', `${show(x)} is not a port 0-65535, a range "FIRST:LAST" or a port name`, at);
    if (typeof x === 'number') {
      if (Number.isInteger(x) && x >= 0 && x <= 65535) out.push({ kind: 'range', start: x, end: x });
      else bad();
      return;
    }
    if (typeof x !== 'string') return bad();
    const m = /^\s*([0-9]+)\s*(?::\s*([0-9]+)\s*)?$/.exec(x);
    if (m !== null) {
      const start = Number(m[1]);
      const end = m[2] === undefined ? start : Number(m[2]);
      if (start > 65535 || end > 65535 || end < start) return bad();
      out.push({ kind: 'range', start, end });
      return;
    }
    if (PORT_NAME.test(x) && x.length <= 128) out.push({ kind: 'named', name: x });
    else bad();
  });
  return out;
}
