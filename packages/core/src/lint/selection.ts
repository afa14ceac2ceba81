/**
 * Lint checks about what a policy's selectors, ports and ipBlocks match in the compiled universe
 * (the same selector, namespace and named-port resolution the compiler uses, so a finding here is
 * exactly what the engine saw, not a guess from the YAML's shape):
 *
 * | id                           | raised when                                                              |
 * |------------------------------|--------------------------------------------------------------------------|
 * | NAMESPACE_MISSING            | the policy's namespace, or one a namespaceSelector names by              |
 * |                              | `kubernetes.io/metadata.name`, is neither defined nor holds a workload   |
 * | POLICY_SELECTS_NOTHING       | the policy's podSelector matches no pod of its namespace                 |
 * | PEER_SELECTS_NOTHING         | a pod/namespace peer of a rule matches no pod (or no namespace)          |
 * | NAMED_PORT_UNDEFINED         | a named port that no destination of the rule defines with its protocol   |
 * | IPBLOCK_COVERS_PODS          | an ipBlock overlaps known pod IPs, node pod CIDRs or Service cluster IPs |
 * | EMPTY_POLICY_TYPES_MISMATCH  | rules of a direction that an explicit policyTypes leaves out (ignored)   |
 */
import { IdSet } from '../compile/id-set.js';
import type { ReachabilityIndex } from '../evaluate/index.js';
import type { Finding } from '../audit/finding.js';
import type { NetworkPolicy, PolicyPeer, PolicyRule } from '../model/types.js';
import { parseCidr, parseIP, type Cidr } from '../net/ip.js';

const NAME_LABEL = 'kubernetes.io/metadata.name';

export function policySubject(p: Pick<NetworkPolicy, 'namespace' | 'name'>): string {
  return `${p.namespace}/${p.name}[NetworkPolicy]`;
}

export function ruleName(dir: 'ingress' | 'egress', r: PolicyRule): string {
  return `${dir} rule ${r.index}`;
}

/** Namespaces present in the input: defined by a Namespace object, or holding some workload. */
export function presentNamespaces(index: ReachabilityIndex): Set<string> {
  const { cluster } = index.compiled;
  const out = new Set<string>();
  for (const n of cluster.namespaces) if (n.location !== null) out.add(n.name);
  for (const e of cluster.endpoints) out.add(e.namespace);
  return out;
}

/** Namespace names a selector pins by the immutable name label (matchLabels, or `In` values). */
function namedNamespaces(sel: NonNullable<Extract<PolicyPeer, { kind: 'pods' }>['namespaceSelector']>): string[] {
  const out: string[] = [];
  const v = sel.matchLabels[NAME_LABEL];
  if (v !== undefined) out.push(v);
  for (const r of sel.matchExpressions) if (r.key === NAME_LABEL && r.operator === 'In') out.push(...r.values);
  return out;
}

function peerSet(index: ReachabilityIndex, pol: NetworkPolicy, peer: Extract<PolicyPeer, { kind: 'pods' }>): { namespaces: readonly string[]; pods: IdSet } {
  const u = index.compiled.u;
  const namespaces = peer.namespaceSelector === null ? [pol.namespace] : u.namespaces(peer.namespaceSelector);
  return { namespaces, pods: u.pods(namespaces, peer.podSelector) };
}

function overlaps(c: Cidr, except: readonly Cidr[], lo: bigint, hi: bigint): boolean {
  if (hi < c.start || lo > c.end) return false;
  // the overlap [a, b] is gone only when one except covers all of it (several excepts cutting it
  // apart still leave it reported, which errs towards the warning)
  const a = lo > c.start ? lo : c.start;
  const b = hi < c.end ? hi : c.end;
  return !except.some((e) => e.start <= a && e.end >= b);
}

export function selectionFindings(index: ReachabilityIndex): Finding[] {
  const { cluster, u, classes } = index.compiled;
  const present = presentNamespaces(index);
  const out: Finding[] = [];
  for (const pol of cluster.policies) {
    const subject = policySubject(pol);
    if (!present.has(pol.namespace)) {
      out.push({
        id: 'NAMESPACE_MISSING',
        severity: 'medium',
        subject,
        message: `${subject} is in namespace ${pol.namespace}, which the input neither defines nor has workloads in.`,
        evidence: `no Namespace ${pol.namespace} and no pod or workload in it among the ${cluster.endpoints.length} loaded`,
        fix: `Create namespace ${pol.namespace} (or include its manifests), or move the policy to the namespace its workloads run in.`,
        location: pol.location,
      });
    }
    const subjects = u.pods([pol.namespace], pol.podSelector);
    if (subjects.isEmpty() && present.has(pol.namespace)) {
      out.push({
        id: 'POLICY_SELECTS_NOTHING',
        severity: 'medium',
        subject,
        message: `${subject} selects no pod: its podSelector matches nothing in namespace ${pol.namespace}, so it has no effect.`,
        evidence: `podSelector ${JSON.stringify({ matchLabels: pol.podSelector.matchLabels, matchExpressions: pol.podSelector.matchExpressions })} matches 0 of ${classes.byNamespace.get(pol.namespace)?.length ?? 0} endpoint classes in ${pol.namespace}`,
        fix: `Fix the podSelector's labels to match the pods it is meant for (compare with \`kubectl get pods -n ${pol.namespace} --show-labels\`), or delete the policy.`,
        location: pol.location,
      });
    }
    for (const dir of ['ingress', 'egress'] as const) {
      const rules = dir === 'ingress' ? pol.ingress : pol.egress;
      const isolates = dir === 'ingress' ? pol.isolatesIngress : pol.isolatesEgress;
      if (!isolates && rules.length > 0) {
        const Dir = dir === 'ingress' ? 'Ingress' : 'Egress';
        out.push({
          id: 'EMPTY_POLICY_TYPES_MISMATCH',
          severity: 'high',
          subject,
          message: `${subject} has ${rules.length} ${dir} rule${rules.length === 1 ? '' : 's'} but its explicit policyTypes leaves out ${Dir}: those rules are ignored.`,
          evidence: `policyTypes lists only ${dir === 'ingress' ? 'Egress' : 'Ingress'}; the engine compiled no ${dir} rule of this policy`,
          fix: `Add ${Dir} to spec.policyTypes (this also isolates the selected pods for ${dir}: only the listed rules are then allowed), or delete the ${dir} rules.`,
          location: rules[0]!.location,
        });
      }
      if (!isolates) continue;
      for (const rule of rules) {
        const where = `${subject} ${ruleName(dir, rule)}`;
        let dsts: IdSet | null = dir === 'ingress' ? subjects : null;
        const peerSets: IdSet[] = [];
        for (const peer of rule.peers ?? []) {
          if (peer.kind === 'ipBlock') {
            ipBlockFinding(index, where, subject, peer, out);
            peerSets.push(u.ipBlock(peer.cidr, peer.except, index.compiled.options.ipblockPods === 'match'));
            continue;
          }
          const missing = peer.namespaceSelector === null ? [] : namedNamespaces(peer.namespaceSelector).filter((n) => !present.has(n));
          for (const n of missing) {
            out.push({
              id: 'NAMESPACE_MISSING',
              severity: 'medium',
              subject,
              message: `${where} selects namespace ${n} by name, and the input neither defines it nor has workloads in it.`,
              evidence: `namespaceSelector ${NAME_LABEL}=${n} matches no namespace of the input`,
              fix: `Correct the namespace name, or include namespace ${n} in the input.`,
              location: peer.location,
            });
          }
          const s = peerSet(index, pol, peer);
          peerSets.push(s.pods);
          if (missing.length > 0 || !present.has(pol.namespace)) continue;
          if (s.pods.isEmpty()) {
            const noNs = s.namespaces.length === 0;
            out.push({
              id: 'PEER_SELECTS_NOTHING',
              severity: 'medium',
              subject,
              message: `${where} has a peer that matches no ${noNs ? 'namespace' : 'pod'}: it allows nothing.`,
              evidence: noNs
                ? 'its namespaceSelector matches none of the namespaces in the input'
                : `its ${peer.podSelector === null ? 'namespaces hold no pods' : `podSelector matches no pod in ${s.namespaces.join(', ')}`}`,
              fix: noNs
                ? 'Fix the namespaceSelector labels (namespaces carry kubernetes.io/metadata.name), or drop the peer.'
                : 'Fix the selector labels to match the pods meant, or drop the peer.',
              location: peer.location,
            });
          }
        }
        if (dir === 'egress') dsts = rule.peers === null ? u.allSet : peerSets.length === 0 ? null : IdSet.union(u.size, peerSets);
        for (const p of rule.ports ?? []) {
          if (typeof p.port !== 'string' || dsts === null || dsts.isEmpty()) continue;
          let defined = false;
          dsts.forEach((c) => {
            if (!defined && c < classes.count && classes.rep[c]!.ports.some((cp) => cp.name === p.port && cp.protocol === p.protocol)) defined = true;
          });
          if (defined) continue;
          out.push({
            id: 'NAMED_PORT_UNDEFINED',
            severity: 'medium',
            subject,
            message: `${where} names port ${p.port}/${p.protocol}, which no ${dir === 'ingress' ? 'pod the policy selects' : 'destination of the rule'} defines: the port matches nothing.`,
            evidence: `none of the ${dsts.count()} destination classes has a container port named ${p.port} with protocol ${p.protocol}`,
            fix: `Use the port number, or name the containerPort ${p.port} (protocol ${p.protocol}) in the destination pods.`,
            location: p.location,
          });
        }
      }
    }
  }
  return out;
}

function ipBlockFinding(index: ReachabilityIndex, where: string, subject: string, peer: Extract<PolicyPeer, { kind: 'ipBlock' }>, out: Finding[]): void {
  const { cluster, options } = index.compiled;
  const hits: string[] = [];
  // known pod IPs inside cidr minus except, whichever reading (--ipblock-pods) the index uses
  for (const e of cluster.endpoints) {
    const inside = e.ips.filter((ip) => {
      const a = parseIP(ip);
      return a !== null && overlaps(peer.cidr, peer.except, a.value, a.value);
    });
    if (inside.length > 0) hits.push(`pods of ${e.id} (${inside.join(', ')})`);
  }
  for (const n of cluster.nodes) {
    for (const text of n.podCIDRs) {
      const c = parseCidr(text);
      if (typeof c !== 'string' && c.family === peer.cidr.family && overlaps(peer.cidr, peer.except, c.start, c.end))
        hits.push(`pod CIDR ${c.text} of Node ${n.name}`);
    }
  }
  for (const s of cluster.services) {
    for (const ip of s.clusterIPs) {
      const a = parseIP(ip);
      if (a !== null && overlaps(peer.cidr, peer.except, a.value, a.value)) hits.push(`cluster IP ${ip} of Service ${s.namespace}/${s.name}`);
    }
  }
  if (hits.length === 0) return;
  out.push({
    id: 'IPBLOCK_COVERS_PODS',
    severity: 'low',
    subject,
    message: `${where} has ipBlock ${peer.cidr.text}${peer.except.length > 0 ? ` except ${peer.except.map((e) => e.text).join(', ')}` : ''}, which covers ${hits.slice(0, 3).join(', ')}${hits.length > 3 ? ` and ${hits.length - 3} more` : ''}: whether it matches them depends on the CNI.`,
    evidence: `kubereach ${options.ipblockPods === 'match' ? 'counts these pods as matched (--ipblock-pods=match, the upstream e2e reading); with --ipblock-pods=ignore they are not' : 'does not count these pods as matched (--ipblock-pods=ignore); with match they would be'}; Service cluster IPs are usually translated before policy applies`,
    fix: 'Select in-cluster peers with podSelector/namespaceSelector, and except the pod and Service ranges from the ipBlock.',
    location: peer.location,
  });
}
