/**
 * Service addresses inside a policy's ipBlock. Most CNIs (kube-proxy's iptables/IPVS modes, Cilium,
 * Calico) translate a Service's virtual address to a backend pod's address before policy is applied,
 * so an ipBlock naming a ClusterIP (or a node address, for a NodePort) never matches that Service's
 * traffic: the policy sees the backend pod instead. kubereach evaluates policies after translation
 * too (a Service destination is answered per backend), and says so wherever such an ipBlock exists.
 */
import { formatLocation } from '../diagnostics/diagnostic.js';
import type { Cluster, Service } from '../model/types.js';
import { parseIP } from '../net/ip.js';
import { serviceId } from './backends.js';

/** A caveat about a Service's addresses. */
export interface ServiceAddressCaveat {
  readonly service: string;
  readonly policy: string;
  readonly message: string;
}

/** Caveats about Services whose backends or addresses the input cannot settle. */
export function serviceAddressCaveats(cluster: Cluster): ServiceAddressCaveat[] {
  const vips: { service: Service; address: string; value: bigint; what: string }[] = [];
  for (const s of cluster.services) {
    for (const a of s.clusterIPs) {
      const ip = parseIP(a);
      if (ip !== null) vips.push({ service: s, address: a, value: ip.value, what: 'ClusterIP' });
    }
  }
  const nodeAddrs: { address: string; value: bigint }[] = [];
  for (const n of cluster.nodes) {
    for (const a of n.addresses) {
      const ip = parseIP(a.address);
      if (ip !== null) nodeAddrs.push({ address: a.address, value: ip.value });
    }
  }
  const exposed = cluster.services.filter((s) => s.type === 'NodePort' || s.type === 'LoadBalancer');
  const out: ServiceAddressCaveat[] = [];
  for (const pol of cluster.policies) {
    for (const [dir, rules] of [
      ['ingress', pol.ingress],
      ['egress', pol.egress],
    ] as const) {
      for (const r of rules) {
        for (const p of r.peers ?? []) {
          if (p.kind !== 'ipBlock') continue;
          const inside = (v: bigint) => v >= p.cidr.start && v <= p.cidr.end && !p.except.some((e) => v >= e.start && v <= e.end);
          const where = `NetworkPolicy ${pol.namespace}/${pol.name} ${dir} rule ${r.index} ipBlock ${p.cidr.text} (${formatLocation(p.location)})`;
          const tail = "most CNIs apply policies after Service translation, to the backend pod, so this ipBlock does not match the Service's traffic";
          for (const v of vips) {
            if (dir === 'egress' && inside(v.value)) {
              out.push({
                service: serviceId(v.service),
                policy: `${pol.namespace}/${pol.name}`,
                message: `${where} contains the ${v.what} ${v.address} of ${serviceId(v.service)}: ${tail}`,
              });
            }
          }
          if (exposed.length === 0) continue;
          const node = nodeAddrs.find((a) => inside(a.value));
          if (node === undefined || dir !== 'egress') continue;
          for (const s of exposed) {
            const nodePorts = s.ports.filter((sp) => sp.nodePort !== null).map((sp) => `${sp.nodePort}/${sp.protocol}`);
            if (nodePorts.length === 0) continue;
            out.push({
              service: serviceId(s),
              policy: `${pol.namespace}/${pol.name}`,
              message: `${where} contains the node address ${node.address}, where ${serviceId(s)} listens on node port ${nodePorts.join(', ')}: ${tail}`,
            });
          }
        }
      }
    }
  }
  return out;
}
