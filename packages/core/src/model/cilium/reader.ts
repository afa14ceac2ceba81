/**
 * Reads CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy objects (cilium.io/v2) into the model of
 * ./types.ts, each problem a located diagnostic through the model's ObjectContext and field readers
 * (model/context.ts, model/fields.ts: errors leave the policy out, warnings keep it). Field names and meanings follow Cilium's policy-language reference
 * (its "Policy Language" chapter): a rule is `endpointSelector` (or `nodeSelector`,
 * host policies, not modelled) plus the lists `ingress`, `ingressDeny`, `egress`, `egressDeny`.
 */
import type { Cidr } from '../../net/ip.js';
import { parseCidr, parseIP } from '../../net/ip.js';
import type { LabelRequirement, LabelSelector, Protocol } from '../types.js';
import { readSelector } from '../admin/selector.js';
import { knownKeys, show, type JsonObject } from '../fields.js';
import { isRecord, type FieldPath } from '../../base/types.js';
import type { ObjectContext } from '../context.js';
import {
  CILIUM_ENTITIES,
  type CiliumEntity,
  type CiliumIcmp,
  type CiliumKind,
  type CiliumPeer,
  type CiliumPolicy,
  type CiliumPort,
  type CiliumRule,
  type CiliumSection,
  type CiliumSelector,
  type CiliumSpec,
} from './types.js';

const NS_KEY = 'io.kubernetes.pod.namespace';
const NS_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
const CLUSTER_KEY = 'io.cilium.k8s.policy.cluster';
/** Label sources Cilium accepts in selector keys; `k8s` and `any` are the ones pods carry. */
const SOURCES = ['k8s', 'any', 'reserved', 'cidr', 'fqdn', 'container', 'unspec', 'cilium-generated'];

const RULE_KEYS = ['endpointSelector', 'nodeSelector', 'ingress', 'ingressDeny', 'egress', 'egressDeny', 'labels', 'description', 'enableDefaultDeny', 'log'];
const INGRESS_KEYS = [
  'fromEndpoints',
  'fromRequires',
  'fromCIDR',
  'fromCIDRSet',
  'fromEntities',
  'fromGroups',
  'fromNodes',
  'toPorts',
  'icmps',
  'authentication',
];
const EGRESS_KEYS = [
  'toEndpoints',
  'toRequires',
  'toCIDR',
  'toCIDRSet',
  'toEntities',
  'toServices',
  'toFQDNs',
  'toGroups',
  'toNodes',
  'toPorts',
  'icmps',
  'authentication',
];

/** ICMP message types Cilium accepts by name (its icmps `type` also takes the number). */
const ICMP4_NAMES: Readonly<Record<string, number>> = {
  EchoReply: 0,
  DestinationUnreachable: 3,
  Redirect: 5,
  Echo: 8,
  EchoRequest: 8,
  RouterAdvertisement: 9,
  RouterSelection: 10,
  TimeExceeded: 11,
  ParameterProblem: 12,
  Timestamp: 13,
  TimestampReply: 14,
  Photuris: 40,
  ExtendedEchoRequest: 42,
  ExtendedEchoReply: 43,
};
const ICMP6_NAMES: Readonly<Record<string, number>> = {
  DestinationUnreachable: 1,
  PacketTooBig: 2,
  TimeExceeded: 3,
  ParameterProblem: 4,
  EchoRequest: 128,
  EchoReply: 129,
  MulticastListenerQuery: 130,
  MulticastListenerReport: 131,
  MulticastListenerDone: 132,
  RouterSolicitation: 133,
  RouterAdvertisement: 134,
  NeighborSolicitation: 135,
  NeighborAdvertisement: 136,
  RedirectMessage: 137,
  RouterRenumbering: 138,
  ICMPNodeInformationQuery: 139,
  ICMPNodeInformationResponse: 140,
  InverseNeighborDiscoverySolicitation: 141,
  InverseNeighborDiscoveryAdvertisement: 142,
  HomeAgentAddressDiscoveryRequest: 144,
  HomeAgentAddressDiscoveryReply: 145,
  MobilePrefixSolicitation: 146,
  MobilePrefixAdvertisement: 147,
  DuplicateAddressRequestCodeSuffix: 157,
  DuplicateAddressConfirmationCodeSuffix: 158,
  ExtendedEchoRequest: 160,
  ExtendedEchoReply: 161,
};

export function readCiliumPolicy(r: ObjectContext, kind: CiliumKind, namespace: string | null, name: string): CiliumPolicy | null {
  const v = r.raw.value as JsonObject;
  const specs: CiliumSpec[] = [];
  const spec = v['spec'];
  const list = v['specs'];
  if ((spec === undefined || spec === null) && (list === undefined || list === null)) {
    r.error('MISSING_FIELD', `${kind} needs spec or specs`, []);
    return null;
  }
  if (spec !== undefined && spec !== null) {
    const s = readSpec(r, spec, ['spec'], null);
    if (s !== null) specs.push(s);
  }
  if (list !== undefined && list !== null) {
    if (!Array.isArray(list)) r.error('INVALID_FIELD', `specs must be a list, not ${show(list)}`, ['specs']);
    else
      list.forEach((s, i) => {
        const one = readSpec(r, s, ['specs', i], i);
        if (one !== null) specs.push(one);
      });
  }
  return { kind, namespace, name, specs, location: r.at([]) };
}

function readSpec(r: ObjectContext, value: unknown, path: FieldPath, specIndex: number | null): CiliumSpec | null {
  if (!isRecord(value)) {
    r.error('INVALID_FIELD', `a rule must be an object, not ${show(value)}`, path);
    return null;
  }
  knownKeys(r, value, RULE_KEYS, path);
  const hasEp = value['endpointSelector'] !== undefined && value['endpointSelector'] !== null;
  const hasNode = value['nodeSelector'] !== undefined && value['nodeSelector'] !== null;
  if (hasEp === hasNode) {
    r.error('INVALID_FIELD', hasEp ? 'endpointSelector and nodeSelector are mutually exclusive' : 'a rule needs endpointSelector (or nodeSelector)', path);
    return null;
  }
  if (hasNode) {
    // host policies apply to nodes' host firewall, which kubereach does not model: named, never silent
    r.warn('CILIUM_NOT_MODELLED', 'nodeSelector (a host policy, enforced by the host firewall) is not modelled; this rule is left out of every answer', [
      ...path,
      'nodeSelector',
    ]);
    return null;
  }
  const endpointSelector = readCiliumSelector(r, value['endpointSelector'], [...path, 'endpointSelector'], 'endpointSelector');
  let defaultDenyIngress = true;
  let defaultDenyEgress = true;
  const dd = value['enableDefaultDeny'];
  if (dd !== undefined && dd !== null) {
    if (!isRecord(dd)) r.error('INVALID_FIELD', `enableDefaultDeny must be an object, not ${show(dd)}`, [...path, 'enableDefaultDeny']);
    else {
      knownKeys(r, dd, ['ingress', 'egress'], [...path, 'enableDefaultDeny']);
      for (const d of ['ingress', 'egress'] as const) {
        const b = dd[d];
        if (b === undefined || b === null) continue;
        if (typeof b !== 'boolean') r.error('INVALID_FIELD', `enableDefaultDeny.${d} must be true or false, not ${show(b)}`, [...path, 'enableDefaultDeny', d]);
        else if (d === 'ingress') defaultDenyIngress = b;
        else defaultDenyEgress = b;
      }
    }
  }
  const rules: CiliumRule[] = [];
  for (const section of ['ingressDeny', 'egressDeny', 'ingress', 'egress'] as const) {
    const items = value[section];
    if (items === undefined || items === null) continue;
    if (!Array.isArray(items)) {
      r.error('INVALID_FIELD', `${section} must be a list, not ${show(items)}`, [...path, section]);
      continue;
    }
    items.forEach((item, i) => {
      const rule = readRule(r, item, [...path, section, i], section, i);
      if (rule !== null) rules.push(rule);
    });
  }
  if (endpointSelector === null) return null;
  return { specIndex, endpointSelector, rules, defaultDenyIngress, defaultDenyEgress, location: r.at(path) };
}

/** A selector key without its label source; null (after an error or warning) when it cannot be evaluated. */
function plainKey(r: ObjectContext, key: string, at: FieldPath, what: string): string | null {
  const colon = key.indexOf(':');
  if (colon < 0) return key;
  const source = key.slice(0, colon);
  if (!SOURCES.includes(source)) return key; // not a source prefix: the key as written (the label-key check decides)
  if (source === 'k8s' || source === 'any') return key.slice(colon + 1);
  r.warn('CILIUM_NOT_MODELLED', `${what}: label source ${show(source)} (${show(key)}) is not modelled; this selector matches no pod here`, at);
  return null;
}

/**
 * An endpoint selector split by what it observes (see CiliumSelector). `k8s:` / `any:` prefixes are
 * stripped; namespace pseudo-labels become namespace requirements.
 */
export function readCiliumSelector(r: ObjectContext, value: unknown, path: FieldPath, what: string): CiliumSelector | null {
  if (!isRecord(value)) {
    r.error('INVALID_SELECTOR', `${what} must be a label selector object, not ${show(value)}`, path);
    return null;
  }
  // read with plain keys so the shared validation (keys, operators, values) applies to them
  let unusable = false;
  const ml = value['matchLabels'];
  const plainLabels: Record<string, unknown> = {};
  if (isRecord(ml)) {
    for (const [k, val] of Object.entries(ml)) {
      const pk = plainKey(r, k, [...path, 'matchLabels', k], what);
      if (pk === null) unusable = true;
      else plainLabels[pk] = val;
    }
  }
  const me = value['matchExpressions'];
  const plainExprs: unknown[] = [];
  if (Array.isArray(me)) {
    me.forEach((e, i) => {
      if (isRecord(e) && typeof e['key'] === 'string') {
        const pk = plainKey(r, e['key'], [...path, 'matchExpressions', i, 'key'], what);
        if (pk === null) unusable = true;
        else plainExprs.push({ ...e, key: pk });
      } else plainExprs.push(e);
    });
  }
  const plain: Record<string, unknown> = { ...value };
  if (isRecord(ml)) plain['matchLabels'] = plainLabels;
  if (Array.isArray(me)) plain['matchExpressions'] = plainExprs;
  const sel = readSelector(r, plain, path, what);
  if (sel === null) return null;
  const pod: Record<string, string> = {};
  const podExprs: LabelRequirement[] = [];
  const nsExprs: LabelRequirement[] = [];
  const cluster: LabelRequirement[] = [];
  const route = (req: LabelRequirement): void => {
    if (req.key === NS_KEY) nsExprs.push({ ...req, key: 'kubernetes.io/metadata.name' });
    else if (req.key.startsWith(NS_LABELS_PREFIX)) nsExprs.push({ ...req, key: req.key.slice(NS_LABELS_PREFIX.length) });
    else if (req.key === CLUSTER_KEY) cluster.push(req);
    else podExprs.push(req);
  };
  for (const [k, val] of Object.entries(sel.matchLabels)) {
    if (k === NS_KEY || k.startsWith(NS_LABELS_PREFIX) || k === CLUSTER_KEY) route({ key: k, operator: 'In', values: [val] });
    else pod[k] = val;
  }
  for (const req of sel.matchExpressions) route(req);
  // a label source kubereach cannot evaluate: an unsatisfiable requirement, so nothing matches
  if (unusable) podExprs.push({ key: 'kubereach.io/unmodelled-label-source', operator: 'In', values: ['never'] });
  return {
    pod: { matchLabels: pod, matchExpressions: podExprs },
    namespace: nsExprs.length === 0 ? null : { matchLabels: {}, matchExpressions: nsExprs },
    cluster,
    namesNamespace: [...Object.keys(sel.matchLabels), ...sel.matchExpressions.map((e) => e.key)].includes(NS_KEY),
    location: r.at(path),
  };
}

function readRule(r: ObjectContext, value: unknown, path: FieldPath, section: CiliumSection, index: number): CiliumRule | null {
  if (!isRecord(value)) {
    r.error('INVALID_FIELD', `${section} rule must be an object, not ${show(value)}`, path);
    return null;
  }
  const ingress = section === 'ingress' || section === 'ingressDeny';
  const deny = section === 'ingressDeny' || section === 'egressDeny';
  const present = knownKeys(r, value, ingress ? INGRESS_KEYS : EGRESS_KEYS, path);
  const before = r.errors;
  const peers: CiliumPeer[] = [];
  let anyL3 = false;
  const requires: CiliumSelector[] = [];
  const list = (key: string): readonly unknown[] | null => {
    const v = value[key];
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v)) {
      r.error('INVALID_FIELD', `${key} must be a list, not ${show(v)}`, [...path, key]);
      return null;
    }
    anyL3 = true;
    return v;
  };
  const pre = ingress ? 'from' : 'to';
  list(`${pre}Endpoints`)?.forEach((s, i) => {
    const at = [...path, `${pre}Endpoints`, i];
    const sel = readCiliumSelector(r, s, at, `${pre}Endpoints`);
    if (sel !== null) peers.push({ kind: 'endpoints', selector: sel, location: r.at(at) });
  });
  const req = value[`${pre}Requires`];
  if (req !== undefined && req !== null) {
    if (!Array.isArray(req)) r.error('INVALID_FIELD', `${pre}Requires must be a list, not ${show(req)}`, [...path, `${pre}Requires`]);
    else
      req.forEach((s, i) => {
        const sel = readCiliumSelector(r, s, [...path, `${pre}Requires`, i], `${pre}Requires`);
        if (sel !== null) requires.push(sel);
      });
  }
  list(`${pre}CIDR`)?.forEach((c, i) => {
    const at = [...path, `${pre}CIDR`, i];
    const cidr = readCidr(r, c, at);
    if (cidr !== null) peers.push({ kind: 'cidr', cidr, except: [], location: r.at(at) });
  });
  list(`${pre}CIDRSet`)?.forEach((c, i) => {
    const at = [...path, `${pre}CIDRSet`, i];
    const p = readCidrSet(r, c, at);
    if (p !== null) peers.push(p);
  });
  list(`${pre}Entities`)?.forEach((e, i) => {
    const at = [...path, `${pre}Entities`, i];
    if (typeof e !== 'string' || !(CILIUM_ENTITIES as readonly string[]).includes(e)) {
      r.error('INVALID_FIELD', `${pre}Entities entry ${show(e)} is not one of ${CILIUM_ENTITIES.join(', ')}`, at);
    } else peers.push({ kind: 'entity', entity: e as CiliumEntity, location: r.at(at) });
  });
  for (const k of [`${pre}Groups`, `${pre}Nodes`, 'authentication']) {
    if (present.includes(k)) r.warn('CILIUM_NOT_MODELLED', `${k} is not modelled; this rule is left out of every answer`, [...path, k]);
  }
  if (present.includes(`${pre}Groups`) || present.includes(`${pre}Nodes`)) return null;
  if (!ingress) {
    list('toFQDNs')?.forEach((f, i) => {
      const at = [...path, 'toFQDNs', i];
      if (deny) {
        r.error('INVALID_FIELD', 'toFQDNs is not allowed in egressDeny', at);
        return;
      }
      if (!isRecord(f)) return r.error('INVALID_FIELD', `toFQDNs entry must be an object, not ${show(f)}`, at);
      const pr = knownKeys(r, f, ['matchName', 'matchPattern'], at);
      if (pr.length !== 1) return r.error('INVALID_FIELD', 'a toFQDNs entry sets exactly one of matchName, matchPattern', at);
      const val = f[pr[0]!];
      if (typeof val !== 'string' || val === '') return r.error('INVALID_FIELD', `${pr[0]} must be a non-empty string`, [...at, pr[0]!]);
      peers.push({ kind: 'fqdn', matchName: pr[0] === 'matchName' ? val : null, matchPattern: pr[0] === 'matchPattern' ? val : null, location: r.at(at) });
    });
    list('toServices')?.forEach((s, i) => {
      const at = [...path, 'toServices', i];
      const p = readService(r, s, at);
      if (p !== null) peers.push(p);
    });
  }
  const { ports, l7, dnsProxy } = readToPorts(r, value, path, deny);
  const icmps = readIcmps(r, value, path);
  if (r.errors !== before) return null;
  return { section, index, peers: anyL3 ? peers : null, requires, ports, icmps, l7, dnsProxy, location: r.at(path) };
}

function readCidr(r: ObjectContext, v: unknown, at: FieldPath): Cidr | null {
  if (typeof v !== 'string') {
    r.error('INVALID_CIDR', `a CIDR must be a string, not ${show(v)}`, at);
    return null;
  }
  // Cilium accepts a bare address as a single-address CIDR
  const ip = parseIP(v);
  const c = parseCidr(ip === null ? v : `${v}/${ip.family === 4 ? 32 : 128}`);
  if (typeof c === 'string') {
    r.error('INVALID_CIDR', `${show(v)} is not a CIDR (ADDRESS/PREFIX)`, at);
    return null;
  }
  if (c.hostBitsSet) r.warn('CIDR_HOST_BITS', `${show(v)} has host bits set; ${c.text} is used`, at);
  return c;
}

function readCidrSet(r: ObjectContext, v: unknown, at: FieldPath): CiliumPeer | null {
  if (!isRecord(v)) {
    r.error('INVALID_FIELD', `a CIDRSet entry must be an object, not ${show(v)}`, at);
    return null;
  }
  const present = knownKeys(r, v, ['cidr', 'cidrGroupRef', 'cidrGroupSelector', 'except'], at);
  const heads = present.filter((k) => k !== 'except');
  if (heads.length !== 1) {
    r.error('INVALID_FIELD', 'a CIDRSet entry sets exactly one of cidr, cidrGroupRef, cidrGroupSelector', at);
    return null;
  }
  const except: Cidr[] = [];
  const ex = v['except'];
  if (ex !== undefined && ex !== null) {
    if (!Array.isArray(ex)) r.error('INVALID_FIELD', `except must be a list, not ${show(ex)}`, [...at, 'except']);
    else
      ex.forEach((e, i) => {
        const c = readCidr(r, e, [...at, 'except', i]);
        if (c !== null) except.push(c);
      });
  }
  if (heads[0] === 'cidr') {
    const cidr = readCidr(r, v['cidr'], [...at, 'cidr']);
    if (cidr === null) return null;
    for (const [i, e] of except.entries()) {
      if (e.family !== cidr.family) r.error('MIXED_FAMILY', `except ${e.text} is not of the family of ${cidr.text}`, [...at, 'except', i]);
      else if (e.start < cidr.start || e.end > cidr.end) r.error('EXCEPT_OUTSIDE_CIDR', `except ${e.text} is not inside ${cidr.text}`, [...at, 'except', i]);
    }
    return { kind: 'cidr', cidr, except, location: r.at(at) };
  }
  if (heads[0] === 'cidrGroupRef') {
    const ref = v['cidrGroupRef'];
    if (typeof ref !== 'string' || ref === '') {
      r.error('INVALID_FIELD', `cidrGroupRef must be a CiliumCIDRGroup name, not ${show(ref)}`, [...at, 'cidrGroupRef']);
      return null;
    }
    return { kind: 'cidrGroup', ref, selector: null, except, location: r.at(at) };
  }
  const sel = readSelector(r, v['cidrGroupSelector'], [...at, 'cidrGroupSelector'], 'cidrGroupSelector');
  return sel === null ? null : { kind: 'cidrGroup', ref: null, selector: sel, except, location: r.at(at) };
}

function readService(r: ObjectContext, v: unknown, at: FieldPath): CiliumPeer | null {
  if (!isRecord(v)) {
    r.error('INVALID_FIELD', `a toServices entry must be an object, not ${show(v)}`, at);
    return null;
  }
  const present = knownKeys(r, v, ['k8sService', 'k8sServiceSelector'], at);
  if (present.length !== 1) {
    r.error('INVALID_FIELD', 'a toServices entry sets exactly one of k8sService, k8sServiceSelector', at);
    return null;
  }
  const body = v[present[0]!];
  const bat = [...at, present[0]!];
  if (!isRecord(body)) {
    r.error('INVALID_FIELD', `${present[0]} must be an object`, bat);
    return null;
  }
  const namespace = typeof body['namespace'] === 'string' && body['namespace'] !== '' ? body['namespace'] : null;
  if (present[0] === 'k8sService') {
    knownKeys(r, body, ['serviceName', 'namespace'], bat);
    const name = body['serviceName'];
    if (typeof name !== 'string' || name === '') {
      r.error('MISSING_FIELD', 'k8sService.serviceName is required', bat);
      return null;
    }
    return { kind: 'service', namespace, name, selector: null, location: r.at(at) };
  }
  knownKeys(r, body, ['selector', 'namespace'], bat);
  const sel = readSelector(r, body['selector'] ?? {}, [...bat, 'selector'], 'k8sServiceSelector.selector');
  return sel === null ? null : { kind: 'service', namespace, name: null, selector: sel, location: r.at(at) };
}

function readToPorts(r: ObjectContext, rule: JsonObject, path: FieldPath, deny: boolean): { ports: CiliumPort[] | null; l7: string | null; dnsProxy: boolean } {
  const tp = rule['toPorts'];
  if (tp === undefined || tp === null) return { ports: null, l7: null, dnsProxy: false };
  if (!Array.isArray(tp)) {
    r.error('INVALID_FIELD', `toPorts must be a list, not ${show(tp)}`, [...path, 'toPorts']);
    return { ports: null, l7: null, dnsProxy: false };
  }
  const ports: CiliumPort[] = [];
  const l7: string[] = [];
  let dnsProxy = false;
  tp.forEach((entry, i) => {
    const at = [...path, 'toPorts', i];
    if (!isRecord(entry)) return r.error('INVALID_FIELD', `a toPorts entry must be an object, not ${show(entry)}`, at);
    knownKeys(r, entry, ['ports', 'rules', 'terminatingTLS', 'originatingTLS', 'serverNames', 'listener'], at);
    const ps = entry['ports'];
    if (ps === undefined || ps === null) ports.push({ protocol: 'ANY', port: null, endPort: null, location: r.at(at) });
    else if (!Array.isArray(ps)) r.error('INVALID_FIELD', `ports must be a list, not ${show(ps)}`, [...at, 'ports']);
    else
      ps.forEach((p, j) => {
        const one = readPort(r, p, [...at, 'ports', j]);
        if (one !== null) ports.push(one);
      });
    const rules = entry['rules'];
    if (isRecord(rules)) {
      if (deny) r.error('INVALID_FIELD', 'L7 rules are not allowed in a deny rule', [...at, 'rules']);
      for (const [proto, list] of Object.entries(rules)) {
        if (proto === 'dns') dnsProxy = true;
        l7.push(summariseL7(proto, list));
      }
    }
    for (const k of ['terminatingTLS', 'originatingTLS', 'serverNames', 'listener']) {
      if (entry[k] !== undefined && entry[k] !== null) l7.push(`${k} (TLS / proxy settings, not modelled)`);
    }
  });
  return { ports, l7: l7.length === 0 ? null : l7.join('; '), dnsProxy };
}

function summariseL7(proto: string, list: unknown): string {
  if (!Array.isArray(list)) return proto;
  const items = list.map((x) => {
    if (!isRecord(x)) return show(x);
    if (proto === 'http') return [x['method'], x['path'], x['host']].filter((s) => typeof s === 'string' && s !== '').join(' ') || 'any request';
    if (proto === 'dns') return String(x['matchName'] ?? x['matchPattern'] ?? '');
    return Object.entries(x)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(',');
  });
  return `${proto} ${items.join(' | ')}`;
}

function readPort(r: ObjectContext, p: unknown, at: FieldPath): CiliumPort | null {
  if (!isRecord(p)) {
    r.error('INVALID_FIELD', `a port entry must be an object, not ${show(p)}`, at);
    return null;
  }
  knownKeys(r, p, ['port', 'endPort', 'protocol'], at);
  const protoRaw = p['protocol'] ?? 'ANY';
  if (typeof protoRaw !== 'string' || !['TCP', 'UDP', 'SCTP', 'ANY'].includes(protoRaw)) {
    r.error('UNKNOWN_PROTOCOL', `protocol ${show(protoRaw)} is not TCP, UDP, SCTP or ANY (ICMP goes in icmps)`, [...at, 'protocol']);
    return null;
  }
  const protocol = protoRaw as Protocol | 'ANY';
  const raw = p['port'];
  let port: number | string | null = null;
  if (raw !== undefined && raw !== null && raw !== '') {
    const text = typeof raw === 'number' ? String(raw) : raw;
    if (typeof text !== 'string') {
      r.error('PORT_OUT_OF_RANGE', `port ${show(raw)} must be a number or a port name`, [...at, 'port']);
      return null;
    }
    if (/^[0-9]+$/.test(text)) {
      const n = Number(text);
      if (n > 65535) {
        r.error('PORT_OUT_OF_RANGE', `port ${n} is outside 0-65535`, [...at, 'port']);
        return null;
      }
      port = n === 0 ? null : n; // port 0: every port
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(text) && text.length <= 15 && /[a-z]/.test(text)) port = text;
    else {
      r.error('PORT_OUT_OF_RANGE', `port ${show(raw)} is neither a number nor a valid port name`, [...at, 'port']);
      return null;
    }
  }
  let endPort: number | null = null;
  const ep = p['endPort'];
  if (ep !== undefined && ep !== null) {
    if (typeof ep !== 'number' || !Number.isInteger(ep) || ep < 0 || ep > 65535) {
      r.error('INVALID_END_PORT', `endPort ${show(ep)} must be a number 0-65535`, [...at, 'endPort']);
      return null;
    }
    if (typeof port !== 'number' || ep < port) {
      r.error('INVALID_END_PORT', typeof port === 'number' ? `endPort ${ep} is below port ${port}` : 'endPort needs a numeric port', [...at, 'endPort']);
      return null;
    }
    endPort = ep;
  }
  return { protocol, port, endPort, location: r.at(at) };
}

function readIcmps(r: ObjectContext, rule: JsonObject, path: FieldPath): CiliumIcmp[] | null {
  const v = rule['icmps'];
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) {
    r.error('INVALID_FIELD', `icmps must be a list, not ${show(v)}`, [...path, 'icmps']);
    return null;
  }
  const out: CiliumIcmp[] = [];
  v.forEach((entry, i) => {
    const at = [...path, 'icmps', i];
    if (!isRecord(entry)) return r.error('INVALID_FIELD', `an icmps entry must be an object, not ${show(entry)}`, at);
    knownKeys(r, entry, ['fields'], at);
    const fields = entry['fields'];
    if (!Array.isArray(fields)) return r.error('INVALID_FIELD', `icmps fields must be a list, not ${show(fields)}`, [...at, 'fields']);
    fields.forEach((f, j) => {
      const fat = [...at, 'fields', j];
      if (!isRecord(f)) return r.error('INVALID_FIELD', `an ICMP field must be an object, not ${show(f)}`, fat);
      knownKeys(r, f, ['family', 'type'], fat);
      const fam = f['family'] ?? 'IPv4';
      if (fam !== 'IPv4' && fam !== 'IPv6') return r.error('INVALID_FIELD', `family ${show(fam)} is not IPv4 or IPv6`, [...fat, 'family']);
      const t = f['type'];
      const names = fam === 'IPv4' ? ICMP4_NAMES : ICMP6_NAMES;
      let type: number | undefined;
      if (typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 255) type = t;
      else if (typeof t === 'string' && /^[0-9]+$/.test(t) && Number(t) <= 255) type = Number(t);
      else if (typeof t === 'string' && Object.hasOwn(names, t)) type = names[t];
      if (type === undefined) return r.error('INVALID_FIELD', `ICMP type ${show(t)} is not a number 0-255 nor an ${fam} message name`, [...fat, 'type']);
      out.push({ family: fam, type, location: r.at(fat) });
    });
  });
  return out;
}

/** The empty selector in Cilium's split form, for callers that need one. */
export const EMPTY_CILIUM_SELECTOR = (location: CiliumSelector['location']): CiliumSelector => ({
  pod: { matchLabels: {}, matchExpressions: [] } satisfies LabelSelector,
  namespace: null,
  cluster: [],
  namesNamespace: false,
  location,
});
