/**
 * The data behind the HTML report and the playground: plain JSON, computed once from the index (and,
 * for a diff, from both sides), so the page only draws and filters and never evaluates policy.
 *
 * Nodes and edges are arrays indexed by position; an edge names its ends by node index. Long texts
 * that repeat (explanations of one side of a pair, diff causes) are kept once in `texts` and named by
 * index, which keeps a report of thousands of edges a few megabytes.
 */
import type { IndexStats } from '../query/stats.js';
import type { FindingId, Severity } from '../audit/finding.js';

/** What a node stands for; an external range that is exactly one sensitive target's address gets that target's kind. */
export type ReportNodeKind = 'workload' | 'external' | 'metadata' | 'control-plane' | 'node';

/** A policy as the report lists it. */
export interface ReportPolicy {
  /** `ns/name`, or the cluster-scoped name. */
  readonly name: string;
  readonly tier: string;
  readonly policyKind: string;
  readonly direction: 'ingress' | 'egress';
  readonly priority: number | null;
  /** `file:line:col`. */
  readonly location: string;
}

/** A node of the report graph: a workload, an external range or a well-known target. */
export interface ReportNode {
  /** The entity id, as every command prints it: `ns/name[Kind]` or `FIRST-LAST[External]`. */
  readonly id: string;
  readonly kind: ReportNodeKind;
  /** Workload kind (`Deployment`, `Pod`, ...) or `External`. */
  readonly workloadKind: string;
  /** null for addresses outside the cluster. */
  readonly namespace: string | null;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Known pod IPs, or the address range. */
  readonly addresses: readonly string[];
  /** Pod objects folded into a workload (0 when the input has only the workload), or replicas when larger. */
  readonly pods: number;
  /** Where it is defined (`file:line:col`); null for addresses. */
  readonly location: string | null;
  /** Policies that select it, per direction, as `can --explain` lists them. */
  readonly policies: readonly ReportPolicy[];
  /** Sensitive targets in an external range (`cloud metadata service 169.254.169.254 (AWS ...)`). */
  readonly targets: readonly string[];
}

/** How an edge changed in a diff report; `same` in a plain report. */
export type EdgeStatus = 'same' | 'added' | 'removed' | 'changed';

/** A connection set: its text as every command prints it, and its port ranges per protocol (for the port filter). */
export interface ReportConn {
  readonly text: string;
  readonly TCP: readonly (readonly [number, number])[];
  readonly UDP: readonly (readonly [number, number])[];
  readonly SCTP: readonly (readonly [number, number])[];
}

/** An edge of the report graph: the connections from one node to another. */
export interface ReportEdge {
  readonly src: number;
  readonly dst: number;
  /** Index into `conns`: allowed connections (after the change, in a diff; before it, for a removed edge). */
  readonly conn: number;
  readonly status: EdgeStatus;
  /** Changed edges: index into `conns` of the connections before the change. */
  readonly before?: number;
  /** Indexes into `texts`: the egress and ingress explanation, exactly as `can SRC DST --explain` prints them. */
  readonly egress: number;
  readonly ingress: number;
  /** Indexes into `texts` of the notes `can` prints for this pair (replicas, hostNetwork); absent when none. */
  readonly notes?: readonly number[];
  /** Diff reports: indexes into `texts` of the edits that can cause the change. */
  readonly causes?: readonly number[];
}

/** A finding as the report lists it, with the nodes it is about. */
export interface ReportFinding {
  readonly id: FindingId;
  readonly severity: Severity;
  readonly subject: string;
  readonly message: string;
  readonly evidence: string;
  readonly fix: string;
  readonly location: string | null;
  /** Node indexes the finding is about (the workload, or every workload of a namespace). */
  readonly nodes: readonly number[];
  /** LATERAL_PATH: node indexes along the chain. */
  readonly path: readonly number[];
  /** Where it comes from: the network or configuration audit, or the linter. */
  readonly source: string;
}

/** Everything the HTML report page shows, as JSON (`kubereach report -o json`). */
export interface ReportData {
  readonly format: 'kubereach-report';
  readonly version: 1;
  readonly kind: 'report' | 'diff';
  readonly title: string;
  /** `kubereach 0.1.0` or `kubereach playground`. */
  readonly generator: string;
  readonly nodes: readonly ReportNode[];
  readonly edges: readonly ReportEdge[];
  readonly texts: readonly string[];
  readonly conns: readonly ReportConn[];
  readonly findings: readonly ReportFinding[];
  /** Statistics of the index (of the after side, in a diff). */
  readonly stats: IndexStats;
  /** Notes every reader must see: inputs that were not modelled, CNI-dependent answers. */
  readonly caveats: readonly string[];
  /** Diff reports: the two sides' names and the counts of each status. */
  readonly diff?: { readonly before: string; readonly after: string; readonly added: number; readonly removed: number; readonly changed: number };
}
