/**
 * @kubereach/core — a Kubernetes network-policy simulator and reachability engine. Pure functions,
 * no I/O: parse text into resources plus diagnostics, compile them into a ReachabilityIndex, query it.
 */
export type { Diagnostic, DiagnosticCode, Severity as DiagnosticSeverity, SourceLocation } from './diagnostics/diagnostic.js';
export { formatLocation, hasErrors } from './diagnostics/diagnostic.js';
export { KubereachError, InvalidArgumentError, NotFoundError, AmbiguousError } from './errors.js';
export type * from './model/types.js';
export { PROTOCOLS } from './model/types.js';
export { parseIP, parseCidr, formatIP } from './net/ip.js';
export type { Cidr, IPAddress, IPFamily } from './net/ip.js';
export { ConnectionSet } from './net/connection-set.js';
export type { PortRange, ConnProtocol } from './net/connection-set.js';
export { CONN_PROTOCOLS, isIcmp } from './net/connection-set.js';
export type { CompileOptions } from './compile/compile.js';
export { CNIS, cniProfile, detectCni, profileStatement } from './compile/profile.js';
export type { Cni, CniProfile } from './compile/profile.js';
export type { CiliumPolicy, CiliumRule, CiliumPeer, CiliumSelector, CiliumKind, CiliumSection, CiliumEntity } from './model/cilium/types.js';
export { extractCiliumPolicies } from './model/cilium/extract.js';
export { policyCidrs } from './compile/compile.js';
export type { RuleRef, PolicyRef, Tier, Action, Direction } from './compile/block.js';
export { ReachabilityIndex, compile } from './evaluate/index.js';
export type { IndexEntity } from './evaluate/index.js';
export type { Finding, Severity } from './audit/finding.js';
export { NETWORK_FINDING_IDS } from './audit/finding-ids.js';
export type { FindingId, NetworkFindingId } from './audit/finding-ids.js';
export { SEVERITIES, severityRank } from './audit/finding.js';
export { matrix, matrixLine, orderedEntities, podEntities, podMatrix } from './query/matrix.js';
export type { MatrixEntry, MatrixOptions, PodEntity } from './query/matrix.js';
export { explainConnection, explainPair, formatRule, policiesSelecting } from './query/explain.js';
export { renderPairSide, renderVerdict } from './query/explain-text.js';
export type { ConnectionVerdict, DirectionVerdict, Step, PairRule, PairSide } from './query/explain.js';
export { toGraph } from './graph/to-graph.js';
export type { ReachabilityGraph, NodeAttributes, EdgeAttributes } from './graph/to-graph.js';
export { whoCanReach } from './query/who-can-reach.js';
export type { ReachGoal, ReachEntry } from './query/who-can-reach.js';
export { METADATA_ADDRESSES, COMPONENT_PORTS, TARGET_WORDS, CLOUDS, CLOUD_METADATA } from './targets/well-known.js';
export type { MetadataAddress, ComponentPort, Component, TargetWord, Cloud } from './targets/well-known.js';
export { resolveTargets, targetCidrs } from './targets/resolve.js';
export type { Target, TargetAddress, TargetOptions } from './targets/resolve.js';
export { reachTarget } from './targets/reach.js';
export type { TargetHit } from './targets/reach.js';
export { findPath } from './graph/lateral.js';
export type { Hop, PathGoal, PathOptions } from './graph/lateral.js';
export { auditNetwork, sortFindings } from './audit/network/audit.js';
export type { NetworkAuditOptions } from './audit/network/audit.js';
export type { Evidence, EvidenceConnection, EvidenceSide } from './query/evidence.js';
export { loadCluster, DEFAULT_LIMITS } from './pipeline/load-cluster.js';
export type { InputSource, LoadLimits, LoadOptions, LoadResult, LoadStats } from './pipeline/load-cluster.js';
export { formatDiagnostic } from './diagnostics/format.js';
export { escapeControl, hasControl, capValue, quoteValue, utf8Length, ECHO_LIMIT } from './text/escape.js';
export {
  auditConfiguration,
  compareFindings,
  CONFIG_FINDING_IDS,
  CONFIG_FINDING_SEVERITY,
  parseQuantity,
  compareQuantity,
  addQuantity,
  scaleQuantity,
  formatQuantity,
  quantityValue,
  quantityMilliValue,
} from './audit/config/index.js';
export type { ConfigAuditFacts, KubeconfigFacts, DirectoryFacts, ConfigFindingId, Quantity, QuantityFormat, QuantityParse } from './audit/config/index.js';
export { extractAdminPolicies, compareEvaluationOrder, subjectsMayOverlap } from './model/admin/extract.js';
export type { AdminExtractOptions, AdminExtractResult } from './model/admin/extract.js';
export { adminPolicyRef } from './model/admin/types.js';
export type {
  AdminPolicy,
  AdminRule,
  AdminPeer,
  AdminPort,
  AdminSubject,
  AdminTier,
  AdminAction,
  AdminGeneration,
  AdminSourceKind,
} from './model/admin/types.js';
export { indexStats } from './query/stats.js';
export type { IndexStats } from './query/stats.js';
export type { FieldPath } from './base/types.js';
export { replacePolicy } from './evaluate/update.js';
export type { UpdateResult } from './evaluate/update.js';
export { compilePair, diffClusters, diffIndexes, diffPair, diffUpdate, isEmptyDiff, clusterEdits, editsFor, podDiff } from './diff/index.js';
export { changedConnections, diffRows, isSensitive, openedConnections, opensReachability, opensSensitive, sensitiveReason } from './diff/index.js';
export type { ChangedEntry, DiffEntry, DiffOptions, IndexPair, PairDiff, ReachabilityDiff, Edit, DiffRow, SensitiveReason } from './diff/index.js';
export { lint, LINT_IDS } from './lint/lint.js';
export type { LintId } from './lint/lint.js';
export { isDnsEndpoint } from './lint/dns.js';
/** Facts of the input every answer carries: unmodelled policy kinds, policies with nothing to select. */
export { inputCaveats, unmodelledPolicies, warningCaveats } from './pipeline/caveats.js';
export type { Caveat, CaveatCode, KindCount } from './pipeline/caveats.js';
export { isUnmodelledPolicy, apiGroup } from './model/unmodelled.js';
export { parseExpectations, parseExpectedPort, endText, EXPECTATION_WORDS } from './assert/expectations.js';
export type { Expectation, ExpectationProblem, EndSpec, ExpectedPort, ExpectationWord } from './assert/expectations.js';
export { checkExpectation, checkExpectations, ExpectationInputError } from './assert/check.js';
export type { ExpectationResult, PairFailure, CheckOptions } from './assert/check.js';
export { buildReport, buildDiffReport } from './report/index.js';
export type {
  ReportOptions,
  DiffReportOptions,
  PairNotes,
  ReportData,
  ReportNode,
  ReportEdge,
  ReportConn,
  ReportFinding,
  ReportPolicy,
  ReportNodeKind,
  EdgeStatus,
} from './report/index.js';
export { resolveService, servicePorts, serviceId, findService, serviceByAddress } from './services/backends.js';
export type { ServiceBackend, ServiceResolution, ServicePortQuery } from './services/backends.js';
export { canReachService, answerWord } from './services/answer.js';
export type { ServiceVerdict, BackendVerdict, ServiceAnswerWord } from './services/answer.js';
export { serviceAddressCaveats } from './services/caveats.js';
export { serviceMatrix, serviceMatrixNotes, servicePartlyNote } from './services/matrix.js';
export type { ServiceMatrixEntry, ServicePortReach } from './services/matrix.js';
export type { ServiceAddressCaveat } from './services/caveats.js';
export { extractServiceEndpoints, SERVICE_NAME_LABEL } from './model/services/endpoints.js';
export { exposure, exposureText, exposureJson, exposurePeerText, ExposureConn } from './query/exposure.js';
export type { ExposureResult, ExposureLine, ExposurePeer, RepresentativePeer } from './query/exposure.js';
export { generatePolicies, verifyGenerated, generateVerified } from './synth/generate.js';
export type { Flow, PairChange, GenerateVerification } from './synth/generate.js';
export { freezePolicies, policyPorts } from './synth/freeze.js';
export type { GeneratedObject, FreezeOptions } from './synth/freeze.js';
export { renderObjects, applyText } from './synth/render.js';
export { rangeToCidrs } from './synth/selectors.js';
/** How a workload's ingress treats outside sources: open, admits every address, or limited. */
export { outsideIngress } from './audit/network/outside.js';
export type { OutsideIngress } from './audit/network/outside.js';
export { describeRanges } from './net/describe-ranges.js';
/** References as people type them (kubectl forms, folded pods, addresses) and the notes a verdict carries. */
export { resolveReference, nearestEndpoints, editDistance, TYPE_ALIASES } from './query/references.js';
export type { ResolveOptions } from './query/references.js';
export { pairNotes, l7Notes } from './query/notes.js';
export { entryPoints, exposedEndpoints } from './services/entry-points.js';
export type { EntryPath, EntryVerdict, EntryOptions } from './services/entry-points.js';
export { extractEntries } from './model/services/entries.js';
export { parseCalicoSelector, printCalicoSelector, calicoMatches } from './model/calico/selector.js';
export type { CalicoSelector, SelectorParse } from './model/calico/selector.js';
export { extractCalico, isCalicoObject } from './model/calico/extract.js';
export type { CalicoExtractResult } from './model/calico/extract.js';
export type {
  CalicoModel,
  CalicoPolicy,
  CalicoRule,
  CalicoTier,
  CalicoNetworkSet,
  CalicoAction,
  CalicoPolicyKind,
  EntityRule,
  CalicoPort,
  CalicoProtocol,
  CalicoIcmp,
} from './model/calico/types.js';
export { planFix, verifyFix, auditIndex, findingKey, FIXABLE_IDS } from './synth/fix.js';
export type { FixPlan, FixVerification, FixOptions, FixTier } from './synth/fix.js';
// types that the exported functions and shapes above refer to
export { CILIUM_ENTITIES } from './model/cilium/types.js';
export type { CiliumSpec, CiliumIcmp, CiliumPort, CiliumCidrGroup } from './model/cilium/types.js';
export type { CiliumExtractResult } from './model/cilium/extract.js';
export type { EntriesExtractResult } from './model/services/entries.js';
export type { EndpointsExtractResult } from './model/services/endpoints.js';
export type { ServiceAccountMatch } from './model/calico/types.js';
export type { CalicoPlacement } from './compile/block.js';
export type { OutsideIngressOf } from './audit/config/nodeport.js';
export type { Json, JsonObject } from './synth/selectors.js';
export type { HopFilter } from './graph/paths.js';
export type { CidrParseError } from './net/ip.js';
export type { Range } from './net/describe-ranges.js';
export type { Named, NameBucket } from './query/exposure.js';
export type { Bits } from './compile/bitset.js';
