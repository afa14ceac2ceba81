/**
 * The adversarial shape: every Pod carries a unique `kubereach.io/pod-id` label and the policies
 * select single pods by it, so no two pods can share an endpoint class. The pods are cut into
 * consecutive chunks of ceil(pods / policies); policy i isolates the first pod of chunk i and admits
 * each other pod of the chunk by its id (one rule per peer, each with its own port or port range),
 * so every pod is named by some selector. Egress goes to random ipBlocks anywhere in the address
 * space with excepts at distinct boundaries (IPv6 too with --dual-stack), which maximises IP atoms.
 */
import type { World } from './cluster.js';
import { POD_ID_LABEL } from './cluster.js';
import type { Rng } from './prng.js';
import type { EgressRuleJson, IngressRuleJson, K8sObject, NetworkPolicyJson, PeerJson, PolicyPortJson } from './types.js';
import { matchLabels, policy, portOf, randomV4Block, randomV6Block } from './policy-json.js';

interface PodRef {
  readonly namespace: string;
  readonly id: string;
  readonly ports: readonly string[];
}

function refOf(pod: K8sObject): PodRef {
  const spec = pod.spec as { containers: readonly { ports?: readonly { name: string }[] }[] };
  return {
    namespace: pod.metadata.namespace!,
    id: pod.metadata.labels![POD_ID_LABEL]!,
    ports: spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name)),
  };
}

/** A peer selecting exactly `q`, seen from a policy in `namespace`. */
function peerOf(q: PodRef, namespace: string): PeerJson {
  const podSelector = matchLabels({ [POD_ID_LABEL]: q.id });
  return q.namespace === namespace ? { podSelector } : { namespaceSelector: matchLabels({ 'kubernetes.io/metadata.name': q.namespace }), podSelector };
}

/** A single port, a range, or (when the destination has one) a named port; every protocol. */
function randomPort(rng: Rng, destPorts: readonly string[]): PolicyPortJson {
  const protocol = rng.weighted([
    ['TCP', 8],
    ['UDP', 3],
    ['SCTP', 1],
  ] as const);
  if (destPorts.length > 0 && rng.chance(0.15)) return portOf('TCP', rng.pick(destPorts));
  const port = rng.int(1, 65535);
  if (port === 65535 || rng.chance(0.6)) return portOf(protocol, port);
  return portOf(protocol, port, Math.min(65535, port + rng.int(1, 2000)));
}

export function adversarialPolicies(world: World): NetworkPolicyJson[] {
  const { ctx } = world;
  const { rng } = ctx;
  const total = ctx.opts.policies;
  const pods = world.pods;
  const out: NetworkPolicyJson[] = [];
  if (total === 0) return out;
  const chunk = Math.ceil(pods.length / total);
  const names = new Set<string>();
  for (let i = 0; i < total; i++) {
    const from = i * chunk;
    let members: PodRef[];
    if (from < pods.length) {
      members = pods.slice(from, Math.min(pods.length, from + chunk)).map(refOf);
    } else {
      // More policies than chunks: isolate a random pod and admit another.
      members = [refOf(pods[rng.int(0, pods.length - 1)]!), refOf(pods[rng.int(0, pods.length - 1)]!)];
    }
    const target = members[0]!;
    const peers = members.length > 1 ? members.slice(1) : [target];
    const ingress: IngressRuleJson[] = peers.map((q) => ({ from: [peerOf(q, target.namespace)], ports: [randomPort(rng, target.ports)] }));
    const egress: EgressRuleJson[] = [
      { ports: [randomPort(rng, [])], to: [{ ipBlock: randomV4Block(rng, 8, 30, rng.int(1, 2), false) }] },
      { ports: [randomPort(rng, peers[0]!.ports)], to: [peerOf(peers[0]!, target.namespace)] },
    ];
    if (ctx.opts.dualStack) egress.push({ ports: [randomPort(rng, [])], to: [{ ipBlock: randomV6Block(rng, 16, 64, rng.int(1, 2)) }] });
    let name = `isolate-${target.id}`;
    for (let n = 2; names.has(`${target.namespace}/${name}`); n++) name = `isolate-${target.id}-${n}`;
    names.add(`${target.namespace}/${name}`);
    out.push(
      policy(ctx, target.namespace, name, {
        egress,
        ingress,
        podSelector: matchLabels({ [POD_ID_LABEL]: target.id }),
        policyTypes: ['Ingress', 'Egress'],
      }),
    );
  }
  return out;
}
