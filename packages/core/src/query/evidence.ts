/**
 * Evidence for a finding: one concrete allowed connection and the rules that allowed it, replayed
 * from the index (query/explain.ts), with the location of the deciding rule.
 */
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import { formatLocation } from '../diagnostics/diagnostic.js';
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { CONN_PROTOCOLS, type ConnectionSet, type ConnProtocol } from '../net/connection-set.js';
import { explainConnection, formatRule, type DirectionVerdict } from './explain.js';

export interface Evidence {
  readonly text: string;
  readonly location: SourceLocation | null;
}

/** A representative (protocol, port) of a non-empty set: a preferred TCP port when allowed, else the first. */
export function samplePort(conn: ConnectionSet, preferred: readonly number[] = [80, 443]): { protocol: ConnProtocol; port: number } | null {
  for (const p of preferred) if (conn.contains('TCP', p)) return { protocol: 'TCP', port: p };
  for (const p of CONN_PROTOCOLS) {
    const r = conn.rangesOf(p);
    if (r.length > 0) return { protocol: p, port: r[0]![0] };
  }
  return null;
}

function sideText(d: DirectionVerdict): { text: string; location: SourceLocation | null } {
  const last = d.steps[d.steps.length - 1];
  if (last === undefined) return { text: `${d.direction} of ${d.subject}: no policy applies`, location: null };
  switch (last.kind) {
    case 'rule':
      return {
        text: `${d.direction} of ${d.subject}: ${d.steps.map((s) => (s.kind === 'rule' ? formatRule(s.rule) : s.kind)).join(' -> ')} at ${formatLocation(last.rule.location)}`,
        location: last.rule.location,
      };
    case 'np-allow': {
      const r = last.rules[0]!;
      return { text: `${d.direction} of ${d.subject}: ${formatRule(r)} at ${formatLocation(r.location)}`, location: r.location };
    }
    case 'np-deny':
      return { text: `${d.direction} of ${d.subject}: denied`, location: null };
    case 'default-allow':
      return { text: `${d.direction} of ${d.subject}: not isolated by any policy, so allowed by default`, location: null };
    case 'loopback':
      return { text: `${d.direction} of ${d.subject}: loopback, always allowed`, location: null };
    default: {
      const never: never = last;
      return never;
    }
  }
}

/** Explains why src may connect to dst on one sample port of `conn`. */
export function allowEvidence(index: ReachabilityIndex, src: IndexEntity, dst: IndexEntity, conn: ConnectionSet, dstLabel: string): Evidence {
  const sp = samplePort(conn);
  if (sp === null) return { text: 'no connection', location: null };
  const v = explainConnection(index, src, dst, sp.protocol, sp.port);
  const sides = [v.egress, v.ingress].filter((d) => d.applies).map(sideText);
  const loc = sides.find((s) => s.location !== null)?.location ?? (src.kind === 'endpoint' ? src.endpoint.location : null);
  return {
    text: `${src.id} -> ${dstLabel} ${sp.protocol} ${sp.port} allowed (${conn.toString()}); ${sides.map((s) => s.text).join('; ')}`,
    location: loc,
  };
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
    get text() {
      return (ev ??= make()).text;
    },
    get location() {
      return (ev ??= make()).location;
    },
  };
}
