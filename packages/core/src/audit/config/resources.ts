/**
 * Container resources as the API server sees them at admission, and LimitRange items as stored.
 *
 * Order of defaulting for a container (what the pod looks like when LimitRanger validates it and
 * when ResourceQuota counts it):
 *   1. Pod defaulting: a resource with a limit but no request gets request = limit.
 *   2. LimitRanger (admission, LimitRanges of the namespace in name order): a container without a
 *      limit gets the item's `default`, without a request the item's `defaultRequest`; the first
 *      LimitRange that supplies a value wins.
 * A LimitRange item of type Container is itself defaulted when stored (SetDefaults_LimitRangeItem):
 *   default <- max when absent; defaultRequest <- default when absent; defaultRequest <- min when
 *   still absent. So `max` alone gives every container a limit equal to max.
 * Unparseable quantities are left out (the API server would refuse the object; the loader reports it).
 */
import type { Container, OtherObject } from '../../model/types.js';
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import { addQuantity, compareQuantity, parseQuantity, type Quantity } from './quantity.js';
import { at, isRecord, list, namespaceOf, text } from './raw.js';

/** A quantity and where its value came from, for evidence. */
export interface Sourced {
  readonly q: Quantity;
  /** As written (`500m`), or the defaulted value's text. */
  readonly raw: string;
  /** '' when written in the container; otherwise e.g. `its limit`, `LimitRange team/limits default`. */
  readonly from: string;
}

export type BoundKind = 'max' | 'min' | 'default' | 'defaultRequest' | 'maxLimitRequestRatio';

export interface Bound {
  readonly q: Quantity;
  readonly raw: string;
  /** Where the value is written: `spec.limits[0].max.cpu` (also for a default inherited from max). */
  readonly field: string;
  readonly location: SourceLocation;
}

export interface LimitRangeItem {
  readonly type: string;
  readonly index: number;
  readonly bounds: Readonly<Record<BoundKind, ReadonlyMap<string, Bound>>>;
}

export interface LimitRange {
  readonly namespace: string;
  readonly name: string;
  /** `ns/name` for evidence. */
  readonly ref: string;
  readonly items: readonly LimitRangeItem[];
  readonly object: OtherObject;
}

const BOUND_KINDS: readonly BoundKind[] = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'];

function readBounds(o: OtherObject, index: number, kind: BoundKind): Map<string, Bound> {
  const out = new Map<string, Bound>();
  const raw = at(o.value, ['spec', 'limits', index, kind]);
  if (!isRecord(raw)) return out;
  for (const [resource, v] of Object.entries(raw)) {
    const s = text(v);
    const parsed = s === undefined ? null : parseQuantity(s);
    if (parsed === null || !parsed.ok) continue;
    out.set(resource, {
      q: parsed.quantity,
      raw: s as string,
      field: `spec.limits[${index}].${kind}.${resource}`,
      location: o.locate(['spec', 'limits', index, kind, resource]),
    });
  }
  return out;
}

/** Reads a LimitRange object and applies the API server's storage defaults to Container items. */
export function readLimitRange(o: OtherObject): LimitRange {
  const items = list(at(o.value, ['spec', 'limits'])).map((entry, index): LimitRangeItem => {
    const type = text(at(entry, ['type'])) ?? '';
    const b = Object.fromEntries(BOUND_KINDS.map((k) => [k, readBounds(o, index, k)])) as Record<BoundKind, Map<string, Bound>>;
    if (type === 'Container') {
      // The inherited bound keeps the field it is written in, so evidence points at the real line.
      const inherit = (to: Map<string, Bound>, from: Map<string, Bound>): void => {
        for (const [r, bound] of from) if (!to.has(r)) to.set(r, bound);
      };
      inherit(b.default, b.max);
      inherit(b.defaultRequest, b.default);
      inherit(b.defaultRequest, b.min);
    }
    return { type, index, bounds: b };
  });
  const namespace = namespaceOf(o);
  const name = o.name ?? '<unnamed>';
  return { namespace, name, ref: `${namespace}/${name}`, items, object: o };
}

/** The effective requests and limits of a container after pod defaulting and LimitRanger. */
export interface EffectiveResources {
  readonly requests: ReadonlyMap<string, Sourced>;
  readonly limits: ReadonlyMap<string, Sourced>;
}

function readList(l: Readonly<Record<string, string>>): Map<string, Sourced> {
  const out = new Map<string, Sourced>();
  for (const [r, s] of Object.entries(l)) {
    const p = parseQuantity(s);
    if (p.ok) out.set(r, { q: p.quantity, raw: s, from: '' });
  }
  return out;
}

export function effectiveResources(c: Container, limitRanges: readonly LimitRange[]): EffectiveResources {
  const limits = readList(c.limits);
  const requests = readList(c.requests);
  for (const [r, l] of limits) if (!requests.has(r)) requests.set(r, { ...l, from: 'its own limit' });
  for (const lr of limitRanges) {
    for (const item of lr.items) {
      if (item.type !== 'Container') continue;
      for (const [r, b] of item.bounds.default) {
        if (!limits.has(r)) limits.set(r, { q: b.q, raw: b.raw, from: `default of LimitRange ${lr.ref} (${b.field})` });
      }
      for (const [r, b] of item.bounds.defaultRequest) {
        if (!requests.has(r)) requests.set(r, { q: b.q, raw: b.raw, from: `defaultRequest of LimitRange ${lr.ref} (${b.field})` });
      }
    }
  }
  return { requests, limits };
}

/**
 * Pod totals (LimitRanger's podRequests/podLimits, and what quota counts): the sum over regular
 * containers, raised to any single init container's value when that is larger (init containers run
 * one at a time, before the others).
 */
export function podTotals(
  containers: readonly { readonly container: Container; readonly resources: EffectiveResources }[],
  which: 'requests' | 'limits',
): Map<string, Quantity> {
  const total = new Map<string, Quantity>();
  for (const { container, resources } of containers) {
    if (container.init) continue;
    for (const [r, s] of resources[which]) {
      const cur = total.get(r);
      total.set(r, cur === undefined ? s.q : addQuantity(cur, s.q));
    }
  }
  for (const { container, resources } of containers) {
    if (!container.init) continue;
    for (const [r, s] of resources[which]) {
      const cur = total.get(r);
      if (cur === undefined || compareQuantity(s.q, cur) > 0) total.set(r, s.q);
    }
  }
  return total;
}

/** LimitRanges by namespace, each namespace's list in name order (the order defaults are applied). */
export function limitRangesByNamespace(others: readonly OtherObject[]): Map<string, LimitRange[]> {
  const out = new Map<string, LimitRange[]>();
  for (const o of others) {
    if (o.kind !== 'LimitRange') continue;
    const lr = readLimitRange(o);
    const arr = out.get(lr.namespace) ?? [];
    arr.push(lr);
    out.set(lr.namespace, arr);
  }
  for (const arr of out.values()) arr.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}
