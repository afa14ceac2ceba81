/**
 * Evaluation blocks: blocks with the same direction, sources and port atoms evaluated as one block
 * whose destinations are the OR of theirs, wherever evaluation order cannot tell them apart.
 *
 * Why: many policies admit the same peers on the same port (every namespace's "allow Prometheus on
 * `metrics`", every "allow from ingress-nginx"). Each is a block whose sources are those peers, so a
 * peer's ingress list grew with the number of namespaces, and every row walked it: at 150k pods the
 * lists held 1.9 million entries, five times as many as at 75k. Merged, such a peer has a handful.
 *
 * When merging changes no answer: evaluation (evaluate/rows.ts) takes blocks by tier rank, then id,
 * and an allowing block acts on the destinations still undecided, `rem`, as
 *   allow |= o & rem; rem &= ~o          (o: a Calico Allow's destinations; a NetworkPolicy's, AND isolated)
 * Two such steps in a row equal one step with the OR of their `o`, in either order, so inside a run of
 * blocks of one tier rank that only allow (NetworkPolicy blocks, Calico Allow blocks) any of them with
 * the same key can be evaluated together at the place of the first. Log blocks change nothing and sit
 * inside a run; a Deny or Pass block ends it (a block after it must stay after it), and so does a tier
 * boundary. Without Calico policies the NetworkPolicy tier is one such run, as it always was.
 * NetworkPolicy and Calico blocks are merged only with their own kind (the former are limited to
 * isolated destinations). Admin and Baseline blocks are never merged: an incremental update
 * (evaluate/index.ts) re-merges what is left of a merged block under a fresh, last id, which only a
 * union tier tolerates, and it runs only without Calico policies.
 *
 * Provenance is untouched: an evaluation block lists its members, and `explain` expands it back to
 * the rules it came from (ReachabilityIndex.blocksFor), in their own order.
 */
import * as B from '../compile/bitset.js';
import { rankOf, type Block } from '../compile/block.js';
import { IdSet } from '../compile/id-set.js';

export interface EvalBlocks {
  /** Evaluation blocks in id order (a merged block takes the id of its first member). */
  readonly blocks: readonly Block[];
  /** Evaluation block by id. */
  readonly byId: readonly (Block | undefined)[];
  /** The original blocks of each merged evaluation block (in id order); absent for a block used as is. */
  readonly members: ReadonlyMap<Block, readonly Block[]>;
  /** The evaluation block an original block was merged into (absent: it is its own). */
  readonly evalOf: ReadonlyMap<Block, Block>;
}

/** One evaluation block for members of one (direction, sources, ports) key, under a given id. */
export function mergedBlock(members: readonly Block[], id: number): Block {
  const first = members[0]!;
  if (members.length === 1 && first.id === id) return first;
  return {
    ...first,
    id,
    other: IdSet.union(
      first.other.size,
      members.map((m) => m.other),
    ),
  };
}

/** Whether a block only allows, so that it commutes with every other such block of its tier. */
function allowsOnly(b: Block): boolean {
  return b.tier === 'NetworkPolicy' || (b.tier === 'Calico' && b.action === 'Accept');
}

/** Blocks (sorted by rank, then id, as compile/compile.ts leaves them) grouped into evaluation blocks. */
export function evalBlocks(blocks: readonly Block[]): EvalBlocks {
  // the groups of the current run, by key; a new run starts a new map
  let groups = new Map<string, Block[][]>();
  let runRank = NaN;
  const order: Block[][] = [];
  for (const b of blocks) {
    const rank = rankOf(b);
    if (rank !== runRank) {
      groups = new Map();
      runRank = rank;
    }
    if (!allowsOnly(b)) {
      // Log changes nothing: the run goes on across it
      if (b.action !== 'Log') groups = new Map();
      order.push([b]);
      continue;
    }
    const key = `${b.tier},${b.direction},${b.rows.hash()},${B.hash(b.ports)}`;
    let bucket = groups.get(key);
    if (bucket === undefined) groups.set(key, (bucket = []));
    const same = bucket.find((g) => g[0]!.rows.equals(b.rows) && B.equal(g[0]!.ports, b.ports));
    if (same !== undefined) same.push(b);
    else {
      const g = [b];
      bucket.push(g);
      order.push(g);
    }
  }
  const out: Block[] = [];
  const byId: (Block | undefined)[] = [];
  const members = new Map<Block, readonly Block[]>();
  const evalOf = new Map<Block, Block>();
  for (const g of order) {
    const e = mergedBlock(g, g[0]!.id);
    out.push(e);
    byId[e.id] = e;
    if (g.length > 1) {
      members.set(e, g);
      for (const m of g) evalOf.set(m, e);
    }
  }
  return { blocks: out, byId, members, evalOf };
}
