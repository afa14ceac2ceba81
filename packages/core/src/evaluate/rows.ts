/**
 * Rows of the ReachabilityIndex. A row belongs to a source (a class or an external atom) and holds,
 * per port atom, the set of destinations it may reach (bits over the Universe). Port atoms with the
 * same covering rules share one segment, and equal bitsets are interned, so a row is a small array
 * of segment ids plus a few shared bitsets.
 *
 * Per (source, port atom) the destinations are  egress(source) AND ingress(source), where each
 * direction is decided tier by tier over whole bitsets:
 *   rem = all; for Deny, then Admin blocks in order: hit = other & rem; Accept -> allow |= hit; Pass -> pass |= hit; rem &= ~other
 *   rem |= pass
 *   NetworkPolicy: allow |= rem & isolated & (OR of NP blocks); rem &= ~isolated
 *   for Baseline blocks in order: hit = other & rem; Accept or Pass -> allow |= hit; rem &= ~other
 *   allow |= rem                                  (default allow)
 * For egress, `isolated` is all-ones or all-zeros (a property of the source); for ingress it is the
 * set of ingress-isolated destination classes. External atoms are never isolated, so a pod -> address
 * connection depends on the pod's side only, and an address -> pod connection on the pod's side only.
 */
import * as B from '../compile/bitset.js';
import { rankOf, type Block } from '../compile/block.js';
import type { Compiled } from '../compile/compile.js';
import { SequenceIds } from './sequence-ids.js';

export interface Row {
  /**
   * Port atoms in intervals: interval k is [starts[k], starts[k+1]-1] (the last ends at the last atom),
   * with segment segAt[k]. Intervals break only where some rule of the row starts or stops covering a
   * port, so a row costs its rules' port runs, not the number of port atoms.
   */
  readonly starts: Int32Array;
  readonly segAt: Uint16Array;
  /** segment -> allowed destinations */
  readonly segs: readonly B.Bits[];
  /**
   * segment k -> its egress and ingress results (dirs[2k], dirs[2k+1]) and the sequence id of the
   * ingress blocks covering it (igKeys[k]): what patchRow needs to redo the ingress side alone.
   */
  readonly dirs: readonly DirResult[];
  readonly igKeys: Int32Array;
}

/** The segment of a port atom in a row (binary search over the row's intervals). */
export function segmentOf(row: Row, atom: number): number {
  const s = row.starts;
  let lo = 0;
  let hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (s[mid]! <= atom) lo = mid;
    else hi = mid - 1;
  }
  return row.segAt[lo]!;
}

/** The allowed destinations of a row on one port atom. */
export function destinations(row: Row, atom: number): B.Bits {
  return row.segs[segmentOf(row, atom)]!;
}

/**
 * Destinations a row reaches on some port: the OR of its segments, computed once per row object and
 * kept with it. Rows are immutable and an update shares only unchanged rows with the index it was
 * made from (same universe), so the answer is right for every index that holds the row; the audit
 * and path searches ask it for every class on every run, and `kubereach watch` re-runs them after
 * each change, where most rows are the previous index's.
 */
const anyMemo = new WeakMap<Row, B.Bits>();

/** The OR of a row's segments (read-only: shared by every caller). */
export function anyDestinations(row: Row, size: number): B.Bits {
  let bits = anyMemo.get(row);
  if (bits === undefined) {
    bits = B.empty(size);
    for (const s of row.segs) B.orInto(bits, s);
    anyMemo.set(row, bits);
  }
  return bits;
}

/**
 * Whether a row reaches one destination on some port: anyDestinations' answer for one bit, from the
 * segments one by one when their OR is not built yet. A caller asking about a few destinations per
 * row (a target's addresses, a namespace's classes) then costs the row's segments per destination,
 * not its segments times the universe's words.
 */
export function reachesOnSomePort(row: Row, bit: number): boolean {
  const any = anyMemo.get(row);
  if (any !== undefined) return B.has(any, bit);
  for (const s of row.segs) if (B.has(s, bit)) return true;
  return false;
}

/**
 * One direction's allowed destinations, factored: the words `at` (ascending) hold the values `val`,
 * every other word is that word of `co` (none when `co` is null). `co` is shared by many results
 * (the destinations no rule isolates, the same for every ingress result; under Calico tiers the
 * answer of the tiers' dense blocks alone), so a result costs the words its rules decide, not the
 * universe: at 150k pods the 11k direction results were 52 MB dense, most of it copies of `co`.
 * A word of `at` replaces the word of `co` (a Deny can take back what `co` allows).
 */
export interface DirResult {
  /** Words in the universe. */
  readonly size: number;
  readonly at: Int32Array;
  readonly val: Uint32Array;
  readonly co: B.Bits | null;
}

/**
 * The result `buf` OR `co`, from the nonzero words of `buf` (among `words`, ascending; null: all of
 * them) and the shared part. Those words of `buf` are zero on return, so a scratch buffer can be
 * passed and reused.
 */
export function factored(buf: B.Bits, co: B.Bits | null, words: readonly number[] | null = null): DirResult {
  const m = words === null ? buf.length : words.length;
  let n = 0;
  for (let k = 0; k < m; k++) if (buf[words === null ? k : words[k]!] !== 0) n++;
  const at = B.ints(n);
  const val = B.empty(n * 32); // n words
  n = 0;
  for (let k = 0; k < m; k++) {
    const w = words === null ? k : words[k]!;
    if (buf[w] !== 0) {
      at[n] = w;
      val[n++] = co === null ? buf[w]! : buf[w]! | co[w]!;
      buf[w] = 0;
    }
  }
  return { size: buf.length, at, val, co };
}

/**
 * One direction's result for the blocks covering a port atom, in evaluation order.
 */
function evalDirection(c: Compiled, blocks: readonly Block[], isolated: B.Bits, base: B.Bits, cache: DirectionCache): DirResult {
  if (blocks.every((b) => b.tier === 'NetworkPolicy')) {
    // the common case, without admin tiers: (OR of rules) where isolated, everything elsewhere
    if (isolated !== base && cache.isEmpty(isolated)) return cache.only(base); // isolated nowhere: rules change nothing
    // isolated everywhere (an egress-isolated source): the OR of the rules is the answer (rule
    // destinations lie inside the universe, so AND base changes nothing)
    const co = isolated === base ? null : cache.outside(isolated, base);
    const out = cache.scratchOf(0, base.length);
    // rules listing few destinations (most) are ORed id by id, noting the words they reach, so the
    // result costs those words; a rule with a bitset makes it a pass over the universe
    const words = cache.words;
    words.length = 0;
    let dense = false;
    for (const b of blocks) {
      const ids = b.other.sparse();
      if (ids === null) {
        b.other.orInto(out);
        dense = true;
        continue;
      }
      for (let k = 0; k < ids.length; k++) {
        const i = ids[k]!;
        const w = i >>> 5;
        if (out[w] === 0) words.push(w);
        out[w]! |= 1 << (i & 31);
      }
    }
    if (dense) {
      if (co !== null) B.andInto(out, isolated);
      return factored(out, co);
    }
    words.sort((x, y) => x - y);
    if (co !== null) for (const w of words) out[w]! &= isolated[w]!;
    return factored(out, co, words);
  }
  return tiersFactored(c, blocks, isolated, base, cache);
}

/**
 * evalTiers as a factored result. Every step of it is bitwise, so a destination's answer depends only
 * on the blocks listing it: outside the words of the blocks that list few destinations (the sparse
 * ones), the answer is that of the dense blocks alone (a global policy's Pass-everything rule, a
 * tier's default action, isolation), which many results share and which is computed once per list of
 * dense blocks (DirectionCache.denseTiers). Only the sparse blocks' words are evaluated here, with
 * every block, so a result costs those words times its blocks, not the universe per block.
 */
export function tiersFactored(c: Compiled, blocks: readonly Block[], isolated: B.Bits, base: B.Bits, cache: DirectionCache): DirResult {
  const ordered = sortedByRank(blocks);
  const n = base.length;
  const words = cache.words;
  words.length = 0;
  const dense: Block[] = [];
  for (const b of ordered) {
    if (b.action === 'Log') continue; // changes nothing
    const ids = b.other.sparse();
    if (ids === null) {
      dense.push(b);
      continue;
    }
    let last = -1;
    for (let k = 0; k < ids.length; k++) {
      const w = ids[k]! >>> 5;
      if (w !== last) words.push((last = w));
    }
  }
  words.sort((x, y) => x - y);
  let m = 0;
  for (let k = 0; k < words.length; k++) if (k === 0 || words[k] !== words[k - 1]) words[m++] = words[k]!;
  words.length = m;
  // sparse blocks reaching most words: the whole universe at once costs no more
  if (2 * m > n) return factored(evalTiers(c, ordered, isolated, base), null);
  const co = cache.denseTiers(c, dense, isolated, base);
  const rem = cache.scratchOf(0, n);
  const allow = cache.scratchOf(1, n);
  const pass = cache.scratchOf(2, n);
  for (let k = 0; k < m; k++) rem[words[k]!] = base[words[k]!]!;
  runTiers(c, ordered, isolated, words, rem, allow, pass);
  let count = 0;
  for (let k = 0; k < m; k++) {
    const w = words[k]!;
    if (allow[w] !== (co === null ? 0 : co[w])) count++;
  }
  const at = B.ints(count);
  const val = B.empty(count * 32); // count words
  count = 0;
  for (let k = 0; k < m; k++) {
    const w = words[k]!;
    if (allow[w] !== (co === null ? 0 : co[w])) {
      at[count] = w;
      val[count++] = allow[w]!;
    }
    rem[w] = 0;
    allow[w] = 0;
    pass[w] = 0;
  }
  return { size: n, at, val, co };
}

/**
 * Ordered tiers, first match (the general case: admin tiers, Calico tiers). Blocks are taken by
 * tier rank, then id (blocks appended by an incremental update keep their tier). In each tier:
 *   hit = other & rem; Accept -> allow |= hit; Pass -> pass |= hit; Deny -> dropped; Log -> nothing
 *   rem &= ~other (Log: unchanged)
 * NetworkPolicy blocks sit in the default tier as Accept rules limited to `isolated` (their
 * subjects); at the default tier's end `rem &= ~isolated` (NetworkPolicy isolation, even when no
 * block of that tier covers the port). After each tier rem |= pass (Pass skips the rest of its
 * tier, including the tier's end); after the last, allow |= rem (default allow).
 * A Calico tier's defaultAction is an ordinary block at its tier's end (compile/calico-policy.ts).
 */
export function evalTiers(c: Compiled, blocks: readonly Block[], isolated: B.Bits, base: B.Bits): B.Bits {
  const size = c.u.size;
  const allow = B.empty(size);
  runTiers(c, sortedByRank(blocks), isolated, null, base.slice(), allow, B.empty(size));
  return allow;
}

/**
 * evalTiers over the words `words` (ascending; null: every word) of `ordered` (by rank): `rem` holds
 * the base there, `allow` and `pass` zero. On return `allow` holds the answer there, `pass` is zero
 * again. Words outside `words` are neither read nor written, so every sparse block must list
 * destinations inside them.
 */
function runTiers(c: Compiled, ordered: readonly Block[], isolated: B.Bits, words: readonly number[] | null, rem: B.Bits, allow: B.Bits, pass: B.Bits): void {
  const defaultRank = c.defaultRank;
  const m = words === null ? rem.length : words.length;
  const andNotIsolated = () => {
    for (let k = 0; k < m; k++) {
      const w = words === null ? k : words[k]!;
      rem[w]! &= ~isolated[w]!;
    }
  };
  let passed = false;
  let defaultDone = false;
  let i = 0;
  while (i < ordered.length) {
    const rank = rankOf(ordered[i]!);
    if (!defaultDone && rank > defaultRank) {
      andNotIsolated();
      defaultDone = true;
    }
    for (; i < ordered.length && rankOf(ordered[i]!) === rank; i++) {
      const b = ordered[i]!;
      if (b.action === 'Log') continue;
      // where a block lists few destinations (most do), it costs those destinations, not the universe
      const ids = b.other.sparse();
      const isPass = b.tier !== 'NetworkPolicy' && b.action === 'Pass';
      const into = b.tier === 'NetworkPolicy' || b.action === 'Accept' ? allow : isPass ? pass : null;
      if (isPass) passed = true;
      const only = b.tier === 'NetworkPolicy' ? isolated : null;
      if (ids !== null) {
        for (let k = 0; k < ids.length; k++) {
          const d = ids[k]!;
          const w = d >>> 5;
          let x = rem[w]! & (1 << (d & 31));
          if (only !== null) x &= only[w]!;
          if (x === 0) continue;
          if (into !== null) into[w]! |= x;
          rem[w]! &= ~x;
        }
        continue;
      }
      const other = b.other.dense();
      for (let k = 0; k < m; k++) {
        const w = words === null ? k : words[k]!;
        const x = rem[w]! & other[w]! & (only === null ? -1 : only[w]!);
        if (x === 0) continue;
        if (into !== null) into[w]! |= x;
        rem[w]! &= ~x;
      }
    }
    if (rank === defaultRank) {
      andNotIsolated();
      defaultDone = true;
    }
    if (passed) {
      for (let k = 0; k < m; k++) {
        const w = words === null ? k : words[k]!;
        rem[w]! |= pass[w]!;
        pass[w] = 0;
      }
      passed = false;
    }
  }
  if (!defaultDone) andNotIsolated();
  for (let k = 0; k < m; k++) {
    const w = words === null ? k : words[k]!;
    allow[w]! |= rem[w]!;
  }
}

/** Blocks by (rank, id): already so unless an incremental update appended some. */
export function sortedByRank(blocks: readonly Block[]): readonly Block[] {
  for (let k = 1; k < blocks.length; k++) {
    const a = blocks[k - 1]!;
    const b = blocks[k]!;
    if (rankOf(a) > rankOf(b) || (rankOf(a) === rankOf(b) && a.id > b.id)) {
      return [...blocks].sort((x, y) => rankOf(x) - rankOf(y) || x.id - y.id);
    }
  }
  return blocks;
}

export interface RowInputs {
  /** The source's own blocks (universal ones apart), in id order. */
  readonly egress: readonly Block[];
  readonly ingress: readonly Block[];
  /** egress isolation of the source: all-ones or all-zeros; null for an external source (no egress side). */
  readonly egressIsolated: B.Bits | null;
  /** The blocks every source has, per direction (null: an external source, which has no egress side). */
  readonly universalEgress: UniversalCover | null;
  readonly universalIngress: UniversalCover;
}

/**
 * Blocks shared by every source of a direction, with the sequence id of those covering each of their
 * port intervals, computed once per index: a row's intervals refine these (its cuts include theirs),
 * so a row looks its universal part up instead of walking every universal block again.
 */
export interface UniversalCover {
  readonly blocks: readonly Block[];
  /** Interval starts (the first is 0); interval k ends where k+1 starts. */
  readonly starts: readonly number[];
  /** Per interval, the sequence id of the universal blocks covering it (0: none). */
  readonly ids: Int32Array;
}

export function coverUniversal(blocks: readonly Block[], portCount: number, seq: SequenceIds): UniversalCover {
  const starts = [...cutsOf([blocks], portCount)].sort((a, b) => a - b);
  return { blocks, starts, ids: coverIds(blocks, starts, seq) };
}

/** Two lists of blocks in id order merged into one (the order they are evaluated in). */
export function mergeById(a: readonly Block[], b: readonly Block[]): readonly Block[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: Block[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]!.id < b[j]!.id ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

/** Item tag of a universal sequence id appended to a source's own sequence (block ids stay below it). */
const UNIVERSAL_ITEM = 1 << 30;

/**
 * Shared across rows: one direction's result depends only on the blocks covering the port atom (and,
 * for egress, the source's isolation), and many sources share those, so each is computed once.
 */
export class DirectionCache {
  /** Results by key: egress -(sequence id * 4 + isolation) (always < 0), ingress the sequence id (>= 0). */
  private readonly map = new Map<number, DirResult>();
  readonly seq: SequenceIds = new SequenceIds();
  /** The ingress blocks each ingress sequence id stands for (a fact of `seq`, whatever the isolation). */
  private readonly ingressBlocks: Map<number, readonly Block[]> = new Map();

  private readonly pairs = new Map<DirResult, Map<DirResult, B.Bits>>();
  private readonly outsideMemo: Map<B.Bits, Map<B.Bits, B.Bits>> = new Map();
  private readonly onlyMemo: Map<B.Bits, DirResult> = new Map();
  private readonly scratch: (B.Bits | null)[] = [null, null, null];
  /** Scratch list of word positions (evalDirection). */
  readonly words: number[] = [];
  private readonly emptyMemo: WeakMap<B.Bits, boolean> = new WeakMap();

  /**
   * A cache for the same blocks under another ingress isolation: egress results do not depend on it
   * and are kept (with the sequence ids, whose meaning never changes); ingress results and the
   * egress AND ingress pairs are dropped.
   */
  withNewIngressIsolation(): DirectionCache {
    const c = new DirectionCache();
    for (const [k, v] of this.map) if (k < 0) c.map.set(k, v);
    Object.assign(c, {
      seq: this.seq,
      ingressBlocks: this.ingressBlocks,
      outsideMemo: this.outsideMemo,
      onlyMemo: this.onlyMemo,
      emptyMemo: this.emptyMemo,
    });
    return c;
  }

  /** The ingress result of a sequence id under `isolated`, evaluating its blocks when not cached. */
  ingress(c: Compiled, key: number, blocks: () => readonly Block[]): DirResult {
    let r = this.map.get(key);
    if (r === undefined) {
      let list = this.ingressBlocks.get(key);
      if (list === undefined) this.ingressBlocks.set(key, (list = blocks()));
      this.map.set(key, (r = evalDirection(c, list, c.ingressIsolated, c.u.all, this)));
    }
    return r;
  }

  /** The interned egress AND ingress of a pair when already computed, else undefined. */
  knownAnd(eg: DirResult, ig: DirResult): B.Bits | undefined {
    return this.pairs.get(eg)?.get(ig);
  }

  /** Records the interned egress AND ingress of a pair (computed elsewhere, e.g. by patchRow). */
  setAnd(eg: DirResult, ig: DirResult, bits: B.Bits): void {
    let m = this.pairs.get(eg);
    if (m === undefined) this.pairs.set(eg, (m = new Map()));
    m.set(ig, bits);
  }

  get(key: number, compute: () => DirResult): DirResult {
    let r = this.map.get(key);
    if (r === undefined) this.map.set(key, (r = compute()));
    return r;
  }

  /** Whether a bitset (an isolation set: never changed) has no bit set; decided once per bitset. */
  isEmpty(b: B.Bits): boolean {
    let r = this.emptyMemo.get(b);
    if (r === undefined) this.emptyMemo.set(b, (r = B.isEmpty(b)));
    return r;
  }

  /** Zeroed scratch buffer k (0, 1 or 2) of `n` words; callers leave it zeroed. */
  scratchOf(k: 0 | 1 | 2, n: number): B.Bits {
    const s = this.scratch[k];
    return s !== null && s !== undefined && s.length === n ? s : (this.scratch[k] = new Uint32Array(n));
  }

  /** Answers of dense block lists (tiersFactored), by isolation, base and block ids. */
  private readonly denseMemo: Map<B.Bits, Map<B.Bits, Map<string, B.Bits | null>>> = new Map();

  /**
   * evalTiers of `dense` (a list of blocks by rank) under `isolated` and `base`, once per list; null
   * when it allows nothing (a result with no shared part, which the AND of a pair walks word by word).
   */
  denseTiers(c: Compiled, dense: readonly Block[], isolated: B.Bits, base: B.Bits): B.Bits | null {
    let byBase = this.denseMemo.get(isolated);
    if (byBase === undefined) this.denseMemo.set(isolated, (byBase = new Map()));
    let byIds = byBase.get(base);
    if (byIds === undefined) byBase.set(base, (byIds = new Map()));
    const key = dense.map((b) => b.id).join(',');
    let r = byIds.get(key);
    if (r === undefined) {
      const bits = evalTiers(c, dense, isolated, base);
      byIds.set(key, (r = B.isEmpty(bits) ? null : bits));
    }
    return r;
  }

  /** The result "every destination of `co`" (one object per bitset, so pairs of it are memoised). */
  only(co: B.Bits): DirResult {
    let r = this.onlyMemo.get(co);
    if (r === undefined) this.onlyMemo.set(co, (r = { size: co.length, at: new Int32Array(0), val: new Uint32Array(0), co }));
    return r;
  }

  /** `base` outside `isolated` (where no rule decides): once per pair, shared by the results. */
  outside(isolated: B.Bits, base: B.Bits): B.Bits {
    let m = this.outsideMemo.get(isolated);
    if (m === undefined) this.outsideMemo.set(isolated, (m = new Map()));
    let r = m.get(base);
    if (r === undefined) {
      r = B.empty(base.length * 32);
      r.set(base);
      B.andNotInto(r, isolated);
      m.set(base, r);
    }
    return r;
  }

  /** egress AND ingress, once per pair of direction results (they are shared objects), interned. */
  and(eg: DirResult, ig: DirResult, interner: B.BitsInterner): B.Bits {
    let m = this.pairs.get(eg);
    if (m === undefined) this.pairs.set(eg, (m = new Map()));
    let r = m.get(ig);
    if (r === undefined) {
      r = eg.co === null ? this.andWords(eg, ig, interner) : ig.co === null ? this.andWords(ig, eg, interner) : this.andDense(eg, ig, interner);
      m.set(ig, r);
    }
    return r;
  }

  /**
   * a AND b when `a` has no shared part: only a's words can be nonzero (an egress-isolated source's
   * side is a few namespaces, against a universe of tens of thousands), and b's words are found by
   * walking both ascending lists together.
   */
  private andWords(a: DirResult, b: DirResult, interner: B.BitsInterner): B.Bits {
    const n = a.at.length;
    const t = this.scratchOf(0, a.size);
    let j = 0;
    for (let k = 0; k < n; k++) {
      const w = a.at[k]!;
      while (j < b.at.length && b.at[j]! < w) j++;
      const x = j < b.at.length && b.at[j] === w ? b.val[j]! : b.co === null ? 0 : b.co[w]!;
      t[w] = a.val[k]! & x;
    }
    const r = interner.internWords(t, a.at, n);
    for (let k = 0; k < n; k++) t[a.at[k]!] = 0;
    return r;
  }

  /** a AND b when both have a shared part: word by word over the universe. */
  private andDense(a: DirResult, b: DirResult, interner: B.BitsInterner): B.Bits {
    const n = a.size;
    const t = this.scratchOf(0, n);
    const u = this.scratchOf(1, n);
    t.set(a.co!);
    for (let k = 0; k < a.at.length; k++) t[a.at[k]!] = a.val[k]!;
    u.set(b.co!);
    for (let k = 0; k < b.at.length; k++) u[b.at[k]!] = b.val[k]!;
    for (let w = 0; w < n; w++) t[w]! &= u[w]!;
    const r = interner.internCopy(t);
    t.fill(0);
    u.fill(0);
    return r;
  }
}

const RUNS = new WeakMap<Block, Int32Array>();

/** A block's port atoms as inclusive runs [lo0, hi0, lo1, hi1, ...], computed once per block. */
function portRuns(b: Block): Int32Array {
  let r = RUNS.get(b);
  if (r === undefined) {
    const out: number[] = [];
    let start = -1;
    let last = -2;
    B.forEach(b.ports, (p) => {
      if (p !== last + 1) {
        if (start >= 0) out.push(start, last);
        start = p;
      }
      last = p;
    });
    if (start >= 0) out.push(start, last);
    RUNS.set(b, (r = B.intsOf(out)));
  }
  return r;
}

/** Index of the interval starting at `atom` (an exact start). */
function intervalAt(starts: readonly number[], atom: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= atom) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Per interval, the id of the sequence of blocks (in order) covering it. */
function coverIds(blocks: readonly Block[], starts: readonly number[], seq: SequenceIds): Int32Array {
  const ids = B.ints(starts.length);
  for (const b of blocks) {
    const runs = portRuns(b);
    for (let i = 0; i < runs.length; i += 2) {
      const last = runs[i + 1]!;
      for (let k = intervalAt(starts, runs[i]!); k < starts.length && starts[k]! <= last; k++) ids[k] = seq.next(ids[k]!, b.id);
    }
  }
  return ids;
}

/** Atoms where some block of the lists starts or stops covering (0 included), below P. */
function cutsOf(lists: readonly (readonly Block[])[], P: number): Set<number> {
  const cuts = new Set<number>([0]);
  for (const list of lists) {
    for (const b of list) {
      const runs = portRuns(b);
      for (let i = 0; i < runs.length; i += 2) {
        cuts.add(runs[i]!);
        if (runs[i + 1]! + 1 < P) cuts.add(runs[i + 1]! + 1);
      }
    }
  }
  return cuts;
}

/**
 * Per interval of a row, the id of its own covering blocks followed by the universal ones: the
 * universal interval containing it (the row's starts include every universal start) adds its id.
 */
function withUniversal(own: Int32Array, starts: readonly number[], uc: UniversalCover | null, seq: SequenceIds): Int32Array {
  if (uc === null || uc.blocks.length === 0) return own;
  let j = 0;
  for (let k = 0; k < starts.length; k++) {
    while (j + 1 < uc.starts.length && uc.starts[j + 1]! <= starts[k]!) j++;
    const uid = uc.ids[j]!;
    if (uid !== SequenceIds.EMPTY) own[k] = seq.next(own[k]!, UNIVERSAL_ITEM + uid);
  }
  return own;
}

/** The blocks (own and universal, in id order) covering port atom p. */
function covering(own: readonly Block[], uc: UniversalCover | null, p: number): readonly Block[] {
  const mine = own.filter((b) => B.has(b.ports, p));
  return uc === null
    ? mine
    : mergeById(
        mine,
        uc.blocks.filter((b) => B.has(b.ports, p)),
      );
}

export function computeRow(c: Compiled, inp: RowInputs, interner: B.BitsInterner, cache: DirectionCache): Row {
  const P = c.ports.count;
  const cuts = cutsOf([inp.egress, inp.ingress], P);
  for (const uc of [inp.universalEgress, inp.universalIngress]) if (uc !== null) for (const x of uc.starts) cuts.add(x);
  const starts = [...cuts].sort((a, b) => a - b);
  const egIds = withUniversal(coverIds(inp.egress, starts, cache.seq), starts, inp.universalEgress, cache.seq);
  const igIds = withUniversal(coverIds(inp.ingress, starts, cache.seq), starts, inp.universalIngress, cache.seq);
  const iso = inp.egressIsolated === null ? 0 : inp.egressIsolated === c.u.all ? 1 : 2;
  const segAt = new Uint16Array(starts.length);
  const segs: B.Bits[] = [];
  const dirs: DirResult[] = [];
  const igKeys: number[] = [];
  const sigToSeg = new Map<string, number>();
  for (let k = 0; k < starts.length; k++) {
    const eid = egIds[k]!;
    const iid = igIds[k]!;
    const sig = `${eid},${iid}`;
    let sg = sigToSeg.get(sig);
    if (sg === undefined) {
      sg = segs.length;
      sigToSeg.set(sig, sg);
      const p = starts[k]!;
      const eg =
        inp.egressIsolated === null
          ? cache.only(c.u.classesMask) // an address has no egress policy; address -> address is not a question
          : cache.get(-(eid * 4 + iso), () => evalDirection(c, covering(inp.egress, inp.universalEgress, p), inp.egressIsolated!, c.u.all, cache));
      const ig = cache.ingress(c, iid, () => covering(inp.ingress, inp.universalIngress, p));
      segs.push(cache.and(eg, ig, interner));
      dirs.push(eg, ig);
      igKeys.push(iid);
    }
    segAt[k] = sg;
  }
  return { starts: B.intsOf(starts), segAt, segs, dirs, igKeys: B.intsOf(igKeys) };
}

/**
 * Patched row -> the row it was patched from. Only class columns are ever patched (external ranges
 * are never isolated for ingress), so the two agree on every address destination: answers that
 * depend on those columns alone (what a source reaches of the well-known targets) carry over.
 */
const patchOrigin = new WeakMap<Row, Row>();

/** The row `row` was patched from (equal on every external-range column), or undefined. */
export function sameOnAddresses(row: Row): Row | undefined {
  return patchOrigin.get(row);
}

/** Word w of a direction result. */
function wordOf(r: DirResult, w: number): number {
  const at = r.at;
  let lo = 0;
  let hi = at.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const a = at[mid]!;
    if (a === w) return r.val[mid]!;
    if (a < w) lo = mid + 1;
    else hi = mid - 1;
  }
  return r.co === null ? 0 : r.co[w]!;
}

/**
 * The row of a source whose blocks did not change, after ingress isolation changed on the
 * destinations `columns` (whose words are `words`, ascending): a destination's ingress answer
 * depends on its own isolation bit alone (every step of evalDirection and evalTiers is bitwise), so
 * each segment keeps its egress result and its bits outside those words, and only the words of
 * `columns` are recomputed from the segment's egress result and its ingress blocks re-evaluated
 * under `c`'s isolation (shared by every row through `cache`). Same intervals, same segments by
 * index, so a row costs its segments times the changed words, not the universe.
 */
export function patchRow(c: Compiled, old: Row, words: Int32Array, interner: B.BitsInterner, cache: DirectionCache): Row {
  const n = old.segs.length;
  const segs: B.Bits[] = new Array<B.Bits>(n);
  const dirs: DirResult[] = new Array<DirResult>(2 * n);
  for (let k = 0; k < n; k++) {
    const eg = old.dirs[2 * k]!;
    const ig = cache.ingress(c, old.igKeys[k]!, () => {
      throw new Error('patchRow: ingress blocks of a sequence id unknown to the cache');
    });
    dirs[2 * k] = eg;
    dirs[2 * k + 1] = ig;
    let bits = cache.knownAnd(eg, ig);
    if (bits === undefined) {
      const t = cache.scratchOf(0, old.segs[k]!.length);
      t.set(old.segs[k]!);
      for (let j = 0; j < words.length; j++) {
        const w = words[j]!;
        t[w] = wordOf(eg, w) & wordOf(ig, w);
      }
      bits = interner.internCopy(t);
      t.fill(0);
      cache.setAnd(eg, ig, bits);
    }
    segs[k] = bits;
  }
  const row = { starts: old.starts, segAt: old.segAt, segs, dirs, igKeys: old.igKeys };
  patchOrigin.set(row, old);
  return row;
}
