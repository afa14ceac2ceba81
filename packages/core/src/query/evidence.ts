/**
 * Evidence for a finding: one concrete allowed connection and the rules that allowed it, replayed
 * from the index (query/explain.ts), with the location of the deciding rule. The evidence is data
 * (the sample connection, each side's decision steps with their rules); its text is rendered from
 * that data, so a caller that wants the rules reads `sides`, never the text.
 */
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import { formatLocation } from '../diagnostics/diagnostic.js';
import type { Direction } from '../compile/block.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { CONN_PROTOCOLS, ICMP_CODES, isIcmp, type ConnectionSet, type ConnProtocol } from '../net/connection-set.js';
import { explainConnection, formatRule, type DirectionVerdict, type Step } from './explain.js';

/** The sample connection an evidence explains: one protocol and port out of everything allowed. */
export interface EvidenceConnection {
  /** The source entity's id. */
  readonly from: string;
  /** The destination as the finding names it (an entity id, or an address). */
  readonly to: string;
  readonly protocol: ConnProtocol;
  /** The port; for ICMP / ICMPv6 the message type. */
  readonly port: number;
  /** ICMP only: the code, when not every code of the type is allowed (absent: every code is). */
  readonly code?: number;
  /** Everything allowed from `from` to `to`, of which the sample port is one. */
  readonly allowed: ConnectionSet;
}

/** One direction's decision for the sample connection (egress of the source, ingress of the destination). */
export interface EvidenceSide {
  readonly direction: Direction;
  /** The entity whose side this is. */
  readonly subject: string;
  /** The decision chain, as `explainConnection` replays it; its last step decided. Empty: no policy applies. */
  readonly steps: readonly Step[];
  /** Where the deciding rule is; null when no rule decided (default allow, loopback, no policy). */
  readonly location: SourceLocation | null;
  /** The side rendered, e.g. `egress of ns/a: [NetworkPolicy ns/p rule 0] Allow at a.yaml:3:5`. */
  readonly text: string;
}

/** Why a connection is allowed: the sample connection and each policed side's decision. */
export interface Evidence {
  /** The sample connection; null when there is no connection to sample. */
  readonly connection: EvidenceConnection | null;
  /** The sides that policies can apply to, egress first; an external address has no side. */
  readonly sides: readonly EvidenceSide[];
  /** The deciding rule's location (the first side's that has one), else the source workload's. */
  readonly location: SourceLocation | null;
  /** The whole evidence rendered: the connection, then each side's text, separated by `; `. */
  readonly text: string;
  /** The sides' texts alone, separated by `; ` (the text without its connection). */
  readonly why: string;
}

/** A representative (protocol, port) of a non-empty set: a preferred TCP port when allowed, else the first. */
export function samplePort(conn: ConnectionSet, preferred: readonly number[] = [80, 443]): { protocol: ConnProtocol; port: number; code?: number } | null {
  for (const p of preferred) if (conn.contains('TCP', p)) return { protocol: 'TCP', port: p };
  for (const p of CONN_PROTOCOLS) {
    const r = conn.rangesOf(p);
    if (r.length === 0) continue;
    if (!isIcmp(p)) return { protocol: p, port: r[0]![0] };
    // an ICMP message: its type, and its code unless every code of the type is in the set
    const type = Math.floor(r[0]![0] / ICMP_CODES);
    return conn.contains(p, type) ? { protocol: p, port: type } : { protocol: p, port: type, code: r[0]![0] % ICMP_CODES };
  }
  return null;
}

/** How a sample connection reads: `TCP 80`, `ICMP 8`, `ICMP 3:4` (type 3 code 4). */
export function sampleText(sp: { readonly protocol: ConnProtocol; readonly port: number; readonly code?: number }): string {
  return `${sp.protocol} ${sp.port}${sp.code === undefined ? '' : `:${sp.code}`}`;
}

function sideOf(d: DirectionVerdict): EvidenceSide {
  const side = (text: string, location: SourceLocation | null): EvidenceSide => ({
    direction: d.direction,
    subject: d.subject,
    steps: d.steps,
    location,
    text: `${d.direction} of ${d.subject}: ${text}`,
  });
  const last = d.steps[d.steps.length - 1];
  if (last === undefined) return side('no policy applies', null);
  switch (last.kind) {
    case 'rule':
      return side(
        `${d.steps.map((s) => (s.kind === 'rule' ? formatRule(s.rule) : s.kind)).join(' -> ')} at ${formatLocation(last.rule.location)}`,
        last.rule.location,
      );
    case 'np-allow': {
      const r = last.rules[0]!;
      return side(`${formatRule(r)} at ${formatLocation(r.location)}`, r.location);
    }
    case 'np-deny':
      return side('denied', null);
    case 'default-allow':
      return side('not isolated by any policy, so allowed by default', null);
    case 'loopback':
      return side('loopback, always allowed', null);
    default: {
      const never: never = last;
      return never;
    }
  }
}

/** The evidence of a sample connection and its sides, with its text rendered from them. */
function evidence(connection: EvidenceConnection | null, sides: readonly EvidenceSide[], location: SourceLocation | null): Evidence {
  const why = sides.map((s) => s.text).join('; ');
  if (connection === null) return { connection, sides, location, text: 'no connection', why };
  const c = connection;
  const text = `${c.from} -> ${c.to} ${sampleText(c)} allowed (${c.allowed.toString()}); ${why}`;
  return { connection, sides, location, text, why };
}

/** Explains why src may connect to dst on one sample port of `conn`. */
export function allowEvidence(index: ReachabilityIndex, src: IndexEntity, dst: IndexEntity, conn: ConnectionSet, dstLabel: string): Evidence {
  const sp = samplePort(conn);
  if (sp === null) return evidence(null, [], null);
  const v = explainConnection(index, src, dst, sp.protocol, sp.port, sp.code);
  const sides = [v.egress, v.ingress].filter((d) => d.applies).map(sideOf);
  const loc = sides.find((s) => s.location !== null)?.location ?? (src.kind === 'endpoint' ? src.endpoint.location : null);
  return evidence({ from: src.id, to: dstLabel, ...sp, allowed: conn }, sides, loc);
}

/**
 * Evidence replayed on first read, not when the finding is made: replaying a decision costs an
 * explanation per finding, and most callers never read it (`kubereach watch` compares findings by
 * id and subject and prints their messages, after every change). The index is immutable, so the text
 * is the same whenever it is read.
 */
export function lazyEvidence(make: () => Evidence): Evidence {
  let ev: Evidence | null = null;
  return {
    get connection() {
      return (ev ??= make()).connection;
    },
    get sides() {
      return (ev ??= make()).sides;
    },
    get location() {
      return (ev ??= make()).location;
    },
    get text() {
      return (ev ??= make()).text;
    },
    get why() {
      return (ev ??= make()).why;
    },
  };
}
