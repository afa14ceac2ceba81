/**
 * The dense id space every bitset of the index is over: classes first (0..C-1), then external IP
 * atoms (C..C+A-1). Sources and destinations use the same space, so an ingress peer set and an egress
 * peer set are the same kind of value.
 */
import type { LabelSelector } from '../model/types.js';
import type { Cidr } from '../net/ip.js';
import * as B from './bitset.js';
import type { ClassTable } from './classes.js';
import { IdSet } from './id-set.js';
import type { IPAtoms } from './ip-atoms.js';
import { LabelIndex } from './label-index.js';
import { selectorKey } from './selector.js';

export class Universe {
  readonly size: number;
  readonly classesMask: B.Bits;
  readonly atomsMask: B.Bits;
  readonly all: B.Bits;
  /** Every class and atom, as a rule set (a rule whose peers are absent). */
  readonly allSet: IdSet;
  private readonly nsMemo = new Map<string, readonly string[]>();
  /** pods() results by namespace-list key, then selector key (nested: no joined key per call). */
  private readonly podMemo = new Map<string, Map<string, IdSet>>();
  private readonly namespaceNames: readonly string[];
  private readonly nsListKeys = new WeakMap<readonly string[], string>();
  private nsIndex: LabelIndex | null = null;
  private classIndex: LabelIndex | null = null;

  constructor(
    readonly classes: ClassTable,
    readonly atoms: IPAtoms,
    private readonly nsLabels: ReadonlyMap<string, Readonly<Record<string, string>>>,
  ) {
    this.size = classes.count + atoms.count;
    this.classesMask = B.range(this.size, 0, classes.count);
    this.atomsMask = B.range(this.size, classes.count, this.size);
    this.all = B.full(this.size);
    this.allSet = IdSet.ofBits(this.size, this.all);
    this.namespaceNames = [...nsLabels.keys()].sort();
  }

  private classesByAtomMemo: (number[] | undefined)[] | null = null;
  private readonly ipMemo = new Map<string, IdSet>();

  /** Classes having a known IP inside each atom, indexed by atom (built on first use). */
  classesByAtom(): readonly (readonly number[] | undefined)[] {
    if (this.classesByAtomMemo === null) {
      const m: (number[] | undefined)[] = new Array(this.atoms.count);
      this.classes.ipAtoms.forEach((atoms, c) => {
        for (const a of atoms) (m[a] ??= []).push(c);
      });
      this.classesByAtomMemo = m;
    }
    return this.classesByAtomMemo;
  }

  /**
   * An ipBlock (cidr minus excepts; boundaries are atom cuts): its external atoms and, when pods
   * match, the classes with a known IP in them. Memoised: the same blocks recur across namespaces.
   */
  ipBlock(cidr: Cidr, except: readonly Cidr[], withPods: boolean): IdSet {
    const key = `${cidr.text}-${except.map((e) => e.text).join(',')}-${withPods}`;
    let set = this.ipMemo.get(key);
    if (set !== undefined) return set;
    const ids: number[] = [];
    const inside = new Uint8Array(this.atoms.count);
    const lo = this.atoms.find(cidr.start);
    const hi = this.atoms.find(cidr.end);
    inside.fill(1, lo, hi + 1);
    for (const e of except) inside.fill(0, this.atoms.find(e.start), this.atoms.find(e.end) + 1);
    const byAtom = withPods ? this.classesByAtom() : null;
    for (let a = lo; a <= hi; a++) {
      if (inside[a] === 0) continue;
      ids.push(this.classes.count + a);
      for (const c of byAtom?.[a] ?? []) ids.push(c);
    }
    set = IdSet.ofIds(this.size, ids);
    this.ipMemo.set(key, set);
    return set;
  }

  /** Bit index of an external IP atom. */
  atomBit(atom: number): number {
    return this.classes.count + atom;
  }

  /** Namespaces a (non-nil) namespaceSelector matches. */
  namespaces(sel: LabelSelector): readonly string[] {
    const k = selectorKey(sel);
    let r = this.nsMemo.get(k);
    if (r === undefined) {
      this.nsIndex ??= new LabelIndex(this.namespaceNames.map((n) => this.nsLabels.get(n)!));
      r = this.nsIndex
        .select(sel, null)
        .sort((a, b) => a - b)
        .map((i) => this.namespaceNames[i]!);
      this.nsMemo.set(k, r);
    }
    return r;
  }

  private readonly anywhereMemo = new Map<string, IdSet>();

  /** Postings over the classes' labels (built on first use). */
  private classLabels(): LabelIndex {
    return (this.classIndex ??= new LabelIndex(this.classes.rep.map((e) => e.labels)));
  }

  /** Classes of any namespace whose labels match a pod selector. Memoised. */
  private podsAnywhere(podSel: LabelSelector): IdSet {
    const k = selectorKey(podSel);
    let r = this.anywhereMemo.get(k);
    if (r === undefined) {
      r = IdSet.ofIds(this.size, this.classLabels().select(podSel, null));
      this.anywhereMemo.set(k, r);
    }
    return r;
  }

  private readonly nsClassesMemo = new Map<string, IdSet>();

  /** The classes of a list of namespaces (keyed as in pods()). Memoised; shared, never changed. */
  private namespaceClasses(key: string, namespaces: readonly string[]): IdSet {
    let r = this.nsClassesMemo.get(key);
    if (r === undefined) {
      const ids: number[] = [];
      for (const ns of namespaces) for (const c of this.classes.byNamespace.get(ns) ?? []) ids.push(c);
      r = IdSet.ofIds(this.size, ids);
      this.nsClassesMemo.set(key, r);
    }
    return r;
  }

  /** Classes in the given namespaces whose labels match podSel (null = all of them). Memoised. */
  pods(namespaces: readonly string[], podSel: LabelSelector | null): IdSet {
    // the namespace lists of selectors are memoised arrays: key them once, not by joining each time
    let nk = this.nsListKeys.get(namespaces);
    if (nk === undefined) this.nsListKeys.set(namespaces, (nk = namespaces.length === 1 ? `=${namespaces[0]!}` : namespaces.join('\u0000')));
    let bySel = this.podMemo.get(nk);
    if (bySel === undefined) this.podMemo.set(nk, (bySel = new Map()));
    const k = podSel === null ? '*' : selectorKey(podSel);
    let r = bySel.get(k);
    if (r === undefined) {
      const byNs = this.classes.byNamespace;
      if (podSel === null) r = this.namespaceClasses(nk, namespaces);
      else if (namespaces.length > 1) {
        // the selector's matches in the whole cluster (decided once per selector) AND the classes of
        // those namespaces (once per namespace list), for each policy that pairs the two
        // (`env In [prod, staging]` with `app: prometheus`)
        r = this.podsAnywhere(podSel).intersect(this.namespaceClasses(nk, namespaces));
      } else {
        // one namespace (or none): its classes, or the rarest pair's candidates when fewer
        const ns = namespaces[0];
        const inNs = ns === undefined ? [] : (byNs.get(ns) ?? []);
        const scope = { size: inNs.length, has: (c: number) => this.classes.rep[c]!.namespace === ns, items: () => inNs };
        r = IdSet.ofIds(this.size, this.classLabels().select(podSel, scope));
      }
      bySel.set(k, r);
    }
    return r;
  }
}
