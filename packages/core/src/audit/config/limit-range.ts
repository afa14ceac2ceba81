/**
 * WORKLOAD_VIOLATES_LIMITRANGE: the LimitRanger admission plugin would refuse the workload's pods.
 *
 * Per resource, on the container's effective requests/limits (./resources.ts), as the LimitRanger admission plugin checks them:
 *   bound                  fails when
 *   min                    no request; request < min; limit < min
 *   max                    no limit; limit > max; request > max
 *   maxLimitRequestRatio   no (or zero) request or limit; limit / request > ratio
 *   default                a limit filled in from `default` is below the container's request (the pod
 *                          then fails validation: request must not exceed limit)
 * Type Container items apply to each container (init containers too); type Pod items to the pod
 * totals. Comparisons use milli-units rounded up, as the plugin does (whole units past 2^63/1000).
 * One finding per offending container (located at the container) and one per pod-level breach
 * (located at the workload); the evidence names the container, the resource and the bound.
 */
import type { Finding } from '../finding.js';
import type { Container, Endpoint } from '../../model/types.js';
import { finding } from './make-finding.js';
import { compareQuantity, formatQuantity, quantityMilliValue, quantityValue, type Quantity } from './quantity.js';
import { effectiveResources, podTotals, type Bound, type EffectiveResources, type LimitRange, type Sourced } from './resources.js';

const MAX_MILLI_VALUE = ((1n << 63n) - 1n) / 1000n;

/** requestLimitEnforcedValues: milli values when all three fit, else whole values (both rounded up). */
function enforcedValues(...qs: (Quantity | undefined)[]): bigint[] {
  const values = qs.map((q) => (q === undefined ? 0n : quantityValue(q)));
  if (values.every((v) => v <= MAX_MILLI_VALUE)) return qs.map((q) => (q === undefined ? 0n : quantityMilliValue(q)));
  return values;
}

function show(s: Sourced | undefined): string {
  if (s === undefined) return 'none';
  return s.from === '' ? s.raw : `${s.raw} (from ${s.from})`;
}

function boundText(lr: LimitRange, kind: string, b: Bound): string {
  return `${kind} ${b.raw} (LimitRange ${lr.ref} ${b.field})`;
}

interface Breach {
  readonly evidence: string;
  readonly fix: string;
}

/** The breaches of one item's bounds by one set of requests/limits (`who` names the container or pod). */
function breaches(
  lr: LimitRange,
  bounds: LimitRange['items'][number]['bounds'],
  who: string,
  req: ReadonlyMap<string, Sourced>,
  lim: ReadonlyMap<string, Sourced>,
): Breach[] {
  const out: Breach[] = [];
  for (const [r, b] of bounds.min) {
    const rq = req.get(r);
    const lm = lim.get(r);
    const [vr, vl, ve] = enforcedValues(rq?.q, lm?.q, b.q) as [bigint, bigint, bigint];
    if (rq === undefined || vr < ve) {
      out.push({ evidence: `${who}: ${r} request ${show(rq)} below ${boundText(lr, 'min', b)}`, fix: `set requests.${r} of ${who} to at least ${b.raw}` });
    } else if (lm !== undefined && vl < ve) {
      out.push({ evidence: `${who}: ${r} limit ${show(lm)} below ${boundText(lr, 'min', b)}`, fix: `set limits.${r} of ${who} to at least ${b.raw}` });
    }
  }
  for (const [r, b] of bounds.max) {
    const rq = req.get(r);
    const lm = lim.get(r);
    const [vr, vl, ve] = enforcedValues(rq?.q, lm?.q, b.q) as [bigint, bigint, bigint];
    if (lm === undefined || vl > ve) {
      out.push({ evidence: `${who}: ${r} limit ${show(lm)} above ${boundText(lr, 'max', b)}`, fix: `set limits.${r} of ${who} to at most ${b.raw}` });
    } else if (rq !== undefined && vr > ve) {
      out.push({ evidence: `${who}: ${r} request ${show(rq)} above ${boundText(lr, 'max', b)}`, fix: `set requests.${r} of ${who} to at most ${b.raw}` });
    }
  }
  for (const [r, b] of bounds.maxLimitRequestRatio) {
    const rq = req.get(r);
    const lm = lim.get(r);
    const [vr, vl] = enforcedValues(rq?.q, lm?.q, b.q) as [bigint, bigint, bigint];
    if (rq === undefined || vr === 0n || lm === undefined || vl === 0n) {
      out.push({
        evidence: `${who}: ${r} request ${show(rq)} and limit ${show(lm)}, but ${boundText(lr, 'maxLimitRequestRatio', b)} needs both, non-zero`,
        fix: `set both requests.${r} and limits.${r} of ${who}, with limit / request at most ${b.raw}`,
      });
      continue;
    }
    // observedRatio*1000 > enforced.MilliValue(), done exactly: limit*1000 > ratioMilli*request.
    if (vl * 1000n > quantityMilliValue(b.q) * vr) {
      const ratio = Number((vl * 1000n) / vr) / 1000;
      out.push({
        evidence: `${who}: ${r} limit ${show(lm)} / request ${show(rq)} = ${ratio} above ${boundText(lr, 'maxLimitRequestRatio', b)}`,
        fix: `bring limits.${r} / requests.${r} of ${who} to at most ${b.raw} (raise the request or lower the limit)`,
      });
    }
  }
  return out;
}

/** A limit filled in from `default` that is below the container's request: the pod fails validation. */
function defaultBelowRequest(who: string, res: EffectiveResources): Breach[] {
  const out: Breach[] = [];
  for (const [r, lm] of res.limits) {
    const rq = res.requests.get(r);
    if (lm.from.startsWith('default of') && rq !== undefined && compareQuantity(rq.q, lm.q) > 0) {
      out.push({
        evidence: `${who}: ${r} request ${show(rq)} above the limit ${lm.raw} filled in from the ${lm.from}`,
        fix: `set limits.${r} of ${who} explicitly (at least ${rq.raw}), or lower its request`,
      });
    }
  }
  return out;
}

export function auditLimitRanges(e: Endpoint, limitRanges: readonly LimitRange[]): Finding[] {
  if (limitRanges.length === 0) return [];
  const resolved = e.containers.map((container: Container) => ({ container, resources: effectiveResources(container, limitRanges) }));
  const findings: Finding[] = [];
  const file = e.location.file;
  const message = (what: string): string =>
    `Creating pods of ${e.id} would fail: ${what} breaks the namespace's LimitRange, so the LimitRanger admission plugin rejects them.`;
  for (const { container, resources } of resolved) {
    const who = `${container.init ? 'init container' : 'container'} "${container.name}"`;
    const found: Breach[] = [];
    for (const lr of limitRanges) {
      for (const item of lr.items) {
        if (item.type === 'Container') found.push(...breaches(lr, item.bounds, who, resources.requests, resources.limits));
      }
    }
    found.push(...defaultBelowRequest(who, resources));
    if (found.length === 0) continue;
    findings.push(
      finding(
        'WORKLOAD_VIOLATES_LIMITRANGE',
        e.id,
        message(who),
        found.map((b) => b.evidence).join('; '),
        `in ${file}: ${found.map((b) => b.fix).join('; ')}; or change the LimitRange`,
        container.location,
      ),
    );
  }
  const podRequests = podTotals(resolved, 'requests');
  const podLimits = podTotals(resolved, 'limits');
  const asSourced = (m: Map<string, Quantity>): Map<string, Sourced> => new Map([...m].map(([r, q]) => [r, { q, raw: formatQuantity(q), from: '' }]));
  const podBreaches: Breach[] = [];
  for (const lr of limitRanges) {
    for (const item of lr.items) {
      if (item.type === 'Pod') podBreaches.push(...breaches(lr, item.bounds, 'the pod (all containers)', asSourced(podRequests), asSourced(podLimits)));
    }
  }
  if (podBreaches.length > 0) {
    findings.push(
      finding(
        'WORKLOAD_VIOLATES_LIMITRANGE',
        e.id,
        message('the pod total'),
        podBreaches.map((b) => b.evidence).join('; '),
        `in ${file}: ${podBreaches.map((b) => b.fix).join('; ')}; or change the LimitRange`,
        e.location,
      ),
    );
  }
  return findings;
}
