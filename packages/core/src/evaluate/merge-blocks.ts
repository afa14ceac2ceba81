/**
 * Evaluation blocks: NetworkPolicy blocks with the same direction, sources and port atoms evaluated
 * as one block whose destinations are the OR of theirs. Within the NetworkPolicy tier rules are a
 * union, so this changes no answer; it changes how long the rule lists of the index are.
 *
 * Why: many policies admit the same peers on the same port (every namespace's "allow Prometheus on
 * `metrics`", every "allow from ingress-nginx"). Each is a block whose sources are those peers, so a
 * peer's ingress list grew with the number of namespaces, and every row walked it: at 150k pods the
 * lists held 1.9 million entries, five times as many as at 75k. Merged, such a peer has a handful.
 *
 * Provenance is untouched: an evaluation block lists its members, and `explain` expands it back to
 * the rules it came from (ReachabilityIndex.blocksFor). Admin and Baseline blocks are ordered and
 * first-match, so they are never merged.
 */
import * as B from '../compile/bitset.js';
import type { Block } from '../compile/block.js';
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

/** `mergeNetworkPolicies` false: every block as it is (a Calico rule may sit between two NetworkPolicy blocks). */
export function evalBlocks(blocks: readonly Block[], mergeNetworkPolicies = true): EvalBlocks {
  const groups = new Map<string, Block[][]>();
  const order: Block[][] = [];
  for (const b of blocks) {
    if (b.tier !== 'NetworkPolicy' || !mergeNetworkPolicies) {
      order.push([b]);
      continue;
    }
    const key = `${b.direction},${b.rows.hash()},${B.hash(b.ports)}`;
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
