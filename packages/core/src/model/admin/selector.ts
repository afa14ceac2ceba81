/**
 * metav1.LabelSelector for the admin policies: validation into the shared `LabelSelector` model, and
 * a conservative "can these two selectors match a common object?" test used for the priority
 * conflict warning.
 *
 * Validation follows the API server (apimachinery ValidateLabelSelector): operators In, NotIn,
 * Exists, DoesNotExist; In/NotIn need values, Exists/DoesNotExist take none; keys are qualified
 * names (optional DNS-subdomain prefix + '/' + name of at most 63 characters), values are at most 63
 * characters of [A-Za-z0-9-_.] starting and ending alphanumeric, or empty.
 */
import type { LabelRequirement, LabelSelector, SelectorOperator } from '../types.js';
import { labelKeyError, labelValueError } from '../label-syntax.js';
import { knownKeys, show } from '../fields.js';
import { isRecord, type FieldPath } from '../../base/types.js';
import type { ObjectContext } from '../context.js';

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export const EMPTY_SELECTOR: LabelSelector = { matchLabels: {}, matchExpressions: [] };

/** A qualified label key, by the one label syntax of the model (label-syntax.ts). */
export function isLabelKey(key: string): boolean {
  return labelKeyError(key) === null;
}

/** A label value (possibly empty), by the one label syntax of the model (label-syntax.ts). */
export function isLabelValue(value: string): boolean {
  return labelValueError(value) === null;
}

/**
 * Reads the selector at `path` (the value must already be known to be present). Returns null after
 * reporting errors; an empty object is the empty selector (selects everything).
 */
export function readSelector(r: ObjectContext, value: unknown, path: FieldPath, what: string): LabelSelector | null {
  if (!isRecord(value)) {
    r.error('INVALID_SELECTOR', `${what} must be a label selector object, not ${show(value)}`, path);
    return null;
  }
  const before = r.errors;
  knownKeys(r, value, ['matchLabels', 'matchExpressions'], path);
  const matchLabels: Record<string, string> = {};
  const ml = value['matchLabels'];
  if (ml !== undefined && ml !== null) {
    if (!isRecord(ml)) {
      r.error('INVALID_SELECTOR', `${what}.matchLabels must be a map of strings, not ${show(ml)}`, [...path, 'matchLabels']);
    } else {
      for (const [k, v] of Object.entries(ml)) {
        const at = [...path, 'matchLabels', k];
        if (!isLabelKey(k)) r.error('INVALID_SELECTOR', `${what}.matchLabels key ${show(k)} is not a valid label key`, at);
        else if (typeof v !== 'string') r.error('INVALID_SELECTOR', `${what}.matchLabels[${k}] must be a string, not ${show(v)}`, at);
        else if (!isLabelValue(v)) r.error('INVALID_SELECTOR', `${what}.matchLabels[${k}] ${show(v)} is not a valid label value`, at);
        else matchLabels[k] = v;
      }
    }
  }
  const matchExpressions: LabelRequirement[] = [];
  const me = value['matchExpressions'];
  if (me !== undefined && me !== null) {
    if (!Array.isArray(me)) {
      r.error('INVALID_SELECTOR', `${what}.matchExpressions must be a list, not ${show(me)}`, [...path, 'matchExpressions']);
    } else {
      me.forEach((req: unknown, i) => {
        const req1 = readRequirement(r, req, [...path, 'matchExpressions', i], what);
        if (req1 !== null) matchExpressions.push(req1);
      });
    }
  }
  return r.errors === before ? { matchLabels, matchExpressions } : null;
}

function readRequirement(r: ObjectContext, req: unknown, at: FieldPath, what: string): LabelRequirement | null {
  if (!isRecord(req)) {
    r.error('INVALID_SELECTOR', `${what}.matchExpressions entry must be an object, not ${show(req)}`, at);
    return null;
  }
  knownKeys(r, req, ['key', 'operator', 'values'], at);
  const { key, operator, values } = req;
  if (typeof key !== 'string' || !isLabelKey(key)) {
    r.error('INVALID_SELECTOR', `${what}.matchExpressions key ${show(key)} is not a valid label key`, key === undefined ? at : [...at, 'key']);
    return null;
  }
  if (typeof operator !== 'string' || !(OPERATORS as readonly string[]).includes(operator)) {
    r.error(
      'INVALID_SELECTOR',
      `${what}.matchExpressions operator ${show(operator)} is not In, NotIn, Exists or DoesNotExist`,
      operator === undefined ? at : [...at, 'operator'],
    );
    return null;
  }
  const op = operator as SelectorOperator;
  const vals = values === undefined || values === null ? [] : values;
  if (!Array.isArray(vals) || !vals.every((v): v is string => typeof v === 'string')) {
    r.error('INVALID_SELECTOR', `${what}.matchExpressions values must be a list of strings, not ${show(values)}`, [...at, 'values']);
    return null;
  }
  const needsValues = op === 'In' || op === 'NotIn';
  if (needsValues && vals.length === 0) {
    r.error('INVALID_SELECTOR', `${what}.matchExpressions operator ${op} needs at least one value`, at);
    return null;
  }
  if (!needsValues && vals.length > 0) {
    r.error('INVALID_SELECTOR', `${what}.matchExpressions operator ${op} takes no values`, [...at, 'values']);
    return null;
  }
  const bad = vals.find((v) => !isLabelValue(v));
  if (bad !== undefined) {
    r.error('INVALID_SELECTOR', `${what}.matchExpressions value ${show(bad)} is not a valid label value`, [...at, 'values']);
    return null;
  }
  return { key, operator: op, values: vals };
}

/**
 * What one key may be, after ANDing requirements: `absent` whether a missing label is allowed;
 * `only` the finite set of allowed values (null = any value); `not` values excluded.
 */
interface KeyConstraint {
  absent: boolean;
  only: Set<string> | null;
  not: Set<string>;
}

function constrain(c: KeyConstraint, op: SelectorOperator, values: readonly string[]): void {
  switch (op) {
    case 'In':
      c.absent = false;
      c.only = c.only === null ? new Set(values) : new Set([...c.only].filter((v) => values.includes(v)));
      break;
    case 'NotIn':
      for (const v of values) c.not.add(v);
      break;
    case 'Exists':
      c.absent = false;
      break;
    case 'DoesNotExist':
      c.only = new Set();
      break;
    default: {
      const never: never = op;
      throw new Error(`unreachable operator ${String(never)}`);
    }
  }
}

function satisfiable(c: KeyConstraint): boolean {
  if (c.absent) return true;
  if (c.only === null) return true; // infinitely many values, finitely many excluded
  for (const v of c.only) if (!c.not.has(v)) return true;
  return false;
}

/**
 * False only when no label set can match every given selector (a key constrained to disjoint values,
 * or required present and absent). True means "may overlap": selectors over different keys can
 * always be satisfied together by some object, even if none exists in the input.
 */
export function selectorsMayOverlap(...selectors: readonly LabelSelector[]): boolean {
  const keys = new Map<string, KeyConstraint>();
  const get = (k: string): KeyConstraint => {
    let c = keys.get(k);
    if (c === undefined) {
      c = { absent: true, only: null, not: new Set() };
      keys.set(k, c);
    }
    return c;
  };
  for (const s of selectors) {
    for (const [k, v] of Object.entries(s.matchLabels)) constrain(get(k), 'In', [v]);
    for (const req of s.matchExpressions) constrain(get(req.key), req.operator, req.values);
  }
  for (const c of keys.values()) if (!satisfiable(c)) return false;
  return true;
}
