/**
 * The report of a change: the after side's graph plus the edges the change removed, each edge
 * tagged added / removed / changed / same, with the edits that can cause it. Added, changed and
 * unchanged edges are explained on the after side, removed ones on the before side (where they
 * still exist), with the same texts `can --explain` prints against that side's manifests.
 */
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import type { Finding } from '../audit/finding.js';
import type { IndexPair, ReachabilityDiff } from '../diff/diff.js';
import { matrix } from '../query/matrix.js';
import { indexStats } from '../query/stats.js';
import type { Target } from '../targets/resolve.js';
import { checkEdgeCount, ConnTable, type PairNotes, reportCaveats, reportEdge, reportFinding, reportNodes, TextTable } from './build.js';
import type { ReportData, ReportEdge, ReportNode } from './types.js';

/** What the diff report holds: title, generator, and the edits that explain changes. */
export interface DiffReportOptions {
  readonly title?: string;
  readonly generator?: string;
  readonly beforeName?: string;
  readonly afterName?: string;
  /** Targets resolved on the after side. */
  readonly targets?: readonly Target[];
  /** Findings on the after side. */
  readonly findings?: readonly Finding[];
  /** Where each finding comes from (default `audit`). */
  readonly findingSource?: (f: Finding) => string;
  /** The edits (as text with file:line) that can cause the change of one pair. */
  readonly causes?: (src: string, dst: string) => readonly string[];
  readonly caveats?: readonly string[];
  /** Refuse (InvalidArgumentError) rather than build a report with more edges than this. */
  readonly maxEdges?: number;
  /** The notes `can` prints for a pair, on the side the edge is explained on. */
  readonly notes?: PairNotes;
}

/** The data of the diff report page: both inputs' graphs merged, edges marked added, removed or changed. */
export function buildDiffReport(pair: IndexPair, diff: ReachabilityDiff, options: DiffReportOptions = {}): ReportData {
  const { before, after } = pair;
  const nodes: ReportNode[] = reportNodes(after, options.targets ?? []);
  const nodeIndex = new Map(nodes.map((n, i) => [n.id, i]));
  const beforeNodes = reportNodes(before, []);
  for (const n of beforeNodes) {
    if (!nodeIndex.has(n.id)) {
      nodeIndex.set(n.id, nodes.length);
      nodes.push(n);
    }
  }
  const nodeOf = (e: IndexEntity) => nodeIndex.get(e.id)!;
  const entityOn = (index: ReachabilityIndex, id: string): IndexEntity => index.resolve(id);
  const texts = new TextTable();
  const conns = new ConnTable();
  const causes = (src: string, dst: string) => (options.causes === undefined ? undefined : options.causes(src, dst).map((t) => texts.id(t)));
  const key = (s: string, d: string) => `${s}\u0000${d}`;
  const touched = new Set<string>();
  const edges: ReportEdge[] = [];
  const push = (e: ReportEdge, c: readonly number[] | undefined) => edges.push(c === undefined ? e : { ...e, causes: c });
  // every allowed pair of the after side (added and changed ones among them), and the removed ones
  const unchanged = matrix(after);
  checkEdgeCount(unchanged.length + diff.removed.length, options.maxEdges);
  for (const a of diff.added) {
    touched.add(key(a.src, a.dst));
    push(reportEdge(after, texts, entityOn(after, a.src), entityOn(after, a.dst), conns.id(a.conn), 'added', nodeOf, options.notes), causes(a.src, a.dst));
  }
  for (const c of diff.changed) {
    touched.add(key(c.src, c.dst));
    push(
      {
        ...reportEdge(after, texts, entityOn(after, c.src), entityOn(after, c.dst), conns.id(c.after), 'changed', nodeOf, options.notes),
        before: conns.id(c.before),
      },
      causes(c.src, c.dst),
    );
  }
  for (const r of diff.removed) {
    touched.add(key(r.src, r.dst));
    push(reportEdge(before, texts, entityOn(before, r.src), entityOn(before, r.dst), conns.id(r.conn), 'removed', nodeOf, options.notes), causes(r.src, r.dst));
  }
  for (const m of unchanged) {
    if (!touched.has(key(m.src.id, m.dst.id))) edges.push(reportEdge(after, texts, m.src, m.dst, conns.id(m.conn), 'same', nodeOf, options.notes));
  }
  const beforeName = options.beforeName ?? 'before';
  const afterName = options.afterName ?? 'after';
  return {
    format: 'kubereach-report',
    version: 1,
    kind: 'diff',
    title: options.title ?? `kubereach diff: ${beforeName} -> ${afterName}`,
    generator: options.generator ?? 'kubereach',
    nodes,
    edges,
    texts: texts.texts,
    conns: conns.conns,
    findings: (options.findings ?? []).map((f) => reportFinding(f, nodes, after, options.findingSource?.(f) ?? 'audit')),
    stats: indexStats(after),
    caveats: reportCaveats(after, options.caveats),
    diff: { before: beforeName, after: afterName, added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length },
  };
}
