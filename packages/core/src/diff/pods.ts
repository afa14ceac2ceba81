/**
 * The diff pod by pod (`diff --endpoints pods`, as `matrix --endpoints pods` lists the matrix): every
 * workload line becomes one line per pair of its pods (`ns/pod[Pod]`, matrix/podEntities), each side
 * with the pods it has. A workload whose pods differ between the sides (a pod added, renamed or gone)
 * also gains or loses lines where its workload-level connections stayed the same: the new pod's
 * connections are added, the old pod's removed. A pod is never listed to itself.
 */
import type { IndexEntity, ReachabilityIndex } from '../evaluate/index.js';
import { podEntities } from '../query/matrix.js';
import { ConnectionSet } from '../net/connection-set.js';
import type { ChangedEntry, DiffEntry, IndexPair, ReachabilityDiff } from './diff.js';

interface Side {
  readonly index: ReachabilityIndex;
  /** entity id -> the pod ids it stands for (itself for an address or a workload without pods) */
  readonly pods: Map<string, string[]>;
  readonly member: Map<string, Set<string>>;
  readonly byId: Map<string, IndexEntity>;
}

function side(index: ReachabilityIndex): Side {
  const pods = new Map<string, string[]>();
  const byId = new Map<string, IndexEntity>();
  for (const p of podEntities(index)) {
    byId.set(p.entity.id, p.entity);
    (pods.get(p.entity.id) ?? pods.set(p.entity.id, []).get(p.entity.id)!).push(p.id);
  }
  const member = new Map<string, Set<string>>();
  for (const [id, list] of pods) member.set(id, new Set(list));
  return { index, pods, member, byId };
}

const same = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The workload-level diff `d` of `pair` restated pod by pod: each pair of endpoints becomes the pairs of
 * their pods on each side, and pods added to or gone from a workload gain or lose their lines.
 *
 * @example
 * const d = podDiff(pair, diffIndexes(pair)); // ns/pod[Pod] => ns/pod[Pod] entries
 */
export function podDiff(pair: IndexPair, d: ReachabilityDiff): ReachabilityDiff {
  const a = side(pair.before);
  const b = side(pair.after);
  const lines = new Map<string, { src: string; dst: string; before: ConnectionSet; after: ConnectionSet }>();
  const done = new Set<string>();
  /** One entity pair with its connections on each side, expanded to the pods each side has. */
  const expand = (src: string, dst: string, before: ConnectionSet, after: ConnectionSet) => {
    done.add(`${src}\u0000${dst}`);
    const sp = [...new Set([...(a.pods.get(src) ?? []), ...(b.pods.get(src) ?? [])])];
    const dp = [...new Set([...(a.pods.get(dst) ?? []), ...(b.pods.get(dst) ?? [])])];
    for (const s of sp) {
      for (const t of dp) {
        if (s === t) continue;
        const x = a.member.get(src)?.has(s) === true && a.member.get(dst)?.has(t) === true ? before : ConnectionSet.NONE;
        const y = b.member.get(src)?.has(s) === true && b.member.get(dst)?.has(t) === true ? after : ConnectionSet.NONE;
        if (!x.equals(y)) lines.set(`${s}\u0000${t}`, { src: s, dst: t, before: x, after: y });
      }
    }
  };
  for (const e of d.added) expand(e.src, e.dst, ConnectionSet.NONE, e.conn);
  for (const e of d.removed) expand(e.src, e.dst, e.conn, ConnectionSet.NONE);
  for (const e of d.changed) expand(e.src, e.dst, e.before, e.after);
  // workloads on both sides whose pods differ: their unchanged workload lines, pod by pod
  const moved = [...b.pods.keys()].filter((id) => a.pods.has(id) && !same(a.pods.get(id), b.pods.get(id)));
  for (const id of moved) {
    const mine = b.byId.get(id)!;
    for (const other of b.byId.values()) {
      if (!a.byId.has(other.id)) continue; // added entities: all their lines are in the workload diff
      for (const [s, t] of [
        [mine, other],
        [other, mine],
      ] as const) {
        if (done.has(`${s.id}\u0000${t.id}`)) continue;
        if (s.kind === 'external' && t.kind === 'external') continue;
        const c = s === t ? (b.index.hasReplicas(s) ? b.index.connectionsBetween(s, t) : ConnectionSet.NONE) : b.index.connectionsBetween(s, t);
        // unchanged at the workload level (it is not in the diff), so `c` holds on both sides
        if (!c.isEmpty()) expand(s.id, t.id, c, c);
      }
    }
  }
  // matrix order: addresses first (as either side lists them), then pods by id
  const order = new Map<string, number>();
  const ext = new Set([...podEntities(pair.after), ...podEntities(pair.before)].filter((p) => p.entity.kind === 'external').map((p) => p.id));
  const pods = [...new Set([...a.pods.values(), ...b.pods.values()].flat())].filter((id) => !ext.has(id)).sort();
  for (const id of [...ext, ...pods]) if (!order.has(id)) order.set(id, order.size);
  const sorted = [...lines.values()].sort((x, y) => order.get(x.src)! - order.get(y.src)! || order.get(x.dst)! - order.get(y.dst)!);
  const added: DiffEntry[] = [];
  const removed: DiffEntry[] = [];
  const changed: ChangedEntry[] = [];
  for (const l of sorted) {
    if (l.before.isEmpty()) added.push({ src: l.src, dst: l.dst, conn: l.after });
    else if (l.after.isEmpty()) removed.push({ src: l.src, dst: l.dst, conn: l.before });
    else changed.push(l);
  }
  return { added, removed, changed };
}
