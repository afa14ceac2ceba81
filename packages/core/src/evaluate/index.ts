/**
 * The ReachabilityIndex: the compiled cluster plus its rows (evaluate/rows.ts), and the endpoint
 * table queries name things by. Rows are computed on first use and shared between sources with the
 * same rules (most classes of a cluster share a handful of rows), so a cluster whose every pod is its
 * own class costs only the rows that are actually asked for. `materialize()` computes them all.
 *
 * Point queries after that are a segment lookup and a bit test.
 */
import * as B from '../compile/bitset.js';
import type { Block } from '../compile/block.js';
import { compileCluster, type CompileOptions, type Compiled } from '../compile/compile.js';
import { AmbiguousError, InvalidArgumentError, NotFoundError } from '../errors.js';
import type { Cluster, Endpoint } from '../model/types.js';
import type { CniProfile } from '../compile/profile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { ConnectionSet, icmpKey, icmpTypeRange, isIcmp, MAX_ICMP_CODE, MAX_ICMP_TYPE, MAX_PORT, MIN_PORT, type ConnProtocol } from '../net/connection-set.js';
import { parseIP } from '../net/ip.js';
import { hasSeveralPods } from '../model/replicas.js';
import { evalBlocks, mergedBlock } from './merge-blocks.js';
import { buildRowTable, type RowTable } from './row-table.js';
import { SourceGroups, type GroupLists, type IsoKey } from './source-groups.js';
import { DirectionCache, computeRow, coverUniversal, destinations, mergeById, patchRow, type Row, type UniversalCover } from './rows.js';

/** What an incremental update keeps from the previous index (see evaluate/update.ts). */
export interface IndexReuse {
  readonly from: ReachabilityIndex;
  /** Sources whose rule lists or isolation changed. */
  readonly touched: B.Bits;
  /** Blocks of the previous index that are gone, and the new ones (ids above every old id). */
  readonly removed: readonly Block[];
  readonly added: readonly Block[];
  /**
   * Destinations whose ingress isolation changed (null: none). Every row may differ in those columns
   * and nowhere else, so untouched sources get their previous row patched there (rows.ts patchRow).
   */
  readonly ingressChanged: B.Bits | null;
  /**
   * The entity table when an endpoint changed (same ids, names, addresses and order; an entity's
   * endpoint or class may differ). Absent: the previous index's table.
   */
  readonly entities?: readonly IndexEntity[];
}

/** How an index made by an update derives the rows of untouched sources when ingress isolation changed. */
interface RowPatch {
  readonly from: ReachabilityIndex;
  readonly touched: B.Bits;
  /** Words of the universe holding a destination whose ingress isolation changed, ascending. */
  readonly words: Int32Array;
  /** Previous row -> patched row (rows are shared by many sources). */
  readonly memo: Map<Row, Row>;
  /** Untouched sources whose row is not patched yet: at 0 the previous index is let go. */
  left: number;
}

interface EntityNames {
  readonly byId: ReadonlyMap<string, number>;
  readonly byName: ReadonlyMap<string, readonly number[]>;
  readonly byIP: ReadonlyMap<string, readonly number[]>;
  /** `ns/name` of a split workload -> its id. */
  readonly splitNames: ReadonlyMap<string, string>;
}

function entityNames(entities: readonly IndexEntity[], split: ReadonlyMap<string, readonly string[]>): EntityNames {
  const byId = new Map<string, number>();
  const byName = new Map<string, number[]>();
  const byIP = new Map<string, number[]>();
  const splitNames = new Map<string, string>();
  for (const wid of split.keys()) splitNames.set(wid.replace(/\[[^\]]*\]$/, ''), wid);
  for (const en of entities) {
    byId.set(en.id, en.index);
    if (en.kind === 'endpoint') {
      const short = `${en.endpoint.namespace}/${en.endpoint.name}`;
      (byName.get(short) ?? byName.set(short, []).get(short)!).push(en.index);
      for (const ip of en.endpoint.ips) (byIP.get(ip) ?? byIP.set(ip, []).get(ip)!).push(en.index);
    }
  }
  return { byId, byName, byIP, splitNames };
}

/** A thing that sends or receives: a pod/workload endpoint, or a range of external addresses. */
export type IndexEntity =
  | { readonly kind: 'endpoint'; readonly index: number; readonly id: string; readonly bit: number; readonly endpoint: Endpoint }
  | { readonly kind: 'external'; readonly index: number; readonly id: string; readonly bit: number; readonly atom: number };

/**
 * The compiled answer to "what can talk to what": every endpoint class's allowed connections, built
 * once by {@link compile} and never changed (an edit makes a new index: {@link replacePolicy}). Its
 * methods are point queries (a few bit tests each); the views over it (matrix, whoCanReach,
 * explainConnection, auditNetwork, toGraph, ...) are functions that take it.
 *
 * @example
 * ```ts
 * const { cluster } = loadCluster([{ name: 'all.yaml', text }]);
 * const index = compile(cluster);
 * index.can('shop/web', 'shop/db', 'TCP', 5432); // true or false
 * ```
 */
export class ReachabilityIndex {
  readonly entities: readonly IndexEntity[];
  /**
   * Name tables for resolve(), built on its first call (a library caller that holds entities never
   * pays for them); shared, never mutated, with indexes made by an incremental update.
   */
  private namesMemo: EntityNames | null = null;
  /** Sources grouped by the blocks that list them (evaluate/source-groups.ts): a group shares a row. */
  private readonly groups: SourceGroups;
  /**
   * Evaluation blocks (evaluate/merge-blocks.ts): NetworkPolicy blocks with the same sources and
   * ports merged into one. The lists and rows use these; blocksFor() gives back the originals.
   */
  private readonly evalById: readonly (Block | undefined)[];
  private readonly members: ReadonlyMap<Block, readonly Block[]>;
  private readonly evalOf: ReadonlyMap<Block, Block>;
  /**
   * Blocks whose sources are every source of their direction (ingress rules open to anyone: at 150k
   * pods, 190 of them made 7 of the 7.3 million (block, source) pairs). Kept once here, not in each
   * group's lists, and covered once per port interval (UniversalCover) instead of once per row.
   */
  private readonly universalEgress: Block[];
  private readonly universalIngress: Block[];
  private universalCover: { egress: UniversalCover; ingress: UniversalCover } | null = null;
  private readonly rowByKey = new Map<string, { eg: readonly Block[]; ig: readonly Block[]; row: Row }[]>();
  private readonly rowOfGroup: Map<number, Row>;
  private distinctRows = 0;
  private readonly rowOfBit: (Row | undefined)[];
  private readonly interner: B.BitsInterner;
  private readonly dirCache: DirectionCache;
  /** Connection sets by their port-atom runs (see connectionsBetween). */
  private readonly connCache = new Map<string, ConnectionSet>();
  private readonly isolatedAll: B.Bits;
  private readonly isolatedNone: B.Bits;
  /**
   * The next free block id, one counter for every index derived from one compile: cached results
   * (dirCache, the interner) are shared along updates and keyed by block ids, so two updates made
   * from the same index must never give one id two meanings.
   */
  private readonly blockIds: { next: number };
  private rowTableMemo: RowTable | null = null;
  /** Set while untouched sources' rows are still to be patched from the previous index (an update). */
  private rowPatch: RowPatch | null;
  /** Per endpoint: 0 not decided, 1 one pod, 2 several pods (see model/replicas.ts). */
  private severalMemo: Uint8Array | null = null;

  /** @internal the compiled blocks and universe the index was built from */
  readonly compiled: Compiled;

  /**
   * Private: an index is made by {@link compile} (or {@link ReachabilityIndex.build}) and
   * {@link replacePolicy}, never by a caller's `new` (the published declarations say so: a private
   * constructor, not the implicit public one a stripped constructor would leave).
   */
  private constructor(compiled: Compiled, reuse?: IndexReuse) {
    this.compiled = compiled;
    const parts = reuse === undefined ? ReachabilityIndex.buildParts(compiled) : ReachabilityIndex.updateParts(compiled, reuse);
    this.entities = parts.entities;
    this.namesMemo = parts.namesMemo;
    this.universalEgress = parts.universalEgress;
    this.universalIngress = parts.universalIngress;
    this.evalById = parts.evalById;
    this.members = parts.members;
    this.evalOf = parts.evalOf;
    this.groups = parts.groups;
    this.rowOfBit = parts.rowOfBit;
    this.rowOfGroup = parts.rowOfGroup;
    this.interner = parts.interner;
    this.dirCache = parts.dirCache;
    this.blockIds = parts.blockIds;
    this.rowPatch = parts.rowPatch;
    this.isolatedAll = compiled.u.all;
    this.isolatedNone = B.empty(compiled.u.size);
  }

  /** A new index's tables: every source grouped by the blocks that list it, no row computed yet. */
  private static buildParts(compiled: Compiled): IndexParts {
    const { cluster, classes, u, ipAtoms } = compiled;
    const entities: IndexEntity[] = [];
    cluster.endpoints.forEach((e, i) => {
      entities.push({ kind: 'endpoint', index: i, id: e.id, bit: classes.ofEndpoint[i]!, endpoint: e });
    });
    for (let a = 0; a < ipAtoms.count; a++) {
      entities.push({ kind: 'external', index: entities.length, id: `${ipAtoms.label(a)}[External]`, bit: u.atomBit(a), atom: a });
    }
    const universalEgress: Block[] = [];
    const universalIngress: Block[] = [];
    const ev = evalBlocks(compiled.blocks);
    const own: Block[] = [];
    for (const b of ev.blocks) {
      if (isUniversal(compiled, b)) (b.direction === 'egress' ? universalEgress : universalIngress).push(b);
      else own.push(b);
    }
    return {
      entities,
      namesMemo: null,
      universalEgress,
      universalIngress,
      evalById: ev.byId,
      members: ev.members,
      evalOf: ev.evalOf,
      groups: SourceGroups.build(u.size, (s) => isoKey(compiled, s), own, ev.byId),
      rowOfBit: new Array<Row | undefined>(u.size),
      rowOfGroup: new Map(),
      interner: new B.BitsInterner(),
      dirCache: new DirectionCache(),
      blockIds: { next: compiled.blocks.reduce((m, b) => Math.max(m, b.id + 1), 0) }, // evaluation blocks take their members' ids
      rowPatch: null,
    };
  }

  /**
   * The tables of an index made from `reuse.from` by replacing some blocks (evaluate/update.ts): the
   * entity table, names and untouched sources' groups carry over; touched sources are regrouped.
   */
  private static updateParts(compiled: Compiled, reuse: IndexReuse): IndexParts {
    const u = compiled.u;
    const prev = reuse.from;
    const removed = new Set(reuse.removed);
    // An evaluation block losing a member is replaced by the merge of the rest under a fresh id
    // (cached direction results are keyed by block ids, so an id never changes meaning); one
    // losing every member, or an unmerged removed block, is dropped (null).
    const blockIds = prev.blockIds;
    for (const b of reuse.added) blockIds.next = Math.max(blockIds.next, b.id + 1);
    const replaced = new Map<Block, Block | null>();
    const evalById = prev.evalById.slice();
    const members = new Map(prev.members);
    const evalOf = new Map(prev.evalOf);
    for (const r of reuse.removed) {
      const e = prev.evalOf.get(r) ?? r;
      if (replaced.has(e)) continue;
      const rest = (prev.members.get(e) ?? [e]).filter((m) => !removed.has(m));
      if (rest.length === 0) {
        replaced.set(e, null);
        continue;
      }
      const next = mergedBlock(rest, blockIds.next++);
      replaced.set(e, next);
      evalById[next.id] = next;
      members.set(next, rest); // even one member: `next` is a copy under a new id, explained as that member
      for (const m of rest) evalOf.set(m, next);
    }
    for (const b of reuse.added) evalById[b.id] = b;
    const swap = (list: readonly Block[]): Block[] => {
      const out: Block[] = [];
      for (const b of list) {
        const r = replaced.get(b);
        if (r === undefined) out.push(b);
        else if (r !== null) out.push(r);
      }
      return out;
    };
    // a universal block added or removed touches every source (its rows are all of them)
    const universalEgress = swap(prev.universalEgress);
    const universalIngress = swap(prev.universalIngress);
    const addedOwn: Block[] = [];
    for (const b of reuse.added) {
      if (isUniversal(compiled, b)) (b.direction === 'egress' ? universalEgress : universalIngress).push(b);
      else addedOwn.push(b);
    }
    byId(universalEgress);
    byId(universalIngress);
    // touched sources: old lists with removed blocks dropped or replaced, plus the added ones, in id
    // order; every other source keeps its group, and so its lists and row
    const groups = prev.groups.withLists(reuse.touched, (s, old) => {
      const keep = (list: readonly Block[], dir: 'egress' | 'ingress') =>
        byId([...swap(list), ...addedOwn.filter((b) => b.direction === dir && b.rows.has(s))]);
      return { iso: isoKey(compiled, s), lists: { egress: keep(old.egress, 'egress'), ingress: keep(old.ingress, 'ingress') } };
    });
    const changed = reuse.ingressChanged;
    // isolation unchanged: untouched sources keep their rows as they are; changed: they get them
    // patched in the changed columns, from the previous index's rows, on first use
    const rowOfBit = changed === null ? prev.rowOfBit.slice() : new Array<Row | undefined>(u.size);
    if (changed === null) B.forEach(reuse.touched, (s) => (rowOfBit[s] = undefined));
    let rowPatch: RowPatch | null = null;
    if (changed !== null && B.count(reuse.touched) < u.size) {
      const words: number[] = [];
      for (let w = 0; w < changed.length; w++) if (changed[w] !== 0) words.push(w);
      rowPatch = { from: prev, touched: reuse.touched, words: Int32Array.from(words), memo: new Map(), left: u.size - B.count(reuse.touched) };
    }
    return {
      // same endpoints and atoms: the entity table and the name tables carry over (an endpoint
      // changed: a new table of the same ids, names and addresses, so the name tables still hold)
      entities: reuse.entities ?? prev.entities,
      namesMemo: prev.namesMemo,
      universalEgress,
      universalIngress,
      evalById,
      members,
      evalOf,
      groups,
      rowOfBit,
      rowOfGroup: changed === null ? new Map(prev.rowOfGroup) : new Map(),
      interner: prev.interner,
      dirCache: changed === null ? prev.dirCache : prev.dirCache.withNewIngressIsolation(),
      blockIds,
      rowPatch,
    };
  }

  /**
   * An id above every block id of this index and of every index derived from the same compile.
   * @internal storage, for incremental updates (evaluate/update.ts)
   */
  get freeBlockId(): number {
    return this.blockIds.next;
  }

  /**
   * Marks block ids below `end` as taken (evaluate/update.ts, once it has compiled a policy's blocks).
   * @internal storage, for incremental updates
   */
  claimBlockIds(end: number): void {
    this.blockIds.next = Math.max(this.blockIds.next, end);
  }

  /** Compiles a cluster and returns its index. */
  static build(cluster: Cluster, options?: CompileOptions): ReachabilityIndex {
    return new ReachabilityIndex(compileCluster(cluster, options));
  }

  /**
   * The index of a compiled cluster; with `reuse`, an index of the same cluster whose policies
   * differ only in the blocks given, so untouched sources keep their rule lists and rows
   * (evaluate/update.ts).
   * @internal
   */
  static fromCompiled(compiled: Compiled, reuse?: IndexReuse): ReachabilityIndex {
    return new ReachabilityIndex(compiled, reuse);
  }

  /** Number of distinct rows computed so far. */
  get rowCount(): number {
    return this.distinctRows;
  }

  /**
   * Every row, as flat tables (evaluate/row-table.ts); computes the rows not computed yet.
   * @internal storage, for the core's own queries
   */
  rowTable(): RowTable {
    return (this.rowTableMemo ??= buildRowTable(this.compiled.u.size, (s) => this.row(s)));
  }

  /** Computes every row (a full index); returns the number of distinct rows. */
  materialize(): number {
    for (let s = 0; s < this.compiled.u.size; s++) this.row(s);
    return this.distinctRows;
  }

  /**
   * The row of a source bit (class or external atom).
   * @internal storage, for the core's own queries
   */
  row(srcBit: number): Row {
    const cached = this.rowOfBit[srcBit];
    if (cached !== undefined) return cached;
    const patch = this.rowPatch;
    if (patch !== null && !B.has(patch.touched, srcBit)) {
      const old = patch.from.row(srcBit);
      let row = patch.memo.get(old);
      if (row === undefined) patch.memo.set(old, (row = patchRow(this.compiled, old, patch.words, this.interner, this.dirCache)));
      this.rowOfBit[srcBit] = row;
      if (--patch.left === 0) this.rowPatch = null;
      return row;
    }
    const group = this.groups.groupOf[srcBit]!;
    let row = this.rowOfGroup.get(group);
    if (row === undefined) {
      row = this.rowOfLists(this.groups.isoOf(group), this.groups.listsOf(group));
      this.rowOfGroup.set(group, row);
    }
    this.rowOfBit[srcBit] = row;
    return row;
  }

  /** The row for given isolation and lists: shared with any group whose lists are the same. */
  private rowOfLists(isoKey: IsoKey, lists: GroupLists): Row {
    const c = this.compiled;
    const external = isoKey === 0;
    const eg = external ? [] : lists.egress;
    const ig = lists.ingress;
    const iso = external ? null : isoKey === 1 ? this.isolatedAll : this.isolatedNone;
    const key = `${isoKey},${listHash(eg)},${listHash(ig)}`;
    let bucket = this.rowByKey.get(key);
    if (bucket === undefined) this.rowByKey.set(key, (bucket = []));
    let row = bucket.find((x) => sameList(x.eg, eg) && sameList(x.ig, ig))?.row;
    if (row === undefined) {
      this.universalCover ??= {
        egress: coverUniversal(this.universalEgress, c.ports.count, this.dirCache.seq),
        ingress: coverUniversal(this.universalIngress, c.ports.count, this.dirCache.seq),
      };
      const uc = this.universalCover;
      row = computeRow(
        c,
        { egress: eg, ingress: ig, egressIsolated: iso, universalEgress: external ? null : uc.egress, universalIngress: uc.ingress },
        this.interner,
        this.dirCache,
      );
      bucket.push({ eg, ig, row });
      this.distinctRows++;
    }
    return row;
  }

  /**
   * Blocks whose sources include a bit, per direction, in id order: the rules as compiled (for explanations).
   * @internal storage, for the core's own queries
   */
  blocksFor(direction: 'ingress' | 'egress', srcBit: number): readonly Block[] {
    if (direction === 'egress' && srcBit >= this.compiled.classes.count) return [];
    const lists = this.groups.listsOf(this.groups.groupOf[srcBit]!);
    const evaluated = direction === 'egress' ? mergeById(lists.egress, this.universalEgress) : mergeById(lists.ingress, this.universalIngress);
    if (!evaluated.some((b) => this.members.has(b))) return evaluated;
    return byId(evaluated.flatMap((b) => this.members.get(b) ?? [b]));
  }

  /**
   * Resolves a user reference: `ns/name[Kind]`, `ns/name` (a pod or workload; ambiguous names throw
   * AmbiguousError with the candidates), an IPv4/IPv6 address (a pod's known IP names that pod,
   * anything else the external range containing it), or an external range id `FIRST-LAST`.
   */
  resolve(ref: string): IndexEntity {
    this.namesMemo ??= entityNames(this.entities, this.compiled.split);
    const { byId, byName, byIP, splitNames } = this.namesMemo;
    const exact = byId.get(ref);
    if (exact !== undefined) return this.entities[exact]!;
    const split = this.compiled.split.get(ref) ?? this.compiled.split.get(splitNames.get(ref) ?? '');
    if (split !== undefined) {
      throw new AmbiguousError(`'${ref}' is listed pod by pod (a selector tells its pods apart); name one pod`, split);
    }
    const named = byName.get(ref);
    if (named !== undefined) {
      if (named.length === 1) return this.entities[named[0]!]!;
      throw new AmbiguousError(
        `'${ref}' names several endpoints`,
        named.map((i) => this.entities[i]!.id),
      );
    }
    const ip = parseIP(ref);
    if (ip !== null) {
      const canonical = ref.trim();
      const pods = byIP.get(canonical);
      if (pods !== undefined && pods.length === 1) return this.entities[pods[0]!]!;
      if (pods !== undefined && pods.length > 1) {
        throw new AmbiguousError(
          `address ${ref} belongs to several endpoints`,
          pods.map((i) => this.entities[i]!.id),
        );
      }
      const atom = this.compiled.ipAtoms.find(ip.value);
      return this.entities[this.compiled.cluster.endpoints.length + atom]!;
    }
    throw new NotFoundError(`no endpoint '${ref}'`);
  }

  /** Whether NetworkPolicies isolate an endpoint for ingress (an address never is). */
  isIngressIsolated(e: IndexEntity): boolean {
    return e.kind === 'endpoint' && B.has(this.compiled.ingressIsolated, e.bit);
  }

  /** Whether NetworkPolicies isolate an endpoint for egress (an address never is). */
  isEgressIsolated(e: IndexEntity): boolean {
    return e.kind === 'endpoint' && B.has(this.compiled.egressIsolated, e.bit);
  }

  /** Whether NetworkPolicies isolate the same endpoints in both directions here and in `other`, an index of the same endpoints. */
  sameIsolation(other: ReachabilityIndex): boolean {
    return B.equal(this.compiled.egressIsolated, other.compiled.egressIsolated) && B.equal(this.compiled.ingressIsolated, other.compiled.ingressIsolated);
  }

  /**
   * The cluster the index answers for: the loaded one, with a workload listed pod by pod where
   * selectors tell its pods apart.
   */
  get cluster(): Cluster {
    return this.compiled.cluster;
  }

  /** The CNI-dependent choices the answers rest on (what an ipBlock covers, host-network pods, ...). */
  get profile(): CniProfile {
    return this.compiled.profile;
  }

  /** Caveats found while compiling: entities, FQDNs or Services the input cannot place. */
  get warnings(): readonly Diagnostic[] {
    return this.compiled.warnings;
  }

  /**
   * The addresses an external entity stands for, first and last inclusive, numbered as
   * `parseIP(...).value` numbers them; null for an endpoint.
   */
  addressRange(e: IndexEntity): readonly [bigint, bigint] | null {
    return e.kind === 'external' ? [this.compiled.ipAtoms.start(e.atom), this.compiled.ipAtoms.end(e.atom)] : null;
  }

  /** The external-range entity containing an address (even when the address is a known pod IP). */
  addressEntity(address: string): IndexEntity | null {
    const ip = parseIP(address);
    if (ip === null) return null;
    return this.entities[this.compiled.cluster.endpoints.length + this.compiled.ipAtoms.find(ip.value)]!;
  }

  /**
   * Whether an endpoint stands for several pods (replicas), so that its traffic to itself is traffic
   * between distinct pods, which policies decide; for one pod it is loopback, always allowed.
   */
  hasReplicas(e: IndexEntity): boolean {
    if (e.kind !== 'endpoint') return false;
    const memo = (this.severalMemo ??= new Uint8Array(this.compiled.cluster.endpoints.length));
    let v = memo[e.index]!;
    if (v === 0) memo[e.index] = v = hasSeveralPods(e.endpoint, this.compiled.cluster.nodes.length) ? 2 : 1;
    return v === 2;
  }

  /** Whether a pair is a pod talking to itself (one endpoint standing for a single pod). */
  isLoopback(src: IndexEntity, dst: IndexEntity): boolean {
    return src.kind === 'endpoint' && dst.kind === 'endpoint' && src.index === dst.index && !this.hasReplicas(src);
  }

  /**
   * Allowed connections from one entity to another (loopback: all; address to address: none). From
   * an endpoint with replicas to itself: between two distinct replicas, as the policies decide.
   */
  connectionsBetween(src: IndexEntity, dst: IndexEntity): ConnectionSet {
    if (src.kind === 'external' && dst.kind === 'external') return ConnectionSet.NONE;
    if (this.isLoopback(src, dst)) return ConnectionSet.ALL;
    const row = this.row(src.bit);
    // the port atoms allowed, as maximal runs: the key of a cache shared by every row (most rows
    // allow one of a few connection sets, so who-can-reach builds a handful, not one per row)
    const runs: number[] = [];
    const P = this.compiled.ports.count;
    for (let k = 0; k < row.starts.length; k++) {
      if (!B.has(row.segs[row.segAt[k]!]!, dst.bit)) continue;
      const first = row.starts[k]!;
      const last = k + 1 < row.starts.length ? row.starts[k + 1]! - 1 : P - 1;
      if (runs.length > 0 && runs[runs.length - 1] === first - 1) runs[runs.length - 1] = last;
      else runs.push(first, last);
    }
    const key = runs.join(',');
    let cs = this.connCache.get(key);
    if (cs === undefined) {
      const pairs: [number, number][] = [];
      for (let i = 0; i < runs.length; i += 2) pairs.push([runs[i]!, runs[i + 1]!]);
      cs = this.compiled.ports.fromAtomRuns(pairs);
      this.connCache.set(key, cs);
    }
    return cs;
  }

  /** Allowed connections between two references (see resolve). */
  connections(src: string, dst: string): ConnectionSet {
    return this.connectionsBetween(this.resolve(src), this.resolve(dst));
  }

  /**
   * One connection: protocol and numeric port; for ICMP / ICMPv6 `port` is the message type and
   * `code` its code, and without a code the answer is whether every code of the type is allowed.
   */
  allows(src: IndexEntity, dst: IndexEntity, protocol: ConnProtocol, port: number, code?: number): boolean {
    // TCP, UDP and SCTP ask about one port, one atom: found without the range and tuple an ICMP type
    // needs, since this is the per-cell hot path of matrices and the reference comparison
    if (code === undefined && !isIcmp(protocol) && Number.isInteger(port) && port >= MIN_PORT && port <= MAX_PORT) {
      if (src.kind === 'external' && dst.kind === 'external') return false;
      if (this.isLoopback(src, dst)) return true;
      return B.has(destinations(this.row(src.bit), this.compiled.ports.find(protocol, port)), dst.bit);
    }
    const atoms = this.portAtoms(protocol, port, code);
    if (src.kind === 'external' && dst.kind === 'external') return false;
    if (this.isLoopback(src, dst)) return true;
    const row = this.row(src.bit);
    for (let a = atoms[0]; a <= atoms[1]; a++) if (!B.has(destinations(row, a), dst.bit)) return false;
    return true;
  }

  /**
   * The port atoms [first, last] a question covers: one port; an ICMP type (every code) or one code
   * of it. Throws InvalidArgumentError outside the protocol's space.
   * @internal
   */
  portAtoms(protocol: ConnProtocol, port: number, code?: number): readonly [number, number] {
    const [lo, hi] = questionRange(protocol, port, code);
    return [this.compiled.ports.find(protocol, lo), this.compiled.ports.find(protocol, hi)];
  }

  /** `can(src, dst, protocol, port)` on references (ICMP: `port` the type, `code` optional, see allows). */
  can(src: string, dst: string, protocol: ConnProtocol, port: number, code?: number): boolean {
    return this.allows(this.resolve(src), this.resolve(dst), protocol, port, code);
  }
}

/** The tables an index is made of (ReachabilityIndex.buildParts / updateParts). */
interface IndexParts {
  readonly entities: readonly IndexEntity[];
  readonly namesMemo: EntityNames | null;
  readonly universalEgress: Block[];
  readonly universalIngress: Block[];
  readonly evalById: readonly (Block | undefined)[];
  readonly members: ReadonlyMap<Block, readonly Block[]>;
  readonly evalOf: ReadonlyMap<Block, Block>;
  readonly groups: SourceGroups;
  readonly rowOfBit: (Row | undefined)[];
  readonly rowOfGroup: Map<number, Row>;
  readonly interner: B.BitsInterner;
  readonly dirCache: DirectionCache;
  readonly blockIds: { next: number };
  readonly rowPatch: RowPatch | null;
}

/** Whether a block's sources are every source that has rule lists in its direction. */
function isUniversal(c: Compiled, b: Block): boolean {
  const u = c.u;
  // external sources have no egress side, so an egress block is universal when it covers every class
  // a sparse set has at most a word's worth of members per word: it covers every class only in a
  // universe of a few classes, so the counts (known, not counted per block) settle most blocks
  return b.direction === 'egress' ? b.rows.containsAll(u.classesMask, u.classes.count) : b.rows.containsAll(u.all, u.size);
}

/** Egress isolation of a source bit (external atoms have no egress side). */
function isoKey(c: Compiled, s: number): IsoKey {
  return s >= c.classes.count ? 0 : B.has(c.egressIsolated, s) ? 1 : 2;
}

/** Sorts a list of blocks by id, in place; returns it. */
function byId(list: Block[]): Block[] {
  return list.sort((a, b) => a.id - b.id);
}

function listHash(list: readonly Block[]): number {
  let h = 0x811c9dc5;
  for (const b of list) h = Math.imul(h ^ (b.id + 1), 0x01000193);
  return h >>> 0;
}

function sameList(a: readonly Block[], b: readonly Block[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Compiles a cluster into a ReachabilityIndex (the library's main entry point after loading). */
export function compile(cluster: Cluster, options?: CompileOptions): ReachabilityIndex {
  return ReachabilityIndex.build(cluster, options);
}

/**
 * The raw values (ports; ICMP message numbers) one question covers: a port, an ICMP type with every
 * code, or one code of it. Throws InvalidArgumentError outside the protocol's space.
 */
export function questionRange(protocol: ConnProtocol, port: number, code?: number): readonly [number, number] {
  const int = (x: number, lo: number, hi: number) => Number.isInteger(x) && x >= lo && x <= hi;
  if (!isIcmp(protocol)) {
    if (!int(port, MIN_PORT, MAX_PORT)) throw new InvalidArgumentError(`port ${port} is outside ${MIN_PORT}-${MAX_PORT}`);
    if (code !== undefined) throw new InvalidArgumentError(`a code is for ICMP messages, not ${protocol} ports`);
    return [port, port];
  }
  if (!int(port, 0, MAX_ICMP_TYPE)) throw new InvalidArgumentError(`${protocol} type ${port} is outside 0-${MAX_ICMP_TYPE}`);
  if (code === undefined) return icmpTypeRange(port);
  if (!int(code, 0, MAX_ICMP_CODE)) throw new InvalidArgumentError(`${protocol} code ${code} is outside 0-${MAX_ICMP_CODE}`);
  return [icmpKey(port, code), icmpKey(port, code)];
}

/** A question about one port: for ICMP / ICMPv6 `port` is the message type and `code` its code (absent: every code). */
export interface PortQuestion {
  readonly protocol: ConnProtocol;
  readonly port: number;
  readonly code?: number;
}

/** `conn` restricted to a port question: the connections it asks about when `conn` allows all of them, else nothing. */
export function restrictToFilter(conn: ConnectionSet, f: PortQuestion | undefined): ConnectionSet {
  if (f === undefined) return conn;
  const want = ConnectionSet.ranges(f.protocol, [questionRange(f.protocol, f.port, f.code)]);
  return want.subtract(conn).isEmpty() ? want : ConnectionSet.NONE;
}
