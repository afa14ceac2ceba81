/**
 * Conformance with np-guard's netpol-analyzer `connlist`.
 *
 * For each connlist entry of the shared conformance data, netpol-analyzer/cases.json with no analyzer
 * options (or only `supportedOnLiveCluster`, which says the same output also comes from a live
 * cluster), every .yaml/.yml/.json under the input folder is loaded (recursively, as `kubectl -f DIR`
 * does), compiled with `ipblockPods: 'ignore'` (their tool treats ipBlocks as cluster-external only)
 * and the generic CNI profile (their tool reads NetworkPolicy as the API defines it, for no CNI in
 * particular; several inputs hold calico-node pods, from which kubereach would otherwise detect Calico
 * and leave host-network pods unprotected, as Calico does), and our matrix lines are compared as a SET
 * with the expected txt listing.
 *
 * Normalisations (notation only, never semantics; each is counted in the summary):
 * 1. CONNS are compared as port sets and external sides as address sets (connlist-lines.ts).
 * 2. Our IPv6 external lines are dropped: netpol-analyzer ignores IPv6 (its external space is
 *    0.0.0.0-255.255.255.255). No NetworkPolicy here has an IPv6 ipBlock (asserted), so the IPv4
 *    answers are unaffected; two admin-policy cases list IPv6 `networks` (ff06::/3, fd00::/8), which
 *    their tool skips with a warning, so our IPv6 answers there are simply not checked by this suite.
 * 3. Their `{ingress-controller} => ...` lines are dropped: they come from Ingress/Route objects,
 *    which kubereach does not model (NetworkPolicy does not see them). Asserted to occur only when the
 *    input has an Ingress or Route.
 * 4. `ns/D-<hash>[ReplicaSet]` (theirs) is renamed `ns/D[Deployment]` (ours) when the input proves
 *    they are the same pods (workload-names.ts).
 * 5. Our lines of a workload to itself (`W => W`: traffic between two of its replicas) are dropped:
 *    netpol-analyzer never lists an endpoint to itself.
 * A case whose input holds AdminNetworkPolicy / BaselineAdminNetworkPolicy objects that the loaded
 * model keeps aside in `others` (a policy kind not modelled) is skipped with that reason; once
 * the model reads them, the case is compared like any other.
 *
 * Run: npx vitest run --config test/conformance.config.ts test/conformance/connlist.test.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compile, loadCluster, matrix, matrixLine, type Cluster } from '@kubereach/core';
import { coalesceExternal, isIPv6External, parseListing, type ConnLine } from './connlist-lines.js';
import { checkDifference, minus, setOf } from './difference-check.js';
import { KNOWN_DIFFERENCES } from './known-differences.js';
import { inputKinds, rawObjects, replicaSetRenames } from './workload-names.js';
import { BASE, inputFiles } from './shared-data.js';

interface CaseEntry {
  readonly testDirName: string;
  readonly inputDir: string;
  readonly outputFormats: readonly string[];
  readonly expectedOutputFiles: readonly string[];
  readonly [option: string]: unknown;
}

const PLAIN_KEYS = new Set(['testDirName', 'inputDir', 'outputFormats', 'expectedOutputFiles']);
const ADMIN_KINDS = ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'];

function plainCases(): CaseEntry[] {
  const all = (JSON.parse(readFileSync(join(BASE, 'cases.json'), 'utf8')) as { connlist: CaseEntry[] }).connlist;
  return all.filter((c) => Object.keys(c).every((k) => PLAIN_KEYS.has(k) || k === 'supportedOnLiveCluster'));
}

type Outcome = 'agree' | 'known difference';
const outcomes = new Map<string, Outcome>();
const counts = { ipv6Dropped: 0, ingressControllerDropped: 0, renamed: 0, replicas: 0 };

/** Both listings of one case after the normalisations, plus what the normalisations did. */
interface Evaluated {
  readonly skip: string | null;
  readonly cluster: Cluster;
  /** NetworkPolicy objects in the input, counted from the raw documents. */
  readonly inputPolicies: number;
  readonly ours: readonly ConnLine[];
  readonly theirs: Set<string>;
  readonly dropped: { readonly ipv6: number; readonly ingressController: number; readonly renamed: number; readonly replicas: number };
}

function evaluate(c: CaseEntry, alter: (cl: Cluster) => Cluster = (cl) => cl): Evaluated {
  const files = inputFiles(join(BASE, c.inputDir));
  const objects = rawObjects(files);
  const kinds = inputKinds(objects);
  const cluster = alter(loadCluster(files).cluster);
  const dropped = { ipv6: 0, ingressController: 0, renamed: 0, replicas: 0 };
  const inputPolicies = objects.filter((o) => o['kind'] === 'NetworkPolicy').length;

  const unmodelled = ADMIN_KINDS.filter((k) => cluster.others.some((o) => o.kind === k));
  if (unmodelled.length > 0) {
    const skip = `${unmodelled.join('+')} not modelled`;
    return { skip, cluster, inputPolicies, ours: [], theirs: new Set(), dropped };
  }

  const index = compile(cluster, { ipblockPods: 'ignore', cni: 'generic' });
  let ours = parseListing(matrix(index).map(matrixLine).join('\n'), `${c.testDirName} (kubereach)`);
  const before = ours.length;
  ours = ours.filter((l) => !isIPv6External(l.src) && !isIPv6External(l.dst));
  dropped.ipv6 = before - ours.length;
  const withSelf = ours.length;
  ours = ours.filter((l) => l.src !== l.dst);
  dropped.replicas = withSelf - ours.length;
  ours = coalesceExternal(ours, `${c.testDirName} (kubereach)`);

  const txt = c.expectedOutputFiles.find((f) => f.endsWith('.txt'));
  if (txt === undefined) throw new Error(`${c.testDirName}: no expected txt output`);
  let theirs = parseListing(readFileSync(join(BASE, txt), 'utf8'), txt);
  const ingressLines = theirs.filter((l) => l.src === '{ingress-controller}');
  if (ingressLines.length > 0 && !kinds.has('Ingress') && !kinds.has('Route')) {
    throw new Error(`${c.testDirName}: {ingress-controller} lines without an Ingress or Route in the input`);
  }
  dropped.ingressController = ingressLines.length;
  theirs = theirs.filter((l) => l.src !== '{ingress-controller}');
  const renames = replicaSetRenames(objects);
  const ourIds = new Set(cluster.endpoints.map((e) => e.id));
  for (const [from, to] of renames) {
    if (!ourIds.has(to)) throw new Error(`${c.testDirName}: ${from} would be renamed ${to}, which kubereach does not list`);
  }
  theirs = theirs.map((l) => {
    const src = renames.get(l.src) ?? l.src;
    const dst = renames.get(l.dst) ?? l.dst;
    if (src !== l.src || dst !== l.dst) dropped.renamed++;
    return { src, dst, conn: l.conn };
  });
  return { skip: null, cluster, inputPolicies, ours, theirs: setOf(coalesceExternal(theirs, txt)), dropped };
}

const cases = plainCases();

describe('netpol-analyzer connlist conformance', () => {
  it('finds the plain cases and every known difference names one of them', () => {
    expect(cases.length).toBeGreaterThan(90);
    const names = new Set(cases.map((c) => c.testDirName));
    for (const k of KNOWN_DIFFERENCES) expect(names, k.case).toContain(k.case);
    expect(new Set(KNOWN_DIFFERENCES.map((k) => k.case)).size).toBe(KNOWN_DIFFERENCES.length);
  });

  it('notices a changed answer: onlineboutique_workloads without its frontend policy differs', () => {
    // The runner must be able to fail: dropping one policy has to show up as differing lines.
    const c = cases.find((x) => x.testDirName === 'onlineboutique_workloads')!;
    const r = evaluate(c, (cl) => ({ ...cl, policies: cl.policies.filter((p) => p.name !== 'frontend-netpol') }));
    expect(r.skip).toBeNull();
    expect(minus(setOf(r.ours), r.theirs).length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    it(c.testDirName, () => {
      const r = evaluate(c);
      expect(r.skip).toBeNull(); // every plain and live-cluster case is compared
      counts.ipv6Dropped += r.dropped.ipv6;
      counts.ingressControllerDropped += r.dropped.ingressController;
      counts.renamed += r.dropped.renamed;
      counts.replicas += r.dropped.replicas;

      // Every NetworkPolicy of the input must be in the model: a dropped policy changes every answer.
      const { cluster } = r;
      expect(cluster.policies.length, 'NetworkPolicies loaded').toBe(r.inputPolicies);
      // Normalisation 2 (IPv6 lines dropped) leaves the IPv4 answers whole only without IPv6 ipBlocks.
      const v6Blocks = cluster.policies.flatMap((p) =>
        [...p.ingress, ...p.egress].flatMap((rule) => (rule.peers ?? []).filter((x) => x.kind === 'ipBlock' && x.cidr.family === 6)),
      );
      expect(v6Blocks, 'IPv6 ipBlocks').toEqual([]);

      const known = KNOWN_DIFFERENCES.find((k) => k.case === c.testDirName);
      if (known !== undefined) {
        checkDifference(known.check, r.ours, r.theirs);
        // a known difference that is no longer one is a stale entry
        const o = setOf(r.ours);
        expect(minus(o, r.theirs).length + minus(r.theirs, o).length, 'still differs').toBeGreaterThan(0);
        outcomes.set(c.testDirName, 'known difference');
        return;
      }
      const o = setOf(r.ours);
      expect({ onlyOurs: minus(o, r.theirs), onlyTheirs: minus(r.theirs, o) }).toEqual({ onlyOurs: [], onlyTheirs: [] });
      outcomes.set(c.testDirName, 'agree');
    });
  }

  afterAll(() => {
    const n = (o: Outcome): number => [...outcomes.values()].filter((x) => x === o).length;
    const failed = cases.length - outcomes.size;
    console.log(
      `connlist conformance: ${n('agree')} agree, ${n('known difference')} known differences` +
        `${failed > 0 ? `, ${failed} FAILED` : ''}` +
        ` [normalised: ${counts.ipv6Dropped} IPv6 lines dropped, ${counts.ingressControllerDropped} {ingress-controller} lines dropped,` +
        ` ${counts.renamed} lines with ReplicaSet->Deployment names, ${counts.replicas} replica-to-replica lines dropped]`,
    );
  });
});
