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
export type { PortRange } from './net/connection-set.js';
export type { CompileOptions } from './compile/compile.js';
export { policyCidrs } from './compile/compile.js';
export type { RuleRef, PolicyRef, Tier, Action, Direction } from './compile/block.js';
export { ReachabilityIndex, compile } from './evaluate/index.js';
export type { IndexEntity } from './evaluate/index.js';
export type { Finding, Severity } from './audit/finding.js';
export { SEVERITIES, severityRank } from './audit/finding.js';
export { matrix, matrixLine, orderedEntities } from './query/matrix.js';
export type { MatrixEntry, MatrixOptions } from './query/matrix.js';
export { explainConnection, explainPair, formatRule } from './query/explain.js';
export type { ConnectionVerdict, DirectionVerdict, Step, PairRule, PairSide } from './query/explain.js';
export { toGraph } from './graph/to-graph.js';
export type { ReachabilityGraph, NodeAttributes, EdgeAttributes } from './graph/to-graph.js';
