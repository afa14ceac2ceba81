/**
 * The fast path for big `kind: List` JSON dumps (`kubectl get -o json`): one validating pass that
 * builds only the parts of each List item the model reads, and records what JSON.parse cannot say
 * (item offsets, duplicate keys, depth) on the way.
 *
 * Why: at 150k pods JSON.parse alone takes ~3 s and ~1 GB, almost all of it for fields nothing reads
 * (uids, timestamps, env, probes, volume mounts...), and a second scan for offsets costs as much again.
 * Skipping a string here is one indexOf, and a skipped value allocates nothing.
 *
 * Exactness: the pass accepts exactly the texts JSON.parse accepts and builds the same values for
 * what it keeps. It gives up (returns null, and the caller takes the JSON.parse path, which reports
 * the error with V8's message and position) on anything unusual:
 *
 * | case                                            | why give up                                   |
 * |-------------------------------------------------|-----------------------------------------------|
 * | any syntax error, or a root that is not a List  | the general path owns the diagnostics         |
 * | nesting deeper than the limit                   | ditto (NESTING_TOO_DEEP)                      |
 * | a key with a backslash escape                   | keys are compared raw for duplicates          |
 * | a control character below U+0020 but \t\n\r     | one regex test over the text, not per string  |
 * | a `__proto__` key in a value built whole         | JSON.parse makes it an own property            |
 *
 * \t, \n and \r are legal between tokens but not inside strings: the next occurrence of each is kept
 * and checked against each string's span, so each is looked up once. Backslashes likewise: a string
 * without one is a slice, a string with one is decoded (and validated) by JSON.parse.
 *
 * A shape says what to keep ('all' or 'shared' below a point; `fields` of an object; `each` element
 * of an array). A value whose type does not fit its shape is kept whole, so a reader that reports a wrong
 * type sees exactly what JSON.parse would give. Items get their shape from their own leading
 * `apiVersion` / `kind` keys; when these come later, or a duplicate changes them, the item is kept whole.
 */

/**
 * What of a value to build: everything ('all'); everything, built once per distinct text and shared
 * ('shared': for values that repeat verbatim across items, like the labels of one workload's pods;
 * the model reads them and never changes them); some fields of an object; each element of an array.
 */
export type ValueShape =
  | 'all'
  | 'shared'
  /**
   * Some fields of an object. With `known`, a key that is neither a field nor known sends the whole
   * source to the general path (where the model reports it as an unknown field).
   */
  | { readonly fields: Readonly<Record<string, ValueShape>>; readonly known?: ReadonlySet<string> }
  | { readonly each: ValueShape };

/** The shape of a List item of this kind, or null to keep it whole. */
export type ShapeOf = (kind: string, apiVersion: string) => ValueShape | null;

export interface FastJson {
  /** The root object, its `items` built according to the shapes. */
  readonly value: Record<string, unknown>;
  /** Start offsets of the elements of the root's `items`. */
  readonly items: number[];
  /** Duplicate keys in text order, at the repeated key's opening quote. */
  readonly duplicates: { readonly key: string; readonly offset: number }[];
}

/**
 * Where the items of the root's `items` go when streamed (see fastParseList): the parser pushes each
 * item's start offset to `items` and each duplicate key to `duplicates` as it finds them, and hands
 * each completed item to `item` instead of storing it in the root (whose `items` stays empty).
 */
export interface ItemSink {
  readonly items: number[];
  readonly duplicates: { readonly key: string; readonly offset: number }[];
  /**
   * Item `index` is complete; `end` is the offset just past it. `shape`: the shape it was built by
   * (only its fields, every key at a level with `known` checked), or null when it was built whole.
   */
  item(value: unknown, index: number, end: number, shape: ValueShape | null): void;
}

// Compiled shapes: kind 0 keeps all, 1 keeps fields, 2 shapes each element, 3 keeps all, shared.
// `head` and `next` chain the keys (the fields, then the known keys) by hash.
interface Compiled {
  readonly kind: 0 | 1 | 2 | 3;
  readonly names: readonly string[];
  readonly shapes: readonly Compiled[];
  readonly each: Compiled | null;
  /** The fields (`names`), then the known keys that are not fields. */
  readonly keys: readonly string[];
  /** keyHash & 255 -> first key with that hash + 1 (0: none). */
  readonly head: Int16Array;
  /** key -> next key with the same hash + 1 (0: none). */
  readonly next: Int16Array;
  /** Whether a key that is no field must be known (else it sends the source to the general path). */
  readonly checked: boolean;
}

const NO_CHAIN = new Int16Array(256);
const ALL: Compiled = { kind: 0, names: [], shapes: [], each: null, keys: [], head: NO_CHAIN, next: NO_CHAIN, checked: false };
/** The shape `field` gives a key that is neither a field nor known: the general path takes over. */
const UNKNOWN: Compiled = { kind: 0, names: [], shapes: [], each: null, keys: [], head: NO_CHAIN, next: NO_CHAIN, checked: false };
const compiled = new WeakMap<object, Compiled>();

function compile(shape: ValueShape): Compiled {
  if (shape === 'all') return ALL;
  // one node per position (the node is what the last value there is remembered by, in parse)
  if (shape === 'shared') return { kind: 3, names: [], shapes: [], each: null, keys: [], head: NO_CHAIN, next: NO_CHAIN, checked: false };
  let c = compiled.get(shape);
  if (c !== undefined) return c;
  if ('each' in shape) c = { kind: 2, names: [], shapes: [], each: compile(shape.each), keys: [], head: NO_CHAIN, next: NO_CHAIN, checked: false };
  else {
    const names = Object.keys(shape.fields);
    // the known keys go in the chains too: a skipped key is then told known or unknown without a
    // slice of the text and a Set lookup (a pod skips some twenty keys)
    const keys = [...names, ...[...(shape.known ?? [])].filter((k) => !names.includes(k))];
    const head = new Int16Array(256);
    const next = new Int16Array(keys.length);
    for (let e = keys.length - 1; e >= 0; e--) {
      // as parse() hashes a key: by its length and end characters (the quotes for "")
      const key = keys[e]!;
      const len = key.length;
      const h = hashKey(len, len === 0 ? 34 : key.charCodeAt(0), len === 0 ? 34 : key.charCodeAt(len - 1)) & 255;
      next[e] = head[h]!;
      head[h] = e + 1;
    }
    c = { kind: 1, names, shapes: names.map((n) => compile(shape.fields[n]!)), each: null, keys, head, next, checked: shape.known !== undefined };
  }
  compiled.set(shape, c);
  return c;
}

/** A cheap hash of a key from its length and end characters. */
function hashKey(len: number, first: number, last: number): number {
  return (len + 31 * first + 7 * last) | 0;
}

/** Objects with more keys than this check duplicates with a Set instead of comparing spans. */
const LINEAR_KEYS = 24;

/** Deeper nesting than this is left to the general path (the frame arrays stay small). */
const MAX_FRAMES = 4096;

// What a container frame does with its content.
const SKIP = 0; // validate only
const BUILD = 1; // an object by a `fields` shape, or an array by an `each` shape
const WHOLE = 2; // a 'shared' value: validate, then look its text up (JSON.parse it when new)
const ROOT = 3; // the root object
const ITEMS = 4; // the root's `items`
const ITEM = 5; // a List item: shape chosen by its leading apiVersion / kind

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Parses a `List` JSON text, or returns null when the general path must handle it (see the table).
 *
 * One flat loop with an explicit frame stack (a recursive descent was twice as slow). States: 0 a
 * value is expected, 1 a value ended (`,` or a closer follows), 2 a key is expected, 3 a container
 * just opened (a closer or its first entry follows).
 */
export function fastParseList(text: string, maxDepth: number, shapeOf: ShapeOf, sink: ItemSink | null = null): FastJson | null {
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(text)) return null;
  try {
    return parse(text, Math.min(maxDepth, MAX_FRAMES), shapeOf, sink);
  } catch {
    return null; // a JSON.parse of a string or value this pass had accepted failed: let JSON.parse report it
  }
}

function parse(text: string, maxDepth: number, shapeOf: ShapeOf, sink: ItemSink | null): FastJson | null {
  const n = text.length;
  const F = maxDepth + 2;
  const isObj = new Uint8Array(F);
  const mode = new Uint8Array(F);
  const seen = new Int32Array(F); // per object: bit (key hash & 31) of each key so far
  const kbase = new Int32Array(F); // per object: its first key in keyStart / keyEnd
  const start = new Int32Array(F); // per WHOLE / ITEM frame: offset of its opening bracket
  const shape: (Compiled | null)[] = new Array<Compiled | null>(F).fill(null);
  const out: unknown[] = new Array<unknown>(F).fill(undefined);
  const pendingKey: string[] = new Array<string>(F).fill('');
  const sets: (Set<string> | null)[] = new Array<Set<string> | null>(F).fill(null);
  let keyStart = new Int32Array(1024);
  let keyEnd = new Int32Array(1024);
  let ktop = 0;
  const duplicates: { key: string; offset: number }[] = sink?.duplicates ?? [];
  let items: number[] = [];
  let root: Record<string, unknown> | null = null;
  /** 'shared' values by their text: the pods of one workload repeat labels, owner, ports verbatim. */
  const shared = new Map<string, unknown>();
  const recentText: string[] = new Array<string>(256).fill('');
  const recentValue: unknown[] = new Array<unknown>(256).fill(undefined);
  /**
   * The last 'shared' value at each position of a shape (the same field of the previous pod): when
   * the text there starts with its text again, that text is the whole value (a JSON value ends where
   * its text does), valid, and free of duplicate keys, so it is taken without reading it again.
   */
  const lastAt = new Map<Compiled, { text: string; value: unknown; depth: number }>();
  const dupAt = new Int32Array(F); // per WHOLE frame: duplicates found before it opened
  // the List item being read: the apiVersion / kind read before its shape was chosen
  let chosen: Compiled | null = null;
  let itemKind: unknown = undefined;
  let itemApi: unknown = undefined;
  /** The shape the item was built by (null: whole). */
  let itemShape: ValueShape | null = null;

  // next \n, \r, \t (the least of them in ctl) and backslash at or after the point reached; n when none
  let nl = text.indexOf('\n');
  let cr = text.indexOf('\r');
  let tab = text.indexOf('\t');
  let bs = text.indexOf('\\');
  if (nl < 0) nl = n;
  if (cr < 0) cr = n;
  if (tab < 0) tab = n;
  if (bs < 0) bs = n;
  let ctl = Math.min(nl, cr, tab);

  // The value about to be read: its shape (null: validate only) and, in an object, its key.
  let target: Compiled | null = null;
  let depth: number;
  let i = 0;
  let st: number;
  let inItems = false; // mode[depth] === ITEMS, kept at hand: it is asked at every value

  /** Stores a built value into the frame at `p`. */
  const put = (p: number, v: unknown): void => {
    const m = mode[p];
    if (m === ITEMS && sink !== null) {
      sink.item(v, items.length - 1, i, itemShape);
      itemShape = null;
    } else if (m === BUILD || m === ITEMS) {
      if (isObj[p] === 1) (out[p] as Record<string, unknown>)[pendingKey[p]!] = v;
      else (out[p] as unknown[]).push(v);
    } else if (m === ITEM) {
      const key = pendingKey[p]!;
      (out[p] as Record<string, unknown>)[key] = v;
      if (chosen === null) {
        if (key === 'kind') itemKind = v;
        else itemApi = v;
      }
    } else if (m === ROOT) (out[p] as Record<string, unknown>)[pendingKey[p]!] = v;
  };

  let c = text.charCodeAt(0);
  while (isWs(c)) c = text.charCodeAt(++i);
  if (c !== 123 || maxDepth < 1) return null;
  depth = 1;
  isObj[1] = 1;
  mode[1] = ROOT;
  out[1] = {};
  i++;
  st = 3;

  for (;;) {
    c = text.charCodeAt(i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
    if (st === 0) {
      // a value
      if (inItems) {
        items.push(i);
        target = c === 123 ? null : ALL;
      }
      if (c === 34) {
        let j = text.indexOf('"', i + 1);
        if (j < 0) return null;
        let v: string;
        if (bs < j) {
          if (bs < i) return null; // a backslash outside any string
          j = i + 1;
          for (;;) {
            const d = text.charCodeAt(j);
            if (d === 92) j += 2;
            else if (d === 34) break;
            else if (j >= n) return null;
            else j++;
          }
          bs = text.indexOf('\\', j + 1);
          if (bs < 0) bs = n;
          v = JSON.parse(text.slice(i, j + 1)) as string; // validates the escapes (and control characters)
        } else {
          if (ctl < j) {
            if (ctl > i) return null; // \t \n \r inside a string
            while (ctl < j) {
              if (ctl > i) return null;
              if (nl === ctl) nl = text.indexOf('\n', ctl + 1);
              else if (cr === ctl) cr = text.indexOf('\r', ctl + 1);
              else tab = text.indexOf('\t', ctl + 1);
              if (nl < 0) nl = n;
              if (cr < 0) cr = n;
              if (tab < 0) tab = n;
              ctl = Math.min(nl, cr, tab);
            }
          }
          v = target === null ? '' : text.slice(i + 1, j);
        }
        i = j + 1;
        if (target !== null) put(depth, v);
        st = 1;
      } else if (c === 123 || c === 91) {
        if (target !== null && target.kind === 3) {
          const last = lastAt.get(target);
          if (last !== undefined && last.depth === depth && text.slice(i, i + last.text.length) === last.text) {
            // (a slice and ===: a compare of memory; startsWith at an offset goes character by character)
            i += last.text.length;
            if (bs < i) {
              // the backslashes passed over were escapes inside the value's strings
              bs = text.indexOf('\\', i);
              if (bs < 0) bs = n;
            }
            put(depth, last.value);
            st = 1;
            continue;
          }
        }
        const p = depth;
        if (++depth > maxDepth) return null;
        inItems = false;
        const obj = c === 123;
        isObj[depth] = obj ? 1 : 0;
        if (obj) {
          seen[depth] = 0;
          kbase[depth] = ktop;
          sets[depth] = null;
        }
        const pm = mode[p];
        if (pm === ITEMS && obj) {
          mode[depth] = ITEM;
          out[depth] = {};
          start[depth] = i;
          chosen = null;
          itemKind = itemApi = undefined;
          itemShape = null;
        } else if (target === null || pm === WHOLE || pm === SKIP) {
          mode[depth] = SKIP;
        } else if (obj ? target.kind === 1 : target.kind === 2) {
          mode[depth] = BUILD;
          shape[depth] = obj ? target : target.each;
          out[depth] = obj ? {} : [];
        } else if (pm === ROOT && !obj && pendingKey[p] === 'items') {
          mode[depth] = ITEMS;
          out[depth] = [];
          items = sink?.items ?? []; // a second `items` key (a duplicate) appends to a sink's: its owner checks for that
          inItems = true;
        } else if (target.kind === 3) {
          mode[depth] = WHOLE;
          start[depth] = i;
          shape[depth] = target;
          dupAt[depth] = duplicates.length;
        } else {
          // kept whole ('all', or a shape that does not fit the value's type): built here, which for
          // small values is cheaper than a JSON.parse call
          mode[depth] = BUILD;
          shape[depth] = ALL;
          out[depth] = obj ? {} : [];
        }
        i++;
        st = 3;
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        const s = i;
        if (c === 45) c = text.charCodeAt(++i);
        if (c === 48) c = text.charCodeAt(++i);
        else if (c >= 49 && c <= 57) {
          do c = text.charCodeAt(++i);
          while (c >= 48 && c <= 57);
        } else return null;
        if (c === 46) {
          c = text.charCodeAt(++i);
          if (!(c >= 48 && c <= 57)) return null;
          do c = text.charCodeAt(++i);
          while (c >= 48 && c <= 57);
        }
        if (c === 101 || c === 69) {
          c = text.charCodeAt(++i);
          if (c === 43 || c === 45) c = text.charCodeAt(++i);
          if (!(c >= 48 && c <= 57)) return null;
          do c = text.charCodeAt(++i);
          while (c >= 48 && c <= 57);
        }
        if (target !== null) put(depth, Number(text.slice(s, i)));
        st = 1;
      } else {
        let v: boolean | null;
        if (c === 116 && text.startsWith('true', i)) {
          v = true;
          i += 4;
        } else if (c === 102 && text.startsWith('false', i)) {
          v = false;
          i += 5;
        } else if (c === 110 && text.startsWith('null', i)) {
          v = null;
          i += 4;
        } else return null;
        if (target !== null) put(depth, v);
        st = 1;
      }
      continue;
    }

    if (st === 2) {
      // a key, its colon, and the shape of its value
      if (c !== 34) return null;
      const a = i + 1;
      const k = text.indexOf('"', a);
      if (k < 0 || bs < k) return null; // unterminated, or an escaped key (see the table)
      if (ctl < k) {
        while (ctl < k) {
          if (ctl > i) return null;
          if (nl === ctl) nl = text.indexOf('\n', ctl + 1);
          else if (cr === ctl) cr = text.indexOf('\r', ctl + 1);
          else tab = text.indexOf('\t', ctl + 1);
          if (nl < 0) nl = n;
          if (cr < 0) cr = n;
          if (tab < 0) tab = n;
          ctl = Math.min(nl, cr, tab);
        }
      }
      const len = k - a;
      const h = hashKey(len, text.charCodeAt(a), text.charCodeAt(k - 1));
      // duplicates
      const set = sets[depth];
      if (set != null) {
        const key = text.slice(a, k);
        if (set.has(key)) duplicates.push({ key, offset: i });
        else set.add(key);
      } else {
        const bit = 1 << (h & 31);
        let dup = false;
        if ((seen[depth]! & bit) !== 0) {
          for (let m = kbase[depth]!; m < ktop; m++) {
            const ms = keyStart[m]!;
            if (keyEnd[m]! - ms === len && sameSpan(text, ms, a, len)) {
              dup = true;
              break;
            }
          }
        }
        seen[depth] = seen[depth]! | bit;
        if (dup) duplicates.push({ key: text.slice(a, k), offset: i });
        else if (ktop - kbase[depth]! >= LINEAR_KEYS) {
          const big = new Set<string>();
          for (let m = kbase[depth]!; m < ktop; m++) big.add(text.slice(keyStart[m]!, keyEnd[m]!));
          big.add(text.slice(a, k));
          sets[depth] = big;
          ktop = kbase[depth]!;
        } else {
          if (ktop === keyStart.length) {
            const grownStart = new Int32Array(ktop * 2);
            grownStart.set(keyStart);
            keyStart = grownStart;
            const grownEnd = new Int32Array(ktop * 2);
            grownEnd.set(keyEnd);
            keyEnd = grownEnd;
          }
          keyStart[ktop] = a;
          keyEnd[ktop] = k;
          ktop++;
        }
      }
      // the value's shape
      const m = mode[depth];
      target = null;
      if (m === ITEM) {
        if (chosen === null) {
          if (len === 4 && text.startsWith('kind', a)) {
            target = ALL;
            pendingKey[depth] = 'kind';
          } else if (len === 10 && text.startsWith('apiVersion', a)) {
            target = ALL;
            pendingKey[depth] = 'apiVersion';
          } else {
            chosen = ALL;
            if (typeof itemKind === 'string' && typeof itemApi === 'string') {
              const s = shapeOf(itemKind, itemApi);
              if (s !== null) {
                chosen = compile(s);
                itemShape = s;
              }
            }
            shape[depth] = chosen;
          }
        }
        if (chosen !== null && chosen !== ALL) target = field(text, chosen, a, len, h, pendingKey, depth);
        if (target === UNKNOWN) return null;
      } else if (m === BUILD) {
        const sh = shape[depth]!;
        if (sh === ALL) {
          const key = text.slice(a, k);
          if (key === '__proto__') return null; // JSON.parse makes it an own property; leave that to it
          pendingKey[depth] = key;
          target = ALL;
        } else target = field(text, sh, a, len, h, pendingKey, depth);
        if (target === UNKNOWN) return null;
      } else if (m === ROOT) {
        const key = text.slice(a, k);
        if (key === '__proto__') return null;
        pendingKey[depth] = key;
        target = ALL;
      }
      i = k + 1;
      c = text.charCodeAt(i);
      while (isWs(c)) c = text.charCodeAt(++i);
      if (c !== 58) return null;
      i++;
      st = 0;
      continue;
    }

    // st 1 (after a value) or 3 (just opened)
    if (depth === 0) {
      // the root has closed
      if (i !== n || root === null) return null;
      const kind = root['kind'];
      if (typeof kind !== 'string' || !kind.endsWith('List') || !Array.isArray(root['items'])) return null;
      return { value: root, items, duplicates };
    }
    const obj = isObj[depth] === 1;
    if (c === (obj ? 125 : 93)) {
      i++;
      const m = mode[depth];
      let v: unknown = out[depth];
      out[depth] = undefined;
      if (m === WHOLE) {
        // most often the same text as the last value of its length (the previous pod's): compare
        // before hashing it
        const source = text.slice(start[depth]!, i);
        const slot = source.length & 255;
        if (recentText[slot] === source) v = recentValue[slot];
        else {
          v = shared.get(source);
          if (v === undefined) shared.set(source, (v = JSON.parse(source)));
          recentText[slot] = source;
          recentValue[slot] = v;
        }
        if (duplicates.length === dupAt[depth]) {
          const at = shape[depth]!;
          const last = lastAt.get(at);
          if (last === undefined) lastAt.set(at, { text: source, value: v, depth: depth - 1 });
          else {
            last.text = source;
            last.value = v;
            last.depth = depth - 1;
          }
        }
      } else if (m === ITEM) {
        // kept whole, or a later duplicate of kind or apiVersion changed what the item is
        const item = v as Record<string, unknown>;
        if (chosen === ALL || (chosen !== null && (item['kind'] !== itemKind || item['apiVersion'] !== itemApi))) {
          v = JSON.parse(text.slice(start[depth]!, i));
          itemShape = null;
        }
      }
      if (obj) ktop = kbase[depth]!;
      depth--;
      inItems = mode[depth] === ITEMS;
      if (m !== SKIP && depth > 0) put(depth, v);
      if (depth === 0) root = v as Record<string, unknown>;
      st = 1;
      continue;
    }
    if (st === 3) {
      st = obj ? 2 : 0;
      if (!obj) target = mode[depth] === BUILD ? shape[depth]! : null;
      continue;
    }
    if (c !== 44) return null;
    i++;
    if (obj) st = 2;
    else {
      st = 0;
      target = mode[depth] === BUILD ? shape[depth]! : null;
    }
  }
}

/** The shape of the value of key [a, a+len) in an object built by `sh`, or null when not listed. */
function field(text: string, sh: Compiled, a: number, len: number, h: number, pendingKey: string[], depth: number): Compiled | null {
  const keys = sh.keys;
  let e = sh.head[h & 255]! - 1;
  while (e >= 0 && !isKey(text, a, len, keys[e]!)) e = sh.next[e]! - 1;
  if (e < 0) return sh.checked ? UNKNOWN : null;
  if (e >= sh.names.length) return null; // known, not read
  pendingKey[depth] = keys[e]!;
  return sh.shapes[e]!;
}

/** True when the key [a, a+len) of `text` is `name` (a loop: cheaper than a startsWith call here). */
function isKey(text: string, a: number, len: number, name: string): boolean {
  if (name.length !== len) return false;
  for (let t = 0; t < len; t++) if (text.charCodeAt(a + t) !== name.charCodeAt(t)) return false;
  return true;
}

function sameSpan(text: string, x: number, y: number, len: number): boolean {
  for (let t = len - 1; t >= 0; t--) if (text.charCodeAt(x + t) !== text.charCodeAt(y + t)) return false;
  return true;
}
