/**
 * @kubereach/core — a Kubernetes network-policy simulator and reachability engine. Pure functions,
 * no I/O: parse text into resources plus diagnostics, compile them into a ReachabilityIndex, query it.
 *
 * This file is the whole public surface, by stage: load, compile, query, explain, audit and lint,
 * diff, synthesis, reports, and the types their arguments and results are made of. Anything not
 * exported here is internal and may change in any release; declarations tagged internal are
 * stripped from the published types.
 *
 * @example
 * ```ts
 * import { compile, formatDiagnostic, hasErrors, loadCluster, matrix, matrixLine } from '@kubereach/core';
 *
 * const { cluster, diagnostics } = loadCluster([{ name: 'all.yaml', text }]);
 * if (hasErrors(diagnostics)) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
 * const index = compile(cluster);
 * for (const e of matrix(index)) console.log(matrixLine(e));
 * ```
 */

// --- errors and diagnostics --------------------------------------------------------------------
export { KubereachError, InvalidArgumentError, NotFoundError, AmbiguousError } from './errors.js';
export type { Diagnostic, DiagnosticCode, Severity as DiagnosticSeverity, SourceLocation } from './diagnostics/diagnostic.js';
export { formatLocation, hasErrors } from './diagnostics/diagnostic.js';
export { formatDiagnostic } from './diagnostics/format.js';
export { escapeControl, capValue } from './text/escape.js';

// --- load: text -> cluster ---------------------------------------------------------------------
export { loadCluster, DEFAULT_LIMITS } from './pipeline/load-cluster.js';
export type { InputSource, LoadLimits, LoadOptions, LoadResult, LoadStats } from './pipeline/load-cluster.js';
export { inputCaveats, unmodelledPolicies, warningCaveats } from './pipeline/caveats.js';
export type { Caveat, CaveatCode, KindCount } from './pipeline/caveats.js';

// --- the model: what a cluster is made of -----------------------------------------------------
export type * from './model/types.js';
export { PROTOCOLS } from './model/types.js';
export type { FieldPath } from './base/types.js';
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
export type {
  CiliumPolicy,
  CiliumRule,
  CiliumPeer,
  CiliumSelector,
  CiliumKind,
  CiliumSection,
  CiliumEntity,
  CiliumSpec,
  CiliumIcmp,
  CiliumPort,
  CiliumCidrGroup,
} from './model/cilium/types.js';
export { CILIUM_ENTITIES } from './model/cilium/types.js';
export type { CalicoSelector } from './model/calico/selector.js';
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
  CalicoServiceMatch,
  ServiceAccountMatch,
  StagedAction,
  StagedKubernetesPolicy,
} from './model/calico/types.js';

// --- addresses and connections -----------------------------------------------------------------
export { parseIP, parseCidr, formatIP } from './net/ip.js';
export type { Cidr, CidrParseError, IPAddress, IPFamily } from './net/ip.js';
export { ConnectionSet, CONN_PROTOCOLS, icmpKey, icmpTypeRange } from './net/connection-set.js';
export type { PortRange, ConnProtocol } from './net/connection-set.js';
export { rangeToCidrs } from './synth/selectors.js';

// --- compile: cluster -> index -----------------------------------------------------------------
export { ReachabilityIndex, compile } from './evaluate/index.js';
export type { IndexEntity, PortQuestion } from './evaluate/index.js';
export type { CompileOptions } from './compile/compile.js';
export { policyCidrs } from './compile/compile.js';
export { CNIS, cniProfile, profileStatement } from './compile/profile.js';
export type { Cni, CniProfile } from './compile/profile.js';
export type { RuleRef, PolicyRef, Tier, Action, Direction, CalicoPlacement } from './compile/block.js';
export type { Bits } from './compile/bitset.js';
export { replacePolicy, replaceNamespace, replaceEndpoint } from './evaluate/update.js';
export type { UpdateResult } from './evaluate/update.js';
export { indexStats } from './query/stats.js';
export type { IndexStats } from './query/stats.js';

// --- query: can, matrix, who-can-reach, paths, Services, exposure ------------------------------
export { resolveReference, nearestEndpoints, TYPE_ALIASES } from './query/references.js';
export type { ResolveOptions } from './query/references.js';
export { pairNotes, l7Notes } from './query/notes.js';
export { matrix, matrixEntries, matrixLine, orderedEntities, podEntities, podMatrix, podMatrixEntries } from './query/matrix.js';
export type { MatrixEntry, MatrixOptions, PodEntity } from './query/matrix.js';
export { whoCanReach } from './query/who-can-reach.js';
export type { ReachGoal, ReachEntry } from './query/who-can-reach.js';
export { toGraph } from './graph/to-graph.js';
export type { ReachabilityGraph, NodeAttributes, EdgeAttributes } from './graph/to-graph.js';
export { findPath } from './graph/lateral.js';
export type { Hop, PathGoal, PathOptions } from './graph/lateral.js';
export type { HopFilter } from './graph/paths.js';
export { METADATA_ADDRESSES, COMPONENT_PORTS, TARGET_WORDS, CLOUDS, CLOUD_METADATA } from './targets/well-known.js';
export type { MetadataAddress, ComponentPort, Component, TargetWord, Cloud } from './targets/well-known.js';
export { resolveTargets, targetCidrs } from './targets/resolve.js';
export type { Target, TargetAddress, TargetOptions } from './targets/resolve.js';
export type { TargetHit } from './targets/reach.js';
export { resolveService, servicePorts, findService, serviceByAddress } from './services/backends.js';
export type { ServiceBackend, ServiceResolution, ServicePortQuery } from './services/backends.js';
export { canReachService } from './services/answer.js';
export type { ServiceVerdict, BackendVerdict, ServiceAnswerWord } from './services/answer.js';
export { serviceAddressCaveats } from './services/caveats.js';
export type { ServiceAddressCaveat } from './services/caveats.js';
export { serviceMatrix, serviceMatrixNotes, servicePartlyNote } from './services/matrix.js';
export type { ServiceMatrixEntry, ServicePortReach } from './services/matrix.js';
export { entryPoints, exposedEndpoints } from './services/entry-points.js';
export type { EntryPath, EntryVerdict, EntryOptions } from './services/entry-points.js';
export { exposure, exposureText, exposureJson, ExposureConn } from './query/exposure.js';
export type { ExposureResult, ExposureLine, ExposurePeer, RepresentativePeer, Named, NameBucket } from './query/exposure.js';

// --- explain -----------------------------------------------------------------------------------
export { explainConnection, explainPair, formatRule } from './query/explain.js';
export type { ConnectionVerdict, DirectionVerdict, Step, PairRule, PairSide } from './query/explain.js';
export { renderPairSide, renderVerdict } from './query/explain-text.js';
export type { Evidence, EvidenceConnection, EvidenceSide } from './query/evidence.js';

// --- audit and lint: findings ------------------------------------------------------------------
export type { Finding, Severity } from './audit/finding.js';
export { SEVERITIES, severityRank } from './audit/finding.js';
export { NETWORK_FINDING_IDS } from './audit/finding-ids.js';
export type { FindingId, NetworkFindingId } from './audit/finding-ids.js';
export { auditNetwork, sortFindings } from './audit/network/audit.js';
export type { NetworkAuditOptions } from './audit/network/audit.js';
export { outsideIngress } from './audit/network/outside.js';
export type { OutsideIngress } from './audit/network/outside.js';
export { auditConfiguration, CONFIG_FINDING_IDS, CONFIG_FINDING_SEVERITY } from './audit/config/index.js';
export type { ConfigAuditFacts, KubeconfigFacts, DirectoryFacts, ConfigFindingId, Quantity, QuantityFormat } from './audit/config/index.js';
export type { OutsideIngressOf } from './audit/config/nodeport.js';
export { lint, LINT_IDS } from './lint/lint.js';
export type { LintId } from './lint/lint.js';

// --- diff --------------------------------------------------------------------------------------
export { compilePair, diffClusters, diffIndexes, diffPair, diffUpdate, isEmptyDiff, clusterEdits, editsFor, podDiff } from './diff/index.js';
export { changedConnections, diffRows, isSensitive, opensReachability, sensitiveReason } from './diff/index.js';
export type { ChangedEntry, DiffEntry, DiffOptions, IndexPair, PairDiff, ReachabilityDiff, Edit, DiffRow, SensitiveReason } from './diff/index.js';

// --- expectations, generated and fixing policies -----------------------------------------------
export { parseExpectations, EXPECTATION_WORDS } from './assert/expectations.js';
export type { Expectation, ExpectationProblem, EndSpec, ExpectedPort, ExpectationWord } from './assert/expectations.js';
export { checkExpectations, ExpectationInputError } from './assert/check.js';
export type { ExpectationResult, PairFailure, CheckOptions } from './assert/check.js';
export { generatePolicies, generateVerified } from './synth/generate.js';
export type { Flow, PairChange, GenerateVerification } from './synth/generate.js';
export type { GeneratedObject } from './synth/freeze.js';
export { renderObjects } from './synth/render.js';
export type { Json, JsonObject } from './synth/selectors.js';
export { planFix, verifyFix, auditIndex, FIXABLE_IDS } from './synth/fix.js';
export type { FixPlan, FixVerification, FixOptions, FixTier } from './synth/fix.js';

// --- reports (the HTML report's data) ----------------------------------------------------------
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
