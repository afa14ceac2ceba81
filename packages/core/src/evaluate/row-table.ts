/**
 * The rows of a materialised index as flat tables, for queries that ask one destination of every
 * source (who-can-reach): a dense id per distinct row, and per row the ids of its segments among the distinct ones.
 *
 * Why: at 150k pods every source has a row, 9.6k rows are distinct and they hold 141k segment
 * references, but only 1.5k distinct segments (interned bitsets of 1.2k words each). Testing the
 * destination's bit in each reference read 141k scattered words; testing it once per distinct
 * segment reads 1.5k, and deciding a row is then a walk over a flat Int32Array.
 *
 * Built once per index, on first use (rows never change once computed).
 */
import type * as B from '../compile/bitset.js';
import type { Row } from './rows.js';

export interface RowTable {
  /** Row id of each source bit. */
  readonly rowOf: Int32Array;
  /** Distinct rows by id. */
  readonly rows: readonly Row[];
  /** Row r's segment ids are segIds[segStart[r] .. segStart[r + 1]). */
  readonly segStart: Int32Array;
  readonly segIds: Int32Array;
  /** Distinct segments by id. */
  readonly segs: readonly B.Bits[];
}

/** The table of `size` source bits whose rows `rowOfBit` gives (computing them as needed). */
export function buildRowTable(size: number, rowOfBit: (bit: number) => Row): RowTable {
  const rowOf = new Int32Array(size);
  const rowIds = new Map<Row, number>();
  const rows: Row[] = [];
  for (let s = 0; s < size; s++) {
    const row = rowOfBit(s);
    let id = rowIds.get(row);
    if (id === undefined) {
      rowIds.set(row, (id = rows.length));
      rows.push(row);
    }
    rowOf[s] = id;
  }
  const segId = new Map<B.Bits, number>();
  const segs: B.Bits[] = [];
  const segStart = new Int32Array(rows.length + 1);
  let total = 0;
  for (const r of rows) total += r.segs.length;
  const ids = new Int32Array(total);
  let n = 0;
  rows.forEach((r, k) => {
    segStart[k] = n;
    for (const seg of r.segs) {
      let id = segId.get(seg);
      if (id === undefined) {
        segId.set(seg, (id = segs.length));
        segs.push(seg);
      }
      ids[n++] = id;
    }
  });
  segStart[rows.length] = n;
  return { rowOf, rows, segStart, segIds: ids, segs };
}

/** Per row id: 1 when some segment of the row holds `bit` (some port reaches it), else 0. */
export function rowsReaching(t: RowTable, bit: number): Uint8Array {
  const word = bit >>> 5;
  const mask = 1 << (bit & 31);
  const segHit = new Uint8Array(t.segs.length);
  for (let k = 0; k < t.segs.length; k++) if ((t.segs[k]![word]! & mask) !== 0) segHit[k] = 1;
  const out = new Uint8Array(t.rows.length);
  const { segStart, segIds } = t;
  for (let r = 0; r < t.rows.length; r++) {
    for (let j = segStart[r]!; j < segStart[r + 1]!; j++) {
      if (segHit[segIds[j]!] === 1) {
        out[r] = 1;
        break;
      }
    }
  }
  return out;
}
