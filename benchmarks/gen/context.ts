/**
 * Shared generation state: the one PRNG stream, a deterministic clock for creationTimestamp and a
 * resourceVersion counter, so objects look like an API server's and stay reproducible.
 */
import { Rng } from './prng.js';
import type { Labels, ObjectMeta, OwnerReference, ResolvedOptions } from './types.js';

// 2024-01-01T00:00:00Z: a fixed epoch, so timestamps never depend on when the generator runs.
const EPOCH_MS = Date.UTC(2024, 0, 1);

export class Context {
  readonly rng: Rng;
  private version = 1000;

  constructor(readonly opts: ResolvedOptions) {
    this.rng = new Rng(opts.seed);
  }

  /** A creation time up to `maxDays` days after the epoch, RFC 3339 with second precision. */
  timestamp(maxDays = 300): string {
    const secs = this.rng.int(0, maxDays * 86400);
    const day = Math.floor(secs / 86400);
    const rest = secs - day * 86400;
    // Date formatting per object was a tenth of the generation time at 150k pods: cache day prefixes.
    let prefix = DAY_PREFIX[day];
    if (prefix === undefined) prefix = DAY_PREFIX[day] = new Date(EPOCH_MS + day * 86400_000).toISOString().slice(0, 11);
    return `${prefix}${TWO[Math.floor(rest / 3600)]}:${TWO[Math.floor(rest / 60) % 60]}:${TWO[rest % 60]}Z`;
  }

  resourceVersion(): string {
    return String(this.version++);
  }

  /** ObjectMeta with keys in the order kubectl prints them (assignment order is key order). */
  meta(name: string, namespace: string | null, labels: Readonly<Labels> | null, extra?: Partial<ObjectMeta>): ObjectMeta {
    const m = {} as ObjectMeta;
    if (extra?.annotations) m.annotations = extra.annotations;
    m.creationTimestamp = this.timestamp();
    if (extra?.generateName) m.generateName = extra.generateName;
    if (extra?.generation !== undefined) m.generation = extra.generation;
    if (labels) m.labels = labels as Labels;
    m.name = name;
    if (namespace !== null) m.namespace = namespace;
    if (extra?.ownerReferences) m.ownerReferences = extra.ownerReferences;
    m.resourceVersion = this.resourceVersion();
    m.uid = extra?.uid ?? this.rng.uid();
    return m;
  }
}

const DAY_PREFIX: string[] = [];
const TWO: readonly string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

export function ownerRef(apiVersion: string, kind: string, name: string, uid: string): OwnerReference {
  return { apiVersion, blockOwnerDeletion: true, controller: true, kind, name, uid };
}
