/**
 * Nodes and pod scheduling. Control-plane nodes (3, or 1 in a one- to three-node cluster) carry the
 * role label, a NoSchedule taint and an InternalIP; workers get the ordinary pods. Each node owns a
 * /24 (and a /64 with --dual-stack) of the pod network, and pod IPs are handed out from the node's
 * block, so they are unique and consistent with spec.podCIDRs.
 */
import type { Context } from './context.js';
import type { K8sObject } from './types.js';
import { INSTANCE_TYPES, ZONES } from './names.js';
import { MAX_PODS_PER_NODE, nodeIPv4, nodeIPv6, podCidrV4, podCidrV6, podIPv4, podIPv6 } from './addressing.js';

export interface NodeInfo {
  readonly index: number;
  readonly name: string;
  readonly uid: string;
  readonly controlPlane: boolean;
  readonly ips: readonly string[];
}

/** Addresses a pod ends up with: its node, and podIPs (one per family). */
export interface Placement {
  readonly node: NodeInfo;
  readonly podIPs: readonly string[];
}

export class NodePool {
  readonly nodes: NodeInfo[] = [];
  readonly objects: K8sObject[] = [];
  /** Indices of nodes ordinary pods may land on. */
  private readonly workers: number[] = [];
  private readonly used: Uint16Array;

  constructor(private readonly ctx: Context) {
    const total = ctx.opts.nodes;
    const controlPlanes = total >= 4 ? 3 : 1;
    this.used = new Uint16Array(total);
    for (let i = 0; i < total; i++) {
      const controlPlane = i < controlPlanes;
      const name = controlPlane ? `control-plane-${i}` : `node-${String(i - controlPlanes).padStart(5, '0')}`;
      this.add(i, name, controlPlane);
      // A single-node cluster schedules everything on its control plane, as kind and minikube do.
      if (!controlPlane || total === 1) this.workers.push(i);
    }
  }

  private add(index: number, name: string, controlPlane: boolean): void {
    const { ctx } = this;
    const dual = ctx.opts.dualStack;
    const zone = `eu-west-1${ZONES[index % ZONES.length]!}`;
    const labels: Record<string, string> = {
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': name,
      'kubernetes.io/os': 'linux',
      'node.kubernetes.io/instance-type': ctx.rng.pick(INSTANCE_TYPES),
      'topology.kubernetes.io/region': 'eu-west-1',
      'topology.kubernetes.io/zone': zone,
    };
    if (controlPlane) {
      labels['node-role.kubernetes.io/control-plane'] = '';
      labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
    } else {
      labels['node-role.kubernetes.io/worker'] = '';
    }
    const ips = dual ? [nodeIPv4(index), nodeIPv6(index)] : [nodeIPv4(index)];
    const meta = ctx.meta(name, null, labels);
    const podCIDRs = dual ? [podCidrV4(index), podCidrV6(index)] : [podCidrV4(index)];
    const spec: Record<string, unknown> = { podCIDR: podCIDRs[0], podCIDRs };
    if (controlPlane && this.isMultiNode()) {
      spec['taints'] = [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }];
    }
    this.objects.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: meta,
      spec,
      status: {
        addresses: [...ips.map((address) => ({ address, type: 'InternalIP' })), { address: name, type: 'Hostname' }],
        conditions: [{ reason: 'KubeletReady', status: 'True', type: 'Ready' }],
        nodeInfo: { architecture: 'amd64', kubeletVersion: 'v1.30.2', operatingSystem: 'linux' },
      },
    });
    this.nodes.push({ index, name, uid: meta.uid, controlPlane, ips });
  }

  private isMultiNode(): boolean {
    return this.ctx.opts.nodes > 1;
  }

  get controlPlanes(): NodeInfo[] {
    return this.nodes.filter((n) => n.controlPlane);
  }

  /** A random worker, for an ordinary pod. */
  randomWorker(): NodeInfo {
    return this.nodes[this.ctx.rng.pick(this.workers)]!;
  }

  /** A pod-network address on `node`, or on the next worker with room when that node is full. */
  placeOnPodNetwork(node: NodeInfo): Placement {
    let n = node;
    for (let tries = 0; this.used[n.index]! >= MAX_PODS_PER_NODE; tries++) {
      if (tries > this.nodes.length) throw new RangeError('pod network full: too many pods for the nodes (at most 253 per node)');
      const w = this.workers[(this.workers.indexOf(n.index) + 1) % this.workers.length]!;
      n = this.nodes[w]!;
    }
    const slot = this.used[n.index]!;
    this.used[n.index] = slot + 1;
    const podIPs = this.ctx.opts.dualStack ? [podIPv4(n.index, slot), podIPv6(n.index, slot)] : [podIPv4(n.index, slot)];
    return { node: n, podIPs };
  }

  /** A hostNetwork pod shares the node's addresses. */
  placeOnHostNetwork(node: NodeInfo): Placement {
    return { node, podIPs: node.ips };
  }
}
