/**
 * The playground's pipeline, all in the browser and all the core's: load the text (diagnostics with
 * line and column), compile, audit, build the report's data; and answer `can` on the same index.
 */
import {
  auditConfiguration,
  auditNetwork,
  buildReport,
  compile,
  explainConnection,
  explainPair,
  hasErrors,
  lint,
  LINT_IDS,
  loadCluster,
  renderPairSide,
  renderVerdict,
  resolveTargets,
  sortFindings,
  targetCidrs,
  type Diagnostic,
  type Protocol,
  type ReachabilityIndex,
  type ReportData,
  outsideIngress,
  l7Notes,
  pairNotes,
  resolveReference,
} from '@kubereach/core';

export const FILE_NAME = 'manifests.yaml';

export interface Analysis {
  readonly diagnostics: readonly Diagnostic[];
  /** null when the input has errors. The index `can` asks: compiled as the command compiles it. */
  readonly index: ReachabilityIndex | null;
  readonly report: ReportData | null;
}

export function analyse(text: string): Analysis {
  const res = loadCluster([{ name: FILE_NAME, text }], { defaultNamespace: 'default', ignoreInvalid: false });
  if (hasErrors(res.diagnostics)) return { diagnostics: res.diagnostics, index: null, report: null };
  const targets = resolveTargets(res.cluster);
  const index = compile(res.cluster, { extraCidrs: targetCidrs(targets) });
  const findings = sortFindings([
    ...auditNetwork(index),
    ...auditConfiguration(res.cluster, { kubeconfigs: [], outsideIngress: outsideIngress(index) }),
    ...lint(index),
  ]);
  const linted = new Set<string>(LINT_IDS);
  const report = buildReport(index, {
    title: 'kubereach playground',
    generator: 'kubereach playground (in this browser)',
    targets,
    findings,
    findingSource: (f) => (linted.has(f.id) ? 'linter (kubereach lint)' : 'audit (kubereach audit)'),
  });
  // `kubereach can` compiles without cutting the sensitive targets out as ranges of their own (the
  // report does, to draw them): the same compile here, so an address answers with the same range
  const canIndex = compile(res.cluster);
  return { diagnostics: res.diagnostics, index: canIndex, report };
}

export interface Answer {
  readonly allowed: boolean | null;
  /** What `kubereach can SRC DST [--port P] --explain` prints, or the error it gives. */
  readonly text: string;
}

/** `can SRC DST [--port PORT[/PROTO]] --explain` against the index, with the CLI's notes (core query/notes.ts). */
export function ask(index: ReachabilityIndex, srcRef: string, dstRef: string, portText: string): Answer {
  let src;
  let dst;
  const notes: string[] = [];
  try {
    src = resolveReference(index, srcRef.trim(), { notes });
    dst = resolveReference(index, dstRef.trim(), { notes });
  } catch (e) {
    return { allowed: null, text: e instanceof Error ? e.message : String(e) };
  }
  if (src === null || dst === null) return { allowed: null, text: `'${src === null ? srcRef.trim() : dstRef.trim()}' not found` };
  notes.push(...pairNotes(index, src, dst));
  const noted = (list: readonly string[]) => list.map((n) => `note: ${n}\n`).join('');
  const p = portText.trim();
  if (p === '') {
    const pair = explainPair(index, src, dst);
    const allowed = !pair.conn.isEmpty();
    return {
      allowed,
      text: `${allowed ? 'yes' : 'no'}\n${allowed ? `${src.id} => ${dst.id} : ${pair.conn.toString()}\n` : ''}${noted(notes)}${renderPairSide(pair.egress)}\n${renderPairSide(pair.ingress)}\n`,
    };
  }
  const m = /^([^/]+)(?:\/(tcp|udp|sctp))?$/i.exec(p);
  if (m === null) return { allowed: null, text: `port '${p}': expected PORT or PORT/PROTOCOL (e.g. 443, 53/UDP, http)` };
  const protocol = (m[2] ?? 'TCP').toUpperCase() as Protocol;
  let port: number | null;
  if (/^[0-9]+$/.test(m[1]!)) port = Number(m[1]);
  else port = dst.kind === 'endpoint' ? (dst.endpoint.ports.find((x) => x.name === m[1] && x.protocol === protocol)?.port ?? null) : null;
  if (port === null) return { allowed: false, text: `no\n${dst.id} has no container port named ${m[1]}/${protocol}\n${noted(notes)}` };
  if (port < 1 || port > 65535) return { allowed: null, text: `port '${p}': port must be within 1-65535` };
  const allowed = index.allows(src, dst, protocol, port);
  const verdict = explainConnection(index, src, dst, protocol, port);
  return { allowed, text: `${allowed ? 'yes' : 'no'}\n${noted([...notes, ...l7Notes(verdict)])}${renderVerdict(verdict)}\n` };
}
