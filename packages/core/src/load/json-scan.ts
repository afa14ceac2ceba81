/**
 * One pass over text that JSON.parse has already accepted, for what JSON.parse does not tell:
 * nesting depth, duplicate keys (JSON.parse silently keeps the last), and the start offsets of the
 * root object's `items` elements (so each List item of a 150k-pod dump is located without re-walking
 * the text). Strings are skipped with indexOf, so the pass costs about as much as JSON.parse itself.
 */

export interface JsonScan {
  /** Offset of the bracket that first went deeper than the limit; -1 when within it. */
  readonly tooDeepAt: number;
  /** Duplicate keys, in text order, with the offset of the repeated key's opening quote. */
  readonly duplicates: readonly { readonly key: string; readonly offset: number }[];
  /** Start offsets of the elements of the root object's `items` array; null when there is none. */
  readonly items: readonly number[] | null;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;

/** Up to this many keys an object's keys are compared linearly; beyond it a Set is used. */
const LINEAR_KEYS = 16;

/** True when the quote at `j` is escaped (preceded by an odd number of backslashes). */
export function isEscaped(text: string, j: number): boolean {
  let k = j - 1;
  while (k >= 0 && text.charCodeAt(k) === BACKSLASH) k--;
  return (j - 1 - k) % 2 === 1;
}

/** End offset (exclusive) of the string whose opening quote is at `i`. */
export function stringEnd(text: string, i: number): number {
  let j = text.indexOf('"', i + 1);
  while (j >= 0 && isEscaped(text, j)) j = text.indexOf('"', j + 1);
  return j < 0 ? text.length : j + 1;
}

export function scanJson(text: string, maxDepth: number): JsonScan {
  const n = text.length;
  const duplicates: { key: string; offset: number }[] = [];
  // Per depth (1-based): whether the container is an object, and the keys seen so far in it.
  const isObject: boolean[] = [false];
  const keys: string[][] = [[]];
  const keySets: (Set<string> | null)[] = [null];
  let depth = 0;
  let expectKey = false;
  let itemsNext = false; // the next value is the root object's `items`
  let itemsDepth = -1; // depth of the items array while inside it
  let awaitElement = false; // inside items, the next value starts an element
  let items: number[] | null = null;

  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32) continue; // whitespace
    if (awaitElement && depth === itemsDepth && c !== CLOSE_BRACKET && c !== COMMA) {
      items!.push(i);
      awaitElement = false;
    }
    switch (c) {
      case QUOTE: {
        const end = stringEnd(text, i);
        if (expectKey) {
          expectKey = false;
          let key = text.slice(i + 1, end - 1);
          if (key.includes('\\')) key = JSON.parse(text.slice(i, end)) as string;
          if (isDuplicate(keys[depth]!, keySets, depth, key)) duplicates.push({ key, offset: i });
          if (depth === 1 && key === 'items') itemsNext = true;
        } else {
          itemsNext = false;
        }
        i = end - 1;
        break;
      }
      case OPEN_BRACE:
      case OPEN_BRACKET: {
        depth++;
        if (depth > maxDepth) return { tooDeepAt: i, duplicates, items };
        const obj = c === OPEN_BRACE;
        isObject[depth] = obj;
        const k = keys[depth];
        if (k === undefined) keys[depth] = [];
        else k.length = 0;
        keySets[depth] = null;
        expectKey = obj;
        if (itemsNext && !obj && depth === 2) {
          items = [];
          itemsDepth = 2;
          awaitElement = true;
        }
        itemsNext = false;
        break;
      }
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        if (depth === itemsDepth) {
          itemsDepth = -1;
          awaitElement = false;
        }
        depth--;
        expectKey = false;
        break;
      case COMMA:
        expectKey = isObject[depth] === true;
        if (depth === itemsDepth) awaitElement = true;
        break;
      case COLON:
        break;
      default:
        // a number or literal: not `items`
        itemsNext = false;
    }
  }
  return { tooDeepAt: -1, duplicates, items };
}

function isDuplicate(list: string[], sets: (Set<string> | null)[], depth: number, key: string): boolean {
  const set = sets[depth];
  if (set) {
    if (set.has(key)) return true;
    set.add(key);
    return false;
  }
  if (list.includes(key)) return true;
  list.push(key);
  if (list.length > LINEAR_KEYS) sets[depth] = new Set(list);
  return false;
}
