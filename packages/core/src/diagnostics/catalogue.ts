/**
 * The one catalogue of fix hints: every DiagnosticCode maps to the single line a user reads under the
 * error. Keyed by the closed union, so adding a code without a hint is a type error.
 */
import { capValue } from '../text/escape.js';
import type { Diagnostic, DiagnosticCode, Severity, SourceLocation } from './diagnostic.js';

/** @internal The fix hint of every code, printed under the message (diagnostics/format.ts). */
export const HINTS: Readonly<Record<DiagnosticCode, string>> = {
  YAML_SYNTAX: 'fix the YAML at this position (check indentation and quoting); other documents still load',
  JSON_SYNTAX: 'fix the JSON at this position (check commas, quotes and brackets)',
  DUPLICATE_KEY: 'remove one of the two entries; Kubernetes rejects mappings with repeated keys',
  INPUT_TOO_LARGE: 'split the input into smaller files or raise the size limit',
  INPUT_ENCODING: 'save the file as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8',
  ALIAS_LIMIT: 'expand the YAML aliases (*name) by hand or use fewer of them',
  NESTING_TOO_DEEP: 'flatten the document; Kubernetes objects are never nested this deep',
  NOT_AN_OBJECT: 'every document must be a mapping with apiVersion and kind (or remove it)',
  MISSING_FIELD: 'add the required field',
  INVALID_FIELD: 'give the field a value of the type the Kubernetes API expects',
  INVALID_NAME: 'use lowercase letters, digits and "-" (and "." for most kinds), starting and ending with a letter or digit, as the API server requires',
  INVALID_LABEL: 'label keys are [prefix/]name and values at most 63 characters: letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
  DUPLICATE_OBJECT: 'remove or rename one of the objects; only the first one is used',
  UNKNOWN_FIELD: 'fix the field name (Kubernetes rejects unknown fields under strict field validation); --ignore-invalid leaves the object out',
  UNKNOWN_KIND: 'fix apiVersion and kind (kubectl api-resources lists what the API serves); --ignore-invalid leaves the object out',
  UNSERVED_VERSION: 'use a version the API serves for this kind (kubectl api-versions)',
  INVALID_SELECTOR: 'use valid label keys and values; In/NotIn need values, Exists/DoesNotExist none (Calico: k == "v", has(k), &&, ||, !, in {...})',
  INVALID_CIDR: 'write the block as ADDRESS/PREFIX, e.g. 10.0.0.0/8 or fd00::/64',
  CIDR_HOST_BITS: 'write the network address of the block (the host bits are ignored)',
  EXCEPT_OUTSIDE_CIDR: 'each except entry must be a strictly smaller block inside ipBlock.cidr',
  MIXED_FAMILY: 'use except entries of the same IP family (IPv4 or IPv6) as ipBlock.cidr',
  PORT_OUT_OF_RANGE: 'use a port number 1-65535 or a port name (at most 15 lowercase letters, digits and single dashes, with a letter)',
  INVALID_END_PORT: 'endPort needs a numeric port and must be greater than or equal to it',
  UNKNOWN_PROTOCOL: 'use protocol TCP, UDP or SCTP (upper case)',
  INVALID_POLICY_TYPE: 'policyTypes entries must be Ingress or Egress',
  INVALID_PEER: 'give each peer podSelector and/or namespaceSelector, or ipBlock alone',
  POLICY_IGNORED: 'fix the errors reported for this policy; it was left out of the analysis',
  ADMIN_PRIORITY_CONFLICT: 'give each policy of a tier its own priority; with equal priorities the order between them is undefined',
  UNSUPPORTED_PEER: 'the result here ignores this peer; use networks (CIDRs) if the addresses are known',
  NAMED_PORT_IP_PEER: 'use port numbers for networks/nodes peers, or move the named port to a rule with pod peers only',
  CILIUM_NOT_MODELLED: 'answers ignore this part of the policy; check it by hand, or express it with endpoints, entities, CIDRs and ports',
  CILIUM_UNPLACED:
    'give the addresses: --dns FILE / --resolve NAME=IP for FQDNs, Node objects for host and remote-node, Endpoints of default/kubernetes for kube-apiserver',
  CALICO_UNMODELLED: 'answers involving this object or field carry this caveat; see the README Calico section for what is modelled',
  CALICO_TIER_MISSING: 'add the Tier object (kind Tier, projectcalico.org/v3) to the input so its order and defaultAction are known',
  CALICO_SERVICE_MISSING: 'add the Service (and its EndpointSlices when it has no selector) to the input, or give services.namespace',
};

/** Longest message kept whole (see capValue): a diagnostic is one line of a terminal, give or take. */
const MAX_MESSAGE = 1000;

/** @internal Builds a diagnostic whose hint comes from the catalogue (the model's readers use it). */
export function makeDiagnostic(
  code: DiagnosticCode,
  severity: Severity,
  message: string,
  location: SourceLocation | null,
  object: string | null = null,
): Diagnostic {
  // a last bound: readers cap each value they quote, so this only catches a message built otherwise
  return { code, severity, message: capValue(message, MAX_MESSAGE), hint: HINTS[code], location, object };
}
