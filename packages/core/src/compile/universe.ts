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
  private readonly namespaceNames: readonly string[];
  private nsIndex: LabelIndex | null = null;
  /** What depends on the classes and atoms alone: shared by universes that differ in namespace labels only. */
  private readonly memo: ClassMemos;

  constructor(
    readonly classes: ClassTable,
    readonly atoms: IPAtoms,
    private readonly nsLabels: ReadonlyMap<string, Readonly<Record<string, string>>>,
    /** @internal a universe of the same classes and atoms whose masks and class memos this one shares (withNamespaceLabels) */
    same?: Universe,
  ) {
    this.size = classes.count + atoms.count;
    this.classesMask = same?.classesMask ?? B.range(this.size, 0, classes.count);
    this.atomsMask = same?.atomsMask ?? B.range(this.size, classes.count, this.size);
    this.all = same?.all ?? B.full(this.size);
    this.allSet = same?.allSet ?? IdSet.ofBits(this.size, this.all);
    this.namespaceNames = [...nsLabels.keys()].sort();
    this.memo = same?.memo ?? {
      pods: new Map(),
      nsListKeys: new WeakMap(),
      classIndex: null,
      classesByAtom: null,
      ip: new Map(),
      anywhere: new Map(),
      nsClasses: new Map(),
    };
  }

  /**
   * The same classes and atoms with one namespace's labels replaced (and its classes' `nsLabels`):
   * for an incremental update after a namespace is relabelled (evaluate/update.ts). Every id keeps
   * its meaning, so sets compiled over this universe stay valid over the new one; what depends on
   * classes alone (pod selections per namespace list, ipBlocks, masks) is shared, so an equal
   * selection stays one object, and only namespace selections are decided again.
   */
  withNamespaceLabels(name: string, labels: Readonly<Record<string, string>>): Universe {
    const nsLabels = new Map(this.nsLabels);
    nsLabels.set(name, labels);
    const classNsLabels = this.classes.nsLabels.slice();
    for (const c of this.classes.byNamespace.get(name) ?? []) classNsLabels[c] = labels;
    return new Universe({ ...this.classes, nsLabels: classNsLabels }, this.atoms, nsLabels, this);
  }

  /**
   * The same ids over another class table (evaluate/update.ts, after one endpoint changed): with
   * `sameSelections`, a table whose every class is selected by every selector exactly as here (an
   * endpoint moved between classes, or a representative swapped for one of the same key), so the
   * class memos are shared; otherwise they start anew.
   */
  withClasses(classes: ClassTable, sameSelections: boolean): Universe {
    return new Universe(classes, this.atoms, this.nsLabels, sameSelections ? this : undefined);
  }

  /** Classes having a known IP inside each atom, indexed by atom (built on first use). */
  classesByAtom(): readonly (readonly number[] | undefined)[] {
    if (this.memo.classesByAtom === null) {
      const m: (number[] | undefined)[] = new Array(this.atoms.count);
      this.classes.ipAtoms.forEach((atoms, c) => {
        for (const a of atoms) (m[a] ??= []).push(c);
      });
      this.memo.classesByAtom = m;
    }
    return this.memo.classesByAtom;
  }

  /**
   * An ipBlock (cidr minus excepts; boundaries are atom cuts): its external atoms and, when pods
   * match, the classes with a known IP in them. Memoised: the same blocks recur across namespaces.
   */
  ipBlock(cidr: Cidr, except: readonly Cidr[], withPods: boolean): IdSet {
    const key = `${cidr.text}-${except.map((e) => e.text).join(',')}-${withPods}`;
    let set = this.memo.ip.get(key);
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
    this.memo.ip.set(key, set);
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

  /** Postings over the classes' labels (built on first use). */
  private classLabels(): LabelIndex {
    return (this.memo.classIndex ??= new LabelIndex(this.classes.rep.map((e) => e.labels)));
  }

  /** Classes of any namespace whose labels match a pod selector. Memoised. */
  private podsAnywhere(podSel: LabelSelector): IdSet {
    const k = selectorKey(podSel);
    let r = this.memo.anywhere.get(k);
    if (r === undefined) {
      r = IdSet.ofIds(this.size, this.classLabels().select(podSel, null));
      this.memo.anywhere.set(k, r);
    }
    return r;
  }

  /** The classes of a list of namespaces (keyed as in pods()). Memoised; shared, never changed. */
  private namespaceClasses(key: string, namespaces: readonly string[]): IdSet {
    let r = this.memo.nsClasses.get(key);
    if (r === undefined) {
      const ids: number[] = [];
      for (const ns of namespaces) for (const c of this.classes.byNamespace.get(ns) ?? []) ids.push(c);
      r = IdSet.ofIds(this.size, ids);
      this.memo.nsClasses.set(key, r);
    }
    return r;
  }

  /** Classes in the given namespaces whose labels match podSel (null = all of them). Memoised. */
  pods(namespaces: readonly string[], podSel: LabelSelector | null): IdSet {
    // the namespace lists of selectors are memoised arrays: key them once, not by joining each time
    let nk = this.memo.nsListKeys.get(namespaces);
    if (nk === undefined) this.memo.nsListKeys.set(namespaces, (nk = namespaces.length === 1 ? `=${namespaces[0]!}` : namespaces.join('\u0000')));
    let bySel = this.memo.pods.get(nk);
    if (bySel === undefined) this.memo.pods.set(nk, (bySel = new Map()));
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

/** A universe's memos that depend on its classes and atoms alone (never on namespace labels). */
interface ClassMemos {
  /** pods() results by namespace-list key, then selector key (nested: no joined key per call). */
  readonly pods: Map<string, Map<string, IdSet>>;
  readonly nsListKeys: WeakMap<readonly string[], string>;
  /** Postings over the classes' labels (built on first use). */
  classIndex: LabelIndex | null;
  classesByAtom: (number[] | undefined)[] | null;
  readonly ip: Map<string, IdSet>;
  readonly anywhere: Map<string, IdSet>;
  readonly nsClasses: Map<string, IdSet>;
}
