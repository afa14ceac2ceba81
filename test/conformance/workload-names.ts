/**
 * Workload naming differences between netpol-analyzer and kubereach, mapped only where the input
 * proves both names denote the same pods.
 *
 * netpol-analyzer names a pod after its controller owner reference as it stands: a pod whose owner
 * is a ReplicaSet absent from the input is shown as `ns/RS[ReplicaSet]`. kubereach (README "Input")
 * shows the Deployment that ReplicaSet stands for, `ns/D[Deployment]`, when the ReplicaSet
 * is named `D-<hash>` and the pod carries `pod-template-hash: <hash>` — the name `kubectl get deploy`
 * shows. The input is read here with the `yaml` package directly, not through kubereach's loader, so
 * the mapping does not take the loader's own naming logic on trust.
 *
 * A mapping is made only when it is a bijection on the case: every pod owned by that ReplicaSet
 * carries the same hash, the ReplicaSet itself is not in the input, and no other object could give
 * either name.
 */
import { parseAllDocuments } from 'yaml';

export interface InputFile {
  readonly name: string;
  readonly text: string;
}

interface PodFacts {
  readonly namespace: string;
  readonly ownerKind: string | null;
  readonly ownerName: string | null;
  readonly hash: string | null;
}

function record(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** Every object of the input as plain data (Lists expanded; typed-list items take the list's kind). */
export function rawObjects(files: readonly InputFile[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (v: unknown, inheritedKind: string | null): void => {
    const o = record(v);
    if (o === null) return;
    const kind = typeof o['kind'] === 'string' ? o['kind'] : inheritedKind;
    if (kind !== null && kind.endsWith('List') && Array.isArray(o['items'])) {
      const itemKind = kind === 'List' ? null : kind.slice(0, -'List'.length);
      for (const it of o['items']) visit(it, itemKind);
      return;
    }
    out.push(kind === o['kind'] ? o : { ...o, kind });
  };
  for (const f of files) {
    for (const doc of parseAllDocuments(f.text)) {
      if (doc.errors.length > 0) continue; // unparsable input is the loader's business, not naming's
      visit(doc.toJS(), null);
    }
  }
  return out;
}

function podFacts(o: Record<string, unknown>): PodFacts {
  const meta = record(o['metadata']) ?? {};
  const namespace = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : 'default';
  const labels = record(meta['labels']) ?? {};
  const hash = typeof labels['pod-template-hash'] === 'string' ? labels['pod-template-hash'] : null;
  const owners = Array.isArray(meta['ownerReferences']) ? meta['ownerReferences'].map(record) : [];
  const controller = owners.find((r) => r?.['controller'] === true) ?? (owners.length === 1 ? owners[0] : undefined);
  const ownerKind = typeof controller?.['kind'] === 'string' ? controller['kind'] : null;
  const ownerName = typeof controller?.['name'] === 'string' ? controller['name'] : null;
  return { namespace, ownerKind, ownerName, hash };
}

function nameOf(o: Record<string, unknown>): { namespace: string; name: string } | null {
  const meta = record(o['metadata']);
  if (meta === null || typeof meta['name'] !== 'string') return null;
  const namespace = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : 'default';
  return { namespace, name: meta['name'] };
}

/**
 * Their id -> our id, for pods owned by an absent ReplicaSet `D-<hash>` (kubereach: `D[Deployment]`).
 */
export function replicaSetRenames(objects: readonly Record<string, unknown>[]): Map<string, string> {
  const present = new Set<string>();
  for (const o of objects) {
    const n = nameOf(o);
    if (n !== null && typeof o['kind'] === 'string') present.add(`${n.namespace}/${n.name}[${o['kind']}]`);
  }
  const hashes = new Map<string, Set<string | null>>(); // their RS id -> hashes seen on its pods
  for (const o of objects) {
    if (o['kind'] !== 'Pod') continue;
    const p = podFacts(o);
    if (p.ownerKind !== 'ReplicaSet' || p.ownerName === null) continue;
    const id = `${p.namespace}/${p.ownerName}[ReplicaSet]`;
    (hashes.get(id) ?? hashes.set(id, new Set()).get(id)!).add(p.hash);
  }
  const out = new Map<string, string>();
  const targets = new Set<string>();
  for (const [theirs, hs] of hashes) {
    if (present.has(theirs) || hs.size !== 1) continue;
    const hash = [...hs][0];
    const m = /^(.*)\/(.*)\[ReplicaSet\]$/.exec(theirs);
    if (hash === null || hash === undefined || hash === '' || m === null || !m[2]!.endsWith(`-${hash}`)) continue;
    const deployment = m[2]!.slice(0, -hash.length - 1);
    if (deployment === '') continue;
    const ours = `${m[1]}/${deployment}[Deployment]`;
    // a Deployment object of that name would be a second source of the name: not provably one workload
    if (present.has(ours) || targets.has(ours)) continue;
    targets.add(ours);
    out.set(theirs, ours);
  }
  return out;
}

/** Kinds present in the input (for skip reasons and for the Ingress/Route check). */
export function inputKinds(objects: readonly Record<string, unknown>[]): Set<string> {
  return new Set(objects.map((o) => o['kind']).filter((k): k is string => typeof k === 'string'));
}
