/**
 * generateCluster: options -> Kubernetes objects (plain JSON), deterministic per seed.
 *
 * Draw order is fixed (namespaces, nodes, system workloads, user workloads and pods, policies), and
 * the variant draws from its own stream, so variant K differs from the base in one policy only.
 */
import { Context } from './context.js';
import { createWorld, fillUserNamespaces } from './cluster.js';
import { buildSystem, systemPodCount } from './system.js';
import { realisticPolicies } from './realistic-policies.js';
import { adversarialPolicies } from './adversarial-policies.js';
import { applyVariant } from './variant.js';
import { applyCalico } from './calico.js';
import type { VariantResult } from './variant.js';
import { resolveOptions, SYSTEM_NAMESPACES } from './options.js';
import type { GenerateOptions, K8sObject, NetworkPolicyJson, ResolvedOptions } from './types.js';

export interface GeneratedCluster {
  readonly options: ResolvedOptions;
  /** Namespaces, Nodes, Services, Deployments, StatefulSets, DaemonSets, NetworkPolicies, Pods. */
  readonly objects: K8sObject[];
  readonly policies: NetworkPolicyJson[];
  /** Which policy the variant changed and how (null for the base cluster). */
  readonly variant: VariantResult | null;
}

/** The generator with its bookkeeping; generateCluster is the plain-array view of it. */
export function generate(opts: GenerateOptions): GeneratedCluster {
  const options = resolveOptions(opts);
  const ctx = new Context(options);
  const systemPods = systemPodCount(options.nodes);
  const userNamespaces = options.namespaces - SYSTEM_NAMESPACES;
  if (options.pods < systemPods + userNamespaces) {
    throw new RangeError(
      `pods must be at least ${systemPods + userNamespaces} for ${options.nodes} nodes and ${options.namespaces} namespaces ` +
        `(${systemPods} system pods plus one per user namespace), got ${options.pods}`,
    );
  }
  const world = createWorld(ctx);
  buildSystem(world);
  fillUserNamespaces(world, options.pods - systemPods);
  const policies = options.shape === 'realistic' ? realisticPolicies(world) : adversarialPolicies(world);
  const variant = applyVariant(policies, options);
  const objects: K8sObject[] = [
    ...world.namespaceObjects,
    ...world.pool.objects,
    ...world.services,
    ...world.deployments,
    ...world.statefulSets,
    ...world.daemonSets,
    ...policies,
  ];
  applyCalico(objects, options.calico);
  // A loop, not a spread: spreading 150k elements into an array literal is slow and stack-hungry.
  for (const pod of world.pods) objects.push(pod);
  return { options, objects, policies, variant };
}

/**
 * Generates a cluster as plain Kubernetes objects. Same options (seed included) give identical
 * objects. Replicas share frozen sub-objects (containers, labels): treat the result as read-only.
 */
export function generateCluster(opts: GenerateOptions): K8sObject[] {
  return generate(opts).objects;
}
