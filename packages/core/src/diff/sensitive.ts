/**
 * Which diff rows touch sensitive targets (NSA/CISA hardening guide, network separation): the cloud
 * metadata service, the kube-system namespace, and the control plane's ports. Reviewers see these
 * rows first, and `--fail-on-new sensitive` gates CI on them.
 *
 * An external destination is sensitive when its range *contains* a metadata address: opening
 * 0.0.0.0/0 does open 169.254.169.254, even though the diff prints the whole range as one row.
 */
import { METADATA_ADDRESSES, COMPONENT_PORTS } from '../targets/well-known.js';
import { ConnectionSet } from '../net/connection-set.js';
import { parseIP } from '../net/ip.js';
import type { ChangedEntry, DiffEntry, ReachabilityDiff } from './diff.js';

/** Why a changed destination is sensitive: a metadata address, a control-plane port or kube-system. */
export type SensitiveReason =
  | { readonly kind: 'metadata'; readonly address: string }
  | { readonly kind: 'kube-system' }
  | { readonly kind: 'control-plane-port'; readonly label: string; readonly port: number };

/** Every diff row, tagged with what kind of change it is. */
export type DiffRow = ({ readonly kind: 'added' } & DiffEntry) | ({ readonly kind: 'removed' } & DiffEntry) | ({ readonly kind: 'changed' } & ChangedEntry);

const METADATA = METADATA_ADDRESSES.map((m) => ({ address: m.address, value: parseIP(m.address)!.value }));
/**
 * Control-plane TCP ports (6443, 2379-2380, 10250, 10257/10252, 10259/10251,
 * 10258): not the NodePort range (every node's, for services) and not the long-removed insecure API
 * port 8080, which is also the most common application port and would flag every web service.
 */
const CONTROL_PLANE = COMPONENT_PORTS.filter((c) => c.component !== 'nodeport' && c.component !== 'apiserver-insecure');
const CONTROL_PLANE_SET = CONTROL_PLANE.reduce((acc, c) => acc.union(ConnectionSet.port('TCP', c.lo, c.hi)), ConnectionSet.NONE);

/** The address range of an external id `FIRST-LAST[External]`, or null for an endpoint id. */
function externalRange(id: string): readonly [bigint, bigint] | null {
  if (!id.endsWith('[External]')) return null;
  const body = id.slice(0, -'[External]'.length);
  const dash = body.indexOf('-');
  const lo = parseIP(body.slice(0, dash));
  const hi = parseIP(body.slice(dash + 1));
  return lo === null || hi === null ? null : [lo.value, hi.value];
}

/** Namespace of an endpoint id `ns/name[Kind]` (namespaces cannot contain '/'), or null. */
function namespaceOf(id: string): string | null {
  if (id.endsWith('[External]')) return null;
  const slash = id.indexOf('/');
  return slash < 0 ? null : id.slice(0, slash);
}

/**
 * Why connections `conn` to `dst` touch a sensitive target, or null: an external range containing a
 * metadata address, a kube-system endpoint, or control-plane ports of an external range (where the
 * nodes are).
 */
export function sensitiveReason(dst: string, conn: ConnectionSet): SensitiveReason | null {
  if (conn.isEmpty()) return null;
  const range = externalRange(dst);
  if (range !== null) {
    const m = METADATA.find((x) => x.value >= range[0] && x.value <= range[1]);
    if (m !== undefined) return { kind: 'metadata', address: m.address };
  }
  if (namespaceOf(dst) === 'kube-system') return { kind: 'kube-system' };
  // the control plane listens on node addresses, which are external ranges to the index; a pod that
  // happens to listen on 10250 is not a kubelet
  if (range !== null && !conn.intersect(CONTROL_PLANE_SET).isEmpty()) {
    for (const c of CONTROL_PLANE) {
      for (let port = c.lo; port <= c.hi; port++) if (conn.contains('TCP', port)) return { kind: 'control-plane-port', label: c.label, port };
    }
  }
  return null;
}

/** The connections a row changes: what it adds or removes, or both for `changed`. */
export function changedConnections(row: DiffRow): ConnectionSet {
  switch (row.kind) {
    case 'added':
    case 'removed':
      return row.conn;
    case 'changed':
      return row.after.subtract(row.before).union(row.before.subtract(row.after));
    default: {
      const _x: never = row;
      return _x;
    }
  }
}

/** The connections a row opens (none for `removed`). */
export function openedConnections(row: DiffRow): ConnectionSet {
  switch (row.kind) {
    case 'added':
      return row.conn;
    case 'removed':
      return ConnectionSet.NONE;
    case 'changed':
      return row.after.subtract(row.before);
    default: {
      const _x: never = row;
      return _x;
    }
  }
}

/** A row is sensitive when what it changes reaches a sensitive target. */
export function isSensitive(row: DiffRow): boolean {
  return sensitiveReason(row.dst, changedConnections(row)) !== null;
}

/** A row adds reachability to a sensitive target. */
export function opensSensitive(row: DiffRow): boolean {
  return sensitiveReason(row.dst, openedConnections(row)) !== null;
}

/** All rows of a diff: added, removed, changed, each in matrix order. */
export function diffRows(d: ReachabilityDiff): DiffRow[] {
  return [
    ...d.added.map((e): DiffRow => ({ kind: 'added', ...e })),
    ...d.removed.map((e): DiffRow => ({ kind: 'removed', ...e })),
    ...d.changed.map((e): DiffRow => ({ kind: 'changed', ...e })),
  ];
}

/** Does the diff add reachability, to anything or to a sensitive target? (`--fail-on-new`) */
export function opensReachability(d: ReachabilityDiff, which: 'any' | 'sensitive'): boolean {
  return diffRows(d).some((r) => !openedConnections(r).isEmpty() && (which === 'any' || opensSensitive(r)));
}
