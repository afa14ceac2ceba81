/**
 * Sources (classes and external atoms) grouped by the rules that apply to them: two sources are in
 * one group exactly when the same blocks list them as sources, in each direction, and they have the
 * same egress isolation. A row of the index depends on nothing else, so a group shares one row.
 *
 * Built by partition refinement over typed arrays: start from the isolation groups, then for each
 * block (in id order) move every source it lists into a child of its current group ("the parent's
 * blocks, then this one"). One integer read and write per (block, source) pair; no per-source lists,
 * no hashing. At 150k pods that is 7 million pairs, which per-source JS arrays made the largest single
 * cost of building the index (and of its garbage collection).
 *
 * A group's block lists are read back from its parent chain only when a row or an explanation needs
 * them (a few thousand groups, against tens of thousands of sources).
 *
 * | group kind           | parent        | block      | lists                                  |
 * |----------------------|---------------|------------|----------------------------------------|
 * | root (isolation)     | -1            | -1         | empty                                  |
 * | refined              | parent group  | block id   | parent's lists + the block             |
 * | explicit (an update) | -1            | -1         | given when made (see `withLists`)      |
 */
import * as B from '../compile/bitset.js';
import type { Block } from '../compile/block.js';

/** Egress isolation of a source: 0 an external atom (no egress side), 1 isolated, 2 not isolated. */
export type IsoKey = 0 | 1 | 2;

export interface GroupLists {
  readonly egress: readonly Block[];
  readonly ingress: readonly Block[];
}

const EMPTY_LISTS: GroupLists = { egress: [], ingress: [] };

export class SourceGroups {
  /** Group of each source bit. */
  readonly groupOf: Int32Array;
  private parent: Int32Array;
  private block: Int32Array;
  private iso: Uint8Array;
  private count = 0;
  private readonly lists = new Map<number, GroupLists>();

  private constructor(
    size: number,
    private readonly blockById: readonly (Block | undefined)[],
  ) {
    this.groupOf = new Int32Array(size);
    const cap = Math.max(1024, size);
    this.parent = new Int32Array(cap);
    this.block = new Int32Array(cap);
    this.iso = new Uint8Array(cap);
  }

  /**
   * Groups for `size` sources: `isoOf(s)` their egress isolation, `blocks` the (non-universal) blocks
   * in id order. `blockById[id]` must give each block back.
   */
  static build(size: number, isoOf: (s: number) => IsoKey, blocks: readonly Block[], blockById: readonly (Block | undefined)[]): SourceGroups {
    const g = new SourceGroups(size, blockById);
    const roots = [g.make(-1, -1, 0), g.make(-1, -1, 1), g.make(-1, -1, 2)];
    for (let s = 0; s < size; s++) g.groupOf[s] = roots[isoOf(s)]!;
    let stamp = new Int32Array(g.parent.length).fill(-1);
    let child = new Int32Array(g.parent.length);
    for (const b of blocks) {
      const groupOf = g.groupOf;
      const visit = (s: number): void => {
        const p = groupOf[s]!;
        if (stamp[p] !== b.id) {
          stamp[p] = b.id;
          child[p] = g.make(p, b.id, g.iso[p]! as IsoKey);
          if (g.parent.length > stamp.length) {
            // the group arrays grew: the scratch arrays follow (old groups keep their entries)
            const st = new Int32Array(g.parent.length).fill(-1);
            st.set(stamp);
            stamp = st;
            const ch = new Int32Array(g.parent.length);
            ch.set(child);
            child = ch;
          }
        }
        groupOf[s] = child[p]!;
      };
      b.rows.forEach(visit);
    }
    return g;
  }

  /**
   * A copy for an incremental update: `regroup(s)` gives each touched source's egress isolation and
   * block lists (already in id order); untouched sources keep their groups. Touched sources with
   * equal lists and isolation share a new group.
   */
  withLists(touched: B.Bits, regroup: (s: number, old: GroupLists) => { iso: IsoKey; lists: GroupLists }): SourceGroups {
    const g = new SourceGroups(0, this.blockById);
    Object.assign(g, { groupOf: this.groupOf.slice() });
    // copies, not shared: groups made here must not overwrite those of another update made from
    // the same index (group ids past `count` are free in each copy independently)
    g.parent = this.parent.slice();
    g.block = this.block.slice();
    g.iso = this.iso.slice();
    g.count = this.count;
    for (const [k, v] of this.lists) g.lists.set(k, v);
    const byKey = new Map<string, number>();
    B.forEach(touched, (s) => {
      const { iso, lists } = regroup(s, this.listsOf(this.groupOf[s]!));
      const key = `${iso}|${lists.egress.map((b) => b.id).join(',')}|${lists.ingress.map((b) => b.id).join(',')}`;
      let id = byKey.get(key);
      if (id === undefined) {
        id = g.make(-1, -1, iso);
        g.lists.set(id, lists);
        byKey.set(key, id);
      }
      g.groupOf[s] = id;
    });
    return g;
  }

  private make(parent: number, block: number, iso: IsoKey): number {
    if (this.count === this.parent.length) {
      const n = this.count * 2;
      const grow = <T extends Int32Array | Uint8Array>(a: T, f: (n: number) => T): T => {
        const x = f(n);
        x.set(a);
        return x;
      };
      this.parent = grow(this.parent, (k) => new Int32Array(k));
      this.block = grow(this.block, (k) => new Int32Array(k));
      this.iso = grow(this.iso, (k) => new Uint8Array(k));
    }
    const id = this.count++;
    this.parent[id] = parent;
    this.block[id] = block;
    this.iso[id] = iso;
    return id;
  }

  /** Egress isolation of a group. */
  isoOf(group: number): IsoKey {
    return this.iso[group]! as IsoKey;
  }

  /** A group's blocks per direction, in id order (memoised). */
  listsOf(group: number): GroupLists {
    const known = this.lists.get(group);
    if (known !== undefined) return known;
    const chain: Block[] = [];
    let gr = group;
    while (this.block[gr]! >= 0 && !this.lists.has(gr)) {
      chain.push(this.blockById[this.block[gr]!]!);
      gr = this.parent[gr]!;
    }
    // a refined chain ends at a root (empty) or, after an update, at a group whose lists are known
    const base = this.lists.get(gr) ?? EMPTY_LISTS;
    const egress = [...base.egress];
    const ingress = [...base.ingress];
    for (let k = chain.length - 1; k >= 0; k--) (chain[k]!.direction === 'egress' ? egress : ingress).push(chain[k]!);
    const out = { egress, ingress };
    this.lists.set(group, out);
    return out;
  }
}
