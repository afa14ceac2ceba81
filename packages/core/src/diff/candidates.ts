/**
 * Which sources can have changed at all, found from the compiled blocks without computing a row.
 *
 * The connections of (s, d) on a port atom depend only on (rows.ts):
 *   - the blocks that cover the pair (s in block.rows, d in block.other) on that port atom, with
 *     their tier, action and evaluation order;
 *   - the egress isolation of s and the ingress isolation of d.
 * So a pair can change only if a block covering it exists on one side and not on the other, or an
 * isolation bit of its ends changed, or one of its ends exists on one side only. We translate every
 * block into the joint space (align.ts) and compare the two sides' blocks as multisets (NetworkPolicy
 * tier: an OR, so order is meaningless) or as sequences (admin tiers: first match wins, so any
 * difference in the ordered list marks every admin block as changed). The sources of changed blocks
 * are the candidates; a change of some destination's ingress isolation, or an endpoint present on one
 * side only, makes every source a candidate (the column changed).
 *
 * One edited policy therefore costs the rows of the few sources its rules mention, not the whole
 * index.
 */
import * as B from '../compile/bitset.js';
import type { IdSet } from '../compile/id-set.js';
import type { Block } from '../compile/block.js';
import type { ReachabilityIndex } from '../evaluate/index.js';
import { Translator, type Alignment } from './align.js';

/**
 * Dense ids for joint-space bitsets, shared by both sides: equal bitsets get equal ids, so a block's
 * key is a few small numbers instead of the text of its bitsets.
 */
class BitsIds {
  private readonly table = new Map<number, { bits: B.Bits; id: number }[]>();
  private next = 0;

  id(bits: B.Bits): number {
    const h = B.hash(bits);
    let bucket = this.table.get(h);
    if (bucket === undefined) this.table.set(h, (bucket = []));
    for (const e of bucket) if (B.equal(e.bits, bits)) return e.id;
    const id = this.next++;
    bucket.push({ bits, id });
    return id;
  }
}

/** A block's port atoms as joint port atoms. */
function jointPorts(ports: B.Bits, jointToSide: Int32Array): B.Bits {
  const out = B.empty(jointToSide.length);
  for (let j = 0; j < jointToSide.length; j++) if (B.has(ports, jointToSide[j]!)) B.set(out, j);
  return out;
}

interface SideBlocks {
  readonly np: Map<string, Block[]>;
  readonly admin: string[];
  readonly adminBlocks: Block[];
}

function sideBlocks(index: ReachabilityIndex, t: Translator, portMap: Int32Array, ids: BitsIds): SideBlocks {
  const np = new Map<string, Block[]>();
  const admin: string[] = [];
  const adminBlocks: Block[] = [];
  const unitIds = new Map<IdSet, number>();
  const portIds = new Map<B.Bits, number>();
  const unitId = (b: IdSet) => {
    let k = unitIds.get(b);
    if (k === undefined) unitIds.set(b, (k = ids.id(t.translateSet(b))));
    return k;
  };
  const portId = (b: B.Bits) => {
    let k = portIds.get(b);
    if (k === undefined) portIds.set(b, (k = ids.id(jointPorts(b, portMap))));
    return k;
  };
  for (const b of index.compiled.blocks) {
    const k = `${b.direction}|${b.tier}|${b.action}|${unitId(b.rows)}|${unitId(b.other)}|${portId(b.ports)}`;
    if (b.tier === 'NetworkPolicy') {
      const list = np.get(k);
      if (list === undefined) np.set(k, [b]);
      else list.push(b);
    } else {
      admin.push(k);
      adminBlocks.push(b);
    }
  }
  return { np, admin, adminBlocks };
}

/**
 * The source units whose rows must be compared, as a bitset over units, or null when every source
 * must be (a column changed).
 */
export function candidateSources(a: ReachabilityIndex, b: ReachabilityIndex, al: Alignment): B.Bits | null {
  const n = al.units.length;
  for (const u of al.units) if (u.bitA < 0 || u.bitB < 0) return null;
  const ta = Translator.of(al, 'A', al.sizeA);
  const tb = Translator.of(al, 'B', al.sizeB);
  // ingress isolation of any destination changed: its whole column may differ
  if (!B.equal(ta.translate(a.compiled.ingressIsolated), tb.translate(b.compiled.ingressIsolated))) return null;

  const out = B.empty(n);
  const ea = ta.translate(a.compiled.egressIsolated);
  const eb = tb.translate(b.compiled.egressIsolated);
  for (let w = 0; w < out.length; w++) out[w]! |= ea[w]! ^ eb[w]!;

  const ids = new BitsIds();
  const sa = sideBlocks(a, ta, al.portA, ids);
  const sb = sideBlocks(b, tb, al.portB, ids);
  const mark = (blocks: readonly Block[], t: Translator) => {
    for (const blk of blocks) B.orInto(out, t.translateSet(blk.rows));
  };
  for (const [k, list] of sa.np) if ((sb.np.get(k)?.length ?? 0) !== list.length) mark(list, ta);
  for (const [k, list] of sb.np) if ((sa.np.get(k)?.length ?? 0) !== list.length) mark(list, tb);
  if (sa.admin.length !== sb.admin.length || sa.admin.some((k, i) => k !== sb.admin[i])) {
    mark(sa.adminBlocks, ta);
    mark(sb.adminBlocks, tb);
  }
  return out;
}
