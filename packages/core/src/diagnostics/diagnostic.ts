/**
 * Diagnostics are data: a code from a closed union, a location, the object they concern, a message
 * and a one-line fix hint from one catalogue (see ./catalogue.ts). Stages collect them all instead of
 * stopping at the first.
 */

/** A position in an input: 1-based line and column, 0-based document index within the file. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Index of the YAML/JSON document within the file (0-based); List items share their document's index. */
  readonly doc: number;
}

/** A diagnostic's severity: an error makes the input unusable (see {@link hasErrors}); a warning is a caveat. */
export type Severity = 'error' | 'warning';

/** Every diagnostic code kubereach can emit. Tools match on these, never on the prose. */
export type DiagnosticCode =
  // reading
  | 'YAML_SYNTAX' // the text is not valid YAML
  | 'JSON_SYNTAX' // the text is not valid JSON
  | 'DUPLICATE_KEY' // a mapping has the same key twice
  | 'INPUT_TOO_LARGE' // a file or stream is over the size bound
  | 'INPUT_ENCODING' // the text is not UTF-8 (UTF-16/32 read as bytes: NUL characters)
  | 'ALIAS_LIMIT' // YAML aliases expand past the bound (alias bomb)
  | 'NESTING_TOO_DEEP' // nesting deeper than the bound
  | 'NOT_AN_OBJECT' // a document is not a Kubernetes object (no mapping, kind or apiVersion)
  // objects
  | 'MISSING_FIELD' // a required field is absent (metadata.name, ...)
  | 'INVALID_FIELD' // a field has the wrong type or an invalid value
  | 'DUPLICATE_OBJECT' // two objects with the same kind, namespace and name
  | 'UNKNOWN_FIELD' // a field a modelled kind does not have (a typo until proved otherwise; see model/schema.ts)
  | 'UNKNOWN_KIND' // a kind or apiVersion near a modelled one (Networkpolicy, networking/v1): a typo, never kept aside silently
  | 'UNSERVED_VERSION' // a version of a modelled group that the API does not serve (networking.k8s.io/v2)
  | 'INVALID_NAME' // metadata.name or metadata.namespace breaks the API server's name rules (DNS-1123 / DNS-1035)
  | 'INVALID_LABEL' // a label key or value (metadata.labels, a template's labels, a Service selector) breaks the label syntax
  // NetworkPolicy and selectors
  | 'INVALID_SELECTOR' // unknown operator, In/NotIn without values, Exists/DoesNotExist with values
  | 'INVALID_CIDR' // not a CIDR, prefix out of range
  | 'CIDR_HOST_BITS' // warning: host bits set; the network address is used
  | 'EXCEPT_OUTSIDE_CIDR' // an except entry is not strictly inside its cidr
  | 'MIXED_FAMILY' // an except entry's family differs from its cidr's
  | 'PORT_OUT_OF_RANGE' // a port or endPort outside 1-65535, or an invalid port name
  | 'INVALID_END_PORT' // endPort < port, or endPort with a named port / without a port
  | 'UNKNOWN_PROTOCOL' // protocol other than TCP, UDP, SCTP
  | 'INVALID_POLICY_TYPE' // policyTypes entry other than Ingress / Egress
  | 'INVALID_PEER' // a peer with no selector and no ipBlock, or ipBlock combined with selectors
  | 'POLICY_IGNORED' // warning: an invalid policy was dropped because of --ignore-invalid
  // admin tiers (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy)
  | 'ADMIN_PRIORITY_CONFLICT' // warning: two policies of one tier share a priority and their subjects can overlap
  | 'UNSUPPORTED_PEER' // warning: a peer kubereach cannot evaluate from manifests (domainNames); it matches nothing
  | 'NAMED_PORT_IP_PEER' // warning: a named port in a rule with networks/nodes/domainNames peers never matches them
  // Cilium
  | 'CILIUM_NOT_MODELLED' // warning: a Cilium feature kubereach does not model (host policies, label sources, toGroups...); named, the answer ignores it
  | 'CILIUM_UNPLACED' // warning: an entity, FQDN or Service the input cannot place on addresses; the rule matches nothing for it
  // Calico
  | 'CALICO_UNMODELLED' // warning: a Calico kind or field kubereach does not evaluate (HostEndpoint, Profile rules, source ports, http...)
  | 'CALICO_TIER_MISSING' // warning: a policy names a tier the input does not define (taken as last, defaultAction Deny)
  | 'CALICO_SERVICE_MISSING'; // warning: a rule's `services` names a Service the input does not hold; the rule matches no endpoint

/** A problem in the input: a code from a closed list, a message, a severity and where it is (file:line:col). */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** One line saying what is wrong, naming the offending value. */
  readonly message: string;
  /** One line saying how to fix it. */
  readonly hint: string;
  /** Where it is; null only for problems with no position (an empty input set). */
  readonly location: SourceLocation | null;
  /** The object concerned, as `Kind namespace/name` (or `Kind name` for cluster-scoped), when known. */
  readonly object: string | null;
}

/** `file:line:col` for a location, or `<unknown>`. */
export function formatLocation(loc: SourceLocation | null): string {
  return loc === null ? '<unknown>' : `${loc.file}:${loc.line}:${loc.col}`;
}

/** True when any diagnostic is an error (not a warning). */
export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}
