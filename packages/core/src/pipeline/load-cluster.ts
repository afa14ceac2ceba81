/**
 * loadCluster: the parse and model stages in one call. Text in, a validated Cluster and every
 * diagnostic out. It never throws on any input: a problem with the input is a diagnostic.
 *
 * This module sits above load/ (text -> raw objects) and model/ (raw objects -> Cluster) and is the
 * only place that joins them, so neither of those two imports the other's upper half.
 */
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js';
import type { Cluster, Endpoint } from '../model/types.js';
import { ClusterBuilder } from '../model/build.js';
import { extractCiliumPolicies } from '../model/cilium/extract.js';
import { extractCalico } from '../model/calico/extract.js';
import { readShape } from '../model/read-shapes.js';
import type { ShapeOf } from '../load/json-fast.js';
import { resolveLimits } from '../load/limits.js';
import { collectObjects } from '../load/objects.js';
import { parseSource } from '../load/parse-source.js';
import { streamSource } from '../load/stream.js';
import type { SourceText } from '../load/source-text.js';
import type { InputSource, LoadOptions, LoadStats, ParsedDocument, RawObject } from '../load/types.js';
import { extractServiceEndpoints } from '../model/services/endpoints.js';
import { extractEntries } from '../model/services/entries.js';

export type { InputSource, LoadLimits, LoadOptions, LoadStats } from '../load/types.js';

/** What {@link loadCluster} returns: the Cluster, every diagnostic in source order, and counts. */
export interface LoadResult {
  readonly cluster: Cluster;
  readonly diagnostics: Diagnostic[];
  readonly stats: LoadStats;
}
export { DEFAULT_LIMITS } from '../load/limits.js';

/**
 * Parses every source (YAML or JSON, multi-document, Lists expanded) and models the objects.
 *
 * Invariants: never throws; every diagnostic has a location except none (all come from a source);
 * diagnostics are in source order, parse problems of a source before its objects' problems;
 * an invalid NetworkPolicy is never in `cluster.policies`.
 */
export function loadCluster(sources: readonly InputSource[], options: LoadOptions = {}): LoadResult {
  return loadWith(sources, options, readShape);
}

/**
 * Pods read from Calico WorkloadEndpoints join the endpoints, unless the input has the Pod itself
 * (bare, or folded into its workload); their namespaces exist implicitly when not defined.
 */
function withWorkloadEndpoints(cluster: Cluster, weps: readonly Endpoint[]): Cluster {
  const known = new Set<string>();
  for (const e of cluster.endpoints) {
    known.add(`${e.namespace}/${e.name}`);
    for (const p of e.pods ?? []) known.add(`${e.namespace}/${p.name}`);
  }
  const added = weps.filter((e) => {
    const k = `${e.namespace}/${e.name}`;
    if (known.has(k)) return false;
    known.add(k);
    return true;
  });
  const namespaces = [...cluster.namespaces];
  const have = new Set(namespaces.map((n) => n.name));
  for (const e of added) {
    if (have.has(e.namespace)) continue;
    have.add(e.namespace);
    namespaces.push({ name: e.namespace, labels: { 'kubernetes.io/metadata.name': e.namespace }, location: null });
  }
  return { ...cluster, namespaces, endpoints: [...cluster.endpoints, ...added] };
}

/**
 * loadCluster with the JSON List fast path's shapes given: `readShape` (the fields the model reads),
 * `() => null` (build every field), or null (no fast path: JSON.parse). Internal: tests compare them.
 */
export function loadWith(sources: readonly InputSource[], options: LoadOptions, shapeOf: ShapeOf | null, stream = true): LoadResult {
  const limits = resolveLimits(options.limits);
  const parseDiagnostics: Diagnostic[] = [];
  let documents = 0;
  const skipped: SourceLocation[] = [];
  const builder = new ClusterBuilder({
    defaultNamespace: options.defaultNamespace ?? 'default',
    ignoreInvalid: options.ignoreInvalid ?? false,
  });
  for (const input of sources) {
    if (stream && shapeOf !== null) {
      // a big JSON List goes item by item into the model (load/stream.ts)
      const before = builder.added;
      const outcome = streamSource(input, limits, shapeOf, builder);
      if (outcome === 'restart') return loadWith(sources, options, shapeOf, false);
      if (outcome === 'done') {
        documents += builder.added - before;
        continue;
      }
    }
    // the JSON fast path was tried (and gave up) just now: straight to the general path (YAML's fast
    // path is on whenever the fast paths are: parse-source.ts). A YAML stream's
    // documents go into the model one by one as they are parsed, so each is garbage before the next
    // (a stream of 100k small documents would otherwise be alive all at once, parsed)
    const add = (source: SourceText, doc: ParsedDocument): void => {
      const objects: RawObject[] = [];
      // an item of a List composed alone is still an item: never skipped as a document would be
      collectObjects(source, doc, objects, parseDiagnostics, input.walked === true && doc.listItem !== true ? skipped : null);
      for (const o of objects) builder.add(o);
      documents += objects.length;
    };
    const { source, documents: docs } = parseSource(input, limits, parseDiagnostics, stream ? null : shapeOf, add, shapeOf !== null);
    for (const doc of docs) add(source, doc);
  }
  const built = builder.finish();
  // Calico's kinds arrive as objects the builder keeps aside; lift them out (model/calico)
  const calico = extractCalico(built.cluster.others, { ignoreInvalid: options.ignoreInvalid ?? false });
  // so do the EndpointSlices and Endpoints behind Services without a selector
  const eps = extractServiceEndpoints(calico.rest, options.defaultNamespace ?? 'default');
  // and Cilium's kinds
  const cilium = extractCiliumPolicies(eps.rest, { ignoreInvalid: options.ignoreInvalid ?? false, defaultNamespace: options.defaultNamespace ?? 'default' });
  // and the entry points from outside: Ingresses, Gateways, Routes, ReferenceGrants
  const ent = extractEntries(cilium.rest, options.defaultNamespace ?? 'default');
  let cluster: Cluster = {
    ...built.cluster,
    serviceEndpoints: eps.endpoints,
    ciliumPolicies: cilium.policies,
    ciliumCidrGroups: cilium.cidrGroups,
    entries: ent.entries,
    others: ent.rest,
  };
  if (calico.endpoints.length > 0) cluster = withWorkloadEndpoints(cluster, calico.endpoints);
  return {
    cluster: calico.model === null ? cluster : { ...cluster, calico: calico.model },
    diagnostics: [...parseDiagnostics, ...built.diagnostics, ...calico.diagnostics, ...eps.diagnostics, ...cilium.diagnostics, ...ent.diagnostics],
    stats: { documents, byKind: built.byKind, skipped },
  };
}
