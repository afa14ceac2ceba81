/**
 * Checks expectations against the index. An end resolves to entities (endpoints, external ranges)
 * and, for target words, the ports that make the target what it is:
 *
 * | end                        | entities                                                     | ports        |
 * |----------------------------|--------------------------------------------------------------|--------------|
 * | NAMESPACE/NAME[Kind], IP   | that endpoint (an address: the external range holding it)   | all          |
 * | CIDR                       | every external range inside or overlapping it                | all          |
 * | {namespace, labels}        | every endpoint of the namespace whose labels include them    | all          |
 * | metadata                   | the metadata addresses                                       | all          |
 * | control-plane, etcd, kubelet | their known addresses (unknown: an allow fails, a deny checks every external range) | theirs |
 * | internet                   | every external range holding a public IPv4 address           | all          |
 *
 * allow holds when every (from, to) pair allows the port given (all of it), or some connection
 * when no port is given; deny holds when no pair allows any of it. A single pod and itself
 * (loopback) is not asked; a workload with replicas and itself is (two distinct pods). Each failing pair comes with the rule that decided it.
 */
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { formatLocation, type SourceLocation } from '../diagnostics/diagnostic.js';
import { AmbiguousError, NotFoundError } from '../errors.js';
import { ConnectionSet } from '../net/connection-set.js';
import { V4_MAX } from '../net/ip.js';
import { explainConnection, formatRule, type DirectionVerdict } from '../query/explain.js';
import { resolveTargets, type TargetOptions } from '../targets/resolve.js';
import { portsSet } from '../targets/reach.js';
import { samplePort, sampleText } from '../query/evidence.js';
import type { EndSpec, Expectation } from './expectations.js';
import { endText } from './expectations.js';

/** One source/destination pair that breaks an expectation, with the connection that breaks it and the rules that decided. */
export interface PairFailure {
  readonly src: string;
  readonly dst: string;
  /** allow: what is allowed of the wanted connections (maybe none); deny: what is allowed that should not be. */
  readonly conn: ConnectionSet;
  /** The rule (or default) that decided, with its location, e.g. `[NetworkPolicy shop/x rule 0] Allow at f.yaml:3:5`. */
  readonly decidedBy: string;
  readonly location: SourceLocation | null;
}

/** The outcome of one expectation: whether it holds, and the pairs that break it. */
export interface ExpectationResult {
  readonly expectation: Expectation;
  readonly holds: boolean;
  /** Pairs checked. */
  readonly pairs: number;
  /** Failing pairs, at most `maxFailures`; `failedPairs` counts them all. */
  readonly failures: readonly PairFailure[];
  readonly failedPairs: number;
  /** Why an expectation cannot hold or what was assumed (unknown control-plane addresses, ...). */
  readonly notes: readonly string[];
}

/** An end that names nothing in the input: bad input (a typo must not pass silently). */
export class ExpectationInputError extends Error {
  override name = 'ExpectationInputError';
  constructor(
    message: string,
    readonly location: SourceLocation,
  ) {
    super(message);
  }
}

// Ranges that are not the public internet (RFC 1918, shared, loopback, link-local, multicast and
// reserved, "this network"), merged and sorted.
const NOT_PUBLIC_V4: readonly [bigint, bigint][] = (
  [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['224.0.0.0', 3],
  ] as const
).map(([a, p]) => {
  const v = a.split('.').reduce((acc, x) => acc * 256n + BigInt(x), 0n);
  return [v, v + (1n << BigInt(32 - p)) - 1n] as [bigint, bigint];
});

function hasPublicV4(start: bigint, end: bigint): boolean {
  if (start > V4_MAX) return false;
  let at = start;
  const last = end > V4_MAX ? V4_MAX : end;
  for (const [lo, hi] of NOT_PUBLIC_V4) {
    if (hi < at) continue;
    if (lo > at) return true; // a gap before this private range
    at = hi + 1n;
    if (at > last) return false;
  }
  return at <= last;
}

interface Resolved {
  readonly entities: readonly IndexEntity[];
  readonly ports: ConnectionSet;
  readonly notes: string[];
  /** False when a target word's addresses are unknown (an allow cannot be proved). */
  readonly known: boolean;
}

function resolveEnd(index: ReachabilityIndex, e: EndSpec, role: string, ex: Expectation, opts: TargetOptions): Resolved {
  const fail = (msg: string) => new ExpectationInputError(`${ex.name}: ${role} ${msg}`, ex.location);
  switch (e.kind) {
    case 'ref': {
      try {
        return { entities: [index.resolve(e.text)], ports: ConnectionSet.ALL, notes: [], known: true };
      } catch (err) {
        if (err instanceof AmbiguousError) throw fail(`'${e.text}' is ambiguous: ${err.candidates.join(', ')}`);
        if (err instanceof NotFoundError) throw fail(`'${e.text}' names no endpoint of the input`);
        throw err;
      }
    }
    case 'cidr': {
      const { ipAtoms } = index.compiled;
      const ents = index.entities.filter((x) => x.kind === 'external' && ipAtoms.end(x.atom) >= e.cidr.start && ipAtoms.start(x.atom) <= e.cidr.end);
      return { entities: ents, ports: ConnectionSet.ALL, notes: [], known: true };
    }
    case 'select': {
      const ents = index.entities.filter(
        (x) =>
          x.kind === 'endpoint' &&
          (e.namespace === null || x.endpoint.namespace === e.namespace) &&
          Object.entries(e.labels).every(([k, v]) => x.endpoint.labels[k] === v),
      );
      if (ents.length === 0) throw fail(`${endText(e)} matches no endpoint of the input`);
      return { entities: ents, ports: ConnectionSet.ALL, notes: [], known: true };
    }
    case 'word': {
      if (e.word === 'internet') {
        const { ipAtoms } = index.compiled;
        return {
          entities: index.entities.filter((x) => x.kind === 'external' && hasPublicV4(ipAtoms.start(x.atom), ipAtoms.end(x.atom))),
          ports: ConnectionSet.ALL,
          notes: [],
          known: true,
        };
      }
      const t = resolveTargets(index.compiled.cluster, opts).find((x) => x.word === e.word)!;
      const ports = t.ports === null ? ConnectionSet.ALL : portsSet(t.ports);
      if (!t.known) {
        return {
          entities: index.entities.filter((x) => x.kind === 'external'),
          ports,
          notes: [`no ${t.label} address is known from the input (include Node objects or pass --control-plane-ip): every external range was evaluated`],
          known: false,
        };
      }
      const ents: IndexEntity[] = [];
      for (const a of t.addresses) {
        const d = index.addressEntity(a.address);
        if (d !== null && !ents.includes(d)) ents.push(d);
      }
      return { entities: ents, ports, notes: [], known: true };
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

function sideDecision(d: DirectionVerdict): { text: string; location: SourceLocation | null } {
  const last = d.steps[d.steps.length - 1];
  const chain = d.steps
    .map((s) =>
      s.kind === 'rule'
        ? formatRule(s.rule)
        : s.kind === 'np-allow'
          ? s.rules.map(formatRule).join(', ')
          : s.kind === 'np-deny'
            ? `isolated by ${s.policies.map((p) => `${p.policyKind} ${p.policy}`).join(', ')}, no rule allows`
            : 'no policy applies: allowed by default',
    )
    .join(' -> ');
  const location =
    last === undefined
      ? null
      : last.kind === 'rule'
        ? last.rule.location
        : last.kind === 'np-allow'
          ? last.rules[0]!.location
          : last.kind === 'np-deny'
            ? (last.policies[0]?.location ?? null)
            : null;
  return {
    text: `${d.direction} of ${d.subject}: ${chain || 'no policy applies: allowed by default'}${location === null ? '' : ` (${formatLocation(location)})`}`,
    location,
  };
}

/** The deciding rule of one connection: the denying side for a denied one, both sides for an allowed one. */
function decide(index: ReachabilityIndex, src: IndexEntity, dst: IndexEntity, conn: ConnectionSet): { decidedBy: string; location: SourceLocation | null } {
  const sp = samplePort(conn);
  if (sp === null) return { decidedBy: 'no connection', location: null };
  const v = explainConnection(index, src, dst, sp.protocol, sp.port, sp.code);
  const sides = [v.egress, v.ingress].filter((d) => d.applies && (v.allowed || !d.allowed)).map(sideDecision);
  return { decidedBy: `${sampleText(sp)}: ${sides.map((s) => s.text).join('; ')}`, location: sides.find((s) => s.location !== null)?.location ?? null };
}

/** Where the well-known targets of expectations (metadata, control-plane, ...) are. */
export interface CheckOptions extends TargetOptions {
  /** Failing pairs kept per expectation (all are counted). Default 20. */
  readonly maxFailures?: number;
}

/** Checks one expectation; throws ExpectationInputError when an end names nothing in the input. */
export function checkExpectation(index: ReachabilityIndex, ex: Expectation, options: CheckOptions = {}): ExpectationResult {
  const from = resolveEnd(index, ex.from, 'from', ex, options);
  const to = resolveEnd(index, ex.to, 'to', ex, options);
  const notes = [...from.notes, ...to.notes];
  const max = options.maxFailures ?? 20;
  const failures: PairFailure[] = [];
  let failedPairs = 0;
  let pairs = 0;
  const base = ex.port !== null && typeof ex.port.port === 'number' ? ConnectionSet.port(ex.port.protocol, ex.port.port) : null;
  for (const s of from.entities) {
    for (const d of to.entities) {
      if (index.isLoopback(s, d) || (s.kind === 'external' && d.kind === 'external')) continue;
      let want = from.ports.intersect(to.ports);
      if (base !== null) want = want.intersect(base);
      else if (ex.port !== null) {
        // a named port resolves on the destination, as a NetworkPolicy's does
        const cp = d.kind === 'endpoint' ? d.endpoint.ports.find((p) => p.name === ex.port!.port && p.protocol === ex.port!.protocol) : undefined;
        if (cp === undefined) {
          pairs++;
          if (ex.verdict === 'allow') {
            failedPairs++;
            if (failures.length < max)
              failures.push({
                src: s.id,
                dst: d.id,
                conn: ConnectionSet.NONE,
                decidedBy: `${d.id} defines no port named ${ex.port.port}/${ex.port.protocol}`,
                location: d.kind === 'endpoint' ? d.endpoint.location : null,
              });
          }
          continue;
        }
        want = want.intersect(ConnectionSet.port(cp.protocol, cp.port));
      }
      if (want.isEmpty()) continue;
      pairs++;
      const got = index.connectionsBetween(s, d).intersect(want);
      const ok = ex.verdict === 'deny' ? got.isEmpty() : ex.port === null ? !got.isEmpty() : got.equals(want);
      if (ok) continue;
      failedPairs++;
      if (failures.length >= max) continue;
      const probe = ex.verdict === 'deny' ? got : want.subtract(got);
      const { decidedBy, location } = decide(index, s, d, probe);
      failures.push({ src: s.id, dst: d.id, conn: got, decidedBy, location });
    }
  }
  if (ex.verdict === 'allow' && (!from.known || !to.known)) {
    return {
      expectation: ex,
      holds: false,
      pairs,
      failures,
      failedPairs: Math.max(failedPairs, 1),
      notes: [...notes, 'an allow to a target whose addresses are unknown cannot be proved'],
    };
  }
  if (pairs === 0 && ex.verdict === 'allow') {
    return {
      expectation: ex,
      holds: false,
      pairs,
      failures,
      failedPairs: 1,
      notes: [...notes, 'no pair to check (both ends are the same endpoint, or addresses on both ends)'],
    };
  }
  return { expectation: ex, holds: failedPairs === 0, pairs, failures, failedPairs, notes };
}

/** Checks every expectation, in file order. */
export function checkExpectations(index: ReachabilityIndex, expectations: readonly Expectation[], options: CheckOptions = {}): ExpectationResult[] {
  return expectations.map((ex) => checkExpectation(index, ex, options));
}
