/**
 * Label selectors, decided once at compile time, so queries never parse.
 *
 * | selector                 | matches                                                |
 * |--------------------------|--------------------------------------------------------|
 * | empty `{}`               | everything                                             |
 * | matchLabels k: v         | objects with label k equal to v                        |
 * | In [v...]                | objects with label k, value in the list                |
 * | NotIn [v...]             | objects without label k, or with a value not in list   |
 * | Exists                   | objects with label k                                   |
 * | DoesNotExist             | objects without label k                                |
 * All requirements are ANDed. A nil selector (`null`) is handled by the caller, because its meaning
 * depends on the slot (a nil namespaceSelector in a peer means "the policy's namespace").
 */
import type { LabelSelector, Labels } from '../model/types.js';

export function matches(sel: LabelSelector, labels: Labels): boolean {
  for (const k in sel.matchLabels) {
    if (labels[k] !== sel.matchLabels[k]) return false;
  }
  for (const r of sel.matchExpressions) {
    const v = Object.prototype.hasOwnProperty.call(labels, r.key) ? labels[r.key] : undefined;
    switch (r.operator) {
      case 'In':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'NotIn':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'Exists':
        if (v === undefined) return false;
        break;
      case 'DoesNotExist':
        if (v !== undefined) return false;
        break;
      default: {
        const never: never = r.operator;
        throw new Error(`unreachable operator ${String(never)}`);
      }
    }
  }
  return true;
}

/** The label keys a selector can observe. */
export function selectorKeys(sel: LabelSelector | null, out: Set<string>): void {
  if (sel === null) return;
  for (const k of Object.keys(sel.matchLabels)) out.add(k);
  for (const r of sel.matchExpressions) out.add(r.key);
}

const KEYS = new WeakMap<LabelSelector, string>();

/** A canonical string for memoising selector results (key order independent); computed once per selector object. */
export function selectorKey(sel: LabelSelector): string {
  let k = KEYS.get(sel);
  if (k === undefined) KEYS.set(sel, (k = computeSelectorKey(sel)));
  return k;
}

function computeSelectorKey(sel: LabelSelector): string {
  const ml = Object.keys(sel.matchLabels)
    .sort()
    .map((k) => [k, sel.matchLabels[k]]);
  const me = sel.matchExpressions.map((r) => [r.key, r.operator, [...r.values].sort()]).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return JSON.stringify([ml, me]);
}
