/**
 * metav1.LabelSelector validation (apimachinery ValidateLabelSelector):
 *
 * | operator     | values         |
 * |--------------|----------------|
 * | In, NotIn    | at least one   |
 * | Exists       | none           |
 * | DoesNotExist | none           |
 * | other        | INVALID_SELECTOR |
 *
 * Keys must be qualified names and values valid label values. A selector with any problem is still
 * returned (with the bad parts left out) so the caller can keep validating; the errors decide.
 */
import { capValue, quoteValue } from '../text/escape.js';
import type { FieldPath } from '../base/types.js';
import type { LabelRequirement, LabelSelector, SelectorOperator } from './types.js';
import { fieldName, type ObjectContext } from './context.js';
import { readArray, readRecord, readString } from './fields.js';
import { labelKeyError, labelValueError } from './label-syntax.js';

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Reads a selector; null when not given (nil). */
export function readSelector(ctx: ObjectContext, v: unknown, path: FieldPath): LabelSelector | null {
  const rec = readRecord(ctx, v, path);
  if (rec === null) return null;
  const matchLabels: Record<string, string> = {};
  const labelsPath = [...path, 'matchLabels'];
  const labels = readRecord(ctx, rec['matchLabels'], labelsPath);
  if (labels !== null) {
    for (const key of Object.keys(labels)) {
      const valuePath = [...labelsPath, key];
      const keyError = labelKeyError(key);
      if (keyError !== null) ctx.error('INVALID_SELECTOR', `invalid label key ${quoteValue(key)}: ${keyError}`, valuePath);
      const value = labels[key];
      if (typeof value !== 'string') {
        ctx.error('INVALID_FIELD', `${fieldName(valuePath)} must be a string, not ${capValue(JSON.stringify(value) ?? String(value))}`, valuePath);
        continue;
      }
      const valueError = labelValueError(value);
      if (valueError !== null) ctx.error('INVALID_SELECTOR', `invalid label value ${quoteValue(value)}: ${valueError}`, valuePath);
      matchLabels[key] = value;
    }
  }
  const matchExpressions: LabelRequirement[] = [];
  const exprPath = [...path, 'matchExpressions'];
  const exprs = readArray(ctx, rec['matchExpressions'], exprPath);
  for (let i = 0; i < exprs.length; i++) {
    const req = readRequirement(ctx, exprs[i], [...exprPath, i]);
    if (req !== null) matchExpressions.push(req);
  }
  return { matchLabels, matchExpressions };
}

function readRequirement(ctx: ObjectContext, v: unknown, path: FieldPath): LabelRequirement | null {
  const rec = readRecord(ctx, v, path);
  if (rec === null) return null;
  const errorsBefore = ctx.errors;
  const key = readString(ctx, rec['key'], [...path, 'key']);
  if (key === null) {
    if (rec['key'] === undefined || rec['key'] === null) ctx.error('INVALID_SELECTOR', 'a match expression needs a key', path);
  } else {
    const keyError = labelKeyError(key);
    if (keyError !== null) ctx.error('INVALID_SELECTOR', `invalid label key ${quoteValue(key)}: ${keyError}`, [...path, 'key']);
  }
  const opPath = [...path, 'operator'];
  const op = readString(ctx, rec['operator'], opPath);
  let operator: SelectorOperator | null = null;
  if (op === null) {
    if (rec['operator'] === undefined || rec['operator'] === null) ctx.error('INVALID_SELECTOR', 'a match expression needs an operator', path);
  } else if ((OPERATORS as readonly string[]).includes(op)) {
    operator = op as SelectorOperator;
  } else {
    ctx.error('INVALID_SELECTOR', `unknown operator ${quoteValue(op)} (expected In, NotIn, Exists or DoesNotExist)`, opPath);
  }
  const valuesPath = [...path, 'values'];
  const rawValues = readArray(ctx, rec['values'], valuesPath);
  const values: string[] = [];
  for (let i = 0; i < rawValues.length; i++) {
    const s = readString(ctx, rawValues[i], [...valuesPath, i]);
    if (s === null) continue;
    const valueError = labelValueError(s);
    if (valueError !== null) ctx.error('INVALID_SELECTOR', `invalid label value ${quoteValue(s)}: ${valueError}`, [...valuesPath, i]);
    values.push(s);
  }
  if (operator === 'In' || operator === 'NotIn') {
    if (rawValues.length === 0)
      ctx.error('INVALID_SELECTOR', `operator ${operator} needs at least one value`, rec['values'] === undefined ? opPath : valuesPath);
  } else if (operator !== null && rawValues.length > 0) {
    ctx.error('INVALID_SELECTOR', `operator ${operator} takes no values`, valuesPath);
  }
  if (ctx.errors > errorsBefore || key === null || operator === null) return null;
  return { key, operator, values: operator === 'In' || operator === 'NotIn' ? values : [] };
}
